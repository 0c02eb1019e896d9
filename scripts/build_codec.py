"""Compile the codec's hot modules with mypyc, in place, and record what was compiled.

    python scripts/build_codec.py [--if-stale] [--clean]

Run by hatch_build.py on every install and by `make test`; by hand after editing the codec (until
then it runs from its sources: pos/core/codec/compiled.py). Needs mypy (which brings mypyc),
setuptools, a C compiler and the Python headers; without them the codec stays pure Python and this
says why in one line (exit status 0: a slower codec is not a broken install). ``--if-stale`` does
nothing when the build is current; ``--clean`` removes the build.
"""

from __future__ import annotations

import argparse
import functools
import importlib.util
import json
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CODEC = ROOT / "pos" / "core" / "codec"

# what setup.py would say: one group, so calls between the compiled modules are C calls; its shared
# library lives in the package (pos/core/codec/native__mypyc...so), not at the top of site-packages
_SETUP = """
import sys
from mypyc.build import mypycify
from setuptools import setup

target, cache, typed, *paths = sys.argv[1:]
flags = ["--config-file=", "--follow-imports=skip", "--ignore-missing-imports", "--cache-dir", cache]
modules = mypycify([*flags, typed, *paths], only_compile_paths=paths, opt_level="3", target_dir=target,
                   group_name="pos.core.codec.native")
setup(name="qrpos-codec", py_modules=[], script_args=["build_ext", "--inplace", "--build-temp", target],
      ext_modules=modules)
"""


@functools.cache
def _compiled_module():
    """pos/core/codec/compiled.py, loaded once from its file (without importing the package)."""
    spec = importlib.util.spec_from_file_location("qrpos_codec_compiled", CODEC / "compiled.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def artifacts(codec: Path = CODEC) -> list[Path]:
    """The files a build leaves in the package: one extension per module, the shared library, the record."""
    suffixes = tuple(s for s in (sysconfig.get_config_var("EXT_SUFFIX"), ".so", ".pyd") if s)
    found = [p for p in codec.iterdir() if p.name.endswith(suffixes)]
    return sorted([*found, codec / _compiled_module().BUILD_RECORD])


def clean(codec: Path = CODEC) -> None:
    for path in artifacts(codec):
        path.unlink(missing_ok=True)


def missing_tools() -> str | None:
    """What this machine lacks to compile, or None."""
    if importlib.util.find_spec("mypyc") is None:
        return "mypyc is not installed (pip install mypy)"
    if importlib.util.find_spec("setuptools") is None:
        return "setuptools is not installed"
    compiler = (sysconfig.get_config_var("CC") or "cc").split()[0]
    if shutil.which(compiler) is None:
        return f"no C compiler ({compiler})"
    if not (Path(sysconfig.get_paths()["include"]) / "Python.h").exists():
        return "no Python headers (Python.h)"
    return None


def build(codec: Path = CODEC) -> str | None:
    """Compile in place; returns None, or the reason the codec stays pure Python."""
    compiled = _compiled_module()
    clean(codec)  # a failed build must not leave a previous one behind
    problem = missing_tools()
    if problem is not None:
        return problem
    import mypy.version

    sources = compiled.source_digests(codec)
    root = codec.parents[2]
    paths = [str((codec / f"{name}.py").relative_to(root)) for name in compiled.MODULES]
    typed = str((codec / "records.py").relative_to(root))  # checked for its types, not compiled
    with tempfile.TemporaryDirectory(prefix="qrpos-codec-") as work:
        done = subprocess.run(
            [sys.executable, "-c", _SETUP, f"{work}/build", f"{work}/cache", typed, *paths],
            cwd=root, capture_output=True, text=True, check=False,
        )
    if done.returncode != 0:
        clean(codec)
        last = (done.stderr.strip() or done.stdout.strip() or "no output").splitlines()[-1]
        return f"mypyc failed: {last}"
    if compiled.source_digests(codec) != sources:
        clean(codec)
        return "the sources changed during the build"
    record = {"sources": sources, "extension": compiled.EXTENSION, "mypyc": mypy.version.__version__,
              "python": sys.version.split()[0]}
    (codec / compiled.BUILD_RECORD).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--if-stale", action="store_true", help="only when the build is missing or stale")
    parser.add_argument("--clean", action="store_true", help="remove the build: the codec runs its sources")
    args = parser.parse_args(argv)
    if args.clean:
        clean()
        print("codec: build removed; it runs from its sources")
        return 0
    if args.if_stale and _compiled_module().build_problem(CODEC, {}) is None:
        print("codec: compiled build is current")
        return 0
    problem = build()
    print("codec: compiled with mypyc" if problem is None else f"codec: stays pure Python: {problem}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
