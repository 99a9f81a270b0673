"""Personal names in Chinese and English clinical text.

Chinese: a surname from the register's list, then one or two given-name characters, found
where the context says a person is named (患者 / 姓名： before, 先生 / 女士 / 医生 after, 老王,
"张伟，男，45岁"). English: capitalised words after a title (Mr, Dr) or a cue (patient, son,
signed by), a known given name followed by a capitalised word, or pinyin names (Zhang Wei).
Once a name is found, every other mention of it in the same text is a name too.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from careguide.privacy.deid_lexicon import alternation, census_names, lexicon
from careguide.privacy.deid_names_zh import chinese_names
from careguide.privacy.deid_types import IdentifierType, Span

_CJK = re.compile(r"[\u4e00-\u9fff]")
_PINYIN_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|in|un|vn|ia|ie|iu|ua|uo|ue|ui"
    r"|ve|er|a|o|e|i|u|v)"
)
_PINYIN_GIVEN = re.compile(rf"(?:{_PINYIN_SYLLABLE}){{1,3}}(?:[-']?(?:{_PINYIN_SYLLABLE}){{1,2}})?", re.IGNORECASE)
# English words that are also given names: alone, without a title or cue, they are not taken as names.
_AMBIGUOUS_GIVEN = {
    "May", "Will", "Grace", "Rose", "Joy", "Iris", "Hope", "Faith", "Ruby", "Amber", "Max", "Bill", "Mark",
    "Frank", "Jack", "Ray", "Lily", "Hazel", "Ivy", "Jade", "Pat", "Sue", "Don", "Art", "Carol", "Jean", "Ann",
    "Min", "Jun", "Ji", "Wei", "Jing", "Lei", "Ming", "Hui", "Ying", "Yan", "Xin", "Fang", "Hong", "Ling", "Jie",
    "Tao", "Eva", "Ella", "Ali", "Sam", "Tom", "Ben", "Joe", "Jim", "Bob", "Kai", "Jordan", "Austin", "Virginia",
    "Victoria", "Ava", "Mia", "Nora", "Vera", "Ada", "Peggy", "Sandy", "Wendy", "Tina", "Cindy", "Jenny",
    "Christian", "Henry", "Owen", "Philip", "Russell", "Wayne", "Gary", "Terry", "Logan", "Mason", "Hunter",
    # given names that are everyday English words
    "Young", "Guy", "Major", "Rich", "Grant", "Lane", "Dawn", "Summer", "Autumn", "Sunny", "Honey", "Star",
    "Royal", "Earnest", "Rusty", "Buddy", "Dusty", "Pearl", "Crystal", "Destiny", "Chance", "Chase", "Gay", "Sterling",
    # places that are also given names
    "Sydney", "Dallas", "Houston", "Florence", "Georgia", "Paris", "Chelsea", "Brooklyn", "Phoenix", "Aurora",
    "Madison", "Charlotte", "Adelaide", "Regina", "Lincoln", "Orlando", "Tyler", "Eugene", "Savannah", "Camden",
    "Dakota", "Carolina", "Asia", "India", "China", "Kenya", "Israel", "Jersey", "Cleveland", "Denver",
}  # fmt: skip


@dataclass(frozen=True)
class _Rules:
    surnames: frozenset[str]
    compound: frozenset[str]
    ambiguous: frozenset[str]
    given: frozenset[str]
    stop: frozenset[str]
    zh_cue: re.Pattern[str]
    zh_cue_tail: re.Pattern[str]
    zh_title: re.Pattern[str]
    zh_title_start: re.Pattern[str]
    en_title: re.Pattern[str]
    en_cue: re.Pattern[str]
    en_given: frozenset[str]
    en_surnames: frozenset[str]
    pinyin_surnames: frozenset[str]
    not_names: frozenset[str]
    credentials: list[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    lex = lexicon()
    surnames = alternation(lex.zh.compound_surnames + lex.zh.surnames)
    given = r"[\u4e00-\u9fff]{0,2}?"
    return _Rules(
        surnames=frozenset(lex.zh.surnames),
        compound=frozenset(lex.zh.compound_surnames),
        ambiguous=frozenset(lex.zh.ambiguous_surnames),
        given=frozenset(lex.zh.given_chars),
        stop=frozenset(lex.zh.stop_chars),
        zh_cue=re.compile(rf"(?=(?P<cue>{alternation(lex.zh.cues_before)}))"),
        zh_cue_tail=re.compile(r"(?:[:：\s]|是|为|叫)*"),
        zh_title=re.compile(rf"(?P<name>{surnames}{given})(?={alternation(lex.zh.titles_after)})"),
        zh_title_start=re.compile(alternation(lex.zh.titles_after)),
        en_title=re.compile(rf"\b{alternation(lex.en.titles)}\.?\s+(?=[A-Z])"),
        en_cue=re.compile(rf"\b{alternation(lex.en.cues_before)}\b(?:[\s:,(]|'s\b|\bis\b|\bwas\b|\bnamed\b)+(?=[A-Z])",
                          re.IGNORECASE),
        en_given=(frozenset(lex.en.given_names) | census_names()[0]) - frozenset(lex.en.not_names),
        en_surnames=(frozenset(lex.en.surnames) | census_names()[1]) - frozenset(lex.en.not_names),
        pinyin_surnames=frozenset(lex.en.pinyin_surnames),
        not_names=frozenset(lex.en.not_names),
        credentials=lex.en.credentials,
    )


def find_names(text: str) -> Iterator[Span]:
    found = list(chinese_names(text)) + list(_english_names(text))
    yield from found
    yield from _other_mentions(text, found)


# English -----------------------------------------------------------------------------------------

_UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017e"
_LOWER = "a-zß-öø-ÿ\u0100-\u017f"
_WORD = rf"(?:Mc|Mac|O'|D')?[{_UPPER}][{_LOWER}]+(?:[-'][{_UPPER}][{_LOWER}]+)*"
_NAME_RUN = re.compile(rf"(?:[A-Z]\.\s*)?{_WORD}(?:\s+(?:[A-Z]\.\s+)?{_WORD}){{0,2}}")
_CAPS_NAME = re.compile(rf"(?:[A-Z]')?[A-Z]{{2,}}(?:[-'][A-Z]{{2,}})*,\s*[{_UPPER}][{_LOWER}]+")
_SURNAME_COMMA_GIVEN = re.compile(rf"{_WORD},\s*{_WORD}(?=\s|$|[.;,])")  # Name: Hernandez, Luis
_EPONYM = re.compile(r"(?:'s?)?\s+(?:syndrome|disease|disorder|palsy|phenomenon|sign|test|criteria|score|scale|"
                     r"reflex|manoeuvre|maneuver|classification|procedure|operation|lymphoma|sarcoma|tumou?r|ulcer|"
                     r"fracture|law|effect|method|formula|equation)\b", re.IGNORECASE)
_MONTH_ABBREVIATIONS = {"Jan", "Mar", "May", "Jun", "June", "Jul", "July", "Aug", "April", "Apr"}


def _english_names(text: str) -> Iterator[Span]:
    rules = _rules()
    yield from _structural_names(text)
    for match in rules.en_title.finditer(text):
        span = _name_run(text, match.end(), allow_first_common=True)
        if span:
            yield span
    for match in rules.en_cue.finditer(text):
        caps = _CAPS_NAME.match(text, match.end()) or _SURNAME_COMMA_GIVEN.match(text, match.end())
        if caps:  # Name: SMITH, John
            yield Span(caps.start(), caps.end(), IdentifierType.NAME, caps.group())
            continue
        span = _name_run(text, match.end(), allow_first_common=False)
        if span:
            yield span
    for match in re.finditer(rf"(?<![A-Za-z]){_WORD}(?![A-Za-z])", text):
        word = match.group()
        if word in rules.not_names or re.search(r"\b(?:St\.?|Saint)\s+$", text[max(0, match.start() - 7) : match.start()]):
            continue  # St Mary's is a hospital
        if _EPONYM.match(text, match.end()):
            continue  # Gilbert syndrome, Bell's palsy: a disease named after someone long dead
        following = re.match(rf"\s+({_WORD})\b", text[match.end() :])
        next_word = following.group(1) if following else None
        next_ok = next_word is not None and next_word not in rules.not_names
        if word in rules.en_given and (next_ok or word not in _AMBIGUOUS_GIVEN):
            span = _name_run(text, match.start(), allow_first_common=True)
            if span and (span.end - span.start > len(word) or word not in _AMBIGUOUS_GIVEN):
                yield span
        elif next_ok and next_word is not None and (
            (word in rules.pinyin_surnames and _PINYIN_GIVEN.fullmatch(next_word))
            or next_word in rules.en_surnames
        ):
            yield Span(match.start(), match.end() + following.end(), IdentifierType.NAME,  # type: ignore[union-attr]
                       text[match.start() : match.end() + following.end()])  # type: ignore[union-attr]


def _structural_names(text: str) -> Iterator[Span]:
    """Names placed where a record puts them: before an age and sex ("Tobias Huang, 104 y/o",
    "Abernathy, Cole - 67M", "Ezekiel McAllister (104/M)") or before a credential ("Ingrid Solberg, MD")."""
    rules = _rules()
    name = rf"(?P<name>(?:[A-Z]\.\s*)?{_WORD}(?:,?\s+(?:[A-Z]\.\s+)?{_WORD}){{0,2}})"
    age = r"\s*(?:,|-|–|\()?\s*\d{1,3}\s*(?:y/?o\b|yo\b|years?\b|yrs?\b|-year|/\s*[MF]\b|[MF]\b)"
    credential = rf",?\s+{alternation(rules.credentials)}(?![A-Za-z])"
    for pattern in (re.compile(name + age), re.compile(name + f"(?={credential})")):
        for match in pattern.finditer(text):
            start = match.start("name")
            words = re.findall(rf"{_WORD}|[A-Z]\.", match.group("name"))
            while words and words[0] in rules.not_names:
                start = text.index(words[0], start) + len(words[0])
                words.pop(0)
            if not words or any(w in rules.not_names for w in words):
                continue
            start = text.index(words[0], start)
            end = match.end("name")
            yield Span(start, end, IdentifierType.NAME, text[start:end])


def _name_run(text: str, pos: int, *, allow_first_common: bool) -> Span | None:
    rules = _rules()
    match = _NAME_RUN.match(text, pos)
    if not match:
        return None
    words = re.findall(rf"{_WORD}|[A-Z]\.", match.group())
    kept: list[str] = []
    for i, word in enumerate(words):
        # "Hu Jun" is a name; "Jun 5" is a date.
        month_as_name = i > 0 and word in _MONTH_ABBREVIATIONS and not re.match(rf"{re.escape(word)}\.?\s*\d", text[pos:][match.group().find(word):])
        if word in rules.not_names and not month_as_name and not (i == 0 and allow_first_common and word not in {"The", "A", "An"}):
            break
        kept.append(word)
    while kept and re.fullmatch(r"[A-Z]\.", kept[-1]):
        kept.pop()
    if not kept:
        return None
    end = pos
    for word in kept:
        end = text.index(word, end) + len(word)
    return Span(pos, end, IdentifierType.NAME, text[pos:end])


# Other mentions ----------------------------------------------------------------------------------


def _other_mentions(text: str, found: list[Span]) -> Iterator[Span]:
    """Every other place the names already found appear: the full name, and in English each
    part of a multi-word name (Mr Smith ... Smith said)."""
    rules = _rules()
    needles: set[str] = set()
    for span in found:
        name = span.text
        if _CJK.search(name):
            if len(name) >= 2:
                needles.add(name)
        else:
            if "," in name:
                name = name.replace(",", " ")
            for part in name.split():
                part = part.strip(".")
                if len(part) >= 3 and part[0].isupper() and part.title() not in rules.not_names and part not in _AMBIGUOUS_GIVEN:
                    needles.add(part)
            needles.add(span.text)
    for needle in needles:
        cjk = _CJK.search(needle) is not None
        pattern = re.escape(needle) if cjk else rf"\b{re.escape(needle)}\b"
        for match in re.finditer(pattern, text):
            yield Span(match.start(), match.end(), IdentifierType.NAME, needle)
