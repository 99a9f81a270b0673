"""What the synthetic reports print: items per panel with their printed names, units and ranges.

Names, units and range conventions follow what Chinese hospital/check-up reports (WS/T reference
intervals) and English-language labs print. This is test data, written independently of the
knowledge base, so the evaluation measures the knowledge base's coverage instead of echoing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class UnitVariant:
    unit: str  # printed spelling family key, e.g. "10^9/L"
    low: float | None
    high: float | None
    decimals: int
    spellings: tuple[str, ...] = ()  # printed variants of the unit
    female: tuple[float, float] | None = None  # (low, high) when ranges differ by sex; (low, high) above is male


@dataclass(frozen=True)
class Item:
    loinc: str
    zh: tuple[str, ...]  # printed Chinese names
    en: tuple[str, ...]  # printed English names
    code: str  # abbreviation
    si: UnitVariant
    us: UnitVariant | None = None
    qualitative: bool = False
    low_floor: float = 0.0  # smallest plausible value
    below_detection: float | None = None  # "<x" printed under this value
    critical_high: float | None = None  # in si units; used to place some critical values
    critical_low: float | None = None
    extra: dict[str, str] = field(default_factory=dict)


def U(unit: str, low: float | None, high: float | None, decimals: int, *spellings: str,
      female: tuple[float, float] | None = None) -> UnitVariant:
    return UnitVariant(unit, low, high, decimals, spellings or (unit,), female)


_COUNT9 = ("10^9/L", "×10^9/L", "x10^9/L", "10*9/L", "X10E9/L", "×10⁹/L")
_COUNT12 = ("10^12/L", "×10^12/L", "10*12/L", "X10E12/L", "×10¹²/L")
_UMOL = ("umol/L", "μmol/L", "µmol/L")
_MMOL = ("mmol/L", "mmol/l")

PANELS: dict[str, dict[str, object]] = {}

CBC = [
    Item("6690-2", ("白细胞计数", "白细胞"), ("White blood cell count", "WBC count", "Leukocytes"), "WBC",
         U("10^9/L", 3.5, 9.5, 2, *_COUNT9), U("10^3/uL", 4.0, 11.0, 1, "10^3/uL", "K/uL", "10*3/uL"),
         critical_low=1.0, critical_high=30.0),
    Item("789-8", ("红细胞计数", "红细胞"), ("Red blood cell count", "RBC count", "Erythrocytes"), "RBC",
         U("10^12/L", 4.3, 5.8, 2, *_COUNT12, female=(3.8, 5.1)),
         U("10^6/uL", 4.5, 5.9, 2, "10^6/uL", "M/uL", "10*6/uL", female=(4.1, 5.1))),
    Item("718-7", ("血红蛋白", "血红蛋白浓度"), ("Hemoglobin", "Haemoglobin"), "HGB",
         U("g/L", 130, 175, 0, "g/L", female=(115, 150)), U("g/dL", 13.5, 17.5, 1, "g/dL", female=(12.0, 15.5)),
         critical_low=60),
    Item("4544-3", ("红细胞压积", "红细胞比容"), ("Hematocrit",), "HCT",
         U("%", 40, 50, 1, "%", female=(35, 45)), U("%", 41, 53, 1, "%", female=(36, 46))),
    Item("787-2", ("平均红细胞体积",), ("Mean corpuscular volume", "MCV"), "MCV",
         U("fL", 82, 100, 1, "fL", "fl"), U("fL", 80, 100, 1, "fL")),
    Item("785-6", ("平均红细胞血红蛋白含量", "平均血红蛋白含量"), ("Mean corpuscular hemoglobin", "MCH"), "MCH",
         U("pg", 27, 34, 1, "pg"), U("pg", 27, 33, 1, "pg")),
    Item("786-4", ("平均红细胞血红蛋白浓度", "平均血红蛋白浓度"), ("Mean corpuscular hemoglobin concentration", "MCHC"),
         "MCHC", U("g/L", 316, 354, 0, "g/L"), U("g/dL", 32, 36, 1, "g/dL")),
    Item("788-0", ("红细胞分布宽度CV", "红细胞体积分布宽度"), ("Red cell distribution width", "RDW-CV"), "RDW-CV",
         U("%", 11.0, 16.0, 1, "%"), U("%", 11.5, 14.5, 1, "%")),
    Item("777-3", ("血小板计数", "血小板"), ("Platelet count", "Platelets"), "PLT",
         U("10^9/L", 125, 350, 0, *_COUNT9), U("10^3/uL", 150, 400, 0, "10^3/uL", "K/uL"),
         critical_low=20, critical_high=1000),
    Item("32623-1", ("平均血小板体积",), ("Mean platelet volume", "MPV"), "MPV",
         U("fL", 7.4, 12.5, 1, "fL", "fl"), U("fL", 7.5, 11.5, 1, "fL")),
    Item("770-8", ("中性粒细胞百分比", "中性粒细胞百分率"), ("Neutrophils %",), "NEUT%",
         U("%", 40, 75, 1, "%"), U("%", 40, 70, 1, "%")),
    Item("736-9", ("淋巴细胞百分比", "淋巴细胞百分率"), ("Lymphocytes %",), "LYMPH%",
         U("%", 20, 50, 1, "%"), U("%", 20, 45, 1, "%")),
    Item("5905-5", ("单核细胞百分比",), ("Monocytes %",), "MONO%", U("%", 3, 10, 1, "%"), U("%", 2, 10, 1, "%")),
    Item("713-8", ("嗜酸性粒细胞百分比",), ("Eosinophils %",), "EO%", U("%", 0.4, 8.0, 1, "%"), U("%", 0, 6, 1, "%")),
    Item("751-8", ("中性粒细胞绝对值", "中性粒细胞计数"), ("Neutrophils, absolute", "Absolute neutrophils"), "NEUT#",
         U("10^9/L", 1.8, 6.3, 2, *_COUNT9[:4]), U("10^3/uL", 1.8, 7.7, 1, "10^3/uL"), critical_low=0.5),
    Item("731-0", ("淋巴细胞绝对值", "淋巴细胞计数"), ("Lymphocytes, absolute", "Absolute lymphocytes"), "LYMPH#",
         U("10^9/L", 1.1, 3.2, 2, *_COUNT9[:4]), U("10^3/uL", 1.0, 4.8, 1, "10^3/uL")),
]

LIVER = [
    Item("1742-6", ("丙氨酸氨基转移酶", "谷丙转氨酶"), ("Alanine aminotransferase", "ALT (SGPT)"), "ALT",
         U("U/L", 9, 50, 0, "U/L", "IU/L", female=(7, 40)), U("U/L", 7, 56, 0, "U/L", "IU/L")),
    Item("1920-8", ("天门冬氨酸氨基转移酶", "谷草转氨酶"), ("Aspartate aminotransferase", "AST (SGOT)"), "AST",
         U("U/L", 15, 40, 0, "U/L", "IU/L", female=(13, 35)), U("U/L", 10, 40, 0, "U/L", "IU/L")),
    Item("2324-2", ("γ-谷氨酰转移酶", "谷氨酰转肽酶"), ("Gamma-glutamyl transferase", "GGT"), "GGT",
         U("U/L", 10, 60, 0, "U/L", female=(7, 45)), U("U/L", 8, 61, 0, "U/L")),
    Item("6768-6", ("碱性磷酸酶",), ("Alkaline phosphatase",), "ALP",
         U("U/L", 45, 125, 0, "U/L"), U("U/L", 44, 147, 0, "U/L", "IU/L")),
    Item("1975-2", ("总胆红素",), ("Total bilirubin", "Bilirubin, total"), "TBIL",
         U("umol/L", 0, 23, 1, *_UMOL), U("mg/dL", 0.1, 1.2, 1, "mg/dL")),
    Item("1968-7", ("直接胆红素",), ("Direct bilirubin", "Bilirubin, direct"), "DBIL",
         U("umol/L", 0, 8, 1, *_UMOL), U("mg/dL", 0.0, 0.3, 1, "mg/dL")),
    Item("2885-2", ("总蛋白",), ("Total protein", "Protein, total"), "TP",
         U("g/L", 65, 85, 1, "g/L"), U("g/dL", 6.0, 8.3, 1, "g/dL")),
    Item("1751-7", ("白蛋白",), ("Albumin",), "ALB", U("g/L", 40, 55, 1, "g/L"), U("g/dL", 3.5, 5.0, 1, "g/dL")),
]

KIDNEY_GLUCOSE = [
    Item("2160-0", ("肌酐",), ("Creatinine",), "CREA",
         U("umol/L", 57, 111, 0, *_UMOL, female=(41, 81)), U("mg/dL", 0.74, 1.35, 2, "mg/dL", female=(0.59, 1.04))),
    Item("3091-6", ("尿素", "尿素氮"), ("Urea",), "UREA", U("mmol/L", 3.1, 8.0, 2, *_MMOL), None),
    Item("3094-0", ("血尿素氮",), ("Blood urea nitrogen", "BUN"), "BUN", U("mmol/L", 2.9, 8.2, 2, *_MMOL),
         U("mg/dL", 7, 20, 0, "mg/dL")),
    Item("3084-1", ("尿酸",), ("Uric acid",), "UA",
         U("umol/L", 208, 428, 0, *_UMOL, female=(155, 357)), U("mg/dL", 3.5, 7.2, 1, "mg/dL", female=(2.6, 6.0))),
    Item("2345-7", ("葡萄糖", "空腹血糖"), ("Glucose", "Glucose, fasting"), "GLU",
         U("mmol/L", 3.9, 6.1, 2, *_MMOL), U("mg/dL", 70, 99, 0, "mg/dL"), critical_low=2.8, critical_high=25),
    Item("4548-4", ("糖化血红蛋白",), ("Hemoglobin A1c", "HbA1c"), "HbA1c",
         U("%", 4.0, 6.0, 1, "%"), U("%", 4.0, 5.6, 1, "%")),
]

LIPIDS = [
    Item("2093-3", ("总胆固醇",), ("Total cholesterol", "Cholesterol, total"), "TC",
         U("mmol/L", None, 5.2, 2, *_MMOL), U("mg/dL", None, 200, 0, "mg/dL")),
    Item("2571-8", ("甘油三酯",), ("Triglycerides",), "TG",
         U("mmol/L", None, 1.7, 2, *_MMOL), U("mg/dL", None, 150, 0, "mg/dL")),
    Item("2085-9", ("高密度脂蛋白胆固醇",), ("HDL cholesterol",), "HDL-C",
         U("mmol/L", 1.04, None, 2, *_MMOL), U("mg/dL", 40, None, 0, "mg/dL")),
    Item("13457-7", ("低密度脂蛋白胆固醇",), ("LDL cholesterol (calculated)", "LDL cholesterol"), "LDL-C",
         U("mmol/L", None, 3.4, 2, *_MMOL), U("mg/dL", None, 130, 0, "mg/dL")),
]

ELECTROLYTES = [
    Item("2823-3", ("钾", "血钾"), ("Potassium",), "K", U("mmol/L", 3.5, 5.3, 2, *_MMOL), U("mmol/L", 3.5, 5.1, 1, "mmol/L", "mEq/L"),
         critical_low=2.5, critical_high=6.5),
    Item("2951-2", ("钠", "血钠"), ("Sodium",), "Na", U("mmol/L", 137, 147, 1, *_MMOL), U("mmol/L", 136, 145, 0, "mmol/L", "mEq/L"),
         critical_low=120, critical_high=160),
    Item("2075-0", ("氯", "血氯"), ("Chloride",), "Cl", U("mmol/L", 99, 110, 1, *_MMOL), U("mmol/L", 98, 107, 0, "mmol/L")),
    Item("17861-6", ("钙", "血钙"), ("Calcium",), "Ca", U("mmol/L", 2.11, 2.52, 2, *_MMOL), U("mg/dL", 8.6, 10.3, 1, "mg/dL"),
         critical_low=1.6, critical_high=3.5),
    Item("2028-9", ("二氧化碳", "总二氧化碳"), ("Carbon dioxide", "CO2, total"), "CO2",
         U("mmol/L", 22, 29, 1, *_MMOL), U("mmol/L", 22, 29, 0, "mmol/L")),
]

URINE = [
    Item("5803-2", ("酸碱度", "尿酸碱度"), ("pH",), "pH", U("", 4.5, 8.0, 1, "")),
    Item("5811-5", ("比重", "尿比重"), ("Specific gravity",), "SG", U("", 1.003, 1.030, 3, "")),
    Item("20454-5", ("尿蛋白", "蛋白质"), ("Protein",), "PRO", U("", None, None, 0, ""), qualitative=True),
    Item("25428-4", ("尿糖", "葡萄糖"), ("Glucose",), "GLU", U("", None, None, 0, ""), qualitative=True),
    Item("2514-8", ("酮体", "尿酮体"), ("Ketones",), "KET", U("", None, None, 0, ""), qualitative=True),
    Item("5794-3", ("隐血", "尿隐血"), ("Blood",), "BLD", U("", None, None, 0, ""), qualitative=True),
    Item("5799-2", ("白细胞酯酶", "尿白细胞"), ("Leukocyte esterase",), "LEU", U("", None, None, 0, ""), qualitative=True),
    Item("5802-4", ("亚硝酸盐",), ("Nitrite",), "NIT", U("", None, None, 0, ""), qualitative=True),
]

COAGULATION = [
    Item("5902-2", ("凝血酶原时间",), ("Prothrombin time", "PT"), "PT", U("s", 9.4, 12.5, 1, "s", "S", "秒", "sec")),
    Item("6301-6", ("国际标准化比值", "PT国际标准化比值"), ("INR",), "INR", U("", 0.8, 1.2, 2, "")),
    Item("3173-2", ("活化部分凝血活酶时间",), ("Activated partial thromboplastin time", "aPTT"), "APTT",
         U("s", 25.1, 36.5, 1, "s", "S", "秒", "sec")),
    Item("3255-7", ("纤维蛋白原",), ("Fibrinogen",), "FIB", U("g/L", 2.0, 4.0, 2, "g/L"), U("mg/dL", 200, 400, 0, "mg/dL")),
    Item("3243-3", ("凝血酶时间",), ("Thrombin time",), "TT", U("s", 10.3, 16.6, 1, "s", "S", "秒")),
]

THYROID = [
    Item("3016-3", ("促甲状腺激素", "促甲状腺素"), ("TSH", "Thyroid stimulating hormone"), "TSH",
         U("mIU/L", 0.27, 4.2, 2, "mIU/L", "uIU/mL", "μIU/mL")),
    Item("3024-7", ("游离甲状腺素",), ("Free T4", "Thyroxine, free"), "FT4",
         U("pmol/L", 12.0, 22.0, 1, "pmol/L"), U("ng/dL", 0.8, 1.8, 2, "ng/dL")),
    Item("3051-0", ("游离三碘甲状腺原氨酸",), ("Free T3",), "FT3", U("pmol/L", 3.1, 6.8, 2, "pmol/L"),
         U("pg/mL", 2.3, 4.2, 1, "pg/mL")),
]

INFLAMMATION_CARDIAC = [
    Item("1988-5", ("C反应蛋白", "C-反应蛋白"), ("C-reactive protein", "CRP"), "CRP",
         U("mg/L", 0, 10, 1, "mg/L"), U("mg/L", 0, 8, 1, "mg/L"), below_detection=0.5),
    Item("2157-6", ("肌酸激酶",), ("Creatine kinase", "CK, total"), "CK", U("U/L", 50, 310, 0, "U/L"), U("U/L", 30, 200, 0, "U/L")),
    Item("2276-4", ("铁蛋白", "血清铁蛋白"), ("Ferritin",), "FER", U("ng/mL", 30, 400, 1, "ng/mL", "ug/L", "μg/L"),
         U("ng/mL", 24, 336, 0, "ng/mL")),
]

PANEL_ITEMS: dict[str, list[Item]] = {
    "cbc": CBC,
    "liver": LIVER,
    "kidney_glucose": KIDNEY_GLUCOSE,
    "lipids": LIPIDS,
    "electrolytes": ELECTROLYTES,
    "urine": URINE,
    "coagulation": COAGULATION,
    "thyroid": THYROID,
    "inflammation_cardiac": INFLAMMATION_CARDIAC,
}

PANEL_TITLES: dict[str, tuple[str, str]] = {
    "cbc": ("血常规", "Complete Blood Count (CBC)"),
    "liver": ("肝功能", "Hepatic Function Panel"),
    "kidney_glucose": ("肾功能+血糖", "Renal Function and Glucose"),
    "lipids": ("血脂四项", "Lipid Panel"),
    "electrolytes": ("电解质", "Electrolytes"),
    "urine": ("尿常规", "Urinalysis"),
    "coagulation": ("凝血四项", "Coagulation Panel"),
    "thyroid": ("甲状腺功能", "Thyroid Function"),
    "inflammation_cardiac": ("炎症与心肌酶", "Inflammation and Muscle Enzymes"),
}

# Compound reports: 生化 (biochemistry) is what Chinese check-ups print on one sheet.
COMBINED: dict[str, list[str]] = {
    "biochemistry": ["liver", "kidney_glucose", "lipids"],
    "metabolic": ["kidney_glucose", "electrolytes", "liver"],
}
COMBINED_TITLES: dict[str, tuple[str, str]] = {
    "biochemistry": ("生化全项", "Biochemistry Panel"),
    "metabolic": ("生化（肝肾功能+电解质）", "Comprehensive Metabolic Panel"),
}

# Rows that no knowledge base should recognise: kept on the report so "not recognised" is measured.
UNKNOWN_ROWS = [
    ("血清XYZ因子", "Serum factor XYZ", "XYZ", "U/mL", 0, 20, 1),
    ("实验性标志物QK7", "Experimental marker QK7", "QK7", "ng/mL", 0, 5, 2),
]

QUALITATIVE_WORDS = {
    "zh": {"negative": "阴性", "trace": "弱阳性(±)", "1+": "阳性(+)", "2+": "阳性(++)", "3+": "阳性(+++)"},
    "zh_sign": {"negative": "-", "trace": "±", "1+": "+", "2+": "++", "3+": "+++"},
    "en": {"negative": "Negative", "trace": "Trace", "1+": "1+", "2+": "2+", "3+": "3+"},
}
