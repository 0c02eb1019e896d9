"""The codec runs its mypyc build only while the build matches the sources (pos.core.codec.compiled).

The rest of the codec's tests run against whichever is loaded; `make test` runs them once compiled
and once more with QRPOS_CODEC=python, and CI sets QRPOS_EXPECT_COMPILED_CODEC=1 so that a build
that silently failed fails the run instead of testing only the sources.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pos.core.codec import compiled

ROOT = Path(__file__).resolve().parents[3]
CODEC = ROOT / "pos" / "core" / "codec"
BUILT = (CODEC / compiled.BUILD_RECORD).exists()


def _sources(tmp_path: Path) -> Path:
    """A copy of the compiled modules' sources, with no build record."""
    for name in compiled.MODULES:
        shutil.copy(CODEC / f"{name}.py", tmp_path / f"{name}.py")
    return tmp_path


def _record(directory: Path, record: object) -> None:
    text = record if isinstance(record, str) else json.dumps(record)
    (directory / compiled.BUILD_RECORD).write_text(text, encoding="utf-8")


def _built(tmp_path: Path) -> Path:
    """The sources with the record a build of them writes."""
    directory = _sources(tmp_path)
    _record(directory, {"sources": compiled.source_digests(directory), "extension": compiled.EXTENSION})
    return directory


def test_without_a_build_the_sources_run(tmp_path):
    assert compiled.build_problem(_sources(tmp_path), {}) == "not compiled on this machine"


def test_a_build_of_these_very_sources_may_run(tmp_path):
    assert compiled.build_problem(_built(tmp_path), {}) is None


def test_an_edited_source_makes_the_build_stale_and_says_which(tmp_path):
    directory = _built(tmp_path)
    with (directory / "tlv.py").open("a", encoding="utf-8") as f:
        f.write("# edited\n")
    assert compiled.build_problem(directory, {}) == "sources changed since the build (tlv)"


@pytest.mark.parametrize("record", ["not json", ["a list"], {"sources": None}, {"extension": ".other.so"}])
def test_a_damaged_record_is_never_taken_for_a_current_build(tmp_path, record):
    directory = _sources(tmp_path)
    _record(directory, record)
    assert compiled.build_problem(directory, {}) is not None


def test_a_build_for_another_python_counts_as_none(tmp_path):
    directory = _sources(tmp_path)
    _record(directory, {"sources": compiled.source_digests(directory), "extension": ".cpython-399-x86_64-linux-gnu.so"})
    assert compiled.build_problem(directory, {}).startswith("built for another Python")


def test_qrpos_codec_python_runs_the_sources_even_with_a_current_build(tmp_path):
    assert compiled.build_problem(_built(tmp_path), {"QRPOS_CODEC": "python"}) == "QRPOS_CODEC=python"


def test_what_runs_is_what_the_build_record_allows():
    expected = "compiled" if BUILT and compiled.WHY_SOURCES is None else "python"
    assert compiled.running() == expected
    if os.environ.get("QRPOS_EXPECT_COMPILED_CODEC") == "1" and os.environ.get("QRPOS_CODEC") != "python":
        assert compiled.WHY_SOURCES is None and compiled.running() == "compiled"


def _run_copy(tmp_path: Path, edit: bool, env: dict[str, str] | None = None) -> list[str]:
    """Import a copy of the package (with the build) in a fresh interpreter and decode a code."""
    copy = tmp_path / "tree"
    shutil.copytree(ROOT / "pos", copy / "pos", ignore=shutil.ignore_patterns("web", "wallet", "__pycache__"))
    if edit:
        with (copy / "pos" / "core" / "codec" / "tlv.py").open("a", encoding="utf-8") as f:
            f.write("# edited after the build\n")
    script = (
        "import pos.core.codec as c\n"
        "from tests.core.codec.vectors import REAL_WORLD\n"
        "print(c.compiled.running()); print(c.compiled.WHY_SOURCES)\n"
        "print(c.decode(REAL_WORLD[0][1]).scheme)\n"
    )
    environment = {k: v for k, v in os.environ.items() if k != "QRPOS_CODEC"}
    environment.update(PYTHONPATH=f"{copy}{os.pathsep}{ROOT}", **(env or {}))
    done = subprocess.run([sys.executable, "-c", script], cwd=copy, env=environment, capture_output=True,
                          text=True, timeout=60, check=True)
    return done.stdout.splitlines()


@pytest.mark.skipif(not BUILT, reason="the codec is not compiled on this machine")
def test_a_current_build_runs_and_a_stale_one_never_does(tmp_path):
    current = _run_copy(tmp_path / "current", edit=False)
    assert current[:2] == ["compiled", "None"]
    stale = _run_copy(tmp_path / "stale", edit=True)
    assert stale[:2] == ["python", "sources changed since the build (tlv)"]
    assert current[2] == stale[2]  # the same answer either way
    forced = _run_copy(tmp_path / "forced", edit=False, env={"QRPOS_CODEC": "python"})
    assert forced[:2] == ["python", "QRPOS_CODEC=python"]
