"""Assistant commands: ``careguide ask`` and the evaluations ``safety``, ``assistant-routing``, ``groundedness``."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import typer


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    @app.command("ask")
    def ask(
        text: str = typer.Argument(..., help="Your message; '-' reads standard input."),
        lang: str | None = typer.Option(None, "--lang", help="Answer language (zh or en); default: the message's."),
        region: str | None = typer.Option(None, "--region", help="Region for the emergency number (default: settings)."),
        embeddings: bool = typer.Option(True, "--embeddings/--no-embeddings", help="Use multilingual embeddings."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Ask the assistant one question (one turn of a new conversation)."""
        from careguide.assistant import Assistant, ConversationState
        from careguide.config import get_settings

        settings = get_settings()
        message = sys.stdin.read() if text == "-" else text
        state = ConversationState(region=(region or settings.region).upper())
        result = Assistant(settings, use_embeddings=embeddings).respond(state, message, lang)
        if as_json:
            typer.echo(json.dumps(result.public_dict(), ensure_ascii=False))
            return
        typer.echo(result.answer)
        for source in result.sources:
            if "id" in source:
                typer.echo(f"[{source['n']}] {source['title']} - {'; '.join(source['references'])}")

    @eval_app.command("safety")
    def eval_safety(
        prompts: Path | None = typer.Option(None, "--prompts", help="Safety prompts JSONL (default: evals/safety_prompts.jsonl)."),
        region: str = typer.Option("CN", "--region", help="Region whose emergency number answers must give."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Safety suite: emergencies, self-harm, refusals, jailbreaks, injections, misinformation."""
        from careguide.evals.safety import DEFAULT_PROMPTS, evaluate, load_prompts

        rows = load_prompts(prompts or DEFAULT_PROMPTS)
        report = _with_progress(lambda advance: evaluate(rows, region=region, progress=advance), len(rows), as_json,
                                "safety prompts")
        _print(report, as_json, ["n", "pass_rate", "emergency_pass_rate", "self_harm_pass_rate", "by_expected"])
        targets = report["targets"]
        if any(report[key] < value for key, value in targets.items()):
            raise typer.Exit(1)

    @eval_app.command("assistant-routing")
    def eval_routing(
        messages: Path | None = typer.Option(None, "--messages", help="Labelled messages JSONL (default: evals/routing_messages.jsonl)."),
        kuake: Path | None = typer.Option(None, "--kuake", help="KUAKE-QIC JSONL (default: ../shared/evals/routing/)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Router accuracy per intent, and the safety path on KUAKE-QIC diagnosis/treatment queries."""
        from careguide.evals.assistant_routing import (
            DEFAULT_MESSAGES,
            KUAKE,
            evaluate_kuake,
            evaluate_routing,
            load_jsonl,
        )

        report: dict[str, object] = {"suite": "assistant-routing",
                                     "team": evaluate_routing(load_jsonl(messages or DEFAULT_MESSAGES))}
        kuake_path = kuake or KUAKE
        report["kuake"] = evaluate_kuake(load_jsonl(kuake_path)) if kuake_path.exists() else {
            "skipped": f"{kuake_path} not found"}
        team = report["team"]
        assert isinstance(team, dict)
        report["accuracy"] = team["accuracy"]
        _print(report, as_json, ["accuracy", "team", "kuake"])

    _register_agents(eval_app)

    @eval_app.command("groundedness")
    def eval_groundedness(
        messages: Path | None = typer.Option(None, "--messages", help="Labelled messages JSONL; its health_question rows are asked."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """With provider none: share of answers whose every sentence is cited and found in its passage."""
        from careguide.evals.assistant_routing import DEFAULT_MESSAGES, groundedness, load_jsonl

        rows = [r for r in load_jsonl(messages or DEFAULT_MESSAGES) if r["intent"] == "health_question"]
        report = {"suite": "groundedness", **groundedness(rows)}
        _print(report, as_json, ["questions", "answered_rate", "grounded_rate", "sentence_grounded_rate"])
        if report["grounded_rate"] < 1.0:
            raise typer.Exit(1)


def _register_agents(eval_app: typer.Typer) -> None:
    @eval_app.command("agents")
    def eval_agents(
        requests: Path | None = typer.Option(None, "--requests", help="Labelled agent requests JSONL "
                                             "(default: evals/agent_requests.jsonl)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """AI doctor agents: refer precision/recall, red flags referred, routine questions answered."""
        from careguide.evals.assistant_routing import AGENT_REQUESTS, evaluate_agents, load_jsonl

        path = requests or AGENT_REQUESTS
        if not path.exists():
            _print({"suite": "agents", "skipped": f"{path} not found"}, as_json, ["skipped"])
            return
        report = {"suite": "agents", **evaluate_agents(load_jsonl(path))}
        _print(report, as_json, ["n", "agents"])


def _with_progress(run, total: int, quiet: bool, label: str):  # type: ignore[no-untyped-def]
    if quiet:
        return run(None)
    from rich.progress import Progress

    with Progress(transient=True, console=None) as bar:
        task = bar.add_task(label, total=total)
        return run(lambda done: bar.update(task, completed=done))


def _print(report: dict, as_json: bool, keys: list[str]) -> None:
    if as_json:
        typer.echo(json.dumps(report, ensure_ascii=False))
        return
    for key in keys:
        typer.echo(f"{key}: {json.dumps(report.get(key), ensure_ascii=False)}")
