"""Street-level addresses in Chinese and English text.

An address is reported when it names a place at district/county level or finer (a district,
a street and number, a residential compound, a room). A province or city alone is a
quasi-identifier, not a direct one, and stays (the k-anonymity check covers regions).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from careguide.privacy.deid_lexicon import alternation, lexicon
from careguide.privacy.deid_types import IdentifierType, Span

_HAN = r"[\u4e00-\u9fff]"
_NUM = r"(?:\d+|[一二三四五六七八九十百零〇]+)"
# Characters that start a clause rather than a place name: trimmed from the left of an unanchored street.
_LEADING_WORDS = set("在于住到从去往至的是和及与了就曾已现原其患家位近月日年号天时后前")


@dataclass(frozen=True)
class _Rules:
    components: list[tuple[str, re.Pattern[str]]]
    zh_anchor: re.Pattern[str]
    zh_cue: re.Pattern[str]
    zh_street_start: re.Pattern[str]
    en_address: re.Pattern[str]
    en_cue: re.Pattern[str]


@lru_cache(maxsize=1)
def _rules() -> _Rules:
    zh = lexicon().zh
    en = lexicon().en
    admin = alternation(zh.admin_units)
    street = alternation(zh.street_units)
    building = alternation(zh.building_units)
    places = alternation(zh.provinces + zh.cities)
    estate_block = rf"(?:{_NUM}|[A-Za-z])(?:号楼|栋|幢|座)"
    components = [
        ("place", re.compile(rf"{places}(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区|特别行政区)?")),
        ("admin", re.compile(rf"{_HAN}{{1,7}}?{admin}(?!{_HAN}*?(?:医院|大学|学院|学校|公司|人民|卫生))")),
        ("street", re.compile(rf"(?:{_HAN}|\d){{1,10}}?{street}(?:[东西南北中]?(?:{_NUM})?段|[东西南北中](?=\d)|[东西南北]?口)?")),
        ("block", re.compile(estate_block + rf"|(?:{_NUM}|[A-Za-z])(?:号院|区|排|组)")),
        ("unit", re.compile(rf"{_NUM}(?:单元|门)")),
        ("floor", re.compile(rf"{_NUM}(?:楼|层)(?!梯)")),
        ("room", re.compile(rf"(?:{_NUM}|[A-Za-z])(?:室|号房|房间|房|户)")),
        ("number", re.compile(rf"{_NUM}(?:[-－之]\d+)?(?:号院|号|弄|巷)")),
        ("building", re.compile(rf"(?:{_HAN}|[A-Za-z]){{1,10}}{building}(?:{_NUM}期|[东西南北]区)?")),
        # A housing estate named without a suffix (远洋山水16号楼) is known by the block after it.
        ("estate", re.compile(rf"{_HAN}{{2,8}}?(?={estate_block})")),
        ("sep", re.compile(r"[\s\-－]")),
    ]
    suffix_words = ["District", "County", "Province", "City", "Town", "Township", "Village", "Borough", "Subdistrict"]
    en_street = alternation(en.street_types)
    en_unit = alternation(en.unit_words)
    cap = r"[A-Z][a-z][a-zA-Z'’]*"
    # US ZIP after a state, UK postcode, Canadian postal code (J8X 2A1), plain 5-6 digits.
    canadian = r"[A-Z]\d[A-Z]\s?\d[A-Z]\d"
    postcode = (rf"(?:[A-Z]{{2,3}}\s+(?:\d{{4,5}}(?:-\d{{4}})?|{canadian})|[A-Z]{{1,2}}\d[A-Z\d]?\s*\d[A-Z]{{2}}|{canadian}"
                r"|\d{5,6}(?!\d))")
    not_place = r"(?!(?:Mr|Mrs|Ms|Dr|Prof|The|He|She|They|His|Her|It|We|And|But|Who|Which|Where|When|Tel|Phone|Email)\b)"
    place_word = rf"(?:{cap}|[A-Z](?![A-Za-z]))"  # Tseung Kwan O
    segment = rf"(?:,\s*{not_place}(?:{cap}(?:\s+{place_word}){{0,3}}(?:,?\s+{postcode})?|{postcode})|\s+{postcode})"
    # Flat B, 12/F, Tower 2: units, floors written as Hong Kong writes them, towers and blocks.
    unit_part = rf"(?:(?:{en_unit})\.?\s*#?[\w\-]+|\d{{1,3}}/F|G/F)"
    # Romance-language streets put the street word first: 12 Rue Principale, 5 Calle de Alcalá.
    street_first = (r"(?:Rue|Avenue|Av\.|Boulevard|Boul\.|Chemin|Ch\.|Via|Viale|Calle|Avenida|Rua|Carrer|Strada|Piazza"
                    rf"|Plaza)\s+(?:(?:de|du|des|la|le|del|della|di|da|do)\s+)*{cap}(?:\s+{cap}){{0,2}}")
    en_address = re.compile(
        rf"(?:{unit_part},?\s*){{0,4}}"
        rf"(?:No\.\s*)?\d{{1,6}}[A-Za-z]?(?:-\d+)?,?\s+"
        rf"(?:(?:{cap}\s+){{0,3}}{cap}\s+{en_street}\b\.?|[A-Z][a-z]+(?:way|gate)\b|{street_first})"
        rf"(?:\s+(?:N|S|E|W|NE|NW|SE|SW)\b)?"
        rf"(?:,?\s*(?:{en_unit})\.?\s*#?[\w\-]+)?"
        rf"(?:,\s*(?:{cap}\s+){{0,2}}(?:{cap})\s+{alternation(suffix_words)})*"
        rf"{segment}{{0,3}}"
    )
    return _Rules(
        components=components,
        zh_anchor=re.compile(rf"{places}"),
        zh_cue=re.compile(alternation(zh.address_cues) + r"\s*[:：]?\s*"),
        zh_street_start=re.compile(
            rf"(?:{_HAN}{{2,6}}?(?:区|县|市|旗))?(?:{_HAN}|\d){{1,3}}{street}(?:[东西南北中]?(?:{_NUM})?段|[东西南北中])?"
            rf"(?={_NUM}(?:[-－之]\d+)?号)"
        ),
        en_address=en_address,
        en_cue=re.compile(alternation(en.address_cues, spaced=True) + r"\s*[:：]?\s*", re.IGNORECASE),
    )


MAX_ADDRESS_CHARS = 80  # from province to room, a written address is shorter than this
_FINE = {"admin_fine", "street", "number", "building", "block", "unit", "floor", "room"}


def find_addresses(text: str) -> Iterator[Span]:
    rules = _rules()
    starts: set[int] = {m.end() for m in rules.zh_cue.finditer(text)}
    cue_starts = set(starts)
    district_starts = {m.start() for m in _DISTRICT_START.finditer(text) if m.group()[-2] not in _NOT_DISTRICT
                       or m.group().endswith(("新区", "自治县"))}
    starts |= district_starts
    starts |= {m.start() for m in rules.zh_anchor.finditer(text)}
    for match in rules.zh_street_start.finditer(text):
        start = match.start()
        while start < match.end() and text[start] in _LEADING_WORDS:
            start += 1
        starts.add(start)
    covered_until = -1
    for start in sorted(starts):
        if start < covered_until:
            continue  # inside an address already taken: it would only yield a shorter copy
        end, kinds = _consume(text, start)
        if start in district_starts and start not in cue_starts and not kinds & _STREET_LEVEL:
            continue
        if end > start and (kinds & _FINE or (start in cue_starts and "admin" in kinds)):
            covered_until = end
            yield Span(start, end, IdentifierType.ADDRESS, text[start:end])
    for match in rules.en_address.finditer(text):
        start = match.start()
        # "Sunrise Senior Living, 4500 Dexter Ave NW": a named residence written before the street.
        residence = _RESIDENCE_BEFORE.search(text[max(0, start - 60) : start])
        if residence:
            start = max(0, start - 60) + residence.start()
        yield Span(start, match.end(), IdentifierType.ADDRESS, text[start : match.end()].rstrip(", "))
    unit = alternation(lexicon().en.unit_words)
    for cue in rules.en_cue.finditer(text):
        if rules.en_address.match(text, cue.end()):
            continue  # found above, with its proper end
        line = re.match(rf"(?:(?:{unit}|No)\.?\s*#?)?\d[^\n;。]{{3,120}}?"
                        r"(?=[;。\n]|\.\s|\.$|$|\s+(?:with|and|since|for|where|who|until|but|from)\b)", text[cue.end() :])
        if line:
            value = line.group().rstrip(" ,.")
            yield Span(cue.end(), cue.end() + len(value), IdentifierType.ADDRESS, value)


_RESIDENCE_BEFORE = re.compile(r"(?:[A-Z][a-z'’]+\s+){0,3}(?:Living|Home|Homes|Lodge|Manor|House|Residence|Residences|"
                               r"Village|Gardens|Apartments|Towers|Estate|Hall|Retirement Community),\s*$")
# A county or district named by its two characters and its unit (文成县, 朝阳区, 浦东新区): an address
# starts there when street-level parts follow. 病区, 小区, 城区 and the like are no districts.
_DISTRICT_START = re.compile(rf"{_HAN}{{2}}(?:新区|自治县|区|县|旗)")
_NOT_DISTRICT = set("病城景山牧市郊小园校辖疫专分片街老社营")
_STREET_LEVEL = {"street", "number", "building", "block", "unit", "floor", "room"}


def _consume(text: str, start: int) -> tuple[int, set[str]]:
    """Take address components from ``start`` while they follow one another."""
    rules = _rules()
    pos, kinds, last_real = start, set(), start
    last_kind = ""
    limit = min(len(text), start + MAX_ADDRESS_CHARS)
    while pos < limit:
        if last_kind in {"block", "unit", "floor"}:  # 12栋302: the room number without 室
            bare = re.match(r"\d{2,5}(?![\d号楼层室栋])", text[pos:])
            if bare:
                pos += bare.end()
                kinds.add("room")
                last_real, last_kind = pos, "room"
                continue
        for kind, pattern in rules.components:
            if kind == "estate" and last_kind not in {"number", "street", "admin", "place"}:
                continue
            match = pattern.match(text, pos)
            if match and match.end() > pos:
                if kind == "admin" and re.search(r"(?:区|县|旗|镇|乡|街道|村|社区)$", match.group()):
                    kinds.add("admin_fine")
                if kind != "sep":
                    kinds.add(kind)
                    last_real, last_kind = match.end(), kind
                pos = match.end()
                break
        else:
            break
    return last_real, kinds
