"""What benchmarks share: the data folder, sampled claims as queries, latency figures,
counts of a model's answers on probe pairs, and printing the JSON result (saved if
asked)."""

from __future__ import annotations

import json
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any


def shared_data() -> Path | None:
    """../shared/data, or None after printing the JSON that says the benchmark skipped."""
    from verify.datasets import default_data_dir

    data = default_data_dir()
    if data is None:
        print(json.dumps({"skipped": "../shared/data is absent"}))
    return data


def emit(result: dict[str, Any], out: str | None) -> int:
    text = json.dumps(result, indent=2)
    print(text)
    if out:
        Path(out).write_text(text + "\n", encoding="utf-8")
    return 0


def climate_fever_queries(data: Path, n: int) -> list[str]:
    """``n`` distinct Climate-FEVER dev claims, the same ones in every benchmark."""
    from verify.datasets import read_climate_fever

    claims = sorted({p.claim for p in read_climate_fever(data / "climate_fever/dev.jsonl")})
    return random.Random(1).sample(claims, n)


def latency_ms(function: Callable[[str], Any], queries: Sequence[str],
               warm: int = 5) -> dict[str, float]:
    """Median and p95 milliseconds of ``function(query)`` over ``queries``, after
    ``warm`` untimed calls."""
    for query in queries[:warm]:
        function(query)
    latencies = []
    for query in queries:
        started = time.perf_counter()
        function(query)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    return {"median_ms": round(latencies[len(latencies) // 2], 1),
            "p95_ms": round(latencies[int(len(latencies) * 0.95) - 1], 1)}


def probe_counts(model: str, pairs: Sequence[tuple[str, str, str]]
                 ) -> tuple[str, Counter, Counter]:
    """Score ``(premise, hypothesis, kind)`` pairs with one NLI model: its name, and per
    kind how many pairs it gives P(contradiction) > 0.5 and P(entailment) > 0.5."""
    from verify.nli import NLIScorer
    from verify.types import Label

    scorer = NLIScorer(model)
    scores = scorer.score_pairs([(hypothesis, premise) for premise, hypothesis, _ in pairs],
                                show_progress_bar=True)
    contradicted: Counter = Counter()
    entailed: Counter = Counter()
    for (_, _, kind), score in zip(pairs, scores):
        contradicted[kind] += score.probabilities[Label.REFUTED.value] > 0.5
        entailed[kind] += score.probabilities[Label.SUPPORTED.value] > 0.5
    return scorer.name, contradicted, entailed
