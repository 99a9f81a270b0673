"""From a triage outcome and a person to three bookable proposals, each with why it was chosen.

``ambulance``/``emergency``: nothing is booked; the emergency number and the nearest emergency
departments. ``urgent``: only today or tomorrow. Otherwise the next 30 days. Candidates are ranked
by department fit, distance, seniority (when the case calls for it) and the earliest free time.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import select
from sqlalchemy.orm import Session

from careguide.booking.candidates import Candidate, Entry, directory_rows, find_candidates
from careguide.booking.models import (
    Location,
    Organization,
    OrganizationLevel,
    Service,
)
from careguide.booking.places import Text, city_name, department_taxonomy, haversine_km, resolve_city
from careguide.booking.views import (
    PlaceView,
    PractitionerView,
    bilingual,
    local_time,
    place_view,
    practitioner_view,
)
from careguide.i18n import t
from careguide.store.base import utcnow

Urgency = Literal["ambulance", "emergency", "urgent", "routine", "self_care"]
LOCAL_TZ = "Asia/Shanghai"
LEAD_TIME = timedelta(minutes=30)  # nobody reaches a clinic sooner than this
ROUTINE_DAYS = 30
WALK_IN_DEPARTMENTS = {"emergency"}


class PersonContext(BaseModel):
    """What matching needs to know about the person (the caller reads it from their profile)."""

    city: str | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    language: str = "zh"
    preferred_organization_ids: list[int] = []


class MatchRequest(BaseModel):
    disposition: Urgency
    department_ids: list[str] = Field(default_factory=list, description="Ranked, best first.")
    person: PersonContext = PersonContext()
    prefer_senior: bool = Field(default=False, description="The case calls for a senior doctor.")
    emergency_number: str = Field(min_length=2, max_length=8)
    limit: int = Field(default=3, ge=1, le=10)


class Proposal(BaseModel):
    model_config = ConfigDict(frozen=True)

    rank: int
    slot_id: int
    role_id: int
    start: datetime
    end: datetime
    local_start: str
    department_id: str
    department: Text
    practitioner: PractitionerView
    place: PlaceView
    distance_km: float | None
    reasons: list[Text]
    why: Text


class EmergencyOption(BaseModel):
    model_config = ConfigDict(frozen=True)

    place: PlaceView
    distance_km: float | None


class MatchResult(BaseModel):
    disposition: Urgency
    book: bool  # False: do not book, call or go (emergency)
    emergency_number: str
    message: Text
    emergency_departments: list[EmergencyOption] = []
    proposals: list[Proposal] = []
    cross_region: bool = False  # proposals are outside the person's city (a referral may be needed)
    window_end: datetime | None = None


def match(session: Session, request: MatchRequest, *, now: datetime | None = None) -> MatchResult:
    now = now or utcnow()
    origin = _origin(request.person)
    city = resolve_city(request.person.city)
    number = request.emergency_number
    if request.disposition in ("ambulance", "emergency"):
        return MatchResult(
            disposition=request.disposition,
            book=False,
            emergency_number=number,
            message=bilingual(f"booking.match_{request.disposition}", number=number),
            emergency_departments=nearest_emergency_departments(session, origin, city.key if city else None),
        )
    window_end = _window_end(request.disposition, now)
    departments = _departments(request.department_ids)
    candidates = find_candidates(
        session, departments, city.key if city else None, now + LEAD_TIME, window_end
    )
    cross_region = False
    if not candidates and city is not None:
        candidates = find_candidates(session, departments, None, now + LEAD_TIME, window_end)
        cross_region = bool(candidates)
    chosen = _choose(candidates, request, departments, origin, city.key if city else None)
    rows = directory_rows(session, [c.slot_id for c in chosen])
    proposals = [
        _proposal(i + 1, c, rows[c.slot_id], chosen, request, city.key if city else None)
        for i, c in enumerate(chosen)
    ]
    if not proposals:
        key = "booking.match_none_urgent" if request.disposition == "urgent" else "booking.match_none"
    else:
        key = f"booking.match_{request.disposition}"
    return MatchResult(
        disposition=request.disposition,
        book=bool(proposals),
        emergency_number=number,
        message=bilingual(key, number=number),
        emergency_departments=nearest_emergency_departments(session, origin, city.key if city else None)
        if not proposals and request.disposition == "urgent"
        else [],
        proposals=proposals,
        cross_region=cross_region,
        window_end=window_end,
    )


def nearest_emergency_departments(
    session: Session, origin: tuple[float, float] | None, city: str | None, limit: int = 3
) -> list[EmergencyOption]:
    """Emergency departments, nearest first (same city first when the person's position is unknown)."""
    rows = session.execute(
        select(Organization, Location)
        .join(Service, Service.organization_id == Organization.id)
        .join(Location, Location.id == Service.location_id)
        .where(Service.department_id == "emergency", Organization.active.is_(True))
    ).all()

    def key(row: tuple[Organization, Location]) -> tuple[int, float, str]:
        org, loc = row
        distance = _distance(origin, loc)
        return (
            0 if city is None or org.city == city else 1,
            distance if distance is not None else 1e9,
            org.code,
        )

    ranked = sorted(rows, key=key)[:limit]
    return [
        EmergencyOption(place=place_view(org, loc), distance_km=_rounded(_distance(origin, loc)))
        for org, loc in ranked
    ]


def _choose(
    candidates: list[Candidate],
    request: MatchRequest,
    departments: list[str],
    origin: tuple[float, float] | None,
    city: str | None,
) -> list[Candidate]:
    first = min((c.start for c in candidates), default=None)

    def score(c: Candidate) -> tuple[float, datetime, int]:
        points = 60.0 * departments.index(c.department_id)
        distance = _distance(origin, c)
        if distance is not None:
            points += min(distance, 40.0) * 1.5
        if city is not None and c.organization_city != city:
            points += 100.0
        # waiting: 3 points a day for routine care, 2 points an hour when it is urgent
        hours = (c.start - first).total_seconds() / 3600 if first else 0.0
        points += hours * (2.0 if request.disposition == "urgent" else 0.125)
        if request.prefer_senior:
            points += (2 - c.title.seniority) * 25.0
            points += 0.0 if c.level is OrganizationLevel.TERTIARY else 15.0
        lang = request.person.language
        if lang != "zh" and lang not in c.languages:
            points += 40.0
        if c.organization_id in request.person.preferred_organization_ids:
            points -= 40.0
        return (points, c.start, c.role_id)

    ranked = sorted(candidates, key=score)
    chosen: list[Candidate] = []
    per_org: dict[int, int] = {}
    for c in ranked:  # at most two proposals from one hospital, so the three are real alternatives
        if per_org.get(c.organization_id, 0) >= 2:
            continue
        chosen.append(c)
        per_org[c.organization_id] = per_org.get(c.organization_id, 0) + 1
        if len(chosen) == request.limit:
            return chosen
    for c in ranked:
        if len(chosen) == request.limit:
            break
        if c not in chosen:
            chosen.append(c)
    return chosen


def _proposal(
    rank: int,
    c: Candidate,
    entry: Entry,
    chosen: list[Candidate],
    request: MatchRequest,
    city: str | None,
) -> Proposal:
    end, practitioner, service, org, loc = entry
    departments = _departments(request.department_ids)
    distance = _rounded(_distance(_origin(request.person), c))
    when = local_time(c.start, org.timezone)
    department = Text(en=service.name_en, zh=service.name_zh)
    reasons: list[Text] = []
    if departments.index(c.department_id) == 0:
        reasons.append(_two("booking.why_department_best", department=department))
    else:
        reasons.append(_two("booking.why_department_alternative", department=department))
    if request.disposition == "urgent":
        reasons.append(bilingual("booking.why_urgent_window", when=when))
    elif c.start == min(x.start for x in chosen):
        reasons.append(bilingual("booking.why_earliest", when=when))
    else:
        reasons.append(bilingual("booking.why_time", when=when))
    if city is not None and c.organization_city != city:
        reasons.append(
            _two("booking.why_other_city", home=_city_text(city), there=_city_text(c.organization_city))
        )
    elif distance is not None:
        reasons.append(bilingual("booking.why_distance", km=f"{distance:.1f}"))
    if request.prefer_senior and c.title.seniority >= 1:
        reasons.append(_two("booking.why_senior", title=bilingual(f"booking.title_{c.title.value}")))
    lang = request.person.language
    if lang != "zh" and lang in c.languages:
        reasons.append(_two("booking.why_language", language=bilingual(f"booking.language_{lang}")))
    if c.organization_id in request.person.preferred_organization_ids:
        reasons.append(bilingual("booking.why_preferred"))
    reasons.append(bilingual("booking.why_fee", fee=practitioner.fee_cny))
    return Proposal(
        rank=rank,
        slot_id=c.slot_id,
        role_id=c.role_id,
        start=c.start,
        end=end,
        local_start=when,
        department_id=c.department_id,
        department=department,
        practitioner=practitioner_view(practitioner),
        place=place_view(org, loc),
        distance_km=distance,
        reasons=reasons,
        why=Text(en=" ".join(r.en for r in reasons), zh="".join(r.zh for r in reasons)),
    )


def _two(key: str, **params: Text) -> Text:
    """A bilingual message whose parameters are themselves bilingual."""
    return Text(
        en=t(key, "en", **{k: v.en for k, v in params.items()}),
        zh=t(key, "zh", **{k: v.zh for k, v in params.items()}),
    )


def _city_text(key: str) -> Text:
    return Text(en=city_name(key, "en"), zh=city_name(key, "zh"))


def _departments(ranked: list[str]) -> list[str]:
    known = department_taxonomy()
    seen: list[str] = []
    for dept in ranked:
        if dept in known and dept not in WALK_IN_DEPARTMENTS and dept not in seen:
            seen.append(dept)
    return seen or ["general_practice"]


def _window_end(disposition: str, now: datetime) -> datetime:
    tz = ZoneInfo(LOCAL_TZ)
    if disposition == "urgent":
        tomorrow: date = now.astimezone(tz).date() + timedelta(days=1)
        return datetime.combine(tomorrow + timedelta(days=1), time(0, 0), tzinfo=tz)
    return now + timedelta(days=ROUTINE_DAYS)


def _origin(person: PersonContext) -> tuple[float, float] | None:
    if person.latitude is not None and person.longitude is not None:
        return person.latitude, person.longitude
    city = resolve_city(person.city)
    return city.centre if city else None


def _distance(origin: tuple[float, float] | None, place: Candidate | Location) -> float | None:
    if origin is None or place.latitude is None or place.longitude is None:
        return None
    return haversine_km(origin[0], origin[1], place.latitude, place.longitude)


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 1)
