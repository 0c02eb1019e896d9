"""Whether the codec runs compiled: the mypyc build of its hot modules, or their Python sources.

Installing qrpos (hatch_build.py, or ``scripts/build_codec.py`` by hand) compiles ``MODULES`` with
mypyc when the machine has a C compiler and the Python headers, next to their sources, and writes
``BUILD_RECORD`` beside them: the SHA-256 of every source it compiled. The sources are the only
definition of the codec; the build is the same code, about twice as fast (benchmarks/codec.py).

The package imports this module first. Python would load a compiled module in preference to its
source, so when a source no longer hashes as it did at build time (an edit, a mutation test, a
checkout) or ``QRPOS_CODEC=python`` is set, ``use_sources`` makes the package import every one of
``MODULES`` from its source: a stale build never runs code that is not in the tree. Without a
build the sources run as they are. ``running()`` says which it is.
"""

from __future__ import annotations

import hashlib
import importlib.abc
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import ModuleType

PACKAGE = __name__.rpartition(".")[0]
HERE = Path(__file__).resolve().parent
#: the modules a read or a signature goes through; compiled together, used together
MODULES = ("tlv", "emv", "templates", "validate", "values", "profiles", "request_rules", "mac", "signing")
BUILD_RECORD = "compiled-build.json"
#: QRPOS_CODEC=python runs the sources even where a build is present and current
ENVIRONMENT = "QRPOS_CODEC"
#: the file suffix of this interpreter's extension modules (".cpython-311-x86_64-linux-gnu.so"):
#: a build made for another Python is never loaded, so it counts as no build
EXTENSION = importlib.machinery.EXTENSION_SUFFIXES[0]


def source_digests(directory: Path = HERE) -> dict[str, str]:
    """SHA-256 of each module's source, as the build records them."""
    return {name: hashlib.sha256((directory / f"{name}.py").read_bytes()).hexdigest() for name in MODULES}


def build_problem(directory: Path = HERE, environ: Mapping[str, str] = os.environ) -> str | None:
    """Why the compiled modules must not be used, or None when they may be."""
    if environ.get(ENVIRONMENT, "").lower() == "python":
        return f"{ENVIRONMENT}=python"
    try:
        record = json.loads((directory / BUILD_RECORD).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return "not compiled on this machine"
    except (OSError, ValueError) as exc:
        return f"unreadable {BUILD_RECORD}: {exc}"
    if not isinstance(record, dict):
        return f"unreadable {BUILD_RECORD}"
    if record.get("extension") != EXTENSION:
        return f"built for another Python ({record.get('extension')}, not {EXTENSION})"
    built = record.get("sources")
    now = source_digests(directory)
    if built == now:
        return None
    changed = [name for name in MODULES if not isinstance(built, dict) or built.get(name) != now[name]]
    return f"sources changed since the build ({', '.join(changed)})"


class _Sources(importlib.abc.MetaPathFinder):
    """Finds ``MODULES`` of the package in ``directory`` as their .py files, ahead of the compiled
    ones beside them; a copy of the package elsewhere (another checkout) is left to the others."""

    def __init__(self, names: Sequence[str], directory: Path) -> None:
        self.directory = os.path.realpath(directory)
        self.paths = {f"{PACKAGE}.{name}": directory / f"{name}.py" for name in names}

    def find_spec(
        self, fullname: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        source = self.paths.get(fullname)
        if source is None or path is None or not any(os.path.realpath(p) == self.directory for p in path):
            return None
        return importlib.util.spec_from_file_location(fullname, source)


def use_sources(directory: Path = HERE) -> None:
    """From now on import ``MODULES`` of the package in ``directory`` from their sources."""
    if not any(isinstance(f, _Sources) and f.directory == os.path.realpath(directory) for f in sys.meta_path):
        sys.meta_path.insert(0, _Sources(MODULES, directory))


def running() -> str:
    """"compiled" when every one of ``MODULES`` was loaded from its mypyc build, else "python"."""
    for name in MODULES:
        module = sys.modules.get(f"{PACKAGE}.{name}")
        loader = getattr(getattr(module, "__spec__", None), "loader", None)
        if not isinstance(loader, importlib.machinery.ExtensionFileLoader):
            return "python"
    return "compiled"


#: why the sources run although a build may be present (None: the build is used where present)
WHY_SOURCES = build_problem()
if WHY_SOURCES is not None:
    use_sources()
