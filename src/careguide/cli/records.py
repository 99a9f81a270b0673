"""Record commands: import files into a person's record, export it as a FHIR Bundle, evaluate."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    records_app = typer.Typer(help="The personal health record: import, export.")
    app.add_typer(records_app, name="records")

    @records_app.command("import")
    def import_(
        files: list[Path] = typer.Argument(..., help="FHIR JSON/NDJSON, Apple Health export.xml, device CSV/JSON."),
        person: int = typer.Option(..., "--person", help="The person (user id) whose record receives the data."),
        actor: str | None = typer.Option(None, "--as", help="Username acting; default the person themself."),
        timezone: str = typer.Option("UTC", "--tz", help="Time zone of device files whose times have no offset."),
        profile: str | None = typer.Option(None, "--profile", help="Device profile id (default: by the header)."),
        device_user: str | None = typer.Option(None, "--device-user", help="Device user id in multi-user files."),
        lang: str = typer.Option("en", "--lang", help="Language of the messages (en, zh)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Import files; each file is kept whole or not at all. Exit code 1 when any file failed."""
        from careguide.privacy.consent import AccessDenied
        from careguide.records.base import ImportOptions, ImportSummary
        from careguide.records.service import import_file

        database, acting = _actor(person, actor)
        options = ImportOptions(timezone=timezone, profile=profile, device_subject=device_user)
        summary = ImportSummary()
        with _progress(sum(f.stat().st_size for f in files if f.exists())) as advance:
            done = 0
            for path in files:
                with database.sessions() as session:  # a refused access commits its own audit event
                    try:
                        result = import_file(session, session.merge(acting), person, path, lang=lang,
                                             options=options, progress=_offset(advance, done))
                    except AccessDenied as exc:
                        typer.echo(f"access refused: {exc.decision.reason}", err=True)
                        raise typer.Exit(3) from exc
                    session.commit()
                summary.add(result)
                done += path.stat().st_size if path.exists() else 0
                advance(done)
        if as_json:
            typer.echo(json.dumps(summary.model_dump(exclude={"files"}), ensure_ascii=False))
        else:
            for result in summary.files:
                state = "ok" if result.committed else "NOT IMPORTED"
                typer.echo(f"{result.file}: {state}; new {sum(result.imported.values())}, updated "
                           f"{sum(result.updated.values())}, duplicates {result.duplicates}")
                for issue in result.errors:
                    typer.echo(f"  {issue.message}")
        raise typer.Exit(1 if summary.errors else 0)

    @records_app.command("export")
    def export(
        person: int = typer.Option(..., "--person"),
        actor: str | None = typer.Option(None, "--as"),
        out: Path | None = typer.Option(None, "--out", help="Write to this file instead of stdout."),
    ) -> None:
        """Write the person's whole record as one FHIR Bundle (JSON)."""
        from careguide.records.export import write_bundle

        database, acting = _actor(person, actor)
        with database.sessions() as session:
            if out is None:
                write_bundle(session, session.merge(acting), person, sys.stdout)
            else:
                with out.open("w", encoding="utf-8") as handle:
                    count = write_bundle(session, session.merge(acting), person, handle)
                typer.echo(f"{count} resources written to {out}", err=True)

    @records_app.command("reminders-worker")
    def reminders_worker(
        once: bool = typer.Option(False, "--once", help="One pass, then exit (for cron)."),
        interval: float = typer.Option(60.0, help="Seconds between passes."),
    ) -> None:
        """Deliver due reminders as in-app notifications (the separate worker used at scale)."""
        from careguide.records.scheduler import ReminderScheduler
        from careguide.store import get_database

        scheduler = ReminderScheduler(get_database(), interval_s=interval)
        if once:
            typer.echo(json.dumps({"sent": scheduler.tick()}))
            return
        scheduler.start()
        try:
            while True:
                import time

                time.sleep(3600)
        except KeyboardInterrupt:
            scheduler.stop()

    @eval_app.command("records")
    def eval_records(
        as_json: bool = typer.Option(False, "--json"),
        evals_dir: Path = typer.Option(Path("../shared/evals/records"), help="The shared records eval folder."),
    ) -> None:
        """Synthea import check: every resource stored by type, re-import adds none, export round-trips."""
        from careguide.evals.records import run_records_eval

        metrics = run_records_eval(evals_dir)
        if not as_json:
            for key, value in metrics.items():
                typer.echo(f"{key}: {value}")
        typer.echo(json.dumps(metrics, ensure_ascii=False))
        raise typer.Exit(0 if metrics.get("passed") else 1)


def _actor(person: int, username: str | None):  # type: ignore[no-untyped-def]
    from sqlalchemy import select

    from careguide.store import get_database
    from careguide.store.models import User

    database = get_database()
    with database.session() as session:
        user = (session.scalar(select(User).where(User.username == username)) if username
                else session.get(User, person))
        if user is None:
            typer.echo(f"no such user: {username or person}", err=True)
            raise typer.Exit(2)
        session.expunge(user)
    return database, user


def _offset(advance: Callable[[int], None], base: int) -> Callable[[int], None]:
    return lambda position: advance(base + position)


class _progress:
    """A byte-based progress bar on stderr."""

    def __init__(self, total: int) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, DownloadColumn, Progress, TimeRemainingColumn

        self._bar = Progress("{task.description}", BarColumn(), DownloadColumn(), TimeRemainingColumn(),
                             console=Console(stderr=True), transient=True)
        self._task = self._bar.add_task("importing", total=max(total, 1))

    def __enter__(self):  # type: ignore[no-untyped-def]
        self._bar.start()
        return lambda position: self._bar.update(self._task, completed=position)

    def __exit__(self, *exc: object) -> None:
        self._bar.stop()
