"""The personal health record over HTTP: thin routes over ``careguide.records``."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Literal

from fastapi import APIRouter, File, Form, Query, UploadFile
from fastapi.responses import Response, StreamingResponse

from careguide.api.deps import CurrentUser, LangDep, SessionDep
from careguide.api.errors import ApiError
from careguide.i18n import t
from careguide.records.base import ImportOptions, ImportSummary
from careguide.records.charts import Limit, Line, svg_chart
from careguide.records.export import export_bundle
from careguide.records.insights import Insight, insights
from careguide.records.measures import load_measures
from careguide.records.reminders import ReminderView, reminders
from careguide.records.service import already_open, import_stream
from careguide.records.summary import RecordSummary, summarize
from careguide.records.timeline import Series, TimelinePage, series, timeline

router = APIRouter(prefix="/api/v1/records", tags=["records"])


@router.post("/import", response_model=ImportSummary)
def import_files(
    session: SessionDep,
    user: CurrentUser,
    lang: LangDep,
    files: list[UploadFile] = File(...),
    person_id: int | None = Form(None),
    timezone: str = Form("UTC"),
    profile: str | None = Form(None),
    device_user: str | None = Form(None),
) -> ImportSummary:
    """Each file is kept whole or not at all; the summary lists what each file did. The upload is
    read where the server spooled it: no second clear copy of it is written."""
    options = ImportOptions(timezone=timezone, profile=profile, device_subject=device_user)
    summary = ImportSummary()
    for number, upload in enumerate(files):
        name = Path(upload.filename or "").name or f"upload-{number}"
        summary.add(import_stream(session, user, person_id or user.id, name, already_open(upload.file), lang=lang,
                                  options=options))
    return summary


@router.get("/{person_id}/export")
def export(person_id: int, session: SessionDep, user: CurrentUser) -> Response:
    bundle = export_bundle(session, user, person_id)
    return StreamingResponse(iter([json.dumps(bundle, ensure_ascii=False)]), media_type="application/fhir+json",
                             headers={"content-disposition": f'attachment; filename="record-{person_id}.json"'})


@router.get("/{person_id}/timeline", response_model=TimelinePage)
def read_timeline(person_id: int, session: SessionDep, user: CurrentUser, types: list[str] | None = Query(None),
                  since: datetime | None = None, until: datetime | None = None, before: str | None = None,
                  limit: int = Query(100, ge=1, le=500)) -> TimelinePage:
    return timeline(session, user, person_id, types=types, since=since, until=until, before=before, limit=limit)


@router.get("/{person_id}/series/{measure}", response_model=Series)
def read_series(person_id: int, measure: str, session: SessionDep, user: CurrentUser, lang: LangDep,
                since: datetime | None = None, until: datetime | None = None) -> Series:
    _known_measure(measure)
    return series(session, user, person_id, measure, since=since, until=until, lang=lang)


@router.get("/{person_id}/charts/{measure}.svg")
def chart(person_id: int, measure: str, session: SessionDep, user: CurrentUser, lang: LangDep,
          since: datetime | None = None) -> Response:
    """A server-drawn SVG chart; ``blood_pressure`` draws systolic and diastolic together."""
    if measure == "blood_pressure":
        parts = [series(session, user, person_id, m, since=since, lang=lang) for m in ("systolic_bp", "diastolic_bp")]
        lines = [Line(label=parts[0].name, points=parts[0].points, colour="#cf222e"),
                 Line(label=parts[1].name, points=parts[1].points, colour="#1f6feb")]
        title, unit = t("records.chart_blood_pressure", lang), parts[0].unit
        limits = [Limit(label="140", value=140), Limit(label="90", value=90)]
    else:
        _known_measure(measure)
        one = series(session, user, person_id, measure, since=since, lang=lang)
        lines, title, unit, limits = [Line(label=one.name, points=one.points)], one.name, one.unit, []
    svg = svg_chart(title, unit, lines, limits, empty_text=t("records.chart_empty", lang))
    return Response(svg, media_type="image/svg+xml")


@router.get("/{person_id}/summary", response_model=RecordSummary)
def read_summary(person_id: int, session: SessionDep, user: CurrentUser, lang: LangDep) -> RecordSummary:
    return summarize(session, user, person_id, lang=lang)


@router.get("/{person_id}/insights", response_model=list[Insight])
def read_insights(person_id: int, session: SessionDep, user: CurrentUser, lang: LangDep,
                  guideline: Literal["cn_2018", "acc_aha_2017"] | None = None) -> list[Insight]:
    return insights(session, user, person_id, lang=lang, guideline=guideline)


@router.get("/{person_id}/reminders", response_model=list[ReminderView])
def read_reminders(person_id: int, session: SessionDep, user: CurrentUser, lang: LangDep) -> list[ReminderView]:
    return reminders(session, user, person_id, lang=lang)


def _known_measure(measure: str) -> None:
    if measure not in {m.id for m in load_measures().measures}:
        raise ApiError(404, "records.unknown_measure", "measure", measure=measure)
