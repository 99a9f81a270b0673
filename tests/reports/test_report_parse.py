"""Rows and header facts from printed lines, in Chinese and English layouts."""

from datetime import date

from careguide.reports.models import Flag
from careguide.reports.parse import parse_document, parse_header, parse_line, parse_rows
from careguide.reports.text import extract_text


def test_chinese_row_with_number_code_flag_unit_range():
    row = parse_line("1 白细胞计数 WBC 11.2 ↑ ×10^9/L 3.5-9.5")
    assert (row.name, row.code, row.value.number, row.unit) == ("白细胞计数", "WBC", 11.2, "10^9/L")
    assert (row.range.low, row.range.high, row.printed_flag) == (3.5, 9.5, Flag.HIGH)


def test_english_row_with_flag_after_value():
    row = parse_line("Potassium   6.8   H   mmol/L   3.5 - 5.1")
    assert (row.name, row.value.number, row.unit, row.printed_flag) == ("Potassium", 6.8, "mmol/L", Flag.HIGH)
    assert (row.range.low, row.range.high) == (3.5, 5.1)


def test_unit_in_the_name_column():
    row = parse_line("Glucose (mg/dL)   105 H   70-99")
    assert (row.name, row.unit, row.value.number, row.printed_flag) == ("Glucose", "mg/dL", 105.0, Flag.HIGH)


def test_code_in_brackets_and_flag_last():
    row = parse_line("谷丙转氨酶(ALT)   56   U/L   9-50   偏高")
    assert (row.name, row.code, row.printed_flag) == ("谷丙转氨酶", "ALT", Flag.HIGH)


def test_qualitative_row():
    row = parse_line("尿蛋白 PRO 阳性(++) 阴性")
    assert row.value.qualitative == "2+"
    assert row.range.qualitative == "negative"


def test_digits_inside_a_name_are_not_the_value():
    row = parse_line("CA 125  40.2  U/mL  0-35")
    assert (row.name, row.value.number) == ("CA 125", 40.2)
    row = parse_line("CA 19-9  12.0  U/mL  <37")
    assert (row.name, row.value.number, row.range.high) == ("CA 19-9", 12.0, 37.0)


def test_two_results_printed_side_by_side():
    rows = parse_rows("ALT 33 IU/L 7-40   尿素 4.34 mmol/l 3.10~8.00")
    assert [(r.name, r.value.number, r.unit) for r in rows] == [("ALT", 33.0, "IU/L"), ("尿素", 4.34, "mmol/L")]


def test_header_footer_and_column_titles_are_not_results():
    for line in ("姓名：张三  性别：男  年龄：45岁", "Page 1 of 2", "第1页/共1页", "项目 结果 单位 参考范围",
                 "Test Result Flag Units Reference Range", "检验者：李**  审核者：王**"):
        assert parse_line(line) is None, line


def test_header_facts_in_chinese():
    header = parse_header(["姓名：张三  性别：女  年龄：52岁", "标本类型：血清  送检日期：2024-03-04  报告日期：2024-03-05"])
    assert (header.sex, header.age, header.specimen, header.report_date) == ("female", 52.0, "serum", date(2024, 3, 5))


def test_header_facts_in_english():
    header = parse_header(["Patient: DOE, J   Sex: M   Age: 61 y", "Specimen: Whole blood  Reported: 2023/11/02"])
    assert (header.sex, header.age, header.specimen, header.report_date) == ("male", 61.0, "whole_blood",
                                                                            date(2023, 11, 2))


def test_by_sex_range_follows_the_printed_sex():
    doc = extract_text("性别：女\n血红蛋白 HGB 118 g/L 男:130-175 女:115-150\n")
    row = parse_document(doc).rows[0]
    assert (row.range.low, row.range.high) == (115.0, 150.0)


def test_ocr_reading_a_glued_arrow_as_one_is_undone_only_when_it_must_be():
    from careguide.reports.parse import repair_ocr_arrow

    assert repair_ocr_arrow(parse_line("红细胞压积 37.31 % 40.0-50.0")).value.number == 37.3
    assert repair_ocr_arrow(parse_line("MCHC 3641 g/L 316~354")).value.number == 364.0
    assert repair_ocr_arrow(parse_line("MONO% 1.21 % 3.0-10.0")).printed_flag is Flag.LOW
    assert repair_ocr_arrow(parse_line("PLT 201 10^9/L 125-350")).value.number == 201.0  # in range: a real 1
    assert repair_ocr_arrow(parse_line("WBC 11 10^9/L 3.5-9.5")).value.number == 11.0


def test_ocr_repair_is_applied_to_photos_not_to_typed_text():
    from careguide.reports.models import ExtractedDocument, RawLine

    line = RawLine(cells=["红细胞压积", "37.31", "%", "40.0-50.0"])
    typed = parse_document(ExtractedDocument(source_format="text", lines=[line]))
    photo = parse_document(ExtractedDocument(source_format="image", lines=[line], ocr_confidence=0.9))
    assert (typed.rows[0].value.number, photo.rows[0].value.number) == (37.31, 37.3)
