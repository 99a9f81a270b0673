"""``careguide report explain FILE`` and ``careguide eval reports``."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    report_app = typer.Typer(help="Lab reports: read text, PDF, photos and FHIR; explain every value.")
    app.add_typer(report_app, name="report")

    @report_app.command("explain")
    def explain(
        file: Path = typer.Argument(..., help="Report file: .txt, .pdf, .jpg/.png or FHIR .json"),
        lang: str = typer.Option("en", "--lang", help="en or zh"),
        sex: str | None = typer.Option(None, "--sex", help="male or female, when the report does not print it"),
        age: float | None = typer.Option(None, "--age", help="Age in years, when the report does not print it"),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object"),
    ) -> None:
        """Explain a lab report: flags, critical values, what each abnormal value means, whom to see."""
        from careguide.i18n import normalise_language
        from careguide.reports import explain_report
        from careguide.reports.errors import ReportError

        language = normalise_language(lang)
        try:
            if not file.is_file():
                raise ReportError("file_missing", str(file), path=str(file))
            explained = explain_report(file.read_bytes(), file.name, language, sex=sex, age=age)
        except ReportError as error:
            if as_json:
                typer.echo(json.dumps({"error": error.key, "message": error.message(language)}, ensure_ascii=False))
            else:
                typer.echo(error.message(language), err=True)
            raise typer.Exit(2) from error
        if as_json:
            typer.echo(json.dumps(explained.public_dict(), ensure_ascii=False))
            return
        _print_explanation(explained)

    @eval_app.command("reports")
    def eval_reports(
        formats: str = typer.Option("text,pdf,photo", "--formats", help="Comma-separated: text, pdf, photo"),
        n: int = typer.Option(96, "--n", help="Reports in the generated corpus"),
        photos: int | None = typer.Option(None, "--photos", help="Evaluate only the first N photos (OCR is slow)"),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object last"),
    ) -> None:
        """Field-level P/R/F1 (LOINC, value, unit, range, flag) per format, plus the public reference data."""
        from rich.progress import Progress, TaskID

        from careguide.evals.reports import evaluate

        chosen = [f.strip() for f in formats.split(",") if f.strip()]
        if as_json:
            metrics = evaluate(chosen, n=n, photo_limit=photos)
        else:
            with Progress(transient=True) as bar:
                tasks: dict[str, TaskID] = {}

                def progress(fmt: str, done: int, total: int) -> None:
                    if fmt not in tasks:
                        tasks[fmt] = bar.add_task(f"reports ({fmt})", total=total)
                    bar.update(tasks[fmt], completed=done)

                metrics = evaluate(chosen, n=n, photo_limit=photos, progress=progress)
            for fmt in chosen:
                result = metrics[fmt]
                typer.echo(f"{fmt:6s} F1 {result['f1']:.4f}  P {result['precision']:.4f}  R {result['recall']:.4f}  "
                           f"({result['reports']} reports, {result['seconds_per_report']} s each)")
                for field, prf in result["fields"].items():
                    typer.echo(f"    {field:6s} P {prf['precision']:.4f}  R {prf['recall']:.4f}  F1 {prf['f1']:.4f}")
        typer.echo(json.dumps(metrics, ensure_ascii=False) if as_json else "")


def _print_explanation(explained: object) -> None:
    from careguide.reports.models import ReportExplanation

    assert isinstance(explained, ReportExplanation)
    if explained.banner:
        typer.secho(explained.banner, fg=typer.colors.RED, bold=True)
        typer.echo("")
    typer.echo(explained.summary)
    typer.echo("")
    for result in explained.results:
        span = ""
        if result.range_low is not None and result.range_high is not None:
            span = f"[{result.range_low:g}-{result.range_high:g}]"
        elif result.range_high is not None:
            span = f"[<{result.range_high:g}]"
        elif result.range_low is not None:
            span = f"[>{result.range_low:g}]"
        elif result.range_text:
            span = f"[{result.range_text}]"
        mark = "" if result.recognised else " (?)"
        typer.echo(f"  {result.flag.value:2s} {result.name}{mark}: {result.value_text} {result.unit or ''} {span}")
    for text in explained.explanations:
        typer.echo("")
        typer.echo(text)
    for warning in explained.warnings:
        typer.secho(warning, fg=typer.colors.YELLOW)
    if explained.questions:
        typer.echo("")
        for question in explained.questions:
            typer.echo(f"  - {question}")
    typer.echo("")
    typer.echo(explained.next_steps)
    typer.echo(explained.disclaimer)
