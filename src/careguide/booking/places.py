"""Cities (data/cities.yaml), distances, and department names from the shared taxonomy."""

from __future__ import annotations

import math
from functools import lru_cache
from importlib import resources

import yaml
from pydantic import BaseModel, ConfigDict, Field


class Text(BaseModel):
    """A text in both languages."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class District(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Text
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)


class City(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str = Field(pattern=r"^[a-z][a-z_]*$")
    name: Text
    aliases: list[str] = []
    region: str = "CN"
    phone_code: str = Field(pattern=r"^0[0-9]{2,3}$")
    districts: list[District] = Field(min_length=1)

    @property
    def centre(self) -> tuple[float, float]:
        lats = [d.lat for d in self.districts]
        lons = [d.lon for d in self.districts]
        return sum(lats) / len(lats), sum(lons) / len(lons)


@lru_cache(maxsize=1)
def cities() -> dict[str, City]:
    raw = yaml.safe_load(resources.files("careguide.booking").joinpath("data/cities.yaml").read_text("utf-8"))
    loaded = [City.model_validate(entry) for entry in raw]
    return {city.key: city for city in loaded}


def resolve_city(name: str | None) -> City | None:
    """The city a person means by ``name`` ("北京", "Beijing", "beijing", "北京市"), or None."""
    if not name:
        return None
    wanted = name.strip().lower()
    for city in cities().values():
        names = {city.key, city.name.en.lower(), city.name.zh, *(a.lower() for a in city.aliases)}
        if wanted in names:
            return city
    return None


def city_name(key: str, lang: str) -> str:
    city = cities().get(key)
    return city.name.get(lang) if city else key


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance on a 6371 km sphere."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(min(1.0, a)))


class DepartmentName(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str
    name: Text


@lru_cache(maxsize=1)
def department_taxonomy() -> dict[str, Text]:
    """Department id -> bilingual name, from the knowledge base's shared taxonomy file.

    Read as data (the booking package does not depend on the knowledge code).
    """
    path = resources.files("careguide.knowledge").joinpath("data/departments.yaml")
    raw = yaml.safe_load(path.read_text("utf-8")) or []
    entries = [DepartmentName.model_validate(entry) for entry in raw]
    return {entry.id: entry.name for entry in entries}
