"""Real-time factor of each speech-to-text and text-to-speech engine on this machine.

    python bench/voice.py [--clips 3] [--json]

For each language, ``--clips`` sentences from ``evals/voice_sentences.jsonl`` are synthesised by
the language's TTS engine and transcribed by its STT engine, after one warm-up call each that
loads the models. Real-time factor = processing seconds / audio seconds (below 1: faster than
speech). ``cpu_per_audio_second`` is process CPU time per audio second: on a machine shared with
other work it moves less than wall-clock time does, but counts every thread an engine uses.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from typing import Any


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clips", type=int, default=3)
    parser.add_argument("--json", action="store_true", dest="as_json")
    args = parser.parse_args()

    from careguide.evals.voice import load_items
    from careguide.voice import EngineUnavailable, speak, transcribe

    items = [i for i in load_items() if i["kind"] == "sentence"]
    result: dict[str, Any] = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs",
                              "load_average": os.getloadavg()[0], "engines": []}
    for lang in ("en", "zh"):
        sentences = [i["text"] for i in items if i["lang"] == lang][: args.clips]
        try:
            clips, tts = _measure(lambda text, lang=lang: speak(text, lang), sentences)
            result["engines"].append({"kind": "tts", "language": lang, **tts})
            _, stt = _measure(lambda wav, lang=lang: transcribe(wav, lang), [c.wav for c in clips])
            stt["engine"] = stt.pop("engine")
            result["engines"].append({"kind": "stt", "language": lang, **stt})
        except EngineUnavailable as error:
            result["engines"].append({"language": lang, "unavailable": error.detail})
    if args.as_json:
        print(json.dumps(result, ensure_ascii=False))
        return
    print(f"{result['machine']}, load average {result['load_average']:.1f}")
    for row in result["engines"]:
        if "unavailable" in row:
            print(f"{row['language']}: unavailable ({row['unavailable']})")
        else:
            print(f"{row['kind']} {row['language']} {row['engine']}: real-time factor {row['real_time_factor']}, "
                  f"CPU s per audio s {row['cpu_per_audio_second']} over {row['audio_seconds']} s of audio")


def _measure(call: Any, inputs: list[Any]) -> tuple[list[Any], dict[str, Any]]:
    first = call(inputs[0])  # loads the model; not timed
    outputs, audio = [], 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    for value in inputs:
        out = call(value)
        outputs.append(out)
        audio += out.duration_s if hasattr(out, "duration_s") else out.audio_seconds
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    return outputs, {"engine": first.engine, "clips": len(inputs), "audio_seconds": round(audio, 2),
                     "real_time_factor": round(wall / audio, 3), "cpu_per_audio_second": round(cpu / audio, 3)}


if __name__ == "__main__":
    main()
