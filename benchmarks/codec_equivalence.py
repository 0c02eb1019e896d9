"""Differential check of the codec against another git revision: the same answer for every input.

    .venv/bin/python benchmarks/codec_equivalence.py --against REV [--mutations N]

Runs our signed requests, the test vectors (real-world, malformed, non-EMV), seeded mutations of them
(characters replaced, inserted, deleted, spans cut or repeated, lengths changed; each also with its
CRC recomputed), reorderings of objects and sub-objects, random strings and non-strings through
decode, inspect_payload (with and without keys), read_signed_request and explain, in this tree and
in REV's, and build_signed_request over requests with one or two fields replaced by edge values.
An answer is the return value, or the error's class, code and message. Prints every mismatch (the
first 10 in full) and exits non-zero if there is one. A check to run after changing how the codec
works rather than what it accepts; the tests pin the behaviour itself.
"""

from __future__ import annotations

import argparse
import dataclasses
import random
import subprocess
import sys
import tempfile
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
ARCHIVED = ["pos", "tests/__init__.py", "tests/core/__init__.py", "tests/core/codec/__init__.py",
            "tests/core/codec/vectors.py"]
KEYS = {"k1": b"secret one", "k2": b"two"}
ALPHABET = "0123456789ABCDEFabcxyz .*-_@渋\x00\x7f\ud800"


def load(root: Path) -> tuple[ModuleType, ModuleType]:
    """The codec package and the test vectors of the tree at ``root``, imported apart from others."""
    sys.path.insert(0, str(root))
    import pos.core.codec as codec
    from tests.core.codec import vectors

    for name in [m for m in sys.modules if m.split(".")[0] in ("pos", "tests")]:
        del sys.modules[name]
    sys.path.remove(str(root))
    return codec, vectors


def outcome(codec: Any, fn: str, payload: Any) -> tuple[object, ...]:
    try:
        if fn == "decode":
            c = codec.decode(payload)
            return ("ok", c.raw, c.scheme, dict(c.objects), {k: dict(v) for k, v in c.templates.items()},
                    c.warnings, c.fields())
        if fn == "inspect":
            return ("ok", codec.inspect_payload(payload), codec.inspect_payload(payload, KEYS))
        if fn == "read":
            return ("ok", dataclasses.asdict(codec.read_signed_request(payload, KEYS)))
        return ("ok", codec.explain(payload, "ja", KEYS))
    except Exception as exc:  # any error is an answer to compare
        return ("err", type(exc).__name__, getattr(exc, "code", None), str(exc))


def payloads(codec: Any, vectors: Any, rng: random.Random, mutations: int) -> list[Any]:
    R = codec.RequestPayload
    requests = [
        R("pr_7QK2xw9F3mZ", "m_shibuya_ramen", "t_01", "5812", "JPY", 1200, "JP", "SHIBUYA RAMEN", "TOKYO",
          "1500002", "渋谷ラーメン", "東京都渋谷区", "ja", "INV-2031", "ORDER-88", "COUNTER-1", 1767225600),
        R("st_counter1", "m_tea", "t_02", "5814", "CNY", None, "CN", "TEA HOUSE", "SHANGHAI", None, "茶馆", None,
          "zh"),
        R("pr_cny", "m_tea", "t_02", "5814", "CNY", 8880, "CN", "TEA HOUSE", "SHANGHAI"),
        R("x", "m", "t", "0000", "USD", 1, "US", "A", "B", expires_at=0),
    ]
    signed = [codec.build_signed_request(r, key_id=kid, secret=KEYS.get(kid, b"zz"))
              for r in requests for kid in ("k1", "k2", "k9")]
    seeds = (signed + [p for _, p, _ in vectors.REAL_WORLD] + [p for _, p, _ in vectors.MALFORMED]
             + [t for _, t, _ in vectors.NON_EMV])
    out: list[Any] = list(seeds)
    for seed in seeds:
        for _ in range(mutations):
            q = seed
            for _ in range(rng.randrange(1, 3)):
                q = mutate(q, rng)
            out += [q, with_crc(codec, q)]
        for _ in range(5):
            out += [reorder(codec, seed, rng, sub=False), reorder(codec, seed, rng, sub=True)]
    out += ["".join(rng.choice(ALPHABET) for _ in range(rng.randrange(0, 40))) for _ in range(500)]
    return [*out, None, 42, b"000201", "0002" + "9" * 600]


def mutate(p: str, rng: random.Random) -> str:
    if not p:
        return "0"
    i, j, k = rng.randrange(len(p)), rng.randrange(len(p)), rng.randrange(6)
    lo, hi = min(i, j), max(i, j)
    return [p[:i] + rng.choice(ALPHABET) + p[i + 1:], p[:i] + rng.choice(ALPHABET) + p[i:], p[:i] + p[i + 1:],
            p[:lo] + p[hi:], p[:i] + p[lo:hi] + p[i:], p[:i] + str(rng.randrange(100)).zfill(2) + p[i + 2:]][k]


def with_crc(codec: Any, p: str) -> str:
    body = p[:-4] if len(p) >= 8 and p[-8:-4] == "6304" else p
    try:
        return body + codec.crc16(body) if body.endswith("6304") else p
    except UnicodeEncodeError:
        return p


def reorder(codec: Any, p: str, rng: random.Random, *, sub: bool) -> str:
    try:
        c = codec.decode(p)
    except codec.PayloadError:
        return p
    parts = []
    for tag, value in c.objects.items():
        if tag == "63":
            continue
        if sub and tag in c.templates:
            items = list(c.templates[tag].items())
            rng.shuffle(items)
            value = "".join(f"{k}{len(v):02d}{v}" for k, v in items)
        parts.append(f"{tag}{len(value):02d}{value}")
    if not sub:
        rng.shuffle(parts)
    body = "".join(parts) + "6304"
    return body + codec.crc16(body)


def build_outcome(codec: Any, fields: dict[str, Any], kid: Any) -> tuple[object, ...]:
    try:
        return ("ok", codec.build_signed_request(codec.RequestPayload(**fields), key_id=kid, secret=b"s"))
    except Exception as exc:  # any error is an answer to compare
        return ("err", type(exc).__name__, getattr(exc, "code", None), str(exc))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--against", metavar="REV", required=True, help="the git revision to compare with")
    parser.add_argument("--mutations", type=int, default=60, help="mutations per seed payload (default 60)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.against, *ARCHIVED], capture_output=True)
        if archive.returncode != 0:
            sys.exit(f"git archive {args.against} failed: {archive.stderr.decode().strip()}")
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        old, vectors = load(Path(tmp))
    new, _ = load(ROOT)
    rng = random.Random(20260901)
    inputs = payloads(old, vectors, rng, args.mutations)
    mismatches = 0
    pool = [None, "", " ", "x" * 26, "x" * 16, "ja", "JP", "jp", "5812", "58", "a b", "a_b", "k.1-", "渋谷", "\x00",
            12, 0, -1, 1.5, True, 10**10, 1767225600, "1500002", "USD", "XXX", "名" * 26, "名" * 16]
    base = dataclasses.asdict(new.read_signed_request(new.build_signed_request(
        new.RequestPayload("pr_1", "m_1", "t_1", "5812", "JPY", 1200, "JP", "RAMEN", "TOKYO", "1500002", "渋谷",
                           "東京", "ja", "INV-1", "ORDER-1", "COUNTER-1", 1767225600), key_id="k1", secret=b"a"),
        {"k1": b"a"}))
    for _ in range(3000):
        fields = dict(base, **{f: rng.choice(pool) for f in rng.sample(sorted(base), rng.randrange(1, 3))})
        kid = rng.choice(["k1", "k1", "much-too-long", "", None, "a b"])
        a, b = build_outcome(old, fields, kid), build_outcome(new, fields, kid)
        if a != b:
            mismatches += 1
            print("BUILD MISMATCH", fields, kid, a, b, sep="\n  ")
    for p in inputs:
        for fn in ("decode", "inspect", "read", "explain"):
            a, b = outcome(old, fn, p), outcome(new, fn, p)
            if a != b:
                mismatches += 1
                if mismatches <= 10:
                    print("MISMATCH", fn, repr(p)[:200], f"{args.against}: {a!r}"[:300], f"this tree: {b!r}"[:300],
                          sep="\n  ")
    print(f"{len(inputs)} inputs x 4 functions and 3000 requests to build: {mismatches} mismatches")
    sys.exit(1 if mismatches else 0)


if __name__ == "__main__":
    main()
