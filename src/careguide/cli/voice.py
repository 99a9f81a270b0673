"""Voice commands: ``careguide voice say|listen|engines`` and ``careguide eval voice``."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from careguide.voice.base import VoiceLang


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    voice_app = typer.Typer(help="Speech to text and text to speech.", no_args_is_help=True)
    app.add_typer(voice_app, name="voice")

    @voice_app.command("say")
    def say(
        text: str = typer.Argument(..., help="What to read aloud."),
        lang: str = typer.Option("en", "--lang", help="en or zh."),
        out: Path = typer.Option(Path("speech.wav"), "-o", "--out", help="WAV file to write."),
    ) -> None:
        """Read a text aloud into a WAV file (numbers and units said as words)."""
        from careguide.voice import VoiceError, speak

        try:
            speech = speak(text, _lang(lang))
        except VoiceError as error:
            typer.echo(error.message(lang), err=True)
            raise typer.Exit(2) from None
        out.write_bytes(speech.wav)
        typer.echo(f"{out}: {speech.duration_s:.1f} s by {speech.engine}: {speech.spoken_text}")

    @voice_app.command("listen")
    def listen(
        audio: Path = typer.Argument(..., exists=True, dir_okay=False, help="WAV, WebM, Ogg, MP3, MP4 or FLAC."),
        lang: str = typer.Option("en", "--lang", help="en or zh."),
        answer: bool = typer.Option(False, "--answer", help="Treat it as a reply to a yes/no question."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Transcribe a recording (or recognise a yes / no / not-sure reply)."""
        from careguide.voice import VoiceError, hear_answer, transcribe

        try:
            data = audio.read_bytes()
            result = hear_answer(data, _lang(lang)) if answer else transcribe(data, _lang(lang))
        except VoiceError as error:
            if as_json:
                typer.echo(json.dumps({"error": error.code, "message": error.messages(), "detail": error.detail},
                                      ensure_ascii=False))
            else:
                typer.echo(error.message(lang), err=True)
            raise typer.Exit(2) from None
        if as_json:
            typer.echo(result.model_dump_json())
        else:
            typer.echo(result.model_dump_json(indent=2) if answer else result.text)  # type: ignore[union-attr]

    @voice_app.command("engines")
    def engines(as_json: bool = typer.Option(False, "--json", help="Print one JSON object.")) -> None:
        """Which engine serves each language here, without loading any model."""
        from careguide.voice.engines import describe_engines

        infos = describe_engines()
        if as_json:
            typer.echo(json.dumps({"engines": [i.model_dump() for i in infos]}, ensure_ascii=False))
            return
        for info in infos:
            state = f"{info.engine} {info.model}" if info.available else f"UNAVAILABLE: {info.reason}"
            typer.echo(f"{info.kind} {info.language}: {state}")

    @eval_app.command("voice")
    def eval_voice(
        sentences: Path | None = typer.Option(None, "--sentences", help="JSONL of sentences and yes/no replies; "
                                              "default: evals/voice_sentences.jsonl."),
        lang: list[str] | None = typer.Option(None, "--lang", help="Only this language (repeatable)."),
        as_json: bool = typer.Option(False, "--json", help="Print one JSON object."),
    ) -> None:
        """Word / character error rate and yes-no accuracy of the shipped engines on synthesised speech."""
        from careguide.evals.voice import DEFAULT_SENTENCES, evaluate_voice, load_items

        items = load_items(sentences or DEFAULT_SENTENCES)
        langs = tuple(_lang(x) for x in lang) if lang else ("en", "zh")
        if as_json:
            result = evaluate_voice(items, langs)
            typer.echo(json.dumps(result, ensure_ascii=False))
            return
        from rich.progress import Progress

        with Progress(transient=True) as bar:
            task = bar.add_task("voice", total=sum(1 for i in items if i["lang"] in langs))
            result = evaluate_voice(items, langs, progress=lambda done, total: bar.update(task, completed=done))
        typer.echo(result["audio"])
        for name in ("wer_en", "cer_zh", "yes_no_accuracy_en", "yes_no_accuracy_zh"):
            typer.echo(f"{name}: {result[name]}")
        for key in ("wer_en_reason", "cer_zh_reason"):
            if key in result:
                typer.echo(f"{key}: {result[key]}")


def _lang(value: str) -> VoiceLang:
    if value not in ("en", "zh"):
        raise typer.BadParameter("language must be en or zh")
    return "en" if value == "en" else "zh"
