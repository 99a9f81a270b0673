"""De-identification: identifiers found and replaced in Chinese and English, dates shifted per person."""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path

import pytest

from careguide.privacy.deid import (
    age_band,
    date_shift_days,
    deidentify_record,
    deidentify_text,
    find_identifiers,
    pseudonym,
)
from careguide.privacy.deid_dates import find_dates
from careguide.privacy.deid_numbers import resident_id_check_char, resident_id_is_valid

SECRET = b"test-secret"
ROOT = Path(__file__).resolve().parents[2]


def kinds(text: str) -> dict[str, str]:
    return {text[s.start : s.end]: s.type.value for s in find_identifiers(text)}


def test_resident_id_checksum_follows_gb11643():
    first17 = "11010519491231002"
    valid = first17 + resident_id_check_char(first17)
    assert resident_id_is_valid(valid)
    wrong = first17 + ("0" if valid[-1] != "0" else "1")
    assert not resident_id_is_valid(wrong)
    assert kinds(f"编号 {valid} 已核对") == {valid: "id_number"}


def test_invalid_resident_id_is_still_removed_after_an_id_cue():
    assert kinds("身份证号：110105194912310021")["110105194912310021"] == "id_number"


@pytest.mark.parametrize("phone", ["13812345678", "138-1234-5678", "+86 138 1234 5678", "010-62345678",
                                   "(021)54321098", "+86-10-6234-5678", "(617) 555-0143", "+44 20 7946 0958",
                                   "07700 900123", "617.555.0143"])
def test_phone_numbers_in_many_formats_are_found(phone):
    assert kinds(f"联系电话 {phone}，请回电。") == {phone: "phone"} or kinds(f"Call {phone} today.")[phone] == "phone"


def test_clinical_numbers_are_not_identifiers():
    text = ("BP 150/90 mmHg, HbA1c 7.2%, creatinine 88 umol/L, 45-year-old, 血红蛋白 132 g/L，体温38.5℃，"
            "二甲双胍 0.5g 每日两次，2019年起血糖升高，82岁。")
    assert find_identifiers(text) == []


def test_chinese_names_are_found_from_cues_titles_and_headers():
    found = kinds("患者张伟因胸痛入院，其妻李秀英女士陪同。主治医生：欧阳明辉。老王说下周再来。\n刘洋，男，45岁")
    assert found == {"张伟": "name", "李秀英": "name", "欧阳明辉": "name", "王": "name", "刘洋": "name"}


def test_common_words_starting_with_a_surname_are_not_names():
    assert kinds("患者高热3天，周身乏力，向医生咨询后和医生一起查房。") == {}


def test_eponyms_and_institutions_are_not_people():
    text = "Gilbert syndrome and Bell's palsy are benign. Studies by Australia's Medical Research Council; PRC Advertising Law."
    assert kinds(text) == {}


def test_english_names_from_titles_cues_and_credentials():
    text = "Mr. John Smith was seen by Dr. Emily Chen. His daughter, Sarah, called. Pathology: Ingrid Solberg, MD."
    found = kinds(text)
    for name in ("John Smith", "Emily Chen", "Sarah", "Ingrid Solberg"):
        assert found[name] == "name"
    assert "Pathology" not in found


def test_every_later_mention_of_a_found_name_is_removed():
    text = "Patient: Margaret Ellison. Ellison reports pain; Margaret Ellison's son called."
    assert deidentify_text(text, secret=SECRET, person_key="p").text.count("Ellison") == 0


def test_chinese_and_english_addresses():
    zh = "家住北京市朝阳区建国路88号华贸公寓3号楼2单元1201室，近3天发热。"
    assert kinds(zh)["北京市朝阳区建国路88号华贸公寓3号楼2单元1201室"] == "address"
    en = "She lives at Flat 6, 31 Queen's Road, Brighton BN1 3XE with her son."
    assert kinds(en)["Flat 6, 31 Queen's Road, Brighton BN1 3XE"] == "address"


def test_a_city_alone_is_not_an_address():
    assert kinds("患者来自成都，在上海工作。") == {}


def test_emails_record_numbers_passports_and_accounts():
    text = "住院号：ZY2023000123，护照E12345678，邮箱wang.fang@163.com，微信号：wxid_8812abc。MRN: 00452318."
    assert kinds(text) == {"ZY2023000123": "record_number", "E12345678": "passport", "wang.fang@163.com": "email",
                           "wxid_8812abc": "account", "00452318": "record_number"}


def test_dates_shift_by_the_same_whole_weeks_for_one_person():
    text = "2023年3月5日入院，2023-03-12出院，复诊 March 26, 2023。"
    first = deidentify_text(text, secret=SECRET, person_key="alice")
    again = deidentify_text(text, secret=SECRET, person_key="alice")
    assert first.text == again.text and first.date_shift_days % 7 == 0 and first.date_shift_days != 0
    shifted = [m.value for m in find_dates(first.text)]
    original = [m.value for m in find_dates(text)]
    assert [(b - a).days for a, b in zip(original, shifted, strict=True)] == [first.date_shift_days] * 3
    assert [d.weekday() for d in shifted] == [d.weekday() for d in original]


def test_shifts_differ_between_people_and_need_the_secret():
    shifts = {date_shift_days(SECRET, f"person-{i}") for i in range(50)}
    assert len(shifts) > 20
    assert date_shift_days(SECRET, "alice") != date_shift_days(b"other-secret", "alice") or \
        date_shift_days(SECRET, "bob") != date_shift_days(b"other-secret", "bob")


def test_ages_over_89_become_90_plus_and_younger_ages_stay():
    out = deidentify_text("患者92岁，其子65岁。A 93-year-old man; aged 89.", secret=SECRET, person_key="p").text
    assert out == "患者90+岁，其子65岁。A 90+-year-old man; aged 89."
    assert age_band(42) == "40-44" and age_band(95) == "90+" and age_band(None) == "*"


def test_placeholders_are_numbered_per_distinct_value_and_localised():
    result = deidentify_text("患者张伟，家属李明，张伟今日出院。", secret=SECRET, person_key="p")
    assert result.text == "患者[姓名-1]，家属[姓名-2]，[姓名-1]今日出院。"
    assert deidentify_text("Mr. John Smith", secret=SECRET, person_key="p").text == "Mr. [NAME-1]"


def test_structured_record_drops_identifiers_shifts_dates_and_scrubs_free_text():
    record = {
        "resourceType": "Patient", "id": "42", "name": [{"family": "Wang", "given": ["Fang"]}],
        "telecom": [{"value": "13812345678"}], "birthDate": "1950-04-02", "gender": "female",
        "note": "患者王芳，家住北京市海淀区中关村大街27号。", "age": 96, "region": "100080",
        "subject": {"reference": "Patient/42"},
    }
    out = deidentify_record(record, secret=SECRET, person_key="42")
    shift = date_shift_days(SECRET, "42")
    assert "name" not in out and "telecom" not in out
    assert out["birthDate"] == (date(1950, 4, 2).toordinal() + shift and
                                date.fromordinal(date(1950, 4, 2).toordinal() + shift).isoformat())
    assert out["id"] == pseudonym(SECRET, "42") and out["subject"]["reference"] == f"Patient/{pseudonym(SECRET, '42')}"
    assert out["age"] == "90+" and out["region"] == "100" and out["gender"] == "female"
    assert "王芳" not in out["note"] and "中关村" not in out["note"]


def test_labelled_set_is_large_bilingual_and_regenerates_identically():
    notes = [json.loads(line) for line in (ROOT / "evals" / "deid_notes.jsonl").read_text(encoding="utf-8").splitlines()]
    languages = Counter(n["language"] for n in notes)
    assert len(notes) >= 200 and languages["zh"] == languages["en"]
    assert sum(n["source"] == "handwritten" for n in notes) >= 60
    for note in notes:
        for span in note["spans"]:
            assert note["text"][span["start"] : span["end"]] == span["text"]
    check = subprocess.run([sys.executable, str(ROOT / "evals" / "deid_generate.py"), "--check"],
                           capture_output=True, text=True, cwd=ROOT)
    assert check.returncode == 0, check.stdout


def test_identifier_recall_on_the_labelled_set_meets_the_target():
    from careguide.evals.deid import evaluate_file

    report = evaluate_file()
    assert report["identifier_recall"] >= 0.99, report["misses"]
    assert report["precision"] >= 0.95
    assert report["clean_text"]["texts"] > 100
    assert report["clean_text"]["per_10k_chars"] < 1.0, report["clean_text"]["examples"]
