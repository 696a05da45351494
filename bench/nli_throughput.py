"""NLI throughput: verify's batched scorer versus a naive one-pair-at-a-time pipeline.

    python bench/nli_throughput.py [--model verify-nli-minilm] [--pairs 512] [--out FILE]

Draws pairs from ../shared/data (Climate-FEVER, HealthVer, SNLI, rte_fever), scores them
with ``NLIScorer.score_pairs`` and with ``transformers.pipeline("text-classification")``
called once per pair, in the same run, and prints JSON with pairs/s and the ratio.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit  # noqa: E402


def sample_pairs(n: int, seed: int = 0) -> list[tuple[str, str]]:
    from verify.datasets import (
        default_data_dir,
        read_climate_fever,
        read_healthver,
        read_rte_fever,
        read_snli,
    )

    data = default_data_dir()
    if data is None:
        return []
    pool = [
        *read_climate_fever(data / "climate_fever/dev.jsonl"),
        *read_healthver(data / "healthver/dev.csv"),
        *read_snli(data / "snli", "test"),
        *read_rte_fever(data / "rte_fever"),
    ]
    rng = random.Random(seed)
    return [(p.claim, p.evidence) for p in rng.sample(pool, n)]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--pairs", type=int, default=512)
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--out", default=None, help="also write the JSON here")
    args = parser.parse_args()
    pairs = sample_pairs(args.pairs)
    if not pairs:
        print(json.dumps({"skipped": "../shared/data is absent"}))
        return 0

    import torch
    from transformers import pipeline

    from verify.nli import NLIScorer

    scorer = NLIScorer(args.model, batch_size=args.batch_size, device="cpu")
    scorer.warm_up()
    scorer.score_pairs(pairs[:8])  # warm caches
    start = time.perf_counter()
    scorer.score_pairs(pairs)
    batched = time.perf_counter() - start

    loaded = scorer._loaded  # the same weights, so only the calling pattern differs
    naive_pipe = pipeline("text-classification", model=loaded.model, tokenizer=loaded.tokenizer,
                          device=-1, top_k=None)
    naive_pipe({"text": pairs[0][1], "text_pair": pairs[0][0]}, truncation=True)
    start = time.perf_counter()
    for claim, evidence in pairs:
        naive_pipe({"text": evidence, "text_pair": claim}, truncation=True,
                   max_length=loaded.max_length)
    naive = time.perf_counter() - start

    result = {
        "benchmark": "nli_throughput",
        "model": scorer.name,
        "pairs": len(pairs),
        "batch_size": args.batch_size,
        "torch_threads": torch.get_num_threads(),
        "cpu": platform.processor() or platform.machine(),
        "batched_pairs_per_s": round(len(pairs) / batched, 1),
        "naive_pairs_per_s": round(len(pairs) / naive, 1),
        "ratio_batched_over_naive": round(naive / batched, 2),
    }
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
