# ruff: noqa: T201 - a command-line report
"""Read pytest's JUnit XML report and refuse a run that only looks green.

Fails (exit 1) when no test ran at all, when a test failed, or when any of the REQUIRED folders
(default: tests/integration and tests/e2e) has no passed test or has a skipped one.
Prints a small table per test folder.   Usage: check_test_report.py REPORT.xml [folder ...]
"""

import sys
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict

REQUIRED = ("tests/integration", "tests/e2e")


def folder_of(classname: str) -> str:
    parts = classname.split(".")
    # "tests.integration.test_worker" (module) or "tests.e2e.test_x.TestClass"
    return "/".join(parts[:2]) if len(parts) > 2 else "/".join(parts[:1])


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    required = argv[2:] or list(REQUIRED)
    root = ET.parse(argv[1]).getroot()
    results: dict[str, Counter] = defaultdict(Counter)
    skipped_in_required: list[str] = []
    for case in root.iter("testcase"):
        folder = folder_of(case.get("classname", ""))
        if case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
        elif case.find("skipped") is not None:
            outcome = "skipped"
        else:
            outcome = "passed"
        results[folder][outcome] += 1
        if outcome == "skipped" and folder in required:
            reason = case.find("skipped").get("message", "")
            skipped_in_required.append(f"{case.get('classname')}::{case.get('name')} — {reason}")

    print(f"{'folder':<24} {'passed':>7} {'skipped':>8} {'failed':>7}")
    for folder in sorted(results):
        c = results[folder]
        print(f"{folder:<24} {c['passed']:>7} {c['skipped']:>8} {c['failed']:>7}")

    problems = []
    total = sum(sum(c.values()) for c in results.values())
    if total == 0:
        problems.append("tidak ada tes yang dijalankan")
    if any(c["failed"] for c in results.values()):
        problems.append("ada tes yang gagal")
    for folder in required:
        if results[folder]["passed"] == 0:
            problems.append(f"tidak ada tes di {folder} yang lulus (tidak terkumpul atau dilewati)")
    if skipped_in_required:
        problems.append("tes layanan dilewati:\n    " + "\n    ".join(skipped_in_required))
    for problem in problems:
        print(f"GAGAL: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
