"""Pages of the personal health record: summary, charts, insights, reminders, timeline, upload."""

from __future__ import annotations

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from careguide.api.deps import SessionDep, caller, resolve_language
from careguide.i18n import t
from careguide.privacy.consent import AccessDenied
from careguide.records.base import ImportSummary
from careguide.records.charts import Limit, Line, svg_chart
from careguide.records.insights import insights
from careguide.records.reminders import reminders
from careguide.records.summary import summarize
from careguide.records.timeline import read_series, timeline
from careguide.web.pages import render, verify_form

router = APIRouter(include_in_schema=False)
CHARTS = ("blood_pressure", "body_weight", "glucose", "heart_rate", "resting_heart_rate", "steps", "sleep_duration",
          "spo2")


@router.get("/records", response_class=HTMLResponse)
def records_page(request: Request, session: SessionDep, person: int | None = None) -> Response:
    found = caller(request, session)
    if found is None:
        return RedirectResponse("/login", status_code=303)
    return _page(request, session, found[0], person or found[0].id)


@router.get("/records/reminders")
def reminders_link(request: Request) -> Response:
    return RedirectResponse("/records#reminders", status_code=303)


@router.post("/records/import", response_class=HTMLResponse)
def records_import(request: Request, session: SessionDep, files: list[UploadFile] = File(default_factory=list),
                         person: int | None = Form(None), timezone: str = Form("UTC"),
                         csrf_token: str = Form("")) -> Response:
    from pathlib import Path

    from careguide.records.base import ImportOptions
    from careguide.records.service import already_open, import_stream

    user = verify_form(request, session, csrf_token)
    if user is None:
        return RedirectResponse("/login", status_code=303)
    lang = resolve_language(request)
    person_id = person or user.id
    chosen = [f for f in files if f.filename]
    if not chosen:
        return _page(request, session, user, person_id, status=422, error=t("records.page_choose_file", lang))
    summary = ImportSummary()
    try:
        for number, upload in enumerate(chosen):  # read where the server spooled it: no second clear copy
            name = Path(upload.filename or "").name or f"upload-{number}"
            summary.add(import_stream(session, user, person_id, name, already_open(upload.file), lang=lang,
                                      options=ImportOptions(timezone=timezone or "UTC")))
    except AccessDenied:
        return render(request, "records.html", status=403, error=t("records.page_no_access", lang), forbidden=True)
    return _page(request, session, user, person_id, imported=summary)


def _page(request: Request, session: SessionDep, user, person_id: int, status: int = 200,  # type: ignore[no-untyped-def]
          **extra: object) -> Response:
    lang = resolve_language(request)
    try:
        summary = summarize(session, user, person_id, lang=lang)
    except AccessDenied:
        return render(request, "records.html", status=403, error=t("records.page_no_access", lang), forbidden=True)
    found = insights(session, user, person_id, lang=lang)
    due = reminders(session, user, person_id, lang=lang)
    page = timeline(session, user, person_id, limit=50)
    return render(request, "records.html", status=status, summary=summary, insights=found, reminders=due,
                  timeline=page.items, charts=_charts(session, person_id, lang), person_id=person_id, **extra)


def _charts(session: SessionDep, person_id: int, lang: str) -> list[str]:
    """Inline SVG charts of the measures this record has readings of (access already checked)."""
    drawn: list[str] = []
    empty = t("records.chart_empty", lang)
    for measure in CHARTS:
        if measure == "blood_pressure":
            systolic = read_series(session, person_id, "systolic_bp", lang=lang)
            diastolic = read_series(session, person_id, "diastolic_bp", lang=lang)
            if systolic.points:
                drawn.append(svg_chart(t("records.chart_blood_pressure", lang), systolic.unit, [
                    Line(label=systolic.name, points=systolic.points, colour="#cf222e"),
                    Line(label=diastolic.name, points=diastolic.points, colour="#1f6feb")],
                    [Limit(label="140", value=140), Limit(label="90", value=90)], empty_text=empty))
            continue
        one = read_series(session, person_id, measure, lang=lang)
        if one.points:
            drawn.append(svg_chart(one.name, one.unit, [Line(label=one.name, points=one.points)], empty_text=empty))
    return drawn
