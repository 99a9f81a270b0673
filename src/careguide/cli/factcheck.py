"""Claim-checking commands: ``careguide check`` and ``careguide eval factcheck``."""

from __future__ import annotations

import json
from pathlib import Path

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("check")
    def check(
        text: str | None = typer.Argument(None, help="The claim, advert or message; '-' reads standard input."),
        lang: str | None = typer.Option(None, "--lang", help="Language of the explanation (en, zh); default: the text's."),
        image: Path | None = typer.Option(None, "--image", help="A photo or screenshot of the advert (OCR)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Check a health claim or advert: verdict, warning signs, highlighted phrases and advice."""
        import sys

        from careguide.factcheck import FactcheckInputError, check_text
        from careguide.i18n import t
        from careguide.llm import get_llm

        try:
            if image is not None:
                from careguide.factcheck.ocr import extract_text_from_image

                source = extract_text_from_image(image.read_bytes())
            else:
                source = sys.stdin.read() if text == "-" else (text or "")
            result = check_text(source, lang, llm=get_llm())
        except FactcheckInputError as error:
            message = {"en": error.message("en"), "zh": error.message("zh")}
            if as_json:
                typer.echo(json.dumps({"error": error.code, "message": message}, ensure_ascii=False))
            else:
                typer.echo(f"{message['zh']}\n{message['en']}", err=True)
            raise typer.Exit(2) from None
        if as_json:
            payload = result.model_dump(mode="json")
            ordered = {key: payload[key] for key in ("verdict", "patterns", "claims", "explanation")}
            ordered.update({k: v for k, v in payload.items() if k not in ordered})
            typer.echo(json.dumps(ordered, ensure_ascii=False))
            return
        typer.echo(result.explanation)
        for hit in result.patterns:
            phrases = " / ".join(s.text for s in hit.spans)
            typer.echo(f"- {hit.name}: \u201c{phrases}\u201d\n  {hit.reason}\n  {hit.basis[0]}")
        for finding in result.evidence:
            typer.echo(f"- {finding.claim} ({finding.agreement}): {'; '.join(finding.sources)}")
        typer.echo(t("common.not_medical_advice", result.language))

    @eval_app.command("factcheck")
    def eval_factcheck(
        cases: list[Path] | None = typer.Option(None, "--cases", help="Labelled JSONL file(s); default: the public "
                                                "en/zh files and the team set."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Judged share, accuracy, macro-F1 and precision/recall of 'misleading', per file."""
        from rich.progress import Progress, TaskID

        from careguide.evals.factcheck import DEFAULT_FILES, evaluate_files
        from careguide.llm import get_llm

        llm = get_llm()

        paths = list(cases) if cases else list(DEFAULT_FILES)
        if as_json:
            report = evaluate_files(paths, llm=llm)
        else:
            with Progress(transient=True) as bar:
                tasks: dict[str, TaskID] = {}

                def advance(name: str, done: int, total: int) -> None:
                    if name not in tasks:
                        tasks[name] = bar.add_task(name, total=total)
                    bar.update(tasks[name], completed=done)

                report = evaluate_files(paths, progress=advance, llm=llm)
        if cases and len(cases) == 1:
            single = next(iter(report["files"].values()))
            report = {"suite": "factcheck", "llm": report["llm"], **single}
        if as_json:
            typer.echo(json.dumps(report, ensure_ascii=False))
            return
        for name, metrics in (report["files"].items() if "files" in report else [("cases", report)]):
            if "error" in metrics:
                typer.echo(f"{name}: {metrics['error']}")
                continue
            typer.echo(f"{name}: n={metrics['n']} judged_share={metrics['judged_share']} "
                       f"accuracy={metrics['accuracy']} macro_f1={metrics['macro_f1']} "
                       f"precision_misleading={metrics['precision_misleading']} "
                       f"recall_misleading={metrics['recall_misleading']}")
        raise typer.Exit(1 if any("error" in m for m in report.get("files", {}).values()) else 0)
