"""Pre-consultation summaries are faithful: nothing added, no pertinent negative lost, in the doctor's language."""

from __future__ import annotations

import pytest

from careguide import triage
from careguide.clinician.faithfulness import check
from careguide.clinician.models import Fact
from careguide.clinician.summary import RecordView, build_summary

CASES = [
    ("Crushing chest pain for an hour, sweating, no shortness of breath", "en", 61, "male", "no"),
    ("嗓子疼两天了，不发烧，没有咳嗽，能吃能喝", "zh", 28, "female", "no"),
    ("headache for 3 days, no fever, no vomiting, not the worst ever", "en", 35, "female", "dont_know"),
    ("肚子疼一天，拉肚子，没有便血，没有发烧", "zh", 45, "male", "no"),
    ("my knee hurts after a fall yesterday, I can walk on it", "en", 30, "male", "no"),
]
RECORD = RecordView(problems=[("Condition/c1", "Essential hypertension")],
                    medications=[("MedicationStatement/m1", "Amlodipine 5 mg tablet")],
                    allergies=[("AllergyIntolerance/a1", "Penicillin")],
                    vitals=[("Observation/v1", "Systolic blood pressure: 152 mmHg (2026-11-01)")])


def interview(text, lang, age, sex, reply):
    step = triage.start(triage.Profile(age_years=age, sex=sex, language=lang), text)
    for _ in range(30):
        if step.kind != "question" or step.question is None:
            break
        options = [o.id for o in step.question.options]
        value = reply if reply in options else (options[-1] if options else "2 days")
        step = triage.answer(step.evidence, triage.Answer(question_id=step.question.id, value=value))
    return step


@pytest.mark.parametrize("text,lang,age,sex,reply", CASES)
@pytest.mark.parametrize("doctor_lang", ["en", "zh"])
def test_summary_is_faithful_in_either_language(text, lang, age, sex, reply, doctor_lang):
    step = interview(text, lang, age, sex, reply)
    summary = build_summary(7, step.evidence, step.outcome, RECORD, doctor_lang)
    report = check(summary, step.evidence, step.outcome, RECORD)
    assert report.ok, report
    assert summary.patient_words == text  # the person's words are shown as written
    assert summary.triage and summary.chief_complaint
    negatives = [f for f, s in step.evidence.findings.items() if s == "absent"]
    assert len(summary.pertinent_negatives) == len(negatives)


def test_labels_follow_the_doctors_language_not_the_patients():
    step = interview(*CASES[1])
    english = build_summary(7, step.evidence, step.outcome, None, "en")
    assert all(not any("\u4e00" <= ch <= "\u9fff" for ch in fact.text) for fact in english.pertinent_negatives)
    assert english.patient_words == CASES[1][0]


def test_an_added_fact_is_caught():
    step = interview(*CASES[0])
    summary = build_summary(7, step.evidence, step.outcome, RECORD, "en")
    summary.associated.append(Fact(text="Fever", source="answer", ref="answer:q99", finding="fever"))
    summary.medications.append(Fact(text="Aspirin 100 mg", source="record", ref="MedicationStatement/zz"))
    report = check(summary, step.evidence, step.outcome, RECORD)
    assert len(report.unsupported) == 2


def test_a_dropped_negative_is_caught():
    step = interview(*CASES[2])
    summary = build_summary(7, step.evidence, step.outcome, None, "en")
    assert summary.pertinent_negatives
    summary.pertinent_negatives.pop()
    assert len(check(summary, step.evidence, step.outcome, None).lost_negatives) == 1
