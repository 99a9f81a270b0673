"""Triage commands: one interview step from the command line, and the triage and routing evaluations."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("triage")
    def triage_command(
        text: str = typer.Argument(..., help="What is wrong, in the person's words (English or Chinese)."),
        age: float | None = typer.Option(None, "--age", min=0, max=130, help="Age in years (0.1 for a 5-week-old)."),
        sex: str | None = typer.Option(None, "--sex", help="F or M."),
        lang: str | None = typer.Option(None, "--lang", help="zh or en (default: detected from the text)."),
        region: str = typer.Option("CN", "--region", help="Region code for the emergency number (CN, HK, US, GB ...)."),
        as_json: bool = typer.Option(False, "--json", help="Print the step as one JSON object."),
    ) -> None:
        """Start an interview and print its first step (a question or an outcome)."""
        from careguide.triage import Profile, start

        sex_value = {"f": "female", "female": "female", "m": "male", "male": "male"}.get((sex or "").lower())
        if sex and sex_value is None:
            raise typer.BadParameter("use F or M", param_hint="--sex")
        language = lang if lang in ("en", "zh") else None
        if lang and language is None:
            raise typer.BadParameter("use zh or en", param_hint="--lang")
        step = start(Profile(age_years=age, sex=sex_value, language=language, region=region), text)  # type: ignore[arg-type]
        if as_json:
            typer.echo(step.model_dump_json(exclude={"evidence"}))
            return
        if step.message:
            typer.echo(step.message)
        if step.question:
            typer.echo(step.question.text)
            for option in step.question.options:
                typer.echo(f"  [{option.id}] {option.label}")
            typer.echo(f"  ({step.question.rationale})")
        if step.outcome:
            o = step.outcome
            typer.echo(f"{o.label}: {o.instruction}")
            typer.echo("; ".join(d.name for d in o.departments[:3]))
            for line in o.self_care + o.seek_care_if:
                typer.echo(f"- {line}")

    @eval_app.command("triage")
    def eval_triage(
        cases: Path = typer.Option(None, "--cases", help="JSONL case file (default: evals/triage_cases.jsonl)."),
        as_json: bool = typer.Option(False, "--json"),
        failures: bool = typer.Option(False, "--failures", help="Also print the per-case failure table."),
    ) -> None:
        """Simulated-patient triage evaluation: 3- and 5-level accuracy, emergency sensitivity, self-care accuracy."""
        from careguide.evals.triage import TEAM_CASES, evaluate_triage, load_cases

        path = cases or TEAM_CASES
        if not path.exists():
            raise typer.BadParameter(f"no such file: {path}", param_hint="--cases")
        rows = load_cases(path)
        report = _with_progress(rows, as_json, lambda rows, tick: evaluate_triage(rows, progress=tick))
        table = report.pop("failures")
        if failures or not as_json:
            for row in table:
                typer.echo(f"{row['id']}\tgold={row['gold_triage']}/{row['gold_triage3']}\tgot={row['predicted']}"
                           f"\tq={row['questions']}\t{row['text']}")
        if not as_json:
            for key, value in report.items():
                typer.echo(f"{key}: {value}")
        report["failures"] = len(table)
        report["cases"] = str(path)
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False))

    @eval_app.command("routing")
    def eval_routing(
        cases: Path = typer.Option(None, "--cases", help="JSONL questions with gold_department (default: the shared Chinese set)."),
        learned: bool = typer.Option(False, "--learned", help="Blend in a character n-gram model trained on the train half; report on the test half."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Department choice from free text: top-1 and top-3 accuracy."""
        from careguide.evals.routing import SHARED_ROUTING, evaluate_routing, load_questions

        path = cases or SHARED_ROUTING
        if not path.exists():
            raise typer.BadParameter(f"no such file: {path}", param_hint="--cases")
        rows = load_questions(path)
        report = _with_progress(rows, as_json, lambda rows, tick: evaluate_routing(rows, learned=learned, progress=tick))
        report["cases"] = str(path)
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False))
        else:
            for key, value in report.items():
                typer.echo(f"{key}: {value}")


def _with_progress(rows, quiet, run):  # type: ignore[no-untyped-def]
    if quiet:
        return run(rows, None)
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("evaluating", total=len(rows))
        return run(rows, lambda: progress.advance(task))
