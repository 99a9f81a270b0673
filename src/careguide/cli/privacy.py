"""Privacy commands: ``careguide deid``, ``careguide eval deid`` and ``careguide keys``."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("deid")
    def deid(
        text: str = typer.Argument(..., help="The text to de-identify; '-' reads standard input."),
        person: str = typer.Option("cli", "--person", help="Whose text it is: dates of one person shift together."),
        lang: str | None = typer.Option(None, "--lang", help="Language of the placeholders (en, zh); default: the text's."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Replace names, numbers, addresses and exact dates in a text (research export)."""
        import sys

        from careguide.privacy.deid import deidentify_text

        source = sys.stdin.read() if text == "-" else text
        result = deidentify_text(source, secret=_deid_secret(), person_key=person, lang=lang)
        if as_json:
            typer.echo(json.dumps(result.model_dump(mode="json"), ensure_ascii=False))
        else:
            typer.echo(result.text)

    @app.command("deid-export")
    def deid_export(
        source: Path = typer.Argument(..., help="JSONL: one person a line (person_key, birth_date, sex, region, data)."),
        out: Path = typer.Option(..., "--out", help="Where to write the de-identified JSONL."),
        k: int = typer.Option(5, "--k", min=1, help="Smallest group size allowed for age band x sex x region."),
        lang: str | None = typer.Option(None, "--lang", help="Language of messages (en, zh)."),
        as_json: bool = typer.Option(False, "--json", help="Print the k-anonymity report as one JSON object."),
    ) -> None:
        """A research export: pseudonyms, generalised quasi-identifiers, scrubbed fields, k-anonymity report."""
        from pydantic import ValidationError

        from careguide.i18n import t
        from careguide.privacy.deid_export import ResearchRecord, research_export

        records = []
        with source.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    records.append(ResearchRecord.model_validate_json(line))
                except ValidationError as exc:
                    error = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'line'}: {e['msg']}" for e in exc.errors()[:3])
                    typer.echo(t("privacy.export_bad_line", lang, line=number, path=source, error=error), err=True)
                    raise typer.Exit(2) from None
        export = research_export(records, secret=_deid_secret(), k=k)
        with out.open("w", encoding="utf-8") as handle:
            for row in export.rows:
                handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        report = export.k_anonymity
        if as_json:
            typer.echo(json.dumps(report.model_dump(mode="json"), ensure_ascii=False))
        else:
            typer.echo(t("privacy.export_done", lang, rows=len(export.rows), path=out, smallest=report.smallest_class,
                         k=k, suppressed=report.suppressed_rows, risk=report.max_risk))

    @eval_app.command("deid")
    def eval_deid(
        notes: Path | None = typer.Option(None, "--notes", help="Labelled JSONL notes; default: evals/deid_notes.jsonl."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Recall of identifier removal (overall, per type, per language) and precision."""
        from rich.progress import Progress

        from careguide.evals.deid import DEFAULT_NOTES, evaluate_file

        path = notes or DEFAULT_NOTES
        if as_json:
            report = evaluate_file(path)
            typer.echo(json.dumps(report, ensure_ascii=False))
            return
        with Progress(transient=True) as bar:
            task = bar.add_task("deid", total=None)
            report = evaluate_file(path, progress=lambda done, total: bar.update(task, completed=done, total=total))
        typer.echo(f"notes: {report['n']}  identifiers: {report['identifiers']}")
        typer.echo(f"identifier_recall: {report['identifier_recall']:.4f} (target {report['target_recall']})")
        typer.echo(f"precision: {report['precision']:.4f}  type_agreement: {report['type_agreement']:.4f}")
        for kind, recall in report["per_type_recall"].items():
            typer.echo(f"  {kind:<14} {recall:.4f}  (n={report['per_type_count'][kind]})")
        for group, recall in report["recall_by_group"].items():
            typer.echo(f"  {group:<22} {recall:.4f}")
        clean = report["clean_text"]
        typer.echo(f"identifier-free text: {clean['detections']} false detections in {clean['texts']} texts "
                   f"({clean['chars']} characters; {clean['files_skipped']} unreadable files skipped)")
        for miss in report["misses"][:15]:
            typer.echo(f"  missed {miss['type']}: {miss['text']!r} ({miss['id']})")

    _register_keys(app)


def _deid_secret() -> bytes:
    """The keyed secret for date shifts and pseudonyms, derived from the installation's secret key."""
    import hashlib
    import hmac

    from careguide.config import get_settings

    return hmac.new(get_settings().resolved_secret_key().encode(), b"careguide-deid-v1", hashlib.sha256).digest()


def _register_keys(app: typer.Typer) -> None:
    keys_app = typer.Typer(help="Encryption keys for health data at rest.", no_args_is_help=True)
    app.add_typer(keys_app, name="keys")

    @keys_app.command("status")
    def status(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
        """Which master keys exist, which one is active, and how many stored values each wraps."""
        from careguide.privacy.keys import count_by_key, default_keyring
        from careguide.store import get_database

        keyring = default_keyring()
        counts = count_by_key(get_database())
        report = {"provider": keyring.provider_name, "active": keyring.active_id, "keys": keyring.key_ids(),
                  "values_by_key": counts}
        typer.echo(json.dumps(report) if as_json else "\n".join(f"{k}: {v}" for k, v in report.items()))

    @keys_app.command("rotate")
    def rotate(
        new_key: bool = typer.Option(True, "--new-key/--rewrap-only",
                                     help="Create a new active master key first (file provider), or only re-wrap "
                                          "to the key already active (env provider: set the new key first)."),
        batch: int = typer.Option(500, help="Rows re-wrapped per transaction."),
        retire: bool = typer.Option(False, "--retire", help="Delete old key files once nothing uses them."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Re-wrap every stored data key under the active master key, in small transactions.

        Readers keep working throughout: a value names the key that wraps it, and old keys stay
        readable until ``--retire`` removes them after a rotation that left nothing behind. Retiring
        waits until the active key is two minutes old (every worker reloads keys within one):
        run ``careguide keys rotate --rewrap-only --retire`` again later if it was deferred."""
        from careguide.privacy.keys import default_keyring, rotate_keys
        from careguide.store import get_database

        keyring = default_keyring()
        if new_key:
            keyring.create_key()
        report = rotate_keys(get_database(), keyring, batch_size=batch, retire=retire)
        typer.echo(json.dumps(report) if as_json else "\n".join(f"{k}: {v}" for k, v in report.items()))
