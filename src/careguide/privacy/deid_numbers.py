"""Identifiers made of digits and letters: phones, ID and passport numbers, emails, record
numbers and online accounts, in Chinese and English text."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from careguide.privacy.deid_lexicon import alternation, lexicon
from careguide.privacy.deid_types import IdentifierType, Span

# GB 11643-1999: weights of the first 17 digits; the check character is this table at sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def resident_id_is_valid(number: str) -> bool:
    """A mainland resident ID number (18 characters) whose check character and birth date agree."""
    if not re.fullmatch(r"[1-9]\d{16}[\dXx]", number):
        return False
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != number[17].upper():
        return False
    year, month, day = int(number[6:10]), int(number[10:12]), int(number[12:14])
    return 1880 <= year <= 2100 and 1 <= month <= 12 and 1 <= day <= 31


def resident_id_check_char(first17: str) -> str:
    """The GB 11643 check character for the first 17 digits (used to write test data)."""
    return _ID_CHECK[sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


_SEP = r"[\s.\-]?"
# Spaces around the @ are how some people type it ("chen_hao1985 @ qq.com").
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9][A-Za-z0-9._%+-]*\s?@\s?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# Spelt out so that a form or a robot does not take it: "gloria dot vega at gmail dot com".
_TLD = r"(?:com|net|org|edu|gov|cn|uk|us|ca|au|nz|jp|hk|tw|sg|de|fr|io|me|info)"
_SPELT_EMAIL = re.compile(
    rf"\b[A-Za-z0-9_\-]+(?:\s+dot\s+[A-Za-z0-9_\-]+)*\s+(?:at|\(at\)|\[at\])\s+[A-Za-z0-9\-]+"
    rf"(?:\s+dot\s+[A-Za-z0-9\-]+)*\s+dot\s+{_TLD}\b", re.IGNORECASE)
_URL = re.compile(r"(?:https?://|www\.)[^\s，。；、)）\"'<>]+", re.IGNORECASE)
_IPV4 = re.compile(r"(?<![\d.])(?:\d{1,3}\.){3}\d{1,3}(?![\d.])")
_ID18 = re.compile(r"(?<![\dA-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])\d{3}[\dXx](?![\dA-Za-z])")
_ID15 = re.compile(r"(?<![\dA-Za-z])[1-9]\d{5}\d{2}(?:0[1-9]|1[0-2])(?:[0-2]\d|3[01])\d{3}(?![\dA-Za-z])")
_SSN = re.compile(r"(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])")
# Mainland ordinary passports (E + 8 digits, E + letter + 7 digits, older G/D/S/P), HK/Macau permits (C/K/H/M).
_PASSPORT_CN = re.compile(r"(?<![A-Za-z0-9])(?:[EG]\d{8}|E[A-HJ-NP-Z]\d{7}|[DSP]E?\d{7})(?![A-Za-z0-9])")
# Hong Kong identity card: one or two letters, six digits, a check character in brackets (mod 11).
_HKID = re.compile(r"(?<![A-Za-z0-9])(?P<letters>[A-Z]{1,2})(?P<digits>\d{6})\s?\(?(?P<check>[\dA])\)?(?![A-Za-z0-9])")
# Taiwan national ID: a letter, 1 or 2 (sex), eight digits, the last a check digit.
_TWID = re.compile(r"(?<![A-Za-z0-9])[A-Z][12]\d{8}(?![A-Za-z0-9])")
# A mainland mobile read aloud and typed in Chinese numerals: 一三八零一二三四五六七.
_ZH_DIGIT = "零〇一二三四五六七八九幺"
_MOBILE_ZH_NUMERALS = re.compile(rf"(?<![{_ZH_DIGIT}十百])[一幺][三四五六七八九][{_ZH_DIGIT}]{{9}}(?![{_ZH_DIGIT}十百])")
# A trunk code in brackets (Australia "(02) 9555 0134", UK "(020) 7946 0958").
_PHONE_TRUNK = re.compile(r"(?<![\d.])\(0\d{1,4}\)\s?\d{3,4}[\s\-]?\d{3,4}(?!\d|\.\d)")
_MOBILE_CN = re.compile(r"(?<![\d+])(?:(?:\+|00)?86[\s\-]?)?1[3-9]\d" + _SEP + r"\d{4}" + _SEP + r"\d{4}(?![\d])")
_LANDLINE_CN = re.compile(
    r"(?<![\d.])(?:(?:\+|00)86[\s\-]?\(?0?\d{2,3}\)?|\(0\d{2,3}\)|（0\d{2,3}）|0\d{2,3})[\s\-]?\d{3,4}[\s\-]?\d{4}"
    r"(?:\s*(?:ext\.?|x|转|分机)\s*\d{1,5})?(?!\d|\.\d)"
)
_PHONE_NANP = re.compile(
    r"(?<![\d.])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.\-])\d{3}[\s.\-]\d{4}(?:\s*(?:ext\.?|x)\s*\d{1,5})?(?!\d|\.\d)"
)
_PHONE_INTL = re.compile(r"(?<![\w+])(?:\+|00)[1-9]\d{0,2}(?:[\s.\-]?\(?\d{1,5}\)?){2,5}(?!\d)")
_PHONE_UK = re.compile(r"(?<![\d.])0[1-9]\d{2,3}\s?\d{3}\s?\d{3,4}(?!\d|\.\d)")
_LONG_DIGITS = re.compile(r"(?<![\d.,A-Za-z])\d(?:[\s\-]?\d){8,22}(?![\d.,A-Za-z])")
_ZIP_CN = re.compile(r"(?:邮编|邮政编码)\s*[:：]?\s*(\d{6})(?!\d)")
_ZIP_EN = re.compile(r"\b(?:ZIP|Zip|zip|Postcode|Post code|Postal code)\s*(?:code)?\s*[:#]?\s*(\d{5}(?:-\d{4})?|[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2})\b")
_UK_POSTCODE = re.compile(r"\b(?:GIR 0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s+\d[ABD-HJLNP-UW-Z]{2})\b")


def find_number_identifiers(text: str) -> list[Span]:
    """Values after a cue word win over bare patterns, and bare patterns over a long run of digits."""
    proven = [s for s in _resident_ids(text) if resident_id_is_valid(s.text)]  # a check character is proof
    proven += [s for s in _regional_ids(text) if not any(s.overlaps(p) for p in proven)]
    cued = proven + [s for s in _cued_spans(text) if not any(s.overlaps(p) for p in proven)]
    patterned = [s for s in _pattern_spans(text) if not any(s.overlaps(c) for c in cued)]
    taken = cued + patterned
    # Any other long run of digits (card and account numbers) is treated as a record number; a run
    # of 15 or more digits is one number even where a phone pattern matched part of it (a bank card).
    fallback = [
        Span(m.start(), m.end(), IdentifierType.RECORD_NUMBER, m.group())
        for m in _LONG_DIGITS.finditer(text)
        if not any(m.start() < s.end and s.start < m.end() for s in cued)
        and (sum(c.isdigit() for c in m.group()) >= 15 or not any(m.start() < s.end and s.start < m.end() for s in taken))
    ]
    return taken + fallback


def _cued_spans(text: str) -> Iterator[Span]:
    for kind, pattern, value in _cued_patterns():
        for match in pattern.finditer(text):
            start, end = match.span(value)
            raw = text[start:end]
            start += len(raw) - len(raw.lstrip())
            found = raw.strip().rstrip(" -")
            if kind is IdentifierType.PHONE and not 6 <= sum(c.isdigit() for c in found) <= 16:
                continue
            yield Span(start, start + len(found), kind, found)


def _pattern_spans(text: str) -> Iterator[Span]:
    yield from _regex_spans(text, _EMAIL, IdentifierType.EMAIL)
    yield from _regex_spans(text, _SPELT_EMAIL, IdentifierType.EMAIL)
    yield from _regex_spans(text, _URL, IdentifierType.ACCOUNT)
    for match in _IPV4.finditer(text):
        if all(int(part) <= 255 for part in match.group().split(".")):
            yield Span(match.start(), match.end(), IdentifierType.ACCOUNT, match.group())
    yield from _resident_ids(text)
    yield from _regex_spans(text, _SSN, IdentifierType.ID_NUMBER)
    yield from _regex_spans(text, _PASSPORT_CN, IdentifierType.PASSPORT)
    for pattern in (_MOBILE_CN, _LANDLINE_CN, _PHONE_NANP, _PHONE_UK, _PHONE_TRUNK, _MOBILE_ZH_NUMERALS):
        yield from _regex_spans(text, pattern, IdentifierType.PHONE)
    for match in _PHONE_INTL.finditer(text):
        digits = sum(c.isdigit() for c in match.group())
        if 8 <= digits <= 15:
            yield Span(match.start(), match.end(), IdentifierType.PHONE, match.group())
    for pattern in (_ZIP_CN, _ZIP_EN):
        for match in pattern.finditer(text):
            yield Span(match.start(1), match.end(1), IdentifierType.ADDRESS, match.group(1))
    yield from _regex_spans(text, _UK_POSTCODE, IdentifierType.ADDRESS)


def _regex_spans(text: str, pattern: re.Pattern[str], kind: IdentifierType) -> Iterator[Span]:
    for match in pattern.finditer(text):
        yield Span(match.start(), match.end(), kind, match.group())


def _regional_ids(text: str) -> Iterator[Span]:
    """Hong Kong and Taiwan identity card numbers whose check character is right."""
    for match in _HKID.finditer(text):
        if hkid_is_valid(match.group("letters"), match.group("digits"), match.group("check")):
            yield Span(match.start(), match.end(), IdentifierType.ID_NUMBER, match.group())
    for match in _TWID.finditer(text):
        if taiwan_id_is_valid(match.group()):
            yield Span(match.start(), match.end(), IdentifierType.ID_NUMBER, match.group())


def hkid_is_valid(letters: str, digits: str, check: str) -> bool:
    """Hong Kong identity card check character: letters as 10-35 (a blank lead counts 36),
    weights 9 to 2, the check makes the sum divisible by 11 ("A" stands for 10)."""
    values = [36] * (2 - len(letters)) + [ord(c) - 55 for c in letters] + [int(d) for d in digits]
    total = sum(v * w for v, w in zip(values, range(9, 1, -1), strict=True))
    expected = (11 - total % 11) % 11
    return check == ("A" if expected == 10 else str(expected))


_TW_LETTERS = "ABCDEFGHJKLMNPQRSTUVXYWZIO"  # A=10 ... in the order the Ministry of the Interior assigns


def taiwan_id_is_valid(number: str) -> bool:
    """Taiwan national ID: the letter's two digits (weights 1, 9), then weights 8..1 and 1."""
    code = 10 + _TW_LETTERS.index(number[0])
    digits = [int(d) for d in number[1:]]
    total = code // 10 + (code % 10) * 9 + sum(d * w for d, w in zip(digits, (8, 7, 6, 5, 4, 3, 2, 1, 1), strict=True))
    return total % 10 == 0


def _resident_ids(text: str) -> Iterator[Span]:
    for match in _ID18.finditer(text):
        # A valid check character is proof; an invalid one is still an ID number when a cue says so.
        if resident_id_is_valid(match.group()) or _cued(text, match.start(), _id_cue()):
            yield Span(match.start(), match.end(), IdentifierType.ID_NUMBER, match.group())
    for match in _ID15.finditer(text):
        if _cued(text, match.start(), _id_cue()):
            yield Span(match.start(), match.end(), IdentifierType.ID_NUMBER, match.group())


def _cued(text: str, start: int, cue: re.Pattern[str]) -> bool:
    return cue.search(text[max(0, start - 16) : start]) is not None


@lru_cache(maxsize=1)
def _id_cue() -> re.Pattern[str]:
    lex = lexicon()
    return re.compile(alternation(lex.zh.id_cues + lex.en.id_cues, spaced=True) + r"[^。\n]{0,6}$", re.IGNORECASE)


@lru_cache(maxsize=1)
def _cued_patterns() -> list[tuple[IdentifierType, re.Pattern[str], str]]:
    """Values right after a cue word: ``住院号：ZY2023-0042``, ``Passport No. E12345678``."""
    lex = lexicon()
    sep = r"\s*(?:[:：#=.]|No\.?|number|num\.?|is|为|是|码)?\s*(?:[:：#])?\s*"
    # Groups of digits after the first: "2123 45670 1" (an Australian Medicare number and its
    # position digit) - a last short group only where the number ends the phrase.
    code = r"(?P<value>[A-Za-z]{0,4}[\-]?\d[\dA-Za-z\-/]{2,24}(?: \d{3,}){0,3}(?: \d{1,2}(?=\s*(?:[,;)]|$)))?)"
    bank = r"(?P<value>\d{4}(?:[ \-]?\d{2,4}){2,5})"
    phone = r"(?P<value>\+?\(?\d[\d\s()\-.]{5,22}\d(?:\s*(?:ext\.?|x|转|分机)\s*\d{1,5})?)"
    # Without a colon the value must hold a digit or an underscore ("WeChat message" is no account).
    account = r"(?P<value>(?<=[:：])\s*[A-Za-z0-9][A-Za-z0-9_.\-]{3,30}|(?=[A-Za-z0-9_.\-]*[\d_])[A-Za-z0-9][A-Za-z0-9_.\-]{3,30})"
    table = [
        (IdentifierType.RECORD_NUMBER, lex.zh.record_cues + lex.en.record_cues + _record_head_cues(), code),
        (IdentifierType.ID_NUMBER, lex.zh.id_cues + lex.en.id_cues, r"(?P<value>[A-Za-z]{0,2}\d[\dXx\-]{5,20})"),
        (IdentifierType.PASSPORT, lex.zh.passport_cues + lex.en.passport_cues, r"(?P<value>[A-Za-z]{0,2}\d{6,9})"),
        (IdentifierType.PHONE, lex.zh.phone_cues + lex.en.phone_cues, phone),
        (IdentifierType.ACCOUNT, lex.zh.account_cues + lex.en.account_cues, account),
        (IdentifierType.ACCOUNT, lex.zh.bank_cues + lex.en.bank_cues, bank),
    ]
    compiled = []
    for kind, cues, value in table:
        latin = [c for c in cues if c[-1].isascii() and c[-1].isalpha()]
        other = [c for c in cues if c not in latin]
        cue = rf"(?:(?<![A-Za-z]){alternation(latin, spaced=True)}(?![A-Za-z])|{alternation(other, spaced=True)})"
        compiled.append((kind, re.compile(cue + sep + value, re.IGNORECASE), "value"))
    return compiled


def _record_head_cues() -> list[str]:
    """``Encounter #``, ``Account No.``, ``Staff number``: a head noun and a number word."""
    return [f"{head} {word}" for head in lexicon().en.record_heads for word in ("No", "No.", "Number", "Num", "#", "ID")]
