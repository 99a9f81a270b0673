"""Doctor-side commands: ``careguide eval clinician``."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @eval_app.command("clinician")
    def eval_clinician(
        cases: Path = typer.Option(None, "--cases", help="Triage case file (default: evals/triage_cases.jsonl)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object as the last line."),
    ) -> None:
        """Summaries built from simulated interviews: unsupported facts and lost pertinent negatives."""
        from careguide.evals.clinician import evaluate_clinician
        from careguide.evals.triage import TEAM_CASES, load_cases

        loaded = load_cases(cases or TEAM_CASES)
        if as_json:
            figures = evaluate_clinician(loaded)
        else:
            with typer.progressbar(length=len(loaded), label="summaries", file=None) as bar:
                figures = evaluate_clinician(loaded, progress=lambda: bar.update(1))
            for key in ("summaries", "facts", "unsupported_facts", "lost_negatives", "summaries_per_second"):
                typer.echo(f"{key:>22}: {figures[key]}")
        if as_json:
            typer.echo(json.dumps(figures, ensure_ascii=False))
