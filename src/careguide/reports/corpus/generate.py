"""Report specifications with gold rows: deterministic for a seed, varied in every printed convention."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from careguide.reports.corpus.items import (
    COMBINED,
    COMBINED_TITLES,
    PANEL_ITEMS,
    PANEL_TITLES,
    QUALITATIVE_WORDS,
    UNKNOWN_ROWS,
    Item,
    UnitVariant,
)

LAYOUTS = ("zh_table", "zh_flag_last", "zh_two_column", "en_lab", "en_compact")


@dataclass
class GoldRow:
    printed_name: str
    loinc: str | None
    value: float | str  # number, or a normalised qualitative word (negative, trace, 1+ ...)
    unit: str  # as printed ("" when none)
    range_low: float | None
    range_high: float | None
    range_qualitative: str | None
    flag: str  # N, H, L, A


@dataclass
class Segment:
    x: float  # left edge as a fraction of the text width
    text: str


@dataclass
class CorpusReport:
    id: str
    lang: str
    layout: str
    panel: str
    sex: str
    age: int
    report_date: date
    specimen: str
    lines: list[list[Segment]] = field(default_factory=list)
    gold: list[GoldRow] = field(default_factory=list)


def generate_corpus(n: int = 96, seed: int = 20240501) -> list[CorpusReport]:
    """``n`` reports cycling through layouts and panels; the same seed always gives the same corpus."""
    rng = random.Random(seed)
    panels = [*PANEL_ITEMS, *COMBINED]
    reports = []
    for i in range(n):
        layout = LAYOUTS[i % len(LAYOUTS)]
        panel = panels[(i // len(LAYOUTS) + i) % len(panels)]
        if layout == "zh_two_column" and len(_items(panel)) < 10:
            panel = "cbc" if i % 2 else "biochemistry"
        reports.append(_report(f"r{i:03d}", layout, panel, random.Random(rng.random())))
    return reports


def _items(panel: str) -> list[Item]:
    if panel in COMBINED:
        return [item for part in COMBINED[panel] for item in PANEL_ITEMS[part]]
    return PANEL_ITEMS[panel]


def _report(report_id: str, layout: str, panel: str, rng: random.Random) -> CorpusReport:
    lang = "zh" if layout.startswith("zh") else "en"
    sex = rng.choice(["male", "female"])
    report = CorpusReport(
        id=report_id, lang=lang, layout=layout, panel=panel, sex=sex, age=rng.randint(18, 85),
        report_date=date(2023, 1, 1) + timedelta(days=rng.randint(0, 700)),
        specimen="urine" if panel == "urine" else ("whole_blood" if panel == "cbc" else "serum"),
    )
    us_units = lang == "en" and rng.random() < 0.6
    items = _items(panel)
    critical_at = rng.randrange(len(items)) if rng.random() < 0.15 else -1
    rows: list[tuple[Item | None, GoldRow, dict[str, str]]] = []
    for position, item in enumerate(items):
        unit = item.us if us_units and item.us is not None else item.si
        rows.append((item, *_row(item, unit, lang, layout, sex, rng, critical=position == critical_at)))
    if rng.random() < 0.25:
        rows.insert(rng.randrange(len(rows) + 1), (None, *_unknown_row(lang, rng)))
    report.gold = [gold for _, gold, _ in rows]
    report.lines = _layout_lines(report, [printed for _, _, printed in rows], rng)
    return report


def _row(item: Item, unit: UnitVariant, lang: str, layout: str, sex: str, rng: random.Random,
         critical: bool) -> tuple[GoldRow, dict[str, str]]:
    name = rng.choice(item.zh if lang == "zh" else item.en)
    if item.qualitative:
        return _qualitative_row(item, name, lang, rng)
    low, high = (unit.female if sex == "female" and unit.female else (unit.low, unit.high))
    value, comparator = _value(item, unit, low, high, rng, critical)
    text_value = f"{comparator}{value:.{unit.decimals}f}"
    value = float(f"{value:.{unit.decimals}f}")
    flag = "N"
    if high is not None and value > high and comparator != "<":
        flag = "H"
    elif low is not None and value < low and comparator != ">":
        flag = "L"
    range_text, gold_low, gold_high = _range_text(unit, low, high, lang, rng, by_sex_allowed=layout != "zh_two_column")
    printed = {"name": name, "code": item.code, "value": text_value, "flag": _flag_text(flag, lang, layout, rng),
               "unit": rng.choice(unit.spellings), "range": range_text}
    gold = GoldRow(name, item.loinc, value, printed["unit"], gold_low, gold_high, None, flag)
    return gold, printed


def _value(item: Item, unit: UnitVariant, low: float | None, high: float | None, rng: random.Random,
           critical: bool) -> tuple[float, str]:
    lo = low if low is not None else (high or 1) * 0.3
    hi = high if high is not None else (low or 1) * 2.5
    span = hi - lo
    if critical and unit is item.si and (item.critical_high is not None or item.critical_low is not None):
        if item.critical_high is not None and (item.critical_low is None or rng.random() < 0.5):
            return item.critical_high * rng.uniform(1.05, 1.3), ""
        assert item.critical_low is not None
        return item.critical_low * rng.uniform(0.6, 0.95), ""
    roll = rng.random()
    if roll < 0.72:
        value = rng.uniform(lo + 0.05 * span, hi - 0.05 * span)
    elif roll < 0.86:
        value = hi + span * rng.uniform(0.05, 0.6)
    else:
        value = max(lo - span * rng.uniform(0.05, 0.4), item.low_floor + 10 ** -unit.decimals)
    if item.below_detection is not None and unit is item.si and value < item.below_detection:
        return item.below_detection, "<"
    return value, ""


def _qualitative_row(item: Item, name: str, lang: str, rng: random.Random) -> tuple[GoldRow, dict[str, str]]:
    found = rng.choices(["negative", "trace", "1+", "2+", "3+"], weights=[70, 8, 10, 8, 4])[0]
    style = "en" if lang == "en" else rng.choice(["zh", "zh_sign"])
    words = QUALITATIVE_WORDS[style]
    expected = words["negative"]
    printed = {"name": name, "code": item.code, "value": words[found], "flag": "" if found == "negative" else
               ("*" if lang == "en" else "↑"), "unit": "", "range": expected}
    if printed["flag"] == "↑" and rng.random() < 0.5:
        printed["flag"] = ""
    gold = GoldRow(name, item.loinc, found, "", None, None, "negative", "N" if found == "negative" else "A")
    return gold, printed


def _unknown_row(lang: str, rng: random.Random) -> tuple[GoldRow, dict[str, str]]:
    zh, en, code, unit, low, high, decimals = rng.choice(UNKNOWN_ROWS)
    value = round(rng.uniform(low, high * 1.3), decimals)
    flag = "H" if value > high else "N"
    name = zh if lang == "zh" else en
    printed = {"name": name, "code": code, "value": f"{value:.{decimals}f}", "flag": _flag_text(flag, lang, "", rng),
               "unit": unit, "range": f"{low}-{high}"}
    return GoldRow(name, None, value, unit, float(low), float(high), None, flag), printed


def _range_text(unit: UnitVariant, low: float | None, high: float | None, lang: str,
                rng: random.Random, by_sex_allowed: bool = True) -> tuple[str, float | None, float | None]:
    d = unit.decimals

    def f(x: float) -> str:
        return f"{x:.{d}f}"

    if low is not None and high is not None:
        sep = rng.choice(["-", "～", "--", " - ", "~"] if lang == "zh" else ["-", " - ", "-", " to "])
        if unit.female and lang == "zh" and rng.random() < 0.3 and by_sex_allowed:
            male = (unit.low, unit.high)
            female = unit.female
            text = f"男:{f(male[0] or 0)}-{f(male[1] or 0)} 女:{f(female[0])}-{f(female[1])}"
            return text, low, high
        if low == 0 and rng.random() < 0.5:
            return rng.choice(["<", "≤"]) + f(high), None, high
        return f"{f(low)}{sep}{f(high)}", low, high
    if high is not None:
        return rng.choice(["<", "≤", "< "]) + f(high), None, high
    assert low is not None
    return rng.choice([">", "≥", "> "]) + f(low), low, None


def _flag_text(flag: str, lang: str, layout: str, rng: random.Random) -> str:
    if flag == "N":
        return ""
    if lang == "zh":
        style = rng.choice(["arrow", "arrow", "letter", "word"])
        return {"arrow": {"H": "↑", "L": "↓"}, "letter": {"H": "H", "L": "L"},
                "word": {"H": "偏高", "L": "偏低"}}[style][flag]
    return {"H": "H", "L": "L"}[flag] if rng.random() < 0.85 else "*"


def _layout_lines(report: CorpusReport, rows: list[dict[str, str]], rng: random.Random) -> list[list[Segment]]:
    zh = report.lang == "zh"
    title, sex_text = _titles(report)
    lines: list[list[Segment]] = [[Segment(0.25, title[0])], [Segment(0.3, title[1])]]
    if zh:
        lines.append([Segment(0, f"姓名：{rng.choice('张王李赵刘陈')}**"), Segment(0.3, f"性别：{sex_text}"),
                      Segment(0.55, f"年龄：{report.age}岁"), Segment(0.75, "科室：内科门诊")])
        specimen = {"urine": "尿液", "whole_blood": "全血", "serum": "血清"}[report.specimen]
        lines.append([Segment(0, f"标本类型：{specimen}"), Segment(0.3, f"送检日期：{report.report_date - timedelta(days=1)}"),
                      Segment(0.62, f"报告日期：{report.report_date}")])
    else:
        lines.append([Segment(0, f"Patient: {rng.choice(['DOE', 'SMITH', 'LEE'])}, J"), Segment(0.35, f"Sex: {sex_text}"),
                      Segment(0.6, f"Age: {report.age} y")])
        specimen = {"urine": "Urine", "whole_blood": "Whole blood", "serum": "Serum"}[report.specimen]
        lines.append([Segment(0, f"Specimen: {specimen}"), Segment(0.35, f"Collected: {report.report_date}"),
                      Segment(0.65, f"Reported: {report.report_date}")])
    lines.append([])
    layout = report.layout
    if layout == "zh_two_column":
        half = (len(rows) + 1) // 2
        heads = ["项目", "结果", "单位", "参考范围"]
        xs = [0.0, 0.2, 0.29, 0.38]
        lines.append([Segment(x, h) for x, h in zip(xs, heads, strict=True)]
                     + [Segment(x + 0.52, h) for x, h in zip(xs, heads, strict=True)])
        for i in range(half):
            line: list[Segment] = []
            for offset, row in ((0.0, rows[i]), (0.52, rows[i + half] if i + half < len(rows) else None)):
                if row is None:
                    continue
                cells = [row["code"] if len(row["name"]) > 6 else row["name"], row["value"] + row["flag"],
                         row["unit"], row["range"]]
                line.extend(Segment(x + offset, c) for x, c in zip(xs, cells, strict=True) if c)
            lines.append(line)
        # the two-column layout prints codes for long names: keep gold names in step
        for i, row in enumerate(rows):
            if len(row["name"]) > 6:
                report.gold[i].printed_name = row["code"]
    else:
        heads, xs, cells_of = _columns(layout)
        lines.append([Segment(x, h) for x, h in zip(xs, heads, strict=True)])
        for number, row in enumerate(rows, start=1):
            cells = cells_of(row, number)
            lines.append([Segment(x, c) for x, c in zip(xs, cells, strict=True) if c])
    lines.append([])
    if zh:
        lines.append([Segment(0, "检验者：李**"), Segment(0.3, "审核者：王**"), Segment(0.6, "本报告仅对所检标本负责")])
        lines.append([Segment(0.4, "第1页/共1页")])
    else:
        lines.append([Segment(0, "Reference intervals are laboratory-specific. Reviewed by: K. Patel, MD")])
        lines.append([Segment(0.4, "Page 1 of 1")])
    return lines


def _titles(report: CorpusReport) -> tuple[tuple[str, str], str]:
    zh = report.lang == "zh"
    names = COMBINED_TITLES.get(report.panel) or PANEL_TITLES[report.panel]
    if zh:
        return ("第一人民医院检验报告单", names[0]), "男" if report.sex == "male" else "女"
    return ("Northside Clinical Laboratory", names[1]), "M" if report.sex == "male" else "F"


def _columns(layout: str):  # type: ignore[no-untyped-def]
    if layout == "zh_table":
        return (["序号", "项目名称", "缩写", "结果", "提示", "单位", "参考范围"], [0.0, 0.06, 0.34, 0.45, 0.55, 0.62, 0.78],
                lambda r, n: [str(n), r["name"], r["code"], r["value"], r["flag"], r["unit"], r["range"]])
    if layout == "zh_flag_last":
        return (["检查项目", "结果", "单位", "参考值", "提示"], [0.0, 0.42, 0.54, 0.68, 0.88],
                lambda r, n: [f"{r['name']}({r['code']})", r["value"], r["unit"], r["range"], r["flag"]])
    if layout == "en_lab":
        return (["Test", "Result", "Flag", "Units", "Reference Range"], [0.0, 0.44, 0.55, 0.63, 0.8],
                lambda r, n: [r["name"], r["value"], r["flag"], r["unit"], r["range"]])
    return (["Test", "Result", "Reference"], [0.0, 0.55, 0.75],
            lambda r, n: [f"{r['name']} ({r['unit']})" if r["unit"] else r["name"],
                          f"{r['value']} {r['flag']}".strip(), r["range"]])
