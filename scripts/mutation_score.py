"""Print the mutation score of the money paths after ``make mutate`` (mutmut's results in ``mutants/``).

Per module: mutants killed by the SQLite run (a timeout counts: the tests noticed), survivors that the
PostgreSQL-only race tests kill (checked by planting them by hand, listed in docs/mutation.md as
``* `name`: reason``), survivors reviewed as equivalent (listed as ``- `name`: reason``), the rest of
the survivors (with mutants no test runs), and the score (killed + killed on PostgreSQL) / (all but
equivalents and unchecked). A listed name that the SQLite run now kills is reported as stale.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from mutmut.stats import status_by_exit_code

ROOT = Path(__file__).resolve().parent.parent
LISTED = re.compile(r"^([-*]) `(pos\.\S+__mutmut_\d+)`:", re.MULTILINE)
COLUMNS = ("killed", "pg-killed", "equivalent", "survived", "unchecked")


def load_results(mutants: Path) -> dict[str, str]:
    """Mutant name -> mutmut's status ("killed", "survived", "timeout", "not checked", ...)."""
    results: dict[str, str] = {}
    for meta in sorted(mutants.rglob("*.py.meta")):
        for name, exit_code in json.loads(meta.read_text())["exit_code_by_key"].items():
            results[name] = status_by_exit_code[exit_code]
    return results


def classify(status: str, listed_as: str | None) -> str:
    if status in ("killed", "timeout"):
        return "killed"
    if status in ("survived", "no tests"):
        return {"-": "equivalent", "*": "pg-killed"}.get(listed_as or "", "survived")
    return "unchecked"


def main() -> int:
    results = load_results(ROOT / "mutants")
    if not results:
        print("no results: run `make mutate` first")
        return 1
    listed = {name: mark for mark, name in LISTED.findall((ROOT / "docs" / "mutation.md").read_text())}
    by_module: dict[str, Counter] = defaultdict(Counter)
    for name, status in results.items():
        by_module[name.split(".x")[0]][classify(status, listed.get(name))] += 1
    total: Counter = Counter()
    print(f"{'module':34}" + "".join(f"{c:>11}" for c in COLUMNS) + f"{'score':>9}")
    for module in sorted(by_module):
        total.update(by_module[module])
        print(_row(module, by_module[module]))
    print(_row("all money paths", total))
    for name in sorted(n for n in listed if results.get(n) in ("killed", "timeout")):
        print(f"stale entry in docs/mutation.md (now killed): {name}")
    return 0


def _row(label: str, counts: Counter) -> str:
    judged = counts["killed"] + counts["pg-killed"] + counts["survived"]
    score = f"{100 * (counts['killed'] + counts['pg-killed']) / judged:8.1f}%" if judged else "        -"
    return f"{label:34}" + "".join(f"{counts[c]:11}" for c in COLUMNS) + score


if __name__ == "__main__":
    sys.exit(main())
