"""Rows and header facts from the printed lines of a report.

A result line reads, in every layout we know, as ``[no.] name [code] value [flag] [unit] [range] [flag]``;
columns may be missing or swapped after the value, so tokens after the value are classified one by one.
"""

from __future__ import annotations

import re
from datetime import date

from careguide.reports.fields import (
    compact_line,
    looks_like_unit,
    normalise_text,
    normalise_unit_spelling,
    parse_flag,
    parse_range,
    parse_value,
)
from careguide.reports.models import (
    ExtractedDocument,
    Flag,
    LabRow,
    ParsedRange,
    ParsedReport,
    ParsedValue,
    RawLine,
    RawResult,
    ReportHeader,
)

_HEADER_WORDS = re.compile(
    r"姓名|性别|年龄|科室|床号|病历|门诊|住院|标本|样本|送检|采样|采集|接收|报告|检验|审核|医生|医师|备注|第.页|页码|"
    r"临床诊断|条码|编号|"
    r"\b(?:name|patient|sex|gender|age|dob|date|specimen|collected|received|reported|physician|doctor|page|"
    r"mrn|accession|ordered|comments?|note)\b",
    re.IGNORECASE,
)
_COLUMN_WORDS = re.compile(
    r"^(?:项目|项目名称|检验项目|代号|缩写|结果|检验结果|提示|单位|参考范围|参考值|参考区间|序号|"
    r"test|analyte|result|flag|units?|reference|range|ref)$",
    re.IGNORECASE,
)


def parse_document(doc: ExtractedDocument) -> ParsedReport:
    """All result rows of an extracted document, with the header facts printed around them."""
    header = parse_header([" ".join(line.cells) for line in doc.lines], doc.header_text)
    header = header.model_copy(
        update={
            "report_date": header.report_date or doc.report_date,
            "specimen": header.specimen or doc.specimen,
            "sex": header.sex or doc.sex,
            "age": header.age if header.age is not None else doc.age,
        }
    )
    rows: list[LabRow] = [row_from_structured(result, header.sex) for result in doc.structured]
    skipped: list[str] = []
    ocr = doc.ocr_confidence is not None
    for line in doc.lines:
        found = parse_rows(line, sex=header.sex)
        if found:
            rows.extend(repair_ocr_arrow(row) if ocr else row for row in found)
        elif any(cell.strip() for cell in line.cells):
            skipped.append(" ".join(line.cells))
    return ParsedReport(header=header, rows=rows, source_format=doc.source_format, skipped_lines=skipped)


def parse_line(line: RawLine | str, sex: str | None = None) -> LabRow | None:
    """The first result row on a line, or None when the line is not a result (header, title, footer)."""
    rows = parse_rows(line, sex)
    return rows[0] if rows else None


def parse_rows(line: RawLine | str, sex: str | None = None) -> list[LabRow]:
    """Every result on a printed line: one, or two side by side when a report prints two columns."""
    text = " ".join(line.cells) if isinstance(line, RawLine) else line
    return _rows_from_tokens(compact_line(text).split(" "), text, sex)


def _rows_from_tokens(tokens: list[str], text: str, sex: str | None) -> list[LabRow]:
    if tokens and re.fullmatch(r"\d{1,3}[.、)]?", tokens[0]) and len(tokens) > 2:
        tokens = tokens[1:]  # row number
    value_at = _find_value(tokens)
    if value_at is None:
        return []
    parsed = parse_value(tokens[value_at])
    if parsed is None:
        return []
    value, glued_flag = parsed
    name = " ".join(tokens[:value_at]).replace("~", "-")
    if re.search(r"[:：]", name) or _COLUMN_WORDS.match(name) or _HEADER_WORDS.fullmatch(name) or (
            _HEADER_WORDS.search(name) and len(name) > 12):
        return []
    unit, range_, flag, extras, rest = _classify_tail(tokens[value_at + 1 :], sex)
    following = _rows_from_tokens(rest, text, sex) if rest else []
    name, code, unit_in_name = _split_name(name)
    unit = unit or unit_in_name
    flag = flag or glued_flag
    if extras and unit is None and range_ is None:
        return following
    if value.qualitative is None and unit is None and range_ is None and flag is None:
        # a bare "name number" line is a result only when the name looks like a lab item
        if not re.fullmatch(r"[A-Z][A-Z0-9%#\-/]{1,9}|pH|[\u4e00-\u9fff]{2,12}", name):
            return following
    if not re.search(r"[A-Za-z\u4e00-\u9fff]", name):
        return following
    own_text = text if not rest else " ".join(tokens[: len(tokens) - len(rest)])
    row = LabRow(name=name, code=code, value=value, unit=unit, range=range_, printed_flag=flag, line=own_text)
    return [row, *following]


def row_from_structured(result: RawResult, sex: str | None = None) -> LabRow:
    """A FHIR result as a row: numbers and codes are taken as given, only spellings are normalised."""
    parsed = parse_value(result.value_text)
    value = parsed[0] if parsed else ParsedValue(text=result.value_text)
    if result.range_low is not None or result.range_high is not None:
        low, high = result.range_low, result.range_high
        text = result.range_text or f"{low if low is not None else ''}-{high if high is not None else ''}"
        range_: ParsedRange | None = ParsedRange(
            text=text, low=low, high=high, inverted=low is not None and high is not None and low > high
        )
    else:
        range_ = parse_range(result.range_text, sex=sex) if result.range_text else None
    flag = parse_flag(result.flag_text) if result.flag_text else None
    unit = normalise_unit_spelling(result.unit) if result.unit else None
    return LabRow(name=result.name, loinc=result.loinc, value=value, unit=unit, range=range_, printed_flag=flag,
                  line=f"{result.name} {result.value_text} {result.unit or ''}".strip())


def repair_ocr_arrow(row: LabRow) -> LabRow:
    """Undo OCR reading a glued "↑"/"↓" as a final "1" (``37.3↓`` -> ``37.31``, ``364↑`` -> ``3641``).

    Labs print an arrow only on an abnormal value and print values with the range's precision, so
    the trailing 1 is dropped only when that leaves a value outside the range and the reading with
    it has one decimal too many, or is more than five times the upper limit.
    """
    text = row.value.text
    if row.range is None or row.value.number is None or row.value.comparator or row.printed_flag is not None:
        return row
    if not re.fullmatch(r"\d+(?:\.\d+)?1", text) or text[:-1].endswith("."):
        return row
    low, high = row.range.low, row.range.high
    candidate = float(text[:-1])
    outside = (high is not None and candidate > high) or (low is not None and candidate < low)
    if not outside:
        return row
    extra_decimal = _decimals(text) == _decimals(row.range.text) + 1
    far_above = high is not None and row.value.number > 5 * high and candidate <= 2 * high
    if not (extra_decimal or far_above):
        return row
    flag = Flag.HIGH if high is not None and candidate > high else Flag.LOW
    return row.model_copy(update={"value": row.value.model_copy(update={"number": candidate, "text": text[:-1]}),
                                  "printed_flag": flag})


def _decimals(text: str) -> int:
    numbers = re.findall(r"\d+(?:\.(\d+))?", text)
    return max((len(d) for d in numbers), default=0)


def _find_value(tokens: list[str]) -> int | None:
    for i in range(1, len(tokens)):
        if parse_value(tokens[i]) is None:
            continue
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        # "CA 125 35.2 U/mL": a bare integer followed by another plain number belongs to the name
        if re.fullmatch(r"\d+", tokens[i]) and re.fullmatch(r"\d+(?:\.\d+)?[↑↓HL*]?", nxt):
            continue
        return i
    return None


def _classify_tail(
    tokens: list[str], sex: str | None
) -> tuple[str | None, ParsedRange | None, Flag | None, list[str], list[str]]:
    """Unit, range, flag and leftovers after the value; ``rest`` starts a second result on the line."""
    unit: str | None = None
    flag: Flag | None = None
    range_parts: list[str] = []
    extras: list[str] = []
    for position, token in enumerate(tokens):
        if not token:
            continue
        token_flag = parse_flag(token)
        if token_flag is not None and flag is None and not range_parts:
            flag = token_flag
        elif unit is None and looks_like_unit(token) and not range_parts:
            unit = normalise_unit_spelling(token)
        elif _is_range_piece(token) or range_parts and re.match(r"^(男|女|M|F)[:：]", token):
            range_parts.append(token)
        elif token_flag is not None and flag is None:
            flag = token_flag
        elif unit is None and looks_like_unit(token):
            unit = normalise_unit_spelling(token)
        elif re.search(r"[A-Za-z\u4e00-\u9fff]", token) and _rows_from_tokens(tokens[position:], "", sex):
            rest = tokens[position:]
            return unit, _range(range_parts, sex, extras), flag, extras, rest
        else:
            extras.append(token)
    return unit, _range(range_parts, sex, extras), flag, extras, []


def _range(parts: list[str], sex: str | None, extras: list[str]) -> ParsedRange | None:
    if not parts:
        return None
    range_ = parse_range(" ".join(parts), sex=sex)
    if range_ is None:
        extras.extend(parts)
    return range_


def _is_range_piece(token: str) -> bool:
    stripped = token.strip("()[]（）;；,，")
    if re.match(r"^(男|女|male|female|M|F)[:：]", stripped, re.IGNORECASE):
        return True
    return parse_range(stripped) is not None


def _split_name(name: str) -> tuple[str, str | None, str | None]:
    """``白细胞计数 WBC`` -> (白细胞计数, WBC); ``Glucose (mmol/L)`` -> (Glucose, None, mmol/L)."""
    unit: str | None = None
    bracket = re.search(r"\s*[(\[（]([^()\[\]（）]+)[)\]）]\s*$", name)
    if bracket and looks_like_unit(bracket.group(1)):
        unit = normalise_unit_spelling(bracket.group(1))
        name = name[: bracket.start()].strip()
    code: str | None = None
    bracket = re.search(r"\s*[(\[（]([A-Za-z][A-Za-z0-9%#\-/.]{0,11})[)\]）]\s*$", name)
    if bracket and name[: bracket.start()].strip():
        code = bracket.group(1)
        name = name[: bracket.start()].strip()
    else:
        parts = name.split(" ")
        if (
            len(parts) >= 2
            and re.fullmatch(r"[A-Za-z][A-Za-z0-9%#\-/.]{0,11}", parts[-1])
            and re.search(r"[\u4e00-\u9fff]", " ".join(parts[:-1]))
        ):
            code = parts[-1]
            name = " ".join(parts[:-1])
    return name.strip(), code, unit


# --- header --------------------------------------------------------------------------------------

# Most specific first: the date the result was reported, then tested, then collected.
_DATE_LABELS = (
    r"(?:报告日期|报告时间|发布时间|report(?:ed)?(?: date)?|date reported)",
    r"(?:检验日期|检测日期|审核日期|审核时间|tested|verified)",
    r"(?:采样时间|采样日期|采集时间|送检日期|接收时间|collected|collection date|received|date)",
)
_DATE = r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})"


def parse_header(lines: list[str], extra_text: str = "") -> ReportHeader:
    text = "\n".join([extra_text, *lines]) if extra_text else "\n".join(lines)
    text = "\n".join(normalise_text(line) for line in text.splitlines())
    return ReportHeader(
        report_date=_report_date(text),
        specimen=_specimen(text),
        sex=_sex(text),
        age=_age(text),
        title=_title(lines),
    )


def _report_date(text: str) -> date | None:
    match = None
    for label in _DATE_LABELS:
        match = re.search(label + r"\s*[:：]?\s*" + _DATE, text, re.IGNORECASE)
        if match:
            break
    match = match or re.search(_DATE, text)
    if not match:
        return None
    groups = match.groups()[-3:]
    try:
        return date(int(groups[0]), int(groups[1]), int(groups[2]))
    except ValueError:
        return None


_SPECIMENS = {
    "全血": "whole_blood", "血清": "serum", "血浆": "plasma", "尿液": "urine", "尿": "urine",
    "粪便": "stool", "脑脊液": "csf", "whole blood": "whole_blood", "serum": "serum",
    "plasma": "plasma", "urine": "urine", "stool": "stool", "blood": "whole_blood",
}


def _specimen(text: str) -> str | None:
    match = re.search(r"(?:标本类型|样本类型|标本种类|标本|样本|specimen(?: type)?|sample(?: type)?)\s*[:：]\s*"
                      r"([A-Za-z\u4e00-\u9fff ]{1,20})", text, re.IGNORECASE)
    if not match:
        return None
    found = match.group(1).strip().lower()
    for word, specimen in _SPECIMENS.items():
        if found.startswith(word):
            return specimen
    return None


def _sex(text: str) -> str | None:
    match = re.search(r"(?:性别|sex|gender)\s*[:：]?\s*(男|女|male|female|m|f)\b", text, re.IGNORECASE)
    if not match:
        match = re.search(r"(?:性别|sex|gender)\s*[:：]?\s*(男|女)", text, re.IGNORECASE)
    if not match:
        return None
    return "male" if match.group(1).lower() in {"男", "male", "m"} else "female"


def _age(text: str) -> float | None:
    match = re.search(r"(?:年龄|age)\s*[:：]?\s*(\d{1,3}(?:\.\d+)?)\s*(岁|y|yrs?|years?|月|months?|m)?",
                      text, re.IGNORECASE)
    if not match:
        return None
    age = float(match.group(1))
    unit = (match.group(2) or "").lower()
    if unit in {"月", "month", "months", "m"}:
        age = round(age / 12, 2)
    return age if 0 <= age <= 130 else None


def _title(lines: list[str]) -> str | None:
    for line in lines[:6]:
        clean = normalise_text(line)
        if clean and parse_line(clean) is None and not re.search(r"[:：]", clean):
            return clean
    return None

