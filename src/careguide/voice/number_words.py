"""Numbers written the way people say them, in English and Mandarin."""

from __future__ import annotations

_EN_ONES = ("zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
            "sixteen seventeen eighteen nineteen").split()
_EN_TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
_EN_SCALES = ((1_000_000_000, "billion"), (1_000_000, "million"), (1_000, "thousand"))
_EN_ORDINAL = {"one": "first", "two": "second", "three": "third", "five": "fifth", "eight": "eighth",
               "nine": "ninth", "twelve": "twelfth"}
_ZH_DIGITS = "零一二三四五六七八九"


def en_integer(n: int) -> str:
    if n < 0:
        return "minus " + en_integer(-n)
    if n < 20:
        return _EN_ONES[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return _EN_TENS[tens] + (f"-{_EN_ONES[ones]}" if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        return f"{_EN_ONES[hundreds]} hundred" + (f" and {en_integer(rest)}" if rest else "")
    for scale, word in _EN_SCALES:
        if n >= scale:
            high, rest = divmod(n, scale)
            tail = ("" if not rest else f" and {en_integer(rest)}" if rest < 100 else f" {en_integer(rest)}")
            return f"{en_integer(high)} {word}{tail}"
    raise ValueError(n)  # pragma: no cover - every n >= 1000 has a scale


def en_ordinal(n: int) -> str:
    words = en_integer(n)
    head, sep, last = words.rpartition("-") if "-" in words.split(" ")[-1] else words.rpartition(" ")
    if last in _EN_ORDINAL:
        last = _EN_ORDINAL[last]
    elif last.endswith("y"):
        last = last[:-1] + "ieth"
    else:
        last += "th"
    return f"{head}{sep}{last}"


def en_year(n: int) -> str:
    """2024 -> twenty twenty-four; 2005 -> two thousand and five; 1998 -> nineteen ninety-eight."""
    if 2000 <= n < 2010 or n % 1000 == 0 or not 1100 <= n < 2100:
        return en_integer(n)
    high, low = divmod(n, 100)
    if low == 0:
        return f"{en_integer(high)} hundred"
    return f"{en_integer(high)} {'oh ' + en_integer(low) if low < 10 else en_integer(low)}"


def en_number(text: str) -> str:
    """'5.6' -> five point six; '120' -> one hundred and twenty; '0.25' -> zero point two five."""
    whole, _, fraction = text.replace(",", "").partition(".")
    words = en_integer(int(whole or "0"))
    if fraction:
        words += " point " + " ".join(_EN_ONES[int(d)] for d in fraction)
    return words


def en_digits(text: str) -> str:
    """Phone and emergency numbers, digit by digit: 911 -> nine one one."""
    return " ".join(_EN_ONES[int(d)] for d in text if d.isdigit())


def zh_integer(n: int) -> str:
    if n < 0:
        return "负" + zh_integer(-n)
    words = _zh_integer(n)
    # 10-19 at the head of a number are said 十, 十一 ... not 一十, 一十一 (but 一百一十, 一万零一十).
    return words[1:] if words.startswith("一十") else words


def _zh_integer(n: int) -> str:
    if n == 0:
        return "零"
    if n >= 100_000_000:
        high, rest = divmod(n, 100_000_000)
        return _zh_integer(high) + "亿" + (_zh_gap(rest, 10_000_000) + _zh_integer(rest) if rest else "")
    if n >= 10_000:
        high, rest = divmod(n, 10_000)
        return _zh_integer(high) + "万" + (_zh_gap(rest, 1000) + _zh_integer(rest) if rest else "")
    words = ""
    for value, unit in ((1000, "千"), (100, "百"), (10, "十")):
        digit, n = divmod(n, value)
        if digit:
            words += _ZH_DIGITS[digit] + unit
        elif words and n:
            words += "零" if not words.endswith("零") else ""
    if n:
        words += _ZH_DIGITS[n]
    return words


def _zh_gap(rest: int, threshold: int) -> str:
    return "零" if rest < threshold else ""


def zh_number(text: str) -> str:
    """'5.6' -> 五点六; '120' -> 一百二十."""
    whole, _, fraction = text.replace(",", "").partition(".")
    words = zh_integer(int(whole or "0"))
    if fraction:
        words += "点" + "".join(_ZH_DIGITS[int(d)] for d in fraction)
    return words


def zh_digits(text: str) -> str:
    """Phone and emergency numbers, digit by digit, with 幺 for 1 as on the phone: 120 -> 幺二零."""
    return "".join("幺" if d == "1" else _ZH_DIGITS[int(d)] for d in text if d.isdigit())


def zh_year(text: str) -> str:
    return "".join(_ZH_DIGITS[int(d)] for d in text)
