"""Index build rate, query latency, reload time and memory at growing corpus sizes.

    python bench/retrieval_speed.py [--sizes 5000 50000 200000] [--out FILE]

Synthetic corpora (documented procedure): passages are made from real sentences of
../shared/data (SNLI premises, rte_fever evidence, Climate-FEVER and HealthVer text),
each passage two sentences drawn at random with a fixed seed, so vocabulary and lengths
are realistic at any size. Embedding with all-MiniLM-L6-v2 is measured for real on the
first 2,000 passages (the build rate in passages/s); for the larger sizes the embedding
matrix is filled with random unit vectors of the same shape, since query cost does not
depend on the values and embedding 200k passages on 2 cores would take most of an hour.
Queries are 200 Climate-FEVER claims; latency is per query (BM25 + dense + fusion), warm,
one query at a time. ``warm_up_seconds`` is the one-off preparation after a reload (query
embedder, float16 search copy, numba compilation for large corpora); ``batch_ms_per_query``
is the cost per claim when an article's 30 claims are searched together, as the engine does.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from verify.corpus import Corpus, PassageSettings
from verify.datasets import read_climate_fever, read_healthver, read_rte_fever, read_snli
from verify.text import split_sentences
from verify.types import Passage

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import climate_fever_queries, emit, shared_data  # noqa: E402


def sentence_pool(data) -> list[str]:
    texts = [p.evidence for p in read_snli(data / "snli", "dev")]
    texts += [p.evidence for p in read_rte_fever(data / "rte_fever")]
    texts += [p.evidence for p in read_climate_fever(data / "climate_fever/dev.jsonl")]
    texts += [p.evidence for p in read_healthver(data / "healthver/dev.csv")]
    sentences = {s.text for t in texts for s in split_sentences(t) if len(s.text) > 30}
    return sorted(sentences)


def synthetic_passages(pool: list[str], n: int, seed: int = 0) -> list[Passage]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        text = f"{rng.choice(pool)} {rng.choice(pool)}"
        out.append(Passage(text=text, source=f"synthetic/{i // 20}.txt", start=0,
                           end=len(text), passage_id=f"synthetic/{i // 20}@{i}"))
    return out


def synthetic_index(passages: list[Passage], embedder, rng: np.random.Generator) -> Corpus:
    """An in-memory index of ``passages`` with random unit vectors for embeddings (query
    cost does not depend on their values), 20 passages a synthetic document."""
    vectors = rng.standard_normal((len(passages), 384), dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    documents = {f"synthetic/{i}.txt": {"source": f"synthetic/{i}.txt", "title": "",
                                        "fingerprint": str(i), "passages": 20}
                 for i in range(len(passages) // 20 + 1)}
    return Corpus(passages, vectors, documents=documents, settings=PassageSettings(),
                  embedder=embedder)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[5000, 50000, 200000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    pool = sentence_pool(data)
    queries = climate_fever_queries(data, args.queries)
    probe = Corpus([], np.zeros((0, 384), np.float32), documents={},
                   settings=PassageSettings())
    embedder = probe.embedder
    sample = synthetic_passages(pool, 2000, seed=99)
    started = time.perf_counter()
    embedder.encode([p.text for p in sample])
    embed_rate = len(sample) / (time.perf_counter() - started)
    result = {"benchmark": "retrieval_speed", "sentence_pool": len(pool),
              "embedding_passages_per_s": round(embed_rate, 1), "sizes": []}
    rng = np.random.default_rng(0)
    for size in args.sizes:
        passages = synthetic_passages(pool, size)
        started = time.perf_counter()
        corpus = synthetic_index(passages, embedder, rng)
        bm25_seconds = time.perf_counter() - started
        folder = tempfile.mkdtemp(prefix="verify-bench-")
        try:
            started = time.perf_counter()
            corpus.save(os.path.join(folder, "index"))
            save_seconds = time.perf_counter() - started
            del corpus
            started = time.perf_counter()
            loaded = Corpus.load(os.path.join(folder, "index"), embedder=embedder)
            load_seconds = time.perf_counter() - started
            started = time.perf_counter()
            loaded.warm_up()
            warm_seconds = time.perf_counter() - started
            loaded.search_many(queries[:5], k=5)
            latencies = []
            for query in queries:
                started = time.perf_counter()
                loaded.search(query, k=5)
                latencies.append((time.perf_counter() - started) * 1000)
            latencies.sort()
            started = time.perf_counter()
            for first in range(0, len(queries), 30):
                loaded.search_many(queries[first:first + 30], k=5)
            batch_ms = (time.perf_counter() - started) * 1000 / len(queries)
            result["sizes"].append({
                "passages": size,
                "bm25_index_seconds": round(bm25_seconds, 2),
                "build_passages_per_s_with_embedding": round(
                    size / (size / embed_rate + bm25_seconds), 1),
                "save_seconds": round(save_seconds, 2),
                "reload_seconds": round(load_seconds, 2),
                "warm_up_seconds": round(warm_seconds, 2),
                "query_ms_median": round(latencies[len(latencies) // 2], 1),
                "query_ms_p95": round(latencies[int(len(latencies) * 0.95) - 1], 1),
                "batch_ms_per_query": round(batch_ms, 1),
                "peak_rss_mb": round(rss_mb(), 0),
            })
            print(json.dumps(result["sizes"][-1]), file=sys.stderr)
            del loaded
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
