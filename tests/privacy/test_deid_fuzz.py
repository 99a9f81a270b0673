"""Fuzzing the de-identifier: any text in, never a crash, spans that make sense, and time linear
enough for long documents."""

from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from careguide.privacy.deid import deidentify_text, find_identifiers

# Pieces that steer random text towards the detectors' edges, mixed with arbitrary characters.
PIECES = ["患者", "张伟", "先生", "医生", "北京市", "朝阳区", "路", "88号", "室", "2023年", "3月", "5日", "岁", "九十",
          "Mr.", "Dr", "John", "Smith", "Street", "Apt", "MRN", ":", "：", "，", "。", "\n", " ", "-", "/", "(", ")",
          "+86", "138", "1234", "5678", "@", ".com", "E", "110105194912310021", "92", "year-old"]
texts = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=6)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts)
def test_any_text_gives_ordered_non_overlapping_spans_inside_it(text):
    spans = find_identifiers(text)
    for span in spans:
        assert 0 <= span.start < span.end <= len(text)
    for before, after in zip(spans, spans[1:], strict=False):
        assert before.end <= after.start


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.text(min_size=1, max_size=8))
def test_deidentifying_any_text_never_fails_and_removes_what_it_found(text, person):
    result = deidentify_text(text, secret=b"fuzz", person_key=person)
    for found in result.found:
        if found.type.value in {"email", "phone", "id_number", "passport"}:
            assert text[found.start : found.end] not in result.text


def test_long_repetitive_documents_stay_fast():
    for document in ("北京" * 5000, "患者张伟，" * 4000, "Dr. John Smith " * 3000, "1" * 20000):
        started = time.perf_counter()
        find_identifiers(document)
        assert time.perf_counter() - started < 15, document[:20]
