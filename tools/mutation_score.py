"""Print the mutation score of the money paths after ``make mutate`` (mutmut's results in ``mutants/``).

Per module: killed (a timeout counts as killed: the tests noticed), survived (with "no tests"),
reviewed equivalents, other (not checked), and the score killed / (killed + survived). Reviewed
equivalent mutants are the names listed in docs/mutation.md as ``- `name`: reason``; a listed name
that is now killed is reported as stale.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
EQUIVALENT = re.compile(r"^- `(pos\.[\w.]+__mutmut_\d+)`:", re.MULTILINE)


def load_results(mutants: Path) -> dict[str, str]:
    """Mutant name -> status ("killed", "survived", "timeout", "not checked", ...)."""
    results: dict[str, str] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        for name, exit_code in json.loads(meta.read_text())["exit_code_by_key"].items():
            results[name] = status_by_exit_code[exit_code]
    return results


def module_of(name: str) -> str:
    return name.split(".x_")[0].split(".x\u01c1")[0]


def main() -> int:
    results = load_results(ROOT / "mutants")
    if not results:
        print("no results: run `make mutate` first")
        return 1
    equivalent = set(EQUIVALENT.findall((ROOT / "docs" / "mutation.md").read_text()))
    by_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in results.items():
        if status == "no tests":
            status = "survived"  # no test even runs the mutated line: as bad as a survivor
        if status == "survived" and name in equivalent:
            status = "equivalent"
        elif status == "timeout":
            status = "killed"  # the mutant made the tests hang: caught
        by_module[module_of(name)][status] += 1
    total = Counter()
    print(f"{'module':42} {'killed':>7} {'surv.':>6} {'equiv.':>7} {'other':>6} {'score':>7}")
    for module in sorted(by_module):
        counts = by_module[module]
        total.update(counts)
        print(_row(module, counts))
    print(_row("all money paths", total))
    stale = sorted(n for n in equivalent if results.get(n) not in (None, "survived", "no tests"))
    for name in stale:
        print(f"stale entry in docs/mutation.md (now {results[name]}): {name}")
    return 0


def _row(label: str, counts: Counter) -> str:
    killed, survived, equivalent = counts["killed"], counts["survived"], counts["equivalent"]
    other = sum(counts.values()) - killed - survived - equivalent
    judged = killed + survived
    score = f"{100 * killed / judged:6.1f}%" if judged else "     -"
    return f"{label:42} {killed:7} {survived:6} {equivalent:7} {other:6} {score:>7}"


if __name__ == "__main__":
    sys.exit(main())
