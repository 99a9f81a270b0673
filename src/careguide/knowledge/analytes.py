"""Laboratory analytes: the typed schema, the YAML loader and the lookup index.

The data lives in ``knowledge/data/labs/*.yaml`` (one file per panel, top-level key
``analytes``); ``_units.yaml`` holds unit spellings and the unit dimensions used to
derive conversion factors, so a new analyte or unit is a data change, not code.

    index = load_analytes()
    alt = index.lookup("谷丙转氨酶")            # -> Analyte(id="alt", ...)
    index.convert(alt, 0.5, "ukat/L")           # -> 30.0 (U/L)
    index.normalise_unit("×10⁹/L")              # -> "10^9/L"
    index.lookup("GLU", panel="urinalysis")     # short names shared by panels need a hint
                                                #    (panel, specimen, unit or qualitative)
"""

from __future__ import annotations

import math
import re
import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from careguide.i18n import t

LABS_DIR = Path(__file__).parent / "data" / "labs"
UNITS_FILE = LABS_DIR / "_units.yaml"
ADULT_DEFAULT_AGE = 40.0

Sex = Literal["any", "male", "female"]


class Text(BaseModel):
    """A text in both languages; neither may be empty."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str = Field(min_length=1)
    zh: str = Field(min_length=1)

    def get(self, lang: str | None) -> str:
        return self.zh if (lang or "").lower().startswith("zh") else self.en


class RefRange(BaseModel):
    """One reference interval, in the analyte's canonical unit; bounds are inclusive."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    low: float | None = None
    high: float | None = None
    sex: Sex = "any"
    age_min: float | None = None  # years, inclusive
    age_max: float | None = None  # years, exclusive
    source: str = Field(min_length=3)
    note: str | None = None

    @model_validator(mode="after")
    def _bounds_in_order(self) -> RefRange:
        if self.low is None and self.high is None:
            raise ValueError("a reference range needs a low or a high bound")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"reference range low {self.low} is above high {self.high}")
        return self

    def fits(self, sex: str | None, age: float) -> bool:
        sex_ok = self.sex == "any" or self.sex == sex
        return sex_ok and (self.age_min is None or age >= self.age_min) and (
            self.age_max is None or age < self.age_max
        )


class Analyte(BaseModel):
    """One laboratory measurement as the knowledge base knows it."""

    model_config = ConfigDict(extra="forbid")
    id: str = Field(pattern=r"^[a-z0-9_]+$")
    loinc: str = Field(pattern=r"^\d{1,7}-\d$")
    # Same analyte measured on another specimen/method (e.g. glucose in blood 2339-0 vs
    # serum/plasma 2345-7): FHIR data coded that way still resolves to this entry.
    alt_loinc: list[str] = Field(default_factory=list)
    name: Text
    aliases: list[str] = Field(min_length=1)
    # Short names that mean this analyte only on a given panel or with a fitting unit
    # ("GLU" on a urinalysis, "WBC" in urine sediment); they lose to ``aliases`` otherwise.
    context_aliases: list[str] = Field(default_factory=list)
    panel: str = Field(pattern=r"^[a-z_]+$")
    specimen: Literal["blood", "serum", "plasma", "urine", "stool"] = "serum"
    kind: Literal["quantitative", "qualitative"]
    unit: str  # canonical unit as printed in China (SI); "" for unitless values
    ucum: str
    conversions: dict[str, float] = Field(default_factory=dict)  # unit -> multiply to get canonical
    # Non-proportional conversions: canonical = slope * value + intercept (HbA1c mmol/mol -> %).
    affine: dict[str, tuple[float, float]] = Field(default_factory=dict)
    # Units this analyte is legitimately printed in that have no fixed factor to the canonical
    # unit (assay-specific: Lp(a) in nmol/L, HBsAg in IU/mL vs S/CO); read them against the
    # report's own range. convert() raises UnitNotConvertible for them.
    assay_units: list[str] = Field(default_factory=list)
    molecular_weight: float | None = None  # g/mol of what the value counts
    ranges: list[RefRange] = Field(default_factory=list)
    critical_low: float | None = None
    critical_high: float | None = None
    critical_source: str | None = None
    normal_qualitative: list[str] | None = None
    # For a qualitative result, *_high describe any result outside normal_qualitative.
    meaning_high: Text | None = None
    meaning_low: Text | None = None
    next_steps_high: Text | None = None
    next_steps_low: Text | None = None
    department: str
    sources: list[str] = Field(min_length=1)

    @field_validator("loinc", "alt_loinc")
    @classmethod
    def _loinc_check_digit(cls, value: str | list[str]) -> str | list[str]:
        for code in [value] if isinstance(value, str) else value:
            if not loinc_check_digit_ok(code):
                raise ValueError(f"LOINC {code} fails its mod-10 check digit")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Analyte:
        if (self.critical_low is not None or self.critical_high is not None) and not self.critical_source:
            raise ValueError(f"{self.id}: critical limits need a critical_source")
        if self.kind == "qualitative" and not self.normal_qualitative:
            raise ValueError(f"{self.id}: a qualitative analyte needs normal_qualitative")
        if self.kind == "quantitative" and not self.ranges:
            raise ValueError(f"{self.id}: a quantitative analyte needs at least one reference range")
        if self.meaning_high is not None and self.next_steps_high is None:
            raise ValueError(f"{self.id}: meaning_high without next_steps_high")
        if self.meaning_low is not None and self.next_steps_low is None:
            raise ValueError(f"{self.id}: meaning_low without next_steps_low")
        return self

    @property
    def all_loinc(self) -> list[str]:
        return [self.loinc, *self.alt_loinc]


class UnitMismatch(ValueError):
    """A unit that cannot express this analyte (or that no conversion is known for)."""

    def __init__(self, analyte: Analyte, unit: str | None) -> None:
        self.analyte_id = analyte.id
        self.unit = unit or ""
        self.expected = analyte.unit
        self.analyte_name = analyte.name
        super().__init__(f"unit {self.unit!r} does not fit analyte {analyte.id!r} (canonical {analyte.unit!r})")

    def message(self, lang: str | None = None) -> str:
        """The error as a sentence for the person, in their language."""
        return t("labs.unit_mismatch", lang, name=self.analyte_name.get(lang), unit=self.unit or "-",
                 expected=self.expected or "-")


class UnitNotConvertible(UnitMismatch):
    """A unit that fits the analyte but has no fixed factor to its canonical unit."""

    def message(self, lang: str | None = None) -> str:
        return t("labs.unit_not_convertible", lang, name=self.analyte_name.get(lang), unit=self.unit or "-")


class _UnitTable(BaseModel):
    model_config = ConfigDict(extra="forbid")
    # dimension -> unit -> factor to that dimension's first-listed unit
    dimensions: dict[str, dict[str, float]]
    # dimension pairs bridged by molecular weight: mass (g/L base) and substance (mol/L base)
    mass_dimension: str
    substance_dimension: str
    spellings: dict[str, str]  # variant (compared case-insensitively) -> canonical spelling


def loinc_check_digit_ok(code: str) -> bool:
    """LOINC codes end in a mod-10 (Luhn) check digit over the part before the hyphen."""
    body, _, check = code.partition("-")
    if not body.isdigit() or not check.isdigit():
        return False
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit *= 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10 == int(check)


_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUPERSCRIPT_RUN = re.compile(r"([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_POWER_OF_TEN = re.compile(r"^[x×*]?10(?:\^|\*\*|\*|e|\s)\s*(\d{1,2})(?=/)", re.IGNORECASE)
# OCR and plain-text copies drop the superscript: "×109/L" can only mean 10^9/L.
_FLATTENED_POWER = re.compile(r"^[x×*]?10(3|6|9|12)(?=/)", re.IGNORECASE)
_NAME_DROP = re.compile(r"[\s\-_·.,:;'\"`’‘“”]+")
_LEADING_MARKS = re.compile(r"^[*★☆▲△▼▽※#+]+")
_BRACKETED = re.compile(r"[(\[]([^()\[\]]*)[)\]]")
# LOINC long names and FHIR displays append property, specimen and method:
# "Leukocytes [#/volume] in Blood by Automated count" -> "Leukocytes".
_LOINC_QUALIFIERS = re.compile(
    r"\s\[|\s(?:in|of)\s(?:serum|plasma|blood|urine|stool|venous|arterial|capillary)\b|\sby\s", re.IGNORECASE)


def name_key(text: str) -> str:
    """Case-, width- and spacing-insensitive key for matching analyte names."""
    text = unicodedata.normalize("NFKC", text).replace("µ", "u").replace("μ", "u")
    return _NAME_DROP.sub("", text).casefold()


def _name_keys(text: str) -> list[str]:
    """The keys to try for a printed name, most literal first: whole; LOINC-style name without
    property, specimen and method; without brackets; "Bilirubin, Total" read as "Total Bilirubin";
    then each bracket's content."""
    plain = unicodedata.normalize("NFKC", text).strip()
    plain = _LEADING_MARKS.sub("", plain).strip()
    forms = [plain, _LOINC_QUALIFIERS.split(plain, maxsplit=1)[0], _BRACKETED.sub("", plain).strip()]
    for form in list(forms):
        head, comma, tail = form.partition(",")
        if comma and tail.strip():
            forms.append(f"{tail.strip()} {head.strip()}")
    keys = [name_key(form) for form in forms] + [name_key(inner) for inner in _BRACKETED.findall(plain)]
    return [key for key in dict.fromkeys(keys) if key]


class AnalyteIndex:
    """All analytes, indexed by id, LOINC code and every alias."""

    def __init__(self, analytes: list[Analyte], units: _UnitTable) -> None:
        self._units = units
        self._spelling = {self._unit_key(k): v for k, v in units.spellings.items()}
        for dimension in units.dimensions.values():
            for unit in dimension:
                self._spelling.setdefault(self._unit_key(unit), unit)
        self._dimension_of = {u: (dim, f) for dim, table in units.dimensions.items() for u, f in table.items()}
        self.analytes = [self._with_derived_conversions(a) for a in analytes]
        self.by_id = {a.id: a for a in self.analytes}
        self.by_loinc = {code: a for a in self.analytes for code in a.all_loinc}
        self._primary: dict[str, Analyte] = {}
        self._contextual: dict[str, list[Analyte]] = {}
        for analyte in self.analytes:
            for alias in [analyte.id, analyte.name.en, analyte.name.zh, *analyte.aliases]:
                self._primary.setdefault(name_key(alias), analyte)
            for alias in analyte.context_aliases:
                self._contextual.setdefault(name_key(alias), []).append(analyte)

    # -- names -------------------------------------------------------------------------
    def lookup(self, name: str, *, unit: str | None = None, panel: str | None = None,
               specimen: str | None = None, qualitative: bool | None = None) -> Analyte | None:
        """The analyte a printed name means, or None.

        Hints resolve short names that differ by panel: "GLU" on a urinalysis is urine
        glucose, "WBC" with unit "/uL" is the urine white-cell count.
        """
        for key in _name_keys(name):
            candidates = self.candidates_for_key(key)
            if candidates:
                return max(candidates, key=lambda a: self._fit_score(a, key, unit, panel, specimen, qualitative))
        return None

    def candidates(self, name: str) -> list[Analyte]:
        """Every analyte a printed name may mean, the default reading first."""
        for key in _name_keys(name):
            found = self.candidates_for_key(key)
            if found:
                return found
        return []

    def candidates_for_key(self, key: str) -> list[Analyte]:
        primary = self._primary.get(key)
        found = [primary] if primary else []
        return found + [a for a in self._contextual.get(key, []) if a is not primary]

    def _fit_score(self, analyte: Analyte, key: str, unit: str | None, panel: str | None,
                   specimen: str | None, qualitative: bool | None) -> int:
        score = 1 if self._primary.get(key) is analyte else 0
        if panel and panel == analyte.panel:
            score += 4
        if specimen and specimen == analyte.specimen:
            score += 4
        if unit and self.normalise_unit(unit) == analyte.unit:
            score += 4
        elif unit and self.unit_fits(analyte, unit):
            score += 2
        if qualitative is not None and qualitative == (analyte.kind == "qualitative"):
            score += 2
        return score

    def qualitative_is_normal(self, analyte: Analyte, result: str) -> bool | None:
        """Whether a printed qualitative result ("阴性", "Negative", "(-)") is a normal one;
        None when the analyte has no qualitative normals or the text is empty."""
        if not analyte.normal_qualitative or not result.strip():
            return None
        return name_key(result) in {name_key(v) for v in analyte.normal_qualitative}

    # -- units -------------------------------------------------------------------------
    @staticmethod
    def _unit_key(text: str) -> str:
        text = _SUPERSCRIPT_RUN.sub(lambda m: "^" + m.group(1).translate(_SUPERSCRIPTS), text)
        text = unicodedata.normalize("NFKC", text).replace("µ", "u").replace("μ", "u")
        text = re.sub(r"\s+", "", text)
        # D-dimer units carry "FEU" (fibrinogen-equivalent units), the canonical basis here
        text = re.sub(r"\(?feu\)?$", "", text, flags=re.IGNORECASE)
        text = _POWER_OF_TEN.sub(lambda m: f"10^{m.group(1)}", text)
        text = re.sub(r"^[x×*]10\^", "10^", text, flags=re.IGNORECASE)
        text = _FLATTENED_POWER.sub(lambda m: f"10^{m.group(1)}", text)
        return text.casefold()

    def normalise_unit(self, unit_text: str | None) -> str:
        """The canonical spelling of a printed unit; unknown units come back cleaned, not guessed."""
        if not unit_text or not unit_text.strip():
            return ""
        key = self._unit_key(unit_text.strip())
        return self._spelling.get(key, key)

    def unit_fits(self, analyte: Analyte, unit: str | None) -> bool:
        """Whether the analyte can be printed in this unit (convertible or assay-specific)."""
        try:
            self.convert(analyte, 1.0, unit)
        except UnitNotConvertible:
            return True
        except UnitMismatch:
            return False
        return True

    def convert(self, analyte: Analyte, value: float, unit: str | None) -> float:
        """``value`` in ``unit`` expressed in the analyte's canonical unit.

        A missing unit is read as the canonical one; a unit that does not fit raises UnitMismatch.
        """
        canonical = self.normalise_unit(unit) if unit else analyte.unit
        if canonical == analyte.unit:
            return value
        if canonical in analyte.conversions:
            return value * analyte.conversions[canonical]
        if canonical in analyte.affine:
            slope, intercept = analyte.affine[canonical]
            return slope * value + intercept
        if canonical in analyte.assay_units:
            raise UnitNotConvertible(analyte, unit)
        raise UnitMismatch(analyte, unit)

    def _with_derived_conversions(self, analyte: Analyte) -> Analyte:
        """Add every unit of the canonical unit's dimension (and, given a molecular weight,
        of the mass/substance counterpart); factors written in the YAML take precedence."""
        own = {self.normalise_unit(u): f for u, f in analyte.conversions.items()}
        derived: dict[str, float] = {}
        if analyte.unit in self._dimension_of:
            dim, canon_factor = self._dimension_of[analyte.unit]
            for unit, factor in self._units.dimensions[dim].items():
                derived[unit] = factor / canon_factor
            if analyte.molecular_weight:
                other = {self._units.mass_dimension: self._units.substance_dimension,
                         self._units.substance_dimension: self._units.mass_dimension}.get(dim)
                if other:
                    # mass (g/L) -> substance (mol/L) divides by MW; the reverse multiplies.
                    bridge = 1 / analyte.molecular_weight if dim == self._units.substance_dimension \
                        else analyte.molecular_weight
                    for unit, factor in self._units.dimensions[other].items():
                        derived[unit] = factor * bridge / canon_factor
        derived.pop(analyte.unit, None)
        merged = {**derived, **own}
        affine = {self.normalise_unit(u): v for u, v in analyte.affine.items()}
        assay_units = [self.normalise_unit(u) for u in analyte.assay_units]
        return analyte.model_copy(update={"conversions": merged, "affine": affine, "assay_units": assay_units})

    def derived_factor(self, analyte: Analyte, unit: str) -> float | None:
        """The factor the unit tables alone give (ignoring the YAML), to check written factors."""
        bare = analyte.model_copy(update={"conversions": {}})
        return self._with_derived_conversions(bare).conversions.get(self.normalise_unit(unit))

    # -- reference ranges --------------------------------------------------------------
    def reference_range(self, analyte: Analyte, sex: str | None = None, age: float | None = None) -> RefRange | None:
        """The knowledge base's range for this person (adult when the age is unknown).

        With the sex unknown and only sex-specific ranges, the two are merged into one
        wider range so that only values outside both are flagged.
        """
        years = ADULT_DEFAULT_AGE if age is None or math.isnan(age) else age
        person_sex = sex if sex in ("male", "female") else None
        fitting = [r for r in analyte.ranges if r.fits(person_sex, years)]
        if fitting:
            return max(fitting, key=lambda r: (r.sex != "any", r.age_min is not None or r.age_max is not None))
        if person_sex is None:
            by_sex = [r for r in analyte.ranges if r.sex != "any" and r.fits(r.sex, years)]
            if by_sex:
                lows = [r.low for r in by_sex]
                highs = [r.high for r in by_sex]
                return RefRange(
                    low=None if None in lows else min(x for x in lows if x is not None),
                    high=None if None in highs else max(x for x in highs if x is not None),
                    sex="any", source="; ".join(dict.fromkeys(r.source for r in by_sex)),
                    note="male and female ranges combined (sex not given)",
                )
        return None


@lru_cache(maxsize=1)
def load_analytes(directory: str | None = None) -> AnalyteIndex:
    """Read and validate every analyte file; cached. Raises ValueError naming the bad entry."""
    folder = Path(directory) if directory else LABS_DIR
    units = _UnitTable.model_validate(yaml.safe_load((folder / UNITS_FILE.name).read_text(encoding="utf-8")))
    analytes: list[Analyte] = []
    for path in sorted(folder.glob("*.yaml")):
        if path.name.startswith("_"):
            continue
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise ValueError(f"{path.name}: not valid YAML: {error}") from error
        for position, entry in enumerate(data.get("analytes") or []):
            try:
                analytes.append(Analyte.model_validate(entry))
            except ValueError as error:
                label = entry.get("id", f"#{position}") if isinstance(entry, dict) else f"#{position}"
                raise ValueError(f"{path.name}: analyte {label}: {error}") from error
    return AnalyteIndex(analytes, units)
