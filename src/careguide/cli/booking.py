"""Booking commands: seed the demo directory, match a triage outcome, FHIR import/export, release holds."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    booking_app = typer.Typer(help="Care navigation: directory, matching, bookings.")
    app.add_typer(booking_app, name="booking")

    @booking_app.command("seed")
    def seed(
        today: str = typer.Option("", help="First day of slots, YYYY-MM-DD (default: today in Shanghai)."),
        seed: int = typer.Option(7, help="Random seed; the same seed gives the same directory."),
        cities: str = typer.Option("", help="Comma-separated city keys (default: all)."),
        doctors_per_service: int = typer.Option(1, min=1, max=20),
        days: int = typer.Option(30, min=1, max=120),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Load the bilingual demo directory (no-op when it is already there)."""
        from careguide.booking.demo import seed_directory
        from careguide.store import get_database

        database = get_database()
        database.upgrade()
        with database.session() as session:
            summary = seed_directory(
                session,
                date.fromisoformat(today) if today else _today(),
                seed,
                city_keys=[c.strip() for c in cities.split(",") if c.strip()] or None,
                doctors_per_service=doctors_per_service,
                days=days,
            )
        if as_json:
            typer.echo(summary.model_dump_json())
        else:
            state = "created" if summary.created else "already present"
            typer.echo(
                f"demo directory {state}: {summary.organizations} hospitals, {summary.services} departments, "
                f"{summary.practitioners} doctors, {summary.slots} slots in {', '.join(summary.cities)}"
            )

    @booking_app.command("match")
    def match_command(
        disposition: str = typer.Option(..., help="ambulance, emergency, urgent, routine or self_care"),
        department: list[str] = typer.Option(
            [], "--department", "-d", help="Department id, best first (repeatable)."
        ),
        city: str = typer.Option("", help="The person's city (北京, Beijing ...)."),
        lang: str = typer.Option("zh", help="Language of the output: en or zh."),
        senior: bool = typer.Option(False, "--senior", help="The case calls for a senior doctor."),
        as_json: bool = typer.Option(False, "--json"),
    ) -> None:
        """Three proposals for a triage outcome (or the emergency route)."""
        from pydantic import ValidationError

        from careguide.booking.matching import MatchRequest, PersonContext, match
        from careguide.config import get_settings
        from careguide.i18n import normalise_language
        from careguide.store import get_database

        language = normalise_language(lang)
        try:
            request = MatchRequest(
                disposition=disposition,  # type: ignore[arg-type]
                department_ids=department,
                person=PersonContext(city=city or None, language=language),
                prefer_senior=senior,
                emergency_number=get_settings().emergency_number,
            )
        except ValidationError as error:
            typer.echo(f"invalid input: {error.errors()[0]['loc']}: {error.errors()[0]['msg']}", err=True)
            raise typer.Exit(2) from error
        with get_database().session() as session:
            result = match(session, request)
        if as_json:
            typer.echo(result.model_dump_json())
            return
        typer.echo(result.message.get(language))
        for option in result.emergency_departments:
            km = f" ({option.distance_km} km)" if option.distance_km is not None else ""
            typer.echo(f"  + {option.place.organization.get(language)}{km} {option.place.phone}")
        for p in result.proposals:
            typer.echo(
                f"{p.rank}. {p.local_start}  {p.practitioner.name.get(language)} ({p.practitioner.title_text.get(language)})  "
                f"{p.department.get(language)}, {p.place.organization.get(language)}  [slot {p.slot_id}]"
            )
            typer.echo(f"   {p.why.get(language)}")

    @booking_app.command("export-fhir")
    def export_fhir(
        path: Path = typer.Argument(..., help="Where to write the Bundle (JSON)."),
        organization: list[str] = typer.Option(
            [], "--organization", "-o", help="Organization code (repeatable; default all)."
        ),
    ) -> None:
        """Write the directory as a FHIR R5 collection Bundle."""
        from careguide.booking.fhir import export_directory
        from careguide.store import get_database

        with get_database().session() as session:
            bundle = export_directory(session, organization_codes=organization or None)
        path.write_text(json.dumps(bundle, ensure_ascii=False, indent=1), encoding="utf-8")
        typer.echo(f"wrote {len(bundle['entry'])} resources to {path}")

    @booking_app.command("import-fhir")
    def import_fhir(path: Path = typer.Argument(..., exists=True, readable=True)) -> None:
        """Load a hospital's directory from a FHIR Bundle (validated whole; nothing written on error)."""
        from careguide.booking.fhir import FhirImportError, import_directory
        from careguide.store import get_database

        try:
            bundle = json.loads(path.read_text(encoding="utf-8"))
            with get_database().session() as session:
                summary = import_directory(session, bundle)
        except (json.JSONDecodeError, FhirImportError) as error:
            typer.echo(f"import refused, nothing written: {error}", err=True)
            raise typer.Exit(1) from error
        typer.echo(f"created {summary.created}; updated {summary.updated}")

    @booking_app.command("release-holds")
    def release_holds() -> None:
        """Free slots whose holds lapsed and offer them to the wait-list (run every minute or so)."""
        from careguide.booking.waitlist import release_expired_holds
        from careguide.store import get_database

        with get_database().session() as session:
            freed = release_expired_holds(session)
        typer.echo(f"released {freed} lapsed holds")


def _today() -> date:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime.now(ZoneInfo("Asia/Shanghai")).date()
