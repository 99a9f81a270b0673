"""Attributes people state in free text: duration, severity, age, sex and measured values."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from careguide.language.normalise import normalise
from careguide.language.numbers import EN_NUMBER_WORDS, ZH_NUMERAL_CHARS, parse_number

_EN_UNIT_DAYS = {"minute": 1 / 1440, "min": 1 / 1440, "hour": 1 / 24, "hr": 1 / 24, "day": 1.0, "night": 1.0,
                 "week": 7.0, "wk": 7.0, "month": 30.0, "year": 365.0, "yr": 365.0}
_ZH_UNIT_DAYS = {"分钟": 1 / 1440, "小时": 1 / 24, "钟头": 1 / 24, "天": 1.0, "日": 1.0, "晚": 1.0, "周": 7.0,
                 "星期": 7.0, "礼拜": 7.0, "个月": 30.0, "月": 30.0, "年": 365.0}
_NUM = rf"(\d+(?:\.\d+)?|{EN_NUMBER_WORDS})"
_EN_DURATION = re.compile(
    rf"(?<![a-z0-9.]){_NUM}[\s-]*(?:or\s+\w+\s+)?(minute|min|hour|hr|day|night|week|wk|month|year|yr)s?\b(?![\s-]*old)"
)
_ZH_DURATION = re.compile(
    rf"(\d+(?:\.\d+)?|[{ZH_NUMERAL_CHARS}]+)\s*(?:个)?多?\s*(?:个)?(分钟|小时|钟头|天|日|晚|星期|礼拜|周|个月|月|年)(?:多|半)?(?!大(?!便)|龄|级|后)"
)
_RELATIVE = [
    (re.compile(r"\b(?:just now|a moment ago|suddenly|minutes ago)\b|刚才|刚刚|突然"), 0.02),
    (re.compile(r"\b(?:this morning|this afternoon|this evening|tonight|today|since morning)\b|今天|今早|早上|今晨|上午|下午|晚上"), 0.3),
    (re.compile(r"\b(?:last night|overnight)\b|昨晚|昨天晚上|半夜|夜里"), 0.6),
    (re.compile(r"\b(?:yesterday|since yesterday)\b|昨天|昨日"), 1.0),
    (re.compile(r"\bday before yesterday\b|前天"), 2.0),
    (re.compile(r"\b(?:last week|a week ago)\b|上周|上个星期|上礼拜"), 7.0),
    (re.compile(r"\b(?:last month)\b|上个月"), 30.0),
    (re.compile(r"\b(?:for years|for ages|long time)\b|好几年|很多年|多年|长期|常年"), 365.0),
]
# A stated span that belongs to a diagnosis or habit ("diabetic for 10 years", "糖尿病十年") is history,
# not the duration of the current complaint.
_HISTORY = re.compile(r"history|diagnosed|病史|确诊|患有|患病|糖尿病|高血压|吸烟|抽烟|喝酒|smok|diabet|hypertens|taking|服用|吃药|怀孕|孕|pregnan|出生|born")
# "twice a week", "three times a day" state how often, not how long
_FREQUENCY = re.compile(r"(?:once|twice|times|per|every|each)\s*$")
_CLAUSE = re.compile(r"[^.;!?。；！？,，\n]+")


def duration_days(text: str) -> float | None:
    """How long the complaint has lasted, in days, from the longest span stated outside history clauses."""
    norm = normalise(text)
    spans: list[float] = []
    for clause in _CLAUSE.findall(norm):
        if _HISTORY.search(clause):
            continue
        if _ANY_AGE.search(clause):
            clause = _ANY_AGE.sub(lambda m: " " * len(m.group(0)), clause)
        for m in _EN_DURATION.finditer(clause):
            if _FREQUENCY.search(clause[: m.start()]):
                continue
            number = parse_number(m.group(1))
            if number is not None:
                spans.append(number * _EN_UNIT_DAYS[m.group(2)])
        for m in _ZH_DURATION.finditer(clause):
            if clause[max(0, m.start() - 1): m.start()] in ("每", "隔"):
                continue
            number = parse_number(m.group(1))
            if number is not None:
                tail = 0.5 if clause[m.end() - 1: m.end()] == "半" else 0.0
                spans.append((number + tail) * _ZH_UNIT_DAYS[m.group(2)])
        for regex, days in _RELATIVE:
            if regex.search(clause):
                spans.append(days)
    return max(spans) if spans else None


_EN_SEVERITY = [
    (re.compile(r"\b(?:not (?:too |that |very )?(?:bad|severe|serious)|nothing serious)\b"), 2),
    (re.compile(r"\b(?:worst .{0,20}(?:life|ever)|worst ever|excruciating|unbearable|agoni[sz]ing|can't bear|cannot bear|10/10|10 out of 10)\b"), 10),
    (re.compile(r"\b(?:severe|terrible|horrible|intense|really bad|very bad|extreme|crushing|tearing)\b"), 8),
    (re.compile(r"\b(?:moderate|quite bad|pretty bad|fairly bad)\b"), 5),
    (re.compile(r"\b(?:mild|slight|slightly|a bit|a little|minor|light|niggl)"), 2),
]
_ZH_SEVERITY = [
    (re.compile(r"不严重|不太严重|不是很严重|不厉害|不太疼|不是很疼|不怎么疼"), 2),
    (re.compile(r"打滚|受不了|难以忍受|忍不了|无法忍受|撕裂|要命|疼死|痛死|最厉害|从来没有这么|前所未有|剧痛|剧烈|刀割|爆炸"), 10),
    (re.compile(r"很疼|很痛|非常疼|非常痛|特别疼|特别痛|严重|厉害|很难受|难受得|疼得睡不着|痛得睡不着"), 7),
    (re.compile(r"中等|还能忍|能忍受"), 5),
    (re.compile(r"有点|有些|轻微|一点|稍微|隐隐|轻度|微微"), 2),
]
_SCORE = re.compile(r"(\d{1,2})\s*(?:/\s*10|out of 10|分(?!钟))")


def severity(text: str) -> int | None:
    """0-10 from a stated score or from intensity words; the first rule that matches wins in each language."""
    norm = normalise(text)
    score = _SCORE.search(norm)
    if score and int(score.group(1)) <= 10:
        return int(score.group(1))
    levels = []
    for rules in (_EN_SEVERITY, _ZH_SEVERITY):
        for regex, level in rules:
            if regex.search(norm):
                levels.append(level)
                break
    return max(levels) if levels else None


_AGE_PATTERNS: list[tuple[re.Pattern[str], float]] = [
    (re.compile(rf"{_NUM}[\s-]*(?:day)s?[\s-]*old"), 1 / 365),
    (re.compile(rf"{_NUM}[\s-]*(?:week|wk)s?[\s-]*old"), 7 / 365),
    (re.compile(rf"{_NUM}[\s-]*(?:month|mo)s?[\s-]*old"), 1 / 12),
    (re.compile(rf"{_NUM}[\s-]*(?:year|yr)s?[\s-]*old"), 1.0),
    (re.compile(r"\b(?:aged?|age:?)\s*(\d{1,3})\b"), 1.0),
    (re.compile(r"\b(\d{1,3})\s*(?:yo|y/o|y\.o\.|yrs?)\b"), 1.0),
    (re.compile(r"\bi'?m\s+(\d{1,3})\b(?!\s*(?:weeks?|days?|months?|kg|cm|lbs?))"), 1.0),
    (re.compile(r"(?<![\d.])(\d{1,2})\s*(?:m|f)\b(?!\w)"), 1.0),
    (re.compile(r"出生\s*(\d+|[零一二两三四五六七八九十]+)\s*天"), 1 / 365),
    (re.compile(r"(\d+|[零一二两三四五六七八九十]+)\s*(?:天|日)大(?!便)"), 1 / 365),
    (re.compile(r"(\d+|[零一二两三四五六七八九十]+)\s*(?:周|星期)大(?!便)"), 7 / 365),
    (re.compile(r"(\d+|[零一二两三四五六七八九十半]+)\s*个多?月(?:大(?!便)|的宝宝|的孩子|的婴儿|宝宝|婴儿)"), 1 / 12),
    (re.compile(r"(?:宝宝|孩子|婴儿|小孩)\s*(\d+|[零一二两三四五六七八九十半]+)\s*个多?月"), 1 / 12),
    (re.compile(r"(\d{1,3}|[零一二两三四五六七八九十]+)\s*(?:周)?岁"), 1.0),
    (re.compile(r"(?:年龄|年纪)\s*[:：]?\s*(\d{1,3})"), 1.0),
]


_ANY_AGE = re.compile("|".join(f"(?:{regex.pattern})" for regex, _factor in _AGE_PATTERNS))


def age_years(text: str) -> float | None:
    """The age stated in the text, in years (a 6-week-old is 0.115)."""
    norm = normalise(text)
    for regex, factor in _AGE_PATTERNS:
        m = regex.search(norm)
        if m:
            number = parse_number(m.group(1))
            if number is not None and 0 <= number * factor <= 120:
                return round(number * factor, 4)
    return None


Sex = Literal["female", "male"]
_FEMALE = re.compile(
    r"\b(?:woman|women|female|girl|lady|she|her|mother|mom|mum|wife|daughter|pregnant|ms|mrs|grandmother|grandma)\b"
    r"|(?<![\d.])\d{1,2}\s*f\b|女|妈妈|母亲|妻子|老婆|孕妇|怀孕|她|姑娘|奶奶|外婆|姥姥|闺女|媳妇|婆婆"
)
_MALE = re.compile(
    r"\b(?:man|men|male|boy|he|his|him|father|dad|husband|son|gentleman|mr|grandfather|grandpa)\b"
    r"|(?<![\d.])\d{1,2}\s*m\b|男|先生|儿子|爸爸|父亲|丈夫|老公|他|爷爷|外公|姥爷|小伙"
)


def sex(text: str) -> Sex | None:
    """The patient's sex from the first sex-marked word."""
    norm = normalise(text)
    f, m = _FEMALE.search(norm), _MALE.search(norm)
    if f and (not m or f.start() < m.start()):
        return "female"
    if m:
        return "male"
    return None


@dataclass
class Measurements:
    """Vital signs and glucose stated as numbers; glucose in mmol/L."""

    values: dict[str, float] = field(default_factory=dict)


_TEMP_C = re.compile(r"(\d{2}(?:\.\d)?)\s*(?:°\s*c|℃|度\s*(\d)?|degrees?(?:\s*c(?:elsius)?)?)(?![a-z])")
_TEMP_F = re.compile(r"(\d{2,3}(?:\.\d)?)\s*(?:°\s*f|f\b|fahrenheit|degrees? f)")
_TEMP_CONTEXT = re.compile(r"(?:temp(?:erature)?|体温|发烧|发热|烧到|烧|fever|t)\s*[:：]?\s*(?:of|is|was|到|达|至)?\s*(\d{2}(?:\.\d)?)")
_BP = re.compile(r"(?:bp|blood pressure|血压)?\s*[:：]?\s*(\d{2,3})\s*/\s*(\d{2,3})(?:\s*mm\s*hg)?")
_HR = re.compile(r"(?:hr|heart rate|pulse|心率|脉搏|心跳)\s*[:：]?\s*(?:of|is|was)?\s*(\d{2,3})")
_RR = re.compile(r"(?:rr|resp(?:iratory)? rate|呼吸频率|呼吸)\s*[:：]?\s*(\d{1,2})\s*(?:/min|次|breaths)?")
_SPO2 = re.compile(r"(?:spo2|sp02|sats?|saturation|o2 sat|oxygen(?: saturation)?|血氧(?:饱和度)?)\s*[:：]?\s*(?:of|is|was)?\s*(\d{2,3})\s*%?")
_GLUCOSE = re.compile(r"(?:glucose|blood sugar|sugar|bg|bgl|血糖)\s*[:：]?\s*(?:of|is|was|only|只有|才|到|达)?\s*(\d{1,3}(?:\.\d)?)\s*(mmol|mg)?")


def measurements(text: str) -> dict[str, float]:
    """``{"temperature_c": 39.5, "systolic_bp": 180, "spo2": 88, "glucose_mmol": 2.8, ...}``."""
    norm = normalise(text)
    found: dict[str, float] = {}
    for m in _TEMP_C.finditer(norm):
        value = float(m.group(1)) + (float(m.group(2)) / 10 if m.group(2) else 0.0)
        if 34.0 <= value <= 43.5:
            found["temperature_c"] = max(found.get("temperature_c", 0.0), value)
    for m in _TEMP_F.finditer(norm):
        value = float(m.group(1))
        if 93 <= value <= 110:
            found["temperature_c"] = max(found.get("temperature_c", 0.0), round((value - 32) / 1.8, 1))
    if "temperature_c" not in found:
        for m in _TEMP_CONTEXT.finditer(norm):
            value = float(m.group(1))
            if 35.0 <= value <= 43.5:
                found["temperature_c"] = value
    for m in _BP.finditer(norm):
        sys_bp, dia_bp = float(m.group(1)), float(m.group(2))
        if 50 <= sys_bp <= 300 and 20 <= dia_bp <= 200 and sys_bp > dia_bp:
            found["systolic_bp"], found["diastolic_bp"] = sys_bp, dia_bp
    for kind, regex, low, high in (("heart_rate", _HR, 20, 250), ("resp_rate", _RR, 4, 80), ("spo2", _SPO2, 50, 100)):
        vital = regex.search(norm)
        if vital and low <= float(vital.group(1)) <= high:
            found[kind] = float(vital.group(1))
    glucose = _GLUCOSE.search(norm)
    if glucose:
        value = float(glucose.group(1))
        if glucose.group(2) == "mg" or value > 40:
            value = round(value / 18.0, 1)
        if 0.5 <= value <= 40:
            found["glucose_mmol"] = value
    return found
