"""Dates (found, parsed and re-written shifted) and ages over 89, in Chinese and English.

A date is shifted, not removed, so that intervals between a person's events stay true
(HIPAA Safe Harbor removes them; the Expert Determination practice of a keyed per-person
shift keeps the research value). A bare year is kept, as Safe Harbor allows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from careguide.privacy.deid_types import IdentifierType, Span

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8, "sep": 9, "sept": 9,
    "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11, "dec": 12, "december": 12,
}  # fmt: skip
_MONTH = r"(?P<mon>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_ORD = r"(?:st|nd|rd|th)?"
# A year-less date is placed in a leap year so that 29 February is a date; only month and day are written back.
_NO_YEAR = 2000


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    value: date
    render: Callable[[date], str]


def _pad(template: str, number: int) -> str:
    return f"{number:0{len(template)}d}" if template.startswith("0") and len(template) > 1 else str(number)


def _zh_full(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    text = m.group()
    suffix = "号" if text.endswith("号") else "日" if text.endswith("日") else ""
    mo, dd = m.group("m"), m.group("d")
    return date(int(m.group("y")), int(mo), int(dd)), lambda d: f"{d.year}年{_pad(mo, d.month)}月{_pad(dd, d.day)}{suffix}"


def _zh_month(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    mo = m.group("m")
    return date(int(m.group("y")), int(mo), 15), lambda d: f"{d.year}年{_pad(mo, d.month)}月"


def _zh_month_day(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    mo, dd = m.group("m"), m.group("d")
    suffix = m.group()[-1]
    return date(_NO_YEAR, int(mo), int(dd)), lambda d: f"{_pad(mo, d.month)}月{_pad(dd, d.day)}{suffix}"


def _ymd(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    sep, mo, dd = m.group("sep"), m.group("m"), m.group("d")
    return date(int(m.group("y")), int(mo), int(dd)), lambda d: f"{d.year}{sep}{_pad(mo, d.month)}{sep}{_pad(dd, d.day)}"


def _numeric_dmy_or_mdy(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    a, b, y, sep = m.group("a"), m.group("b"), m.group("y"), m.group("sep")
    year = int(y) + (2000 if int(y) < 50 else 1900) if len(y) == 2 else int(y)
    month_first = int(a) <= 12 and not (sep == "." and int(b) <= 12)  # 05.03.2023 is day.month in Europe

    def render(d: date) -> str:
        yy = f"{d.year % 100:02d}" if len(y) == 2 else str(d.year)
        first, second = (d.month, d.day) if month_first else (d.day, d.month)
        return f"{_pad(a, first)}{sep}{_pad(b, second)}{sep}{yy}"

    month, day = (int(a), int(b)) if month_first else (int(b), int(a))
    return date(year, month, day), render


def _mon_d_y(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    name, text = m.group("mon"), m.group()
    comma = "," in text
    ordinal = re.search(r"\d(st|nd|rd|th)", text) is not None
    has_year = m.group("y") is not None
    month = MONTHS[name.lower().rstrip(".")]
    value = date(int(m.group("y")) if has_year else _NO_YEAR, month, int(m.group("d")))

    def render(d: date) -> str:
        out = f"{_month_name(name, d.month)} {d.day}{_ordinal(d.day) if ordinal else ''}"
        return out + (f"{',' if comma else ''} {d.year}" if has_year else "")

    return value, render


def _d_mon_y(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    name, text = m.group("mon"), m.group()
    has_year = m.group("y") is not None
    ordinal = re.search(r"\d(st|nd|rd|th)", text) is not None
    of = " of " in text
    dash = "-" in text
    value = date(int(m.group("y")) if has_year else _NO_YEAR, MONTHS[name.lower().rstrip(".")], int(m.group("d")))

    def render(d: date) -> str:
        day = f"{d.day:02d}" if m.group("d").startswith("0") else str(d.day)
        if dash:
            return f"{day}-{_month_name(name, d.month)}" + (f"-{d.year}" if has_year else "")
        out = f"{day}{_ordinal(d.day) if ordinal else ''}{' of' if of else ''} {_month_name(name, d.month)}"
        return out + (f"{',' if ',' in text else ''} {d.year}" if has_year else "")

    return value, render


def _mon_y(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    name = m.group("mon")
    return date(int(m.group("y")), MONTHS[name.lower().rstrip(".")], 15), lambda d: f"{_month_name(name, d.month)} {d.year}"


def _month_name(template: str, month: int) -> str:
    full = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
            "October", "November", "December"][month - 1]  # fmt: skip
    bare = template.rstrip(".")
    name = full if len(bare) > 4 or bare.lower() in {"may", "june", "july"} else ("Sept" if bare == "Sept" and month == 9 else full[:3])
    if template.isupper():
        name = name.upper()
    return name + ("." if template.endswith(".") and len(name) <= 4 else "")


def _ordinal(day: int) -> str:
    return "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")


_D = r"(?P<d>0?[1-9]|[12]\d|3[01])"
_M = r"(?P<m>0?[1-9]|1[0-2])"
_Y = r"(?P<y>(?:18|19|20)\d{2})"
_DATE_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[date, Callable[[date], str]]]]] = [
    (re.compile(rf"(?<!\d){_Y}\s*年\s*{_M}\s*月\s*{_D}\s*[日号]?(?!\d)"), _zh_full),
    (re.compile(rf"(?<!\d){_Y}\s*年\s*{_M}\s*月(?!\s*\d)(?!份?(?:至今|以来))"), _zh_month),
    (re.compile(rf"(?<![\d年.]){_M}\s*月\s*{_D}\s*[日号]"), _zh_month_day),
    (re.compile(rf"(?<![\d.]){_Y}(?P<sep>[-/.]){_M}(?P=sep){_D}(?!\d|\.\d)"), _ymd),
    (re.compile(r"(?<![\d./])(?P<a>\d{1,2})(?P<sep>[/.\-])(?P<b>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})(?![\d/]|\.\d)"),
     _numeric_dmy_or_mdy),
    (re.compile(rf"\b{_MONTH}\s+{_D}{_ORD}(?:,?\s+{_Y})?\b(?!\s*(?:mg|ml|mmol|kg|%|am|pm))", re.IGNORECASE), _mon_d_y),
    (re.compile(rf"\b{_D}{_ORD}(?:\s+of)?\s+{_MONTH}(?:,?\s+{_Y})?\b", re.IGNORECASE), _d_mon_y),
    (re.compile(rf"\b{_D}-{_MONTH}(?:-{_Y})?\b", re.IGNORECASE), _d_mon_y),
    (re.compile(rf"\b{_MONTH}\s+{_Y}\b", re.IGNORECASE), _mon_y),
]  # fmt: skip


# Chinese numerals in dates: 九月十二号, 腊月二十三. ----------------------------------------------------
_ZH_NUM = "一二三四五六七八九十"


def _zh_numeral(value: int) -> str:
    """1..31 in Chinese numerals (十二, 二十三)."""
    tens, ones = divmod(value, 10)
    return (("" if tens == 1 else _ZH_NUM[tens - 1]) + "十" if tens else "") + (_ZH_NUM[ones - 1] if ones else "")


def _zh_numeral_month_day(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    month, day = chinese_number(m.group("zm")), chinese_number(m.group("zd"))
    if not month or not day:
        raise ValueError("not a Chinese numeral date")
    suffix = m.group("suf")
    return date(_NO_YEAR, month, day), lambda d: f"{_zh_numeral(d.month)}月{_zh_numeral(d.day)}{suffix}"


def _roc(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    """Taiwan's Republic of China calendar: year 1 is 1912."""
    roc = int(m.group("ry")) if m.group("ry").isdigit() else chinese_number(m.group("ry"))
    if not roc:
        raise ValueError("no ROC year")
    value = date(roc + 1911, int(m.group("m")), int(m.group("d")))
    text = m.group()
    if "年" in text:
        prefix = text[: text.index(m.group("ry"))]
        return value, lambda d: f"{prefix}{d.year - 1911}年{d.month}月{d.day}日"
    sep = m.group("sep")
    head, tail = text[: m.start("ry") - m.start()], text[m.end("d") - m.start() :]
    return value, lambda d: f"{head}{d.year - 1911}{sep}{d.month:02d}{sep}{d.day:02d}{tail}"


def _weekday_m_d(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    head = m.group()[: m.start("m") - m.start()]
    return date(_NO_YEAR, int(m.group("m")), int(m.group("d"))), lambda d: f"{head}{d.month}/{d.day}"


_ORDINAL_WORDS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
                  "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
                  "eighteenth", "nineteenth", "twentieth", "twenty-first", "twenty-second", "twenty-third",
                  "twenty-fourth", "twenty-fifth", "twenty-sixth", "twenty-seventh", "twenty-eighth",
                  "twenty-ninth", "thirtieth", "thirty-first"]  # fmt: skip
_ORDINAL_WORD = "(?P<ow>" + "|".join(sorted(_ORDINAL_WORDS, key=len, reverse=True)) + ")"


def _spoken(m: re.Match[str]) -> tuple[date, Callable[[date], str]]:
    """"the first of August", "May the 3rd", "March the 9th, 1944"."""
    name = m.group("mon")
    day = _ORDINAL_WORDS.index(m.group("ow").lower()) + 1 if m.group("ow") else int(m.group("d"))
    has_year = m.group("y") is not None
    value = date(int(m.group("y")) if has_year else _NO_YEAR, MONTHS[name.lower().rstrip(".")], day)
    month_first = m.group().lower().startswith(name.lower())
    words = m.group("ow") is not None

    def render(d: date) -> str:
        spoken_day = _ORDINAL_WORDS[d.day - 1] if words else f"{d.day}{_ordinal(d.day)}"
        out = f"{_month_name(name, d.month)} the {spoken_day}" if month_first else f"{spoken_day} of {_month_name(name, d.month)}"
        return out + (f", {d.year}" if has_year else "")

    return value, render


_WEEKDAY = r"(?:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)(?:day|sday|nesday|rsday|urday)?\.?,?"
_SPOKEN_PATTERNS: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[date, Callable[[date], str]]]]] = [
    (re.compile(rf"(?<![{_ZH_NUM}])(?P<zm>十[一二]|[{_ZH_NUM}])月(?P<zd>[{_ZH_NUM}]{{1,3}})(?P<suf>[日号])"),
     _zh_numeral_month_day),
    (re.compile(r"民国\s*(?P<ry>\d{1,3}|[一二三四五六七八九十百零]{1,5})\s*年\s*" + _M + r"\s*月\s*" + _D + r"(?!\d)\s*[日号]?"),
     _roc),
    (re.compile(r"(?:\bROC\s*|民国\s*)(?P<ry>\d{2,3})(?P<sep>[/.\-])" + _M + r"(?P=sep)" + _D + r"(?![\d/])"), _roc),
    (re.compile(r"(?<![\d/])(?P<ry>\d{2,3})(?P<sep>[/.\-])" + _M + r"(?P=sep)" + _D + r"\s*\((?:ROC|民国)\)"), _roc),
    (re.compile(rf"\b{_WEEKDAY}\s+{_M}/{_D}(?![/\d])"), _weekday_m_d),
    (re.compile(rf"\b{_MONTH}\s+the\s+(?:{_D}{_ORD}|{_ORDINAL_WORD})\b(?:,?\s+{_Y})?"), _spoken),
    (re.compile(rf"\b(?:{_D}{_ORD}|{_ORDINAL_WORD})\s+of\s+{_MONTH}(?:,?\s+{_Y})?\b", re.IGNORECASE), _spoken),
]  # fmt: skip


def find_dates(text: str) -> Iterator[DateMatch]:
    """Every date in ``text`` that parses to a real calendar day, longest match first when they overlap."""
    taken: list[tuple[int, int]] = []
    found: list[DateMatch] = []
    for pattern, parse in _SPOKEN_PATTERNS + _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            if pattern.flags & re.IGNORECASE and match.group("mon") == "may" and not match.group().startswith("May"):
                continue  # "may 3" in running English is the verb
            try:
                value, render = parse(match)
            except ValueError:
                continue
            taken.append((start, end))
            found.append(DateMatch(start, end, value, render))
    yield from sorted(found, key=lambda d: d.start)


def date_spans(text: str) -> Iterator[Span]:
    for found in find_dates(text):
        yield Span(found.start, found.end, IdentifierType.DATE, text[found.start : found.end])
    yield from partial_date_spans(text)


# Dates that name a day without the calendar to shift it in: a lunar date (腊月二十三, 农历正月初五),
# a day of the month alone (周四（18号）, "on the 21st"), a month after a relative year (去年10月).
# They are removed, not shifted (a placeholder takes their place).
_LUNAR_MONTH = rf"(?:闰)?(?:正|腊|冬|十[一二]|[{_ZH_NUM}])月"
_LUNAR_DAY = rf"(?:初[{_ZH_NUM}]|十[一二三四五六七八九]|二十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十)"
_ZH_DAY = rf"(?:[12]?\d|3[01]|[{_ZH_NUM}]{{1,3}})"
_DAY_BEFORE = r"(?:周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|上个?月|下个?月|本月|这个月|当月)"
_DAY_AFTER = r"(?:前后|左右|上午|下午|晚上|早上|凌晨|中午|那天|当天|之前|以前|以后)"
_PARTIAL_PATTERNS = [
    re.compile(rf"(?<![{_ZH_NUM}\d]){_LUNAR_MONTH}{_LUNAR_DAY}(?![{_ZH_NUM}次回天周年个])"),
    re.compile(rf"{_DAY_BEFORE}\s*[（(]?(?P<v>{_ZH_DAY}[号日])"),
    re.compile(rf"(?<![\d{_ZH_NUM}月.])(?P<v>{_ZH_DAY}号)(?={_DAY_AFTER})"),
    re.compile(rf"(?:去年|前年|今年|明年|当年|同年|上年)(?P<v>(?:1[0-2]|0?[1-9]|十[一二]|[{_ZH_NUM}])月)(?![\d{_ZH_NUM}份]|份?(?:至今|以来))"),
    # "on the 21st", "Tuesday the 4th": a day of the month, when no noun follows ("before the 4th dose").
    re.compile(rf"(?:\b(?:on|since|until|till|by|from|before|after)\s+the\s+|{_WEEKDAY}\s+the\s+)(?P<v>{_D}{_ORD})\b"
               r"(?!\s+(?!of\s+(?:this|next|last|the)\s+month)[a-z])"),
]


def partial_date_spans(text: str) -> Iterator[Span]:
    for pattern in _PARTIAL_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span("v") if "v" in pattern.groupindex else match.span()
            value = text[start:end]
            day = re.match(r"(\d+|[一二三四五六七八九十]+)[号日]$", value.strip("（("))
            if day and not 1 <= (int(day.group(1)) if day.group(1).isdigit() else chinese_number(day.group(1)) or 0) <= 31:
                continue
            yield Span(start, end, IdentifierType.DATE, value)


def shift_date_text(match: DateMatch, days: int) -> str:
    return match.render(match.value + timedelta(days=days))


# Ages. Only ages of 90 and over are identifying (HIPAA Safe Harbor groups them as 90+).
OLDEST_KEPT_AGE = 89
_ZH_NUMERALS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_AGE_PATTERNS = [
    re.compile(r"(?<![\d.])(?P<n>\d{2,3})\s*(?:周岁|岁|歲)"),
    re.compile(r"(?P<n>[一二三四五六七八九十百零〇两]{2,5})\s*(?:周岁|岁|歲)"),
    re.compile(r"(?:年龄|年纪|享年|高龄)\s*[:：]?\s*(?P<n>\d{2,3})(?!\d)"),
    re.compile(r"(?<![\d.])(?P<n>\d{2,3})(?:\s|-)?(?:years?|yrs?|y)(?:\s|-)?(?:of\s+age|old)", re.IGNORECASE),
    re.compile(r"(?<![\d.])(?P<n>\d{2,3})\s?(?:yo|y/o|y\.o\.|yr|yrs|YO)\b", re.IGNORECASE),
    re.compile(r"\b(?:aged?|Age)\s*[:=]?\s*(?P<n>\d{2,3})\b", re.IGNORECASE),
    re.compile(r"(?<![\d.])(?P<n>\d{2,3})\s?/\s?(?:M|F|male|female)\b"),
    re.compile(r"\b(?:in (?:his|her|their) )(?P<n>9\d|1[01]\d)s\b"),
]


def chinese_number(text: str) -> int | None:
    """Chinese numerals up to 999 (九十二, 一百零三); None when ``text`` is not one."""
    total, current = 0, 0
    for char in text:
        if char in _ZH_NUMERALS:
            current = _ZH_NUMERALS[char]
        elif char == "十":
            total += (current or 1) * 10
            current = 0
        elif char == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


def age_spans(text: str) -> Iterator[Span]:
    """The number of every stated age over 89."""
    seen: set[int] = set()
    for pattern in _AGE_PATTERNS:
        for match in pattern.finditer(text):
            raw = match.group("n")
            value = int(raw) if raw.isdigit() else chinese_number(raw)
            start, end = match.span("n")
            if value is not None and OLDEST_KEPT_AGE < value < 130 and start not in seen:
                seen.add(start)
                yield Span(start, end, IdentifierType.AGE, raw)
