"""Chinese personal names in clinical text.

A name is a surname from the register's list (single or compound), then one or two given-name
characters, taken where the context says a person is named: a cue word before it (患者, 姓名：,
被保险人, 3床), a title after it (王先生, 张医生, 符同学), a familiar form (老王, 小李), a record
header ("张伟，男，45岁"), a possessive before a person's things ("上官秀梅的女儿", "李明的出院小结"),
"姓庞" (the surname stated on its own), or a compound surname, which is no everyday word. Names
of minorities and foreigners written in Chinese join their parts with a middle dot (阿依古丽·买买提).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from careguide.privacy.deid_lexicon import alternation, lexicon
from careguide.privacy.deid_types import IdentifierType, Span

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ZH_DIGITS = "一二三四五六七八九十"
_JOB_TITLES = {"医生", "医师", "大夫", "护士", "护士长", "主任", "副主任", "药师", "技师", "院长", "科长", "主治医师",
               "住院医师", "主任医师", "老师", "教授", "师傅"}
_NOT_NAMES_ZH = {"患者", "病人", "患儿", "家属", "本人", "该患", "病史", "主诉", "诊断", "姓名", "性别", "年龄"}
# Grammatical words that a department name can be followed by ("内科和医生沟通"); never a surname there.
_FUNCTION_CHARS = set("和与跟同向对给为在把被让叫请找由从")
# Surnames that are also grammatical words (患者于3天前, 患者应限酒): a name needs a label or a title.
_GRAMMATICAL_SURNAMES = set("于和向应与及同将就才都也还又")


@dataclass(frozen=True)
class _Rules:
    surnames: frozenset[str]
    compound: frozenset[str]
    everyday_compounds: frozenset[str]
    ambiguous: frozenset[str]
    given: frozenset[str]
    stop: frozenset[str]
    cue: re.Pattern[str]
    cue_tail: re.Pattern[str]
    title: re.Pattern[str]
    title_start: re.Pattern[str]
    possessed: re.Pattern[str]
    free_compound: re.Pattern[str]
    cue_words: tuple[str, ...]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    lex = lexicon().zh
    surnames = alternation(lex.compound_surnames + lex.surnames)
    given = r"[\u4e00-\u9fff]{0,2}?"
    # A bed number stands where a cue word would: "3床王秀英", "12床 阎大爷".
    bed = rf"(?:\d{{1,3}}|[{_ZH_DIGITS}]{{1,3}})\s*(?:号床|床)"
    return _Rules(
        surnames=frozenset(lex.surnames),
        compound=frozenset(lex.compound_surnames),
        everyday_compounds=frozenset(lex.everyday_compound_surnames),
        ambiguous=frozenset(lex.ambiguous_surnames),
        given=frozenset(lex.given_chars),
        stop=frozenset(lex.stop_chars),
        cue=re.compile(rf"(?=(?P<cue>{alternation(lex.cues_before)}|{bed}))"),
        cue_tail=re.compile(r"(?:[:：\s]|是|为|叫)*"),
        title=re.compile(rf"(?P<name>{surnames}{given})(?={alternation(lex.titles_after)})"),
        title_start=re.compile(alternation(lex.titles_after)),
        possessed=re.compile(rf"的(?={alternation(lex.possessed_after)})"),
        free_compound=re.compile(alternation(sorted(set(lex.compound_surnames) - set(lex.everyday_compound_surnames)))),
        cue_words=tuple(lex.cues_before),
    )


@dataclass(frozen=True)
class Surnames:
    single: frozenset[str]
    compound: frozenset[str]


def zh_surnames() -> Surnames:
    rules = _rules()
    return Surnames(rules.surnames, rules.compound)


def chinese_names(text: str) -> Iterator[Span]:
    rules = _rules()
    # Every cue, overlapping ones too (其女儿 holds both 其女 and 女儿).
    for cue in rules.cue.finditer(text):
        end = cue.end("cue")
        spaced = rules.cue_tail.match(text, end)
        pos = spaced.end() if spaced else end
        labelled = spaced is not None and any(c in spaced.group() for c in ":：")
        # After a job title a verb is as likely as a name (医生安排, 护士告知): a weaker cue.
        by_title = cue.group("cue").endswith(tuple(_JOB_TITLES | {"护师", "技师", "师"}))
        name = _name_at(text, pos, strong=not by_title, labelled=labelled)
        if name:
            yield Span(pos, pos + len(name), IdentifierType.NAME, name)
    yield from _titled(text)
    yield from _familiar(text)
    yield from _headers(text)
    yield from _possessors(text)
    yield from _stated_surnames(text)
    yield from _compound_surnames(text)
    yield from _dotted_names(text)


def _titled(text: str) -> Iterator[Span]:
    """王先生, 李秀英女士, 血液科应主任."""
    rules = _rules()
    for match in rules.title.finditer(text):
        start = match.start("name")
        if _inside_cue_word(text, start):
            continue  # 值班医生: 班 ends the cue word 值班, it is no surname
        name = _name_at(text, start, strong=False, title_follows=True)
        if not name:
            continue
        surname_len = 2 if name[:2] in rules.compound else 1
        if len(name) == surname_len and not _bare_surname_ok(text, start, name):
            continue
        yield Span(start, start + len(name), IdentifierType.NAME, name)


def _familiar(text: str) -> Iterator[Span]:
    """老王, 小李, 老欧阳: a familiar form of address with the bare surname."""
    rules = _rules()
    for match in re.finditer(r"[老小阿](?=(?P<s>[\u4e00-\u9fff]{1,2}))", text):
        pair = match.group("s")
        surname = pair if pair in rules.compound else pair[0]
        after = text[match.end() + len(surname) : match.end() + len(surname) + 1]
        ends_word = not after or not _CJK.match(after) or after in rules.stop
        if (surname in rules.compound or (surname in rules.surnames and surname not in rules.ambiguous)) and ends_word:
            yield Span(match.end(), match.end() + len(surname), IdentifierType.NAME, surname)


def _headers(text: str) -> Iterator[Span]:
    """A record header: "张伟，男，45岁" / "李秀英（女，68岁）" / "（马骁骁，17岁）"."""
    rules = _rules()
    pattern = (r"(?<![\u4e00-\u9fff])(?P<n>[\u4e00-\u9fff]{2,4})\s*[，,、(（\s]\s*"
               r"(?:[男女](?=[，,、\s)）性\d])|\d{1,3}\s*(?:岁|周岁))")
    for match in re.finditer(pattern, text):
        token = match.group("n")
        known = token[:2] in rules.compound or token[0] in rules.surnames
        if token in _NOT_NAMES_ZH or (token[0] in rules.stop and not known) or (not known and len(token) > 3):
            continue
        if not known and not match.group().rstrip().endswith(("男", "女")):
            continue  # before an age alone, only a known surname makes a name ("患儿，4岁" is none)
        title = next((m for m in rules.title.finditer(token) if m.end() < len(token)), None)
        end = match.start("n") + (title.end() if title else len(token))  # 雷勇女士，76岁: the name without 女士
        yield Span(match.start("n"), end, IdentifierType.NAME, text[match.start("n") : end])


def _possessors(text: str) -> Iterator[Span]:
    """The owner before 的 and a person's relative or paper: "上官秀梅的女儿", "李明的出院小结"."""
    rules = _rules()
    for match in rules.possessed.finditer(text):
        end = match.start()
        for length in (4, 3, 2):
            start = end - length
            if start < 0:
                continue
            name = _name_at(text, start, strong=False)
            if name is None or start + len(name) != end or not _clear_before(text, start):
                continue
            if name[0] in rules.ambiguous and name[:2] not in rules.compound and name[1] not in rules.given:
                continue
            yield Span(start, end, IdentifierType.NAME, name)
            break


def _stated_surnames(text: str) -> Iterator[Span]:
    """"自称姓庞", "免贵姓王": the surname named on its own."""
    rules = _rules()
    for match in re.finditer(r"(?<![百贵])姓(?![名别氏])\s*", text):
        pos = match.end()
        surname = text[pos : pos + 2] if text[pos : pos + 2] in rules.compound else text[pos : pos + 1]
        after = text[pos + len(surname) : pos + len(surname) + 1]
        if (surname in rules.surnames or surname in rules.compound) and (not after or not _CJK.match(after)
                                                                           or after in "的是名"):
            yield Span(pos, pos + len(surname), IdentifierType.NAME, surname)


def _compound_surnames(text: str) -> Iterator[Span]:
    """上官云, 鲜于海: a compound surname is no everyday word, so it needs no cue."""
    rules = _rules()
    for match in rules.free_compound.finditer(text):
        start = match.start()
        name = _name_at(text, start, strong=True)
        # Without a cue, given-name characters only (上官方网站 is 上 + 官方网站).
        if name and len(name) > 2 and all(c in rules.given for c in name[2:]):
            yield Span(start, start + len(name), IdentifierType.NAME, name)


_DOT = "·•・‧"
_DOTTED = re.compile(rf"[\u4e00-\u9fff]{{2,8}}(?:[{_DOT}][\u4e00-\u9fff]{{2,8}}){{1,3}}")
_NAMED_AFTER = re.compile(r"(?:综合征|病|症|氏|定律|试验|反射|手术|法|学)")
_TERM_ENDINGS = set("胞病症炎素酶剂片液管瘤癌征术科药物菌毒体质酸盐")


def _dotted_names(text: str) -> Iterator[Span]:
    """阿依古丽·买买提, 约翰·史密斯: Uyghur and transliterated names join their parts with a dot."""
    rules = _rules()
    for match in _DOTTED.finditer(text):
        if _NAMED_AFTER.match(text, match.end()) or _NAMED_AFTER.search(match.group()[-3:]):
            continue  # 查尔斯·邦纳综合征: a disease named after someone
        if any(part[-1] in _TERM_ENDINGS for part in re.split(f"[{_DOT}]", match.group())):
            continue  # 白细胞·中性粒细胞: medical terms, not the parts of a name
        start, value = match.start(), match.group()
        cue = max((w for w in rules.cue_words if value.startswith(w)), key=len, default="")
        start += len(cue)
        while start < match.end() and text[start] in "是叫为：:" :
            start += 1
        first_part = re.split(f"[{_DOT}]", text[start : match.end()])[0]
        if len(first_part) >= 2:
            yield Span(start, match.end(), IdentifierType.NAME, text[start : match.end()])


def _clear_before(text: str, start: int) -> bool:
    """Does a word end right before ``start`` (punctuation, a stop character, a cue word, a bed)?"""
    if start == 0 or not _CJK.match(text[start - 1]) or text[start - 1] in _rules().stop:
        return True
    return _after_cue(text, start)


def _inside_cue_word(text: str, start: int) -> bool:
    """Is the character at ``start`` the end of a cue word that began before it (值班 in 值班医生)?"""
    for word in _rules().cue_words:
        for begin in range(max(0, start - len(word) + 1), start):
            if text.startswith(word, begin):
                return True
    return False


def _bare_surname_ok(text: str, start: int, surname: str) -> bool:
    """王先生 yes; 主任医师 (任 ends a word) and 和医生 (和 is "and") no; 血液科应主任 yes."""
    rules = _rules()
    before = text[start - 1] if start > 0 else ""
    after_boundary = not before or not _CJK.match(before) or before in rules.stop or before in "请问叫找给让见陪告诉位名"
    title = rules.title_start.match(text, start + len(surname))
    # A department, then a surname and a job title: 血液科应主任, 内科向医生.
    if before in "科室" and surname not in _FUNCTION_CHARS and title is not None:
        return True
    if surname in _FUNCTION_CHARS:
        return False  # 婴儿和老人, 医生和药师: "and", not a surname
    if surname in rules.ambiguous:
        if _after_cue(text, start):
            return True
        # 向医生咨询, 和护士说: before a job title an everyday word is likelier than a surname.
        return after_boundary and title is not None and title.group() not in _JOB_TITLES
    return True


def _after_cue(text: str, start: int) -> bool:
    before = text[max(0, start - 8) : start]
    return any(before.endswith(m.group("cue")) for m in _rules().cue.finditer(before))


def _boundary(text: str, i: int) -> bool:
    """Does a name end before position ``i``?"""
    rules = _rules()
    if i >= len(text) or not _CJK.match(text[i]) or text[i] in rules.stop:
        return True
    return rules.title_start.match(text, i) is not None


def _clean_end(text: str, i: int) -> bool:
    """Punctuation, a space or the end of the text: nothing Chinese follows."""
    return i >= len(text) or not _CJK.match(text[i])


def _name_at(text: str, pos: int, *, strong: bool, labelled: bool = False, title_follows: bool = False) -> str | None:
    """The Chinese name starting at ``pos``: a surname, then one or two given-name characters,
    ending where the next word starts. ``strong``: a cue word stands right before it;
    ``labelled``: a label with a colon (姓名：) does, so even an unknown surname is taken."""
    rules = _rules()
    found = _surname_and_given(text, pos, strong=strong, labelled=labelled, title_follows=title_follows)
    if labelled:  # after 姓名： the whole word is the name, whatever its characters (陈家俊: 家 ends words too)
        run = re.match(r"[\u4e00-\u9fff]{2,3}", text[pos:])
        if (run and run.group() not in _NOT_NAMES_ZH and (run.group()[0] not in rules.stop or found)
                and _boundary(text, pos + len(run.group())) and len(run.group()) > len(found or "")):
            return run.group()
    return found


def _surname_and_given(text: str, pos: int, *, strong: bool, labelled: bool, title_follows: bool) -> str | None:
    rules = _rules()
    if text[pos : pos + 2] in rules.compound:
        surname = text[pos : pos + 2]
    elif pos < len(text) and text[pos] in rules.surnames:
        surname = text[pos]
    else:
        return None
    p1 = pos + len(surname)
    first = text[p1 : p1 + 1]
    if first and first in rules.stop and first in rules.given and (strong or labelled) and _clean_end(text, p1 + 1):
        return surname + first  # 签名：郎月 - 月 ends words too, but nothing follows it here
    if not first or not _CJK.match(first) or first in rules.stop or (title_follows and _boundary(text, p1)):
        if title_follows:
            return surname if rules.title_start.match(text, p1) else None
        # The bare surname (患者王，) only when it cannot be an everyday word.
        return surname if strong and surname not in rules.ambiguous and not _CJK.match(first or " ") else None
    second = text[p1 + 1 : p1 + 2]
    if second == first:  # 菁菁, 婷婷: a doubled given name
        name = surname + first + second
    elif second and second in rules.stop and second in rules.given and _clean_end(text, p1 + 2) and (strong or labelled):
        name = surname + first + second  # 晏春生， - 生 ends words too, but nothing follows it here
    elif second and _CJK.match(second) and second not in rules.stop and _boundary(text, p1 + 2) and not _boundary(text, p1 + 1):
        name = surname + first + second
    elif _boundary(text, p1 + 1):
        name = surname + first
    elif second in rules.given and second not in rules.stop:
        name = surname + first + second
    else:
        name = surname + first
    ends_cleanly = _boundary(text, pos + len(name))
    if (surname in rules.ambiguous or not strong) and first not in rules.given and not ends_cleanly:
        return None
    given_part = name[len(surname) :]
    # 医生商定, 医生解读: after an everyday surname a two-character word is likelier a verb than a name,
    # unless a label with a colon (姓名：) says a name follows.
    if surname in rules.ambiguous and first not in rules.given and len(given_part) == 1 and not labelled:
        return None
    if surname in rules.ambiguous and not strong and first not in rules.given:
        return None
    # 患者应限酒, 患者于今日: a surname that is also a grammatical word needs a label, or given-name
    # characters only and nothing Chinese after them (患者于伟，).
    if surname in _GRAMMATICAL_SURNAMES and not (labelled or title_follows) and not (
            all(c in rules.given for c in given_part) and _clean_end(text, pos + len(name))):
        return None
    return name
