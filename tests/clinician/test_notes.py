"""Note drafts from transcripts (extraction adds nothing), and the sign / handout flow over the API."""

from __future__ import annotations

from careguide.clinician.notes import NoteDraft, draft_note, untraceable

EN = """Doctor: What brings you in today?
Patient: I've had a headache for three days, mostly in the morning.
Doctor: Any change in vision?
Patient: No.
Doctor: Your blood pressure is 168/102 mmHg and pulse 88.
Doctor: This is most likely related to your raised blood pressure.
Doctor: I will start a blood pressure tablet and we will review in two weeks."""
ZH = """医生：哪里不舒服？
患者：咳嗽一周了，有白痰，不发烧。
医生：查体双肺呼吸音清，体温36.8度。
医生：考虑急性支气管炎。
医生：建议多喝水，一周后复诊，如有发热气短随时来。"""


def test_english_transcript_is_sorted_into_soap():
    note = draft_note(EN)
    assert note.language == "en" and note.method == "extraction"
    assert note.subjective[0].startswith("I've had a headache")
    assert "Any change in vision? — No." in note.subjective
    assert note.objective == ["Your blood pressure is 168/102 mmHg and pulse 88."]
    assert note.assessment == ["This is most likely related to your raised blood pressure."]
    assert note.plan[0].startswith("I will start")


def test_chinese_transcript_is_sorted_into_soap():
    note = draft_note(ZH)
    assert (note.language, note.subjective, note.objective, note.assessment) == (
        "zh", ["咳嗽一周了，有白痰，不发烧。"], ["查体双肺呼吸音清，体温36.8度。"], ["考虑急性支气管炎。"])
    assert note.plan == ["建议多喝水，一周后复诊，如有发热气短随时来。"]


def test_a_model_draft_with_invented_content_is_detected():
    invented = NoteDraft(language="en", plan=["Start aspirin 300 mg daily."], method="model")
    assert untraceable(invented, EN) == ["Start aspirin 300 mg daily."]
    faithful = NoteDraft(language="en", objective=["Your blood pressure is 168/102 mmHg and pulse 88."])
    assert untraceable(faithful, EN) == []
