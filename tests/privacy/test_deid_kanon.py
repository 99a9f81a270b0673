"""k-anonymity of the quasi-identifiers left after de-identification, with the residual risk."""

from __future__ import annotations

from datetime import date

import pytest

from careguide.privacy.deid_kanon import check_k_anonymity, enforce_k_anonymity, quasi_identifiers


def rows(spec):
    return [{"age_band": a, "sex": s, "region3": r} for (a, s, r), n in spec for _ in range(n)]


def test_quasi_identifiers_are_generalised():
    qi = quasi_identifiers(date(1931, 6, 1), "female", "100080", today=date(2024, 1, 1))
    assert qi == {"age_band": "90+", "sex": "F", "region3": "100"}
    assert quasi_identifiers(None, None, None)["age_band"] == "*"


def test_report_gives_smallest_class_and_prosecutor_risk():
    data = rows([(("40-44", "F", "100"), 6), (("40-44", "M", "100"), 3), (("90+", "F", "200"), 1)])
    report = check_k_anonymity(data, k=5)
    assert not report.satisfied
    assert (report.rows, report.classes, report.smallest_class) == (10, 3, 1)
    assert report.rows_below_k == 4 and report.unique_rows == 1
    assert report.max_risk == 1.0 and report.average_risk == 0.3
    assert report.small_classes[0].values == {"age_band": "90+", "sex": "F", "region3": "200"}


def test_data_that_is_already_k_anonymous_passes():
    report = check_k_anonymity(rows([(("40-44", "F", "100"), 5), (("45-49", "M", "101"), 7)]), k=5)
    assert report.satisfied and report.max_risk == 0.2


def test_enforcing_generalises_then_suppresses_until_every_class_has_k_rows():
    data = rows([(("40-44", "F", "100"), 3), (("45-49", "F", "101"), 3), (("70-74", "M", "900"), 1),
                 (("20-24", "M", "300"), 8)])
    fixed, report = enforce_k_anonymity(data, k=5)
    assert len(fixed) == len(data)
    classes = check_k_anonymity([r for r in fixed if r["sex"] != "*"], k=5)
    assert classes.satisfied
    assert report.suppressed_rows == 1
    assert {"age_band": "40-49", "sex": "F", "region3": "1**"} in [dict(r) for r in fixed]


def test_k_must_be_positive():
    with pytest.raises(ValueError):
        check_k_anonymity([], k=0)
