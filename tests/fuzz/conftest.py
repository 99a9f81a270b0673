"""Prints how many generated inputs each parser took in this run, and how many fuzz tests failed."""

from __future__ import annotations

from typing import Any


def pytest_terminal_summary(terminalreporter: Any) -> None:
    from fuzzkit import INPUTS

    if INPUTS:
        failed = [r for r in terminalreporter.stats.get("failed", []) if "tests/fuzz/" in r.nodeid]
        terminalreporter.write_line("fuzz inputs this run: " + ", ".join(f"{k}={v}" for k, v in sorted(INPUTS.items()))
                                    + f" (total {sum(INPUTS.values())}; failed fuzz tests: {len(failed)})")
