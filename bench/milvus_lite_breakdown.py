"""Where a Milvus Lite query's time goes, step by step, on 200,000 passages.

    python bench/milvus_lite_breakdown.py [--db runs/milvus200k/scale.db] [--queries 100]
                                          [--out FILE]

Builds the collection once (bench/retrieval_speed.py's synthetic passages, random unit
vectors; kept at ``--db`` for reruns), then times each step of a single-query search over
``--queries`` Climate-FEVER claims (median and p95, ms): the query embedding; a dense and a
BM25 search alone, without a filter, with the visibility filter verify uses (an integer
comparison on the load sequence number) and with the filter it used before (a list of load
ids); Milvus' ``hybrid_search`` of both; a read of the state collection; and
``MilvusCorpus.search_many`` with each fusion.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import climate_fever_queries, emit, latency_ms, shared_data  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=Path("runs/milvus200k/scale.db"))
    parser.add_argument("--passages", type=int, default=200_000)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    import pymilvus
    from retrieval_speed import sentence_pool, synthetic_passages

    from verify.corpus import Embedder
    from verify.ingest import Document
    from verify.milvus import MilvusCorpus

    embedder = Embedder()
    if not args.db.exists():
        passages = synthetic_passages(sentence_pool(data), args.passages)
        rng = np.random.default_rng(0)

        def encode(texts: list[str]) -> np.ndarray:
            vectors = rng.standard_normal((len(texts), 384)).astype(np.float32)
            return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)

        MilvusCorpus.from_documents(
            [Document(doc_id=p.passage_id, source=p.source, text=p.text) for p in passages],
            uri=str(args.db), collection="synthetic", embedder=embedder,
            encode=encode).close()
    queries = climate_fever_queries(data, args.queries)
    corpus = MilvusCorpus(str(args.db), "synthetic", embedder=embedder)
    corpus.warm_up()
    client = corpus._connect()
    vectors = {q: [float(x) for x in v] for q, v in zip(queries, embedder.encode(queries))}
    filters = {"no filter": "", "load sequence filter (verify)": corpus._visible(),
               "load id list filter (before)": f"load in {json.dumps(corpus._committed)}"}
    fields = ["text", "source", "title", "start", "end", "passage_id", "load"]
    steps: dict[str, dict] = {
        "query embedding": latency_ms(lambda q: embedder.encode([q]), queries)}
    for name, expr in filters.items():
        steps[f"dense search, {name}"] = latency_ms(lambda q, expr=expr: client.search(
            "synthetic", [vectors[q]], anns_field="dense", limit=50,
            search_params={"metric_type": "IP"}, filter=expr, output_fields=fields), queries)
        steps[f"BM25 search, {name}"] = latency_ms(lambda q, expr=expr: client.search(
            "synthetic", [q], anns_field="sparse", limit=50,
            search_params={"metric_type": "BM25"}, filter=expr, output_fields=fields), queries)

    def hybrid(query: str) -> None:
        requests = [pymilvus.AnnSearchRequest([vectors[query]], "dense", {"metric_type": "IP"},
                                              limit=50),
                    pymilvus.AnnSearchRequest([query], "sparse", {"metric_type": "BM25"},
                                              limit=50)]
        client.hybrid_search("synthetic", requests, pymilvus.RRFRanker(60), limit=5,
                             output_fields=fields)

    steps["hybrid_search of both, no filter"] = latency_ms(hybrid, queries)
    steps["state read (one row by key)"] = latency_ms(lambda q: corpus._read_loads(), queries)
    for fusion in ("client", "milvus"):
        corpus.fusion = fusion
        steps[f"search_many, fusion={fusion} (embedding included)"] = latency_ms(
            lambda q: corpus.search_many([q], k=5), queries)
    corpus.close()
    return emit({"benchmark": "milvus_lite_breakdown", "passages": args.passages,
                 "queries": args.queries, "steps": steps}, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
