"""Personal names in Chinese and English clinical text.

Chinese names are found in ``deid_names_zh``. English: capitalised words after a title (Mr, Dr)
or a cue (patient, son, signed by, "RN:"), a known given name followed by a capitalised word,
initials before a surname (A. J. Castillo), a middle initial between two name words, pinyin
names (Zhang Wei) and romanised Chinese names as Hong Kong and Taiwan write them (CHAN Tai Man,
Chang Chih-hao). A name's other form in brackets right after it is a name too (陳家俊（CHAN Ka
Chun）), and once a name is found, every other mention of it in the same text is one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from careguide.privacy.deid_lexicon import alternation, census_names, lexicon
from careguide.privacy.deid_names_zh import chinese_names, zh_surnames
from careguide.privacy.deid_types import IdentifierType, Span

_CJK = re.compile(r"[\u4e00-\u9fff]")
_UPPER = "A-ZÀ-ÖØ-Þ\u0100-\u017e"
_LOWER = "a-zß-öø-ÿ\u0100-\u017f"
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
    en_title: re.Pattern[str]
    en_cue: re.Pattern[str]
    credential_cue: re.Pattern[str]
    en_given: frozenset[str]
    en_surnames: frozenset[str]
    romanised_surnames: frozenset[str]
    pinyin_surnames: frozenset[str]
    not_names: frozenset[str]
    word_surnames: frozenset[str]
    credentials: list[str]
    role_cues: frozenset[str]
    relation_cues: frozenset[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    lex = lexicon().en
    not_names = frozenset(lex.not_names)
    credentials = alternation(lex.credentials)
    # What may stand between a cue and the name: spaces, a colon, an opening bracket or quote, "is".
    between = r"(?:[\s:,(\"“'‘]|'s\b|\bis\b|\bwas\b|\bnamed\b|\bas\b)+"
    return _Rules(
        en_title=re.compile(rf"\b{alternation(lex.titles)}\.?\s+(?=[{_UPPER}])"),
        en_cue=re.compile(rf"\b{alternation(lex.cues_before + lex.role_cues)}\b{between}(?=[{_UPPER}])", re.IGNORECASE),
        # "Triage RN: K. Lindgren", "PCP: Lopez, Maria": a credential or role label with a colon.
        credential_cue=re.compile(rf"(?<![A-Za-z]){credentials}\s*:\s*(?=[{_UPPER}])"),
        en_given=(frozenset(lex.given_names) | census_names()[0]) - not_names,
        en_surnames=(frozenset(lex.surnames) | census_names()[1]) - not_names,
        romanised_surnames=frozenset(lex.pinyin_surnames) | frozenset(lex.romanised_surnames),
        pinyin_surnames=frozenset(lex.pinyin_surnames),
        not_names=not_names,
        # Surnames that are also everyday words (Park, Green, Hill): last in a name after a cue, a surname.
        word_surnames=(frozenset(lex.surnames) | census_names()[1]) & not_names,
        credentials=lex.credentials,
        role_cues=frozenset(lex.role_cues),
        relation_cues=frozenset(lex.relation_cues),
    )


def find_names(text: str) -> Iterator[Span]:
    found = list(chinese_names(text)) + list(_english_names(text))
    found += list(_aliases(text, found))
    yield from found
    yield from _other_mentions(text, found)


# English -----------------------------------------------------------------------------------------

# A capitalised name word: DeShawn and McKenzie (a capital inside), Gagnon-Leblanc, and a romanised
# Chinese or Korean given name whose second syllable is written small (Chih-hao, Soo-jin).
_WORD = (rf"(?:Mc|Mac|O'|D')?[{_UPPER}][{_LOWER}]+(?:[{_UPPER}][{_LOWER}]{{2,}})?"
         rf"(?:[-'][{_UPPER}][{_LOWER}]+|-[a-z]{{2,6}}(?![A-Za-z\-]))*")
_INITIAL = r"[A-Z]\.(?:\s*[A-Z]\.)?"
_NAME_RUN = re.compile(rf"(?:{_INITIAL}\s*)?{_WORD}(?:\s+(?:[A-Z]\.\s+)?{_WORD}){{0,2}}")
_MIDDLE = r"(?:[ \t]+[A-Z]\.?(?![A-Za-z]))?"  # KOWALSKI, Brian M
_CAPS_NAME = re.compile(rf"(?:[A-Z]')?[A-Z]{{2,}}(?:[-'][A-Z]{{2,}})*,\s*[{_UPPER}][{_LOWER}]+{_MIDDLE}")
_SURNAME_COMMA_GIVEN = re.compile(rf"{_WORD},\s*{_WORD}{_MIDDLE}(?=\s|$|[.;,])")  # Name: Hernandez, Luis
_EPONYM = re.compile(r"(?:'s?)?\s+(?:syndrome|disease|disorder|palsy|phenomenon|sign|test|criteria|score|scale|"
                     r"reflex|manoeuvre|maneuver|classification|procedure|operation|lymphoma|sarcoma|tumou?r|ulcer|"
                     r"fracture|law|effect|method|formula|equation)\b", re.IGNORECASE)
_MONTH_ABBREVIATIONS = {"Jan", "Mar", "May", "Jun", "June", "Jul", "July", "Aug", "April", "Apr"}


def _english_names(text: str) -> Iterator[Span]:
    rules = _rules()
    yield from _structural_names(text)
    yield from _initialled_names(text)
    yield from _romanised_chinese_names(text)
    for match in rules.en_title.finditer(text):
        span = _name_run(text, match.end(), allow_first_common=True)
        if span:
            yield span
    cues = [(m, re.split(r"[\s:,(\"“'‘]", m.group())[0].lower()) for m in rules.en_cue.finditer(text)]
    cues += [(m, "") for m in rules.credential_cue.finditer(text)]
    for match, cue in cues:
        caps = _CAPS_NAME.match(text, match.end()) or _SURNAME_COMMA_GIVEN.match(text, match.end())
        if caps:  # Name: SMITH, John
            yield Span(caps.start(), caps.end(), IdentifierType.NAME, caps.group())
            continue
        between = match.group()[len(cue) :]
        marked = re.search(r"[:,(\"“'‘]", between) is not None
        if cue == "prefers" and not re.search(r"[\"“'‘]", between):
            continue  # prefers "Jax" names someone; "prefers tea" does not
        span = _name_run(text, match.end(), allow_first_common=False, person_cue=cue in rules.relation_cues)
        if span and cue in rules.role_cues and match.group()[0].isupper() and not marked:
            first = span.text.split()[0]
            if first not in rules.en_given and first not in rules.en_surnames:
                continue  # "Educator Training Program", "Paramedic Crew arrived": a heading, not a name
        if span:
            yield span
    for match in re.finditer(rf"(?<![A-Za-z]){_WORD}(?![A-Za-z])", text):
        word = match.group()
        if re.search(r"\b(?:St\.?|Saint)\s+$", text[max(0, match.start() - 7) : match.start()]):
            continue  # St Mary's is a hospital
        if _EPONYM.match(text, match.end()):
            continue  # Gilbert syndrome, Bell's palsy: a disease named after someone long dead
        following = re.match(rf"\s+({_WORD})\b", text[match.end() :])
        next_word = following.group(1) if following else None
        next_ok = next_word is not None and next_word not in rules.not_names
        if word in rules.not_names or word in _AMBIGUOUS_GIVEN:
            # "May Chen", "Will Smith": a word that is also a given name, then a known surname, is a
            # name unless a number or a preposition says it is a month or a verb.
            before = text[max(0, match.start() - 12) : match.start()]
            if (next_ok and next_word in rules.en_surnames | rules.pinyin_surnames
                    and (word.lower() in _MONTH_WORDS or (word in _AMBIGUOUS_GIVEN and word not in rules.not_names))
                    and not re.search(r"(?:\d|\b(?:in|on|of|since|until|from|by|to|the|and|or))\s*$", before, re.I)
                    and not re.match(r"\s+\S+\s+\d", text[match.end() :])):
                yield Span(match.start(), match.end() + following.end(), IdentifierType.NAME,  # type: ignore[union-attr]
                           text[match.start() : match.end() + following.end()])  # type: ignore[union-attr]
            if word in rules.not_names:
                continue
        if word in rules.en_given and (next_ok or word not in _AMBIGUOUS_GIVEN):
            span = _name_run(text, match.start(), allow_first_common=True)
            if span and _EPONYM.match(text, span.end):
                continue  # Rose Bengal test, Glasgow Coma Scale
            if span and (span.end - span.start > len(word) or word not in _AMBIGUOUS_GIVEN):
                yield span
        elif next_ok and next_word is not None and (
            (word in rules.pinyin_surnames and _PINYIN_GIVEN.fullmatch(next_word))
            or next_word in rules.en_surnames
        ):
            yield Span(match.start(), match.end() + following.end(), IdentifierType.NAME,  # type: ignore[union-attr]
                       text[match.start() : match.end() + following.end()])  # type: ignore[union-attr]


def _is_given_like(word: str) -> bool:
    rules = _rules()
    return word in rules.en_given or word in _AMBIGUOUS_GIVEN or word.lower() in _MONTH_WORDS


_MONTH_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
                "november", "december"}


def _initialled_names(text: str) -> Iterator[Span]:
    """"A. J. Castillo" (two initials), "Sunita D. Rao" (a middle initial between two name words)."""
    rules = _rules()
    for match in re.finditer(rf"(?<![A-Za-z.])[A-Z]\.\s?[A-Z]\.\s+(?P<last>{_WORD})", text):
        if _plain(match.group("last")) not in rules.not_names:
            yield Span(match.start(), match.end(), IdentifierType.NAME, match.group())
    for match in re.finditer(rf"(?<![A-Za-z.])(?P<first>{_WORD})\s+[A-Z]\.\s+(?P<last>{_WORD})", text):
        first, last = _plain(match.group("first")), _plain(match.group("last"))
        if first not in rules.not_names and last not in rules.not_names and first.lower() not in _NOT_BEFORE_INITIAL:
            yield Span(match.start(), match.end(), IdentifierType.NAME, match.group())


# Words written before a capital letter and a full stop that are not given names (Vitamin D. Levels).
_NOT_BEFORE_INITIAL = {"vitamin", "hepatitis", "type", "factor", "stage", "grade", "class", "group", "phase", "lead",
                       "protein", "zone", "plan", "option", "level", "section", "part", "appendix", "figure", "table",
                       "schedule", "category", "block", "ward", "bay", "bed", "room", "wing", "tower", "unit", "floor",
                       "flat", "apartment", "suite", "building", "gate", "lot", "list", "form", "step", "box"}


def _romanised_chinese_names(text: str) -> Iterator[Span]:
    """Chinese names in Latin letters as Hong Kong, Taiwan and passports write them: the surname
    in capitals first ("CHAN Tai Man", "HUANG LIPING") or a Wade-Giles given name ("Chang Chih-hao")."""
    rules = _rules()
    syllable = r"[A-Z][a-z]{1,5}"
    for match in re.finditer(rf"\b(?P<s>[A-Z]{{2,8}})\s+(?P<g>(?:{syllable}|[A-Z]{{2,12}})(?:[\s-](?:{syllable}|[A-Z]{{2,6}}|[a-z]{{2,6}})){{0,2}})\b",
                             text):
        if match.group("s").title() in rules.romanised_surnames and match.group("g").split()[0].title() not in rules.not_names:
            yield Span(match.start(), match.end(), IdentifierType.NAME, match.group())
    for match in re.finditer(r"\b(?P<s>[A-Z][a-z]{1,6})\s+(?P<g>[A-Z][a-z]{1,6}-[a-z]{2,6})\b", text):
        if match.group("s") in rules.romanised_surnames and _plain(match.group("g")) not in rules.not_names:
            yield Span(match.start(), match.end(), IdentifierType.NAME, match.group())


def _structural_names(text: str) -> Iterator[Span]:
    """Names placed where a record puts them: before an age and sex ("Tobias Huang, 104 y/o",
    "Abernathy, Cole - 67M", "Ezekiel McAllister (104/M)") or before a credential ("Ingrid Solberg, MD");
    "Triage RN:" is a label, not a name before a credential."""
    rules = _rules()
    for pattern in _structural_patterns():
        for match in pattern.finditer(text):
            start = match.start("name")
            words = re.findall(rf"{_WORD}|[A-Z]\.", match.group("name"))
            while words and _plain(words[0]) in rules.not_names:
                start = text.index(words[0], start) + len(words[0])
                words.pop(0)
            if not words or any(_plain(w) in rules.not_names for w in words):
                continue
            start = text.index(words[0], start)
            end = match.end("name")
            yield Span(start, end, IdentifierType.NAME, text[start:end])


@lru_cache(maxsize=1)
def _structural_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    name = rf"(?P<name>(?:[A-Z]\.\s*)?{_WORD}(?:,?\s+(?:[A-Z]\.\s+)?{_WORD}){{0,2}})"
    age = r"\s*(?:,|-|–|\()?\s*\d{1,3}\s*(?:y/?o\b|yo\b|years?\b|yrs?\b|-year|/\s*[MF]\b|[MF]\b)"
    credential = rf",?\s+{alternation(_rules().credentials)}(?![A-Za-z])(?!\s*:)"
    return re.compile(name + age), re.compile(name + f"(?={credential})")


def _plain(word: str) -> str:
    """The word without a small hyphenated tail: "Follow-up" is checked as "Follow"."""
    head, _, tail = word.partition("-")
    return head if tail and tail.islower() else word


def _name_run(text: str, pos: int, *, allow_first_common: bool, person_cue: bool = False) -> Span | None:
    """The name words from ``pos``. After a cue that names a relation (wife, daughter), the first
    word may be one that is also a month or a verb ("his wife June", "husband Will")."""
    rules = _rules()
    match = _NAME_RUN.match(text, pos)
    if not match:
        return None
    words = re.findall(rf"{_WORD}|{_INITIAL}", match.group())
    kept: list[str] = []
    for i, word in enumerate(words):
        after = text[pos:][match.group().find(word) + len(word) :]
        # "Hu Jun" is a name; "Jun 5" is a date.
        month_as_name = i > 0 and word in _MONTH_ABBREVIATIONS and not re.match(r"\.?\s*\d", after)
        relation_name = (i == 0 and person_cue and _is_given_like(word) and not re.match(r"\.?\s*\d", after))
        # "student Aiden Park": a surname that is also a word ends the name.
        word_surname = i > 0 and word in rules.word_surnames and not re.match(rf"\s+{_WORD}", after)
        common = _plain(word) in rules.not_names
        if common and not (month_as_name or relation_name or word_surname
                           or (i == 0 and allow_first_common and word not in {"The", "A", "An"})):
            break
        kept.append(word)
    while kept and re.fullmatch(_INITIAL, kept[-1]):
        kept.pop()
    if not kept:
        return None
    end = pos
    for word in kept:
        end = text.index(word, end) + len(word)
    return Span(pos, end, IdentifierType.NAME, text[pos:end])


_ALIAS = re.compile(rf"\s*[（(]\s*(?P<a>[\u4e00-\u9fff]{{2,4}}|[{_UPPER}][A-Za-z{_LOWER}'\-]+"
                    rf"(?:\s+[{_UPPER}][A-Za-z{_LOWER}'\-]+){{0,3}})\s*[)）]")


def _aliases(text: str, found: list[Span]) -> Iterator[Span]:
    """A name's other form in brackets right after it: 陳家俊（CHAN Ka Chun）, CHAN Tai Man (陳大文)."""
    rules = _rules()
    for span in found:
        match = _ALIAS.match(text, span.end)
        value = match.group("a") if match else ""
        if _CJK.match(value) and not (value[:2] in zh_surnames().compound or value[0] in zh_surnames().single):
            continue  # （妻子）, （已故）: a note about the person, not another name
        if match and not any(w in rules.not_names for w in value.split()):
            yield Span(match.start("a"), match.end("a"), IdentifierType.NAME, match.group("a"))


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
