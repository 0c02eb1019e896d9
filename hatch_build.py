"""Build hook, on every install or build of qrpos: compiles the UI's translations (.po -> .mo) and
the codec's hot modules (mypyc; scripts/build_codec.py, which says why when it cannot)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _load(name: str, path: Path):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class BuildQrpos(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version, build_data):
        root = Path(self.root)
        _load("qrpos_catalogues", root / "pos" / "web" / "catalogues.py").compile_catalogues(
            root / "pos" / "web" / "translations"
        )
        if self.target_name != "wheel":  # an sdist carries sources only
            return
        codec = _load("qrpos_build_codec", root / "scripts" / "build_codec.py")
        problem = codec.build()
        print("codec: compiled with mypyc" if problem is None else f"codec: stays pure Python: {problem}",
              file=sys.stderr)
        if problem is None and version != "editable":  # a wheel carries the build: it is for this platform
            build_data["pure_python"] = False
            build_data["infer_tag"] = True
            build_data["artifacts"].extend(str(p.relative_to(root)) for p in codec.artifacts())
