"""Lab reports: upload, explanation, trend against the record, saving to the record."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, File, Form, UploadFile
from pydantic import BaseModel

from careguide.api.deps import CurrentUser, LangDep, SessionDep
from careguide.api.errors import ApiError
from careguide.api.routers.people import checked_person
from careguide.privacy.consent import Access
from careguide.reports import read_report
from careguide.reports.errors import ReportError
from careguide.reports.interpret import interpret
from careguide.reports.models import ReportExplanation
from careguide.reports.to_fhir import report_bundle
from careguide.reports.trend import EarlierResult, describe_trends

router = APIRouter(prefix="/api/v1/reports", tags=["lab reports"])


class ExplainedReport(BaseModel):
    explanation: ReportExplanation
    saved: bool
    saved_results: int
    save_errors: list[str]


def explain_upload(session: SessionDep, user: CurrentUser, lang: str, data: bytes, filename: str | None,
                   person_id: int, save: bool) -> ExplainedReport:
    """Explain the file for ``person_id`` (consent-checked) against their earlier results; save if asked.

    Nothing is saved unless the whole report was read; a file the record refuses is reported,
    not half-stored."""
    from careguide.records.lab_history import earlier_lab_values, save_resources

    person = checked_person(session, user, person_id, Access.WRITE if save else Access.READ,
                            f"person/{person_id}/reports")
    age = _age(person.birth_date)
    sex = {"F": "female", "M": "male"}.get(person.sex or "")
    try:
        parsed = read_report(data, filename)
        explanation = interpret(parsed, lang, sex=sex, age=age)
        when = parsed.header.report_date
        earlier = earlier_lab_values(session, user, person_id, {r.loinc for r in explanation.results if r.loinc},
                                     before=when)
        if earlier:
            explanation.trends = describe_trends(explanation.results, [
                EarlierResult(loinc=e.loinc, value=e.value, unit=e.unit, when=e.when) for e in earlier], lang, when=when)
    except ReportError as exc:
        raise ApiError(422, f"reports.{exc.key}", "file", **exc.params) from exc
    if not save:
        return ExplainedReport(explanation=explanation, saved=False, saved_results=0, save_errors=[])
    result = save_resources(session, user, person_id, report_bundle(explanation, fallback_date=date.today()),
                            name="lab-report.json", lang=lang)
    stored = sum(result.imported.values()) + sum(result.updated.values()) + result.duplicates
    return ExplainedReport(explanation=explanation, saved=result.committed, saved_results=stored,
                           save_errors=[issue.message for issue in result.errors])


def _age(born: date | None) -> float | None:
    if born is None:
        return None
    today = date.today()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@router.post("/explain", response_model=ExplainedReport)
def explain(
    session: SessionDep,
    user: CurrentUser,
    lang: LangDep,
    file: UploadFile = File(...),
    person_id: int | None = Form(None),
    save: bool = Form(False),
) -> ExplainedReport:
    data = file.file.read()
    return explain_upload(session, user, lang, data, file.filename, person_id or user.id, save)
