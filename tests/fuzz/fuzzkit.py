"""Shared by the fuzz tests: how many examples to run, and a tally of inputs per parser.

``make test`` runs a bounded number of examples with a fixed seed (derandomised, so a run is
repeatable); ``make fuzz`` sets ``CAREGUIDE_FUZZ_SCALE`` to run many times more.
"""

from __future__ import annotations

import os
from collections import Counter
from typing import Any

from hypothesis import HealthCheck, settings

SCALE = max(float(os.environ.get("CAREGUIDE_FUZZ_SCALE", "1")), 0.01)
INPUTS: Counter[str] = Counter()


def examples(base: int) -> int:
    return max(int(base * SCALE), 1)


def fuzz_settings(base: int) -> Any:
    """Settings for one parser: ``base`` examples (times the scale), fixed seed, no per-example deadline."""
    return settings(max_examples=examples(base), derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.filter_too_much])
