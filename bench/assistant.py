"""Assistant benchmark: turns/s and p50/p99 latency of one assistant turn with provider ``none``.

Messages are the team's routing and safety sets (every intent and every safety path), answered as
first turns of fresh conversations, in process; BM25-only and BM25 + embeddings are measured
separately. Baseline in the same run: the foundation's API baseline (trivial GET /healthz served by
one uvicorn worker, from bench/api_baseline.py), so the figures can be compared across machines.

    .venv/bin/python bench/assistant.py [--rounds 1] [--no-api] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import statistics
import time
from pathlib import Path

from careguide.assistant import Assistant, ConversationState, Retriever
from careguide.config import Settings
from careguide.evals.assistant_routing import DEFAULT_MESSAGES, load_jsonl
from careguide.evals.safety import DEFAULT_PROMPTS
from careguide.llm import NoLLM


def measure(assistant: Assistant, messages: list[dict], rounds: int) -> dict[str, float]:
    latencies: list[float] = []
    begun = time.perf_counter()
    for _ in range(rounds):
        for message in messages:
            started = time.perf_counter()
            assistant.respond(ConversationState(), message["text"], message.get("language"))
            latencies.append(time.perf_counter() - started)
    elapsed = time.perf_counter() - begun
    latencies.sort()
    return {"turns": len(latencies), "turns_per_s": round(len(latencies) / elapsed, 1),
            "p50_ms": round(statistics.median(latencies) * 1000, 2),
            "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000, 2)}


def api_baseline(seconds: float) -> dict[str, float]:
    spec = importlib.util.spec_from_file_location("api_baseline", Path(__file__).with_name("api_baseline.py"))
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    figures: dict[str, float] = module.trivial_baseline(seconds)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-api", action="store_true", help="skip the API baseline")
    parser.add_argument("--seconds", type=float, default=3.0, help="duration of the API baseline")
    parser.add_argument("--json", action="store_true", help="print one JSON object as the last line")
    args = parser.parse_args()

    messages = load_jsonl(DEFAULT_MESSAGES) + load_jsonl(DEFAULT_PROMPTS)
    settings = Settings(default_language="en")
    t0 = time.perf_counter()
    bm25 = Assistant(settings, llm=NoLLM(), retriever=Retriever(use_embeddings=False))
    bm25.respond(ConversationState(), "warm up: what is asthma?")
    build_s = time.perf_counter() - t0
    figures: dict[str, object] = {"messages": len(messages), "build_s": round(build_s, 2), "provider": "none",
                                  "bm25": measure(bm25, messages, args.rounds)}
    dense = Assistant(settings, llm=NoLLM(), retriever=Retriever(use_embeddings=True))
    sample = messages[:: max(1, len(messages) // 60)]  # embeddings cost ~10 ms a query: a sample suffices
    figures["bm25_embeddings"] = measure(dense, sample, 1)
    if not args.no_api:
        figures["api_baseline"] = api_baseline(args.seconds)
        baseline = figures["api_baseline"]
        assert isinstance(baseline, dict)
        bm = figures["bm25"]
        assert isinstance(bm, dict)
        figures["turns_per_s_vs_trivial_rps"] = round(bm["turns_per_s"] / baseline["trivial_rps"], 4)
    for key in ("bm25", "bm25_embeddings"):
        row = figures[key]
        assert isinstance(row, dict)
        print(f"assistant turn ({key}): {row['turns_per_s']:>7.1f} turns/s  p50 {row['p50_ms']} ms  "
              f"p99 {row['p99_ms']} ms  ({row['turns']} turns)")
    if "api_baseline" in figures:
        print(f"API baseline GET /healthz: {figures['api_baseline']}")
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
