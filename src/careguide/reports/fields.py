"""The grammar of one printed cell: values, reference ranges, flags and unit spellings.

Pure functions over strings; they know nothing about analytes. Laboratory printouts in
China and abroad use the same handful of conventions (GB/T and CLSI style reports): a
number with an optional comparator, "+/-" grades for dipstick tests, "low-high" ranges
with several dash and tilde characters, arrows or letters for flags.
"""

from __future__ import annotations

import re
import unicodedata

from careguide.reports.models import Flag, ParsedRange, ParsedValue

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_NUM = r"[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"
_RANGE_SEPARATORS = r"(?:--|-|~|～|〜|—|–|－|至|to)"

# Qualitative results, normalised. Order matters: longer spellings first.
_QUALITATIVE = [
    ("弱阳性", "trace"),
    ("阴性", "negative"),
    ("阳性", "positive"),
    ("微量", "trace"),
    ("未检出", "negative"),
    ("检出", "positive"),
    ("正常", "normal"),
    ("negative", "negative"),
    ("neg", "negative"),
    ("not detected", "negative"),
    ("nonreactive", "negative"),
    ("non-reactive", "negative"),
    ("positive", "positive"),
    ("pos", "positive"),
    ("detected", "positive"),
    ("reactive", "positive"),
    ("trace", "trace"),
    ("normal", "normal"),
]
_GRADES = {"-": "negative", "−": "negative", "±": "trace", "+-": "trace", "+": "1+", "++": "2+",
           "+++": "3+", "++++": "4+", "1+": "1+", "2+": "2+", "3+": "3+", "4+": "4+"}
# Qualitative results that count as "not normal" when the expected one is negative/normal.
POSITIVE_GRADES = {"positive", "weak_positive", "trace", "1+", "2+", "3+", "4+"}

_FLAG_WORDS = {
    "h": Flag.HIGH, "high": Flag.HIGH, "↑": Flag.HIGH, "偏高": Flag.HIGH, "高": Flag.HIGH, "升高": Flag.HIGH,
    "l": Flag.LOW, "low": Flag.LOW, "↓": Flag.LOW, "偏低": Flag.LOW, "低": Flag.LOW, "降低": Flag.LOW,
    "hh": Flag.CRITICAL_HIGH, "↑↑": Flag.CRITICAL_HIGH, "h*": Flag.CRITICAL_HIGH, "危急": Flag.CRITICAL_HIGH,
    "ll": Flag.CRITICAL_LOW, "↓↓": Flag.CRITICAL_LOW, "l*": Flag.CRITICAL_LOW,
    "*": Flag.ABNORMAL, "a": Flag.ABNORMAL, "abn": Flag.ABNORMAL, "异常": Flag.ABNORMAL,
    "n": Flag.NORMAL,
}
_FLAG_SUFFIX = re.compile(r"^(.*?)\s*[(\[]?(↑↑|↓↓|↑|↓|HH|LL|H|L|\*|偏高|偏低)[)\]]?$")
_FLAG_PREFIX = re.compile(r"^(↑↑|↓↓|↑|↓)\s*(.+)$")

_UNIT_ATOMS = (
    r"mmol|umol|μmol|nmol|pmol|mol|mEq|mg|ug|μg|ng|pg|kg|g|dL|mL|fL|uL|μL|L|l|fl|ml|dl|ul|"
    r"mIU|uIU|μIU|IU|kU|mU|U|s|sec|min|h|hr|mm|cm|个|cells|cell|HPF|LPF|hpf|lpf|S/CO|COI|"
    r"mOsm|kgH2O|mmHg|kPa|Pa|AU|RU|copies|拷贝|Eq|秒|g/g|mg/g|m2|1\.73m2|1\.73 m2|\{1\.73_m2\}"
)
_UNIT_RE = re.compile(
    rf"^(?:10\^\d+)?(?:{_UNIT_ATOMS})(?:/(?:10\^\d+)?(?:[\d.]+)?(?:{_UNIT_ATOMS})\d?)*$"
    rf"|^(?:10\^\d+)/(?:{_UNIT_ATOMS})$|^/(?:{_UNIT_ATOMS})$|^%$|^S/CO$|^ratio$|^Index$",
    re.IGNORECASE,
)


def normalise_text(text: str) -> str:
    """Full-width to half-width, one kind of space, trimmed. Superscript powers are kept as ``^n``."""
    text = re.sub(r"10([⁰¹²³⁴⁵⁶⁷⁸⁹]+)", lambda m: "10^" + m.group(1).translate(_SUPERSCRIPTS), text)
    text = text.replace("µ", "μ").replace("～", "~").replace("〜", "~")
    text = "".join(ch if ch in "μ×±↑↓≤≥—–" else unicodedata.normalize("NFKC", ch) for ch in text)
    return re.sub(r"\s+", " ", text).strip()


def normalise_unit_spelling(text: str) -> str:
    """One spelling for the typographic variants of a unit (``×10⁹/L``, ``X10E9/L``, ``10*9/L`` -> ``10^9/L``)."""
    unit = normalise_text(text).replace(" ", "")
    unit = re.sub(r"^[×xX*]\s*(?=10)", "", unit)
    unit = re.sub(r"^10(?:\^|\*|E|e|\*\*)(\d+)", r"10^\1", unit)
    # a superscript flattened by copy or OCR: "×109/L" can only mean 10^9/L
    unit = re.sub(r"^10(3|6|9|12)(?=/)", r"10^\1", unit)
    unit = unit.replace("μ", "u")
    unit = re.sub(r"/I$", "/L", unit)  # OCR reads the l of "mmol/l" as a capital I
    unit = re.sub(r"^([umμ]?)[l1|]U/", r"\1IU/", unit)  # ... and the I of "uIU/mL" as l, 1 or |
    unit = {"K/uL": "10^3/uL", "k/uL": "10^3/uL", "M/uL": "10^6/uL"}.get(unit, unit)
    unit = re.sub(r"/([dmu]?)l$", r"/\1L", unit)  # mmol/l -> mmol/L, mg/dl -> mg/dL
    unit = re.sub(r"^fL$|^fl$|^FL$", "fL", unit)
    unit = re.sub(r"^(?:s|S|sec|秒)$", "s", unit)
    return unit


def looks_like_unit(text: str) -> bool:
    unit = normalise_unit_spelling(text)
    return bool(unit) and parse_flag(text) is None and bool(_UNIT_RE.match(unit))


def parse_flag(text: str) -> Flag | None:
    token = normalise_text(text).strip("()[]（）").lower()
    return _FLAG_WORDS.get(token)


def parse_value(text: str) -> tuple[ParsedValue, Flag | None] | None:
    """A printed result and any flag glued to it (``6.5↑``, ``12.1 H``), or None if it is not a result."""
    raw = normalise_text(text)
    if not raw:
        return None
    flag: Flag | None = None
    body = raw
    prefix = _FLAG_PREFIX.match(body)
    if prefix:
        flag, body = _FLAG_WORDS[prefix.group(1)], prefix.group(2)
    suffix = _FLAG_SUFFIX.match(body)
    if suffix and suffix.group(1) and re.search(r"\d", suffix.group(1)):
        flag, body = _FLAG_WORDS[suffix.group(2).lower()], suffix.group(1)
    body = body.strip()
    qualitative = _parse_qualitative(body)
    if qualitative is not None:
        return ParsedValue(text=raw, qualitative=qualitative), flag
    match = re.fullmatch(rf"(<=|>=|≤|≥|<|>)?\s*({_NUM})", body)
    if not match:
        return None
    comparator = {"≤": "<=", "≥": ">="}.get(match.group(1) or "", match.group(1))
    return ParsedValue(text=raw, number=float(match.group(2)), comparator=comparator), flag


def _parse_qualitative(body: str) -> str | None:
    lowered = body.lower().strip()
    if lowered in _GRADES:
        return _GRADES[lowered]
    # "阴性(-)", "阳性(++)", "Negative (-)": a word with an optional grade in brackets
    match = re.fullmatch(r"([^\d()（）]+?)\s*[(（]\s*([-+±]+)\s*[)）]", lowered)
    if match:
        word = _qualitative_word(match.group(1))
        grade = _GRADES.get(match.group(2))
        if grade in {"1+", "2+", "3+", "4+"}:
            return grade
        return word or grade
    match = re.fullmatch(r"[(（]\s*([-+±]+)\s*[)）]", lowered)
    if match:
        return _GRADES.get(match.group(1))
    return _qualitative_word(lowered)


def _qualitative_word(text: str) -> str | None:
    text = text.strip()
    for word, normal in _QUALITATIVE:
        if text == word:
            return normal
    return None


def parse_range(text: str, sex: str | None = None) -> ParsedRange | None:
    """A printed reference range; for by-sex ranges, the one for ``sex`` (else the widest of them)."""
    raw = normalise_text(text).strip("()[]（）")
    if not raw:
        return None
    by_sex = _split_by_sex(raw)
    if by_sex:
        chosen = by_sex.get(sex) if sex else None
        if chosen is not None:
            return chosen.model_copy(update={"text": raw, "sex": sex})
        parts = list(by_sex.values())
        lows = [p.low for p in parts if p.low is not None]
        highs = [p.high for p in parts if p.high is not None]
        return ParsedRange(text=raw, low=min(lows) if lows else None, high=max(highs) if highs else None)
    return _parse_simple_range(raw)


def _split_by_sex(raw: str) -> dict[str, ParsedRange] | None:
    pattern = re.compile(r"(男|女|male|female|M|F)\s*[:：]?\s*([^男女MFmf;；,，]+)", re.IGNORECASE)
    found = pattern.findall(raw)
    if len(found) < 2:
        return None
    result: dict[str, ParsedRange] = {}
    for who, body in found:
        parsed = _parse_simple_range(body.strip())
        if parsed is None:
            return None
        result["male" if who.lower() in {"男", "male", "m"} else "female"] = parsed
    return result if len(result) == 2 else None


def _parse_simple_range(raw: str) -> ParsedRange | None:
    raw = raw.strip()
    match = re.fullmatch(rf"({_NUM})\s*{_RANGE_SEPARATORS}\s*({_NUM})", raw)
    if match:
        low, high = float(match.group(1)), float(match.group(2))
        return ParsedRange(text=raw, low=low, high=high, inverted=low > high)
    match = re.fullmatch(rf"(<=|≤|<|＜|0\s*-\s*)\s*({_NUM})", raw)
    if match:
        return ParsedRange(text=raw, high=float(match.group(2)))
    match = re.fullmatch(rf"(>=|≥|>|＞)\s*({_NUM})", raw)
    if match:
        return ParsedRange(text=raw, low=float(match.group(2)))
    qualitative = _parse_qualitative(raw)
    if qualitative is not None:
        return ParsedRange(text=raw, qualitative=qualitative)
    return None


def compact_line(text: str) -> str:
    """Glue the pieces that a layout spaces apart so one token is one field (``3.5 - 5.5`` -> ``3.5-5.5``)."""
    line = normalise_text(text)
    line = re.sub(r"(?<![\w.])(-?\d+(?:\.\d+)?)\s*(--|~|—|–|－|至|\bto\b)\s*(-?\d+(?:\.\d+)?)(?![\w.])", r"\1~\3", line)
    line = re.sub(r"(?<![\w.~])(\d+(?:\.\d+)?)(?:\s+-\s*|\s*-\s+)(\d+(?:\.\d+)?)(?![\w.])", r"\1~\2", line)
    line = re.sub(r"(偏高|偏低|↑|↓)(?=[A-Za-zμ%个])", r"\1 ", line)
    line = re.sub(r"(<=|>=|≤|≥|<|>)\s+(?=\d)", r"\1", line)
    line = re.sub(r"([×xX*])\s+(?=10\s*[\^*E])", r"\1", line)
    line = re.sub(r"10\s*\^\s*(\d+)\s*/\s*", r"10^\1/", line)
    line = re.sub(r"(?<=[a-zA-Zμ])\s*/\s*(?=[a-zA-Zμ])", "/", line)
    line = re.sub(r"(男|女)\s*[:：]\s*", r"\1:", line)
    line = re.sub(r"(\S)\s+([(（][-+±]+[)）])", r"\1\2", line)
    return line
