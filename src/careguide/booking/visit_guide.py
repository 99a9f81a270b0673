"""The visit guide: for a booked visit, the steps in order, in the person's language.

What to bring, whether to fast for the tests the department often orders, where to go (building
and floor from the directory), checking in on arrival, what happens after, and when not to wait.
Senior mode gives each step as one or two short sentences.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import lru_cache
from importlib import resources
from typing import Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy.orm import Session

from careguide.booking.booking import get_appointment, load_view
from careguide.booking.places import Text
from careguide.booking.views import AppointmentView
from careguide.i18n import normalise_language, t
from careguide.privacy.consent import Access, require_access
from careguide.store.models import User

StepKind = Literal["bring", "fasting", "arrive", "register", "after", "if_worse"]
STEP_ORDER: tuple[StepKind, ...] = ("bring", "fasting", "arrive", "register", "after", "if_worse")


class _Fasting(BaseModel):
    model_config = ConfigDict(extra="forbid")
    tests: Text
    hours: int = Field(ge=2, le=14)


class _StepText(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: Text
    text: Text | None = None
    brief: Text | None = None
    likely: Text | None = None
    likely_brief: Text | None = None
    not_needed: Text | None = None
    not_needed_brief: Text | None = None


class _Bring(BaseModel):
    model_config = ConfigDict(extra="forbid")
    always: list[Text] = Field(min_length=1)
    by_department: dict[str, list[Text]]


class _GuideData(BaseModel):
    model_config = ConfigDict(extra="forbid")
    arrive_minutes_before: int = Field(ge=0, le=120)
    source: str
    bring: _Bring
    fasting: dict[str, _Fasting]
    steps: dict[StepKind, _StepText]


class GuideStep(BaseModel):
    model_config = ConfigDict(frozen=True)

    order: int
    kind: StepKind
    title: str
    text: str
    items: list[str] = []


class VisitGuide(BaseModel):
    model_config = ConfigDict(frozen=True)

    appointment_id: int
    language: str
    senior_mode: bool
    steps: list[GuideStep]
    source: str


@lru_cache(maxsize=1)
def guide_data() -> _GuideData:
    raw = resources.files("careguide.booking").joinpath("data/visit_guide.yaml").read_text("utf-8")
    return _GuideData.model_validate(yaml.safe_load(raw))


def visit_guide(
    session: Session,
    actor: User,
    appointment_id: int,
    *,
    emergency_number: str,
    lang: str | None = None,
    senior_mode: bool | None = None,
) -> VisitGuide:
    """The guide for one of the person's appointments (read access to the person is audited)."""
    appt = get_appointment(session, appointment_id)
    require_access(
        session, actor, appt.person_id, Access.READ, resource=f"booking/appointment/{appt.id}/guide"
    )
    person = session.get(User, appt.person_id)
    language = normalise_language(lang or (person.language if person else None), default="zh")
    senior = senior_mode if senior_mode is not None else bool(person and person.senior_mode)
    return build_guide(load_view(session, appt.id), language, senior, emergency_number)


def build_guide(view: AppointmentView, lang: str, senior: bool, emergency_number: str) -> VisitGuide:
    data = guide_data()
    tz = ZoneInfo(view.place.timezone)
    start = view.start.astimezone(tz)
    department = view.department.get(lang)
    params: dict[str, object] = {
        "department": department,
        "hospital": view.place.organization.get(lang),
        "address": view.place.address.get(lang),
        "building": view.place.building.get(lang),
        "floor": view.place.floor,
        "minutes": data.arrive_minutes_before,
        "arrive_by": _clock(start - timedelta(minutes=data.arrive_minutes_before), start, lang),
        "number": emergency_number,
    }
    steps: list[GuideStep] = []
    for kind in STEP_ORDER:
        spec = data.steps[kind]
        items: list[str] = []
        if kind == "bring":
            extra = data.bring.by_department.get(view.department_id, [])
            items = [item.get(lang) for item in [*data.bring.always, *extra]]
            text = "; ".join(items) if lang == "en" else "；".join(items)
        elif kind == "fasting":
            fasting = data.fasting.get(view.department_id)
            if fasting is None:
                chosen = spec.not_needed_brief if senior else spec.not_needed
                text = _fill(chosen, lang, params)
            else:
                fast_from = _clock(start - timedelta(hours=fasting.hours), start, lang)
                chosen = spec.likely_brief if senior else spec.likely
                text = _fill(
                    chosen,
                    lang,
                    params
                    | {"tests": fasting.tests.get(lang), "hours": fasting.hours, "fast_from": fast_from},
                )
        else:
            text = _fill(spec.brief if senior else spec.text, lang, params)
        steps.append(
            GuideStep(order=len(steps) + 1, kind=kind, title=spec.title.get(lang), text=text, items=items)
        )
    return VisitGuide(
        appointment_id=view.id, language=lang, senior_mode=senior, steps=steps, source=data.source
    )


def _fill(template: Text | None, lang: str, params: dict[str, object]) -> str:
    if template is None:
        raise ValueError("visit_guide.yaml: a step is missing its text")
    return template.get(lang).format(**params)


def _clock(moment: datetime, visit: datetime, lang: str) -> str:
    """ "08:30", or "21:20 the day before" when it falls on an earlier date than the visit."""
    days = (visit.date() - moment.date()).days
    hhmm = moment.strftime("%H:%M")
    if days <= 0:
        return t("booking.guide_same_day", lang, time=hhmm, date=visit.strftime("%Y-%m-%d"))
    return t("booking.guide_day_before", lang, time=hhmm)
