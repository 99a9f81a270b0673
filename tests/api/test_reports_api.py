"""Upload a lab report, get it explained, save it to the record, and see the trend next time."""

from __future__ import annotations

FIRST = """检验报告单  报告日期：2026-03-02
项目名称 结果 单位 参考范围
谷丙转氨酶(ALT) 68 U/L 9-50 ↑
葡萄糖(GLU) 5.1 mmol/L 3.9-6.1
肌酐(Cr) 80 umol/L 57-111
"""
SECOND = FIRST.replace("2026-03-02", "2026-09-10").replace("68 U/L", "95 U/L")


def _upload(client, headers, text, save, **extra):
    return client.post("/api/v1/reports/explain", headers=headers,
                       files={"file": ("report.txt", text.encode("utf-8"), "text/plain")},
                       data={"save": str(save).lower(), **extra})


def test_report_is_explained_saved_and_trended(client, people):
    alice, headers = people.make("alice")
    first = _upload(client, headers, FIRST, True)
    assert first.status_code == 200, first.text
    body = first.json()
    flags = {r["loinc"]: r["flag"] for r in body["explanation"]["results"]}
    assert flags["1742-6"] == "H" and body["saved"] is True and body["saved_results"] >= 3
    again = _upload(client, headers, FIRST, True).json()
    assert again["saved"] is True  # the same report twice is stored once (idempotent import)
    second = _upload(client, headers, SECOND, False).json()
    trends = {t["loinc"]: t for t in second["explanation"]["trends"]}
    assert trends["1742-6"]["direction"] == "rising"


def test_another_patients_report_cannot_be_saved_into_my_record(client, people):
    alice, _ = people.make("alice")
    _, bob_h = people.make("bob")
    response = _upload(client, bob_h, FIRST, True, person_id=str(alice))
    assert response.status_code == 403


def test_a_file_that_is_not_a_report_gets_a_clear_message(client, people):
    _, headers = people.make("alice")
    response = _upload(client, headers, "Dear diary, today I walked in the park.", True)
    assert response.status_code == 422 and response.json()["error"]["field"] == "file"
