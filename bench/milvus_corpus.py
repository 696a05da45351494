"""Milvus (Lite) as the corpus against the embedded index, in one run.

    python bench/milvus_corpus.py [--sizes 200000] [--queries 200] [--skip-quality]
                                  [--out FILE]

- **quality**: the Climate-FEVER dev evidence pool of bench/retrieval_quality.py (one
  sentence per passage) in both engines with the same vectors: recall@1/5/10 for BM25,
  dense, hybrid and hybrid + NLI rerank (all claims and held-out claims). Milvus uses its
  own BM25 function and ``hybrid_search`` (RRF), the embedded index bm25s + its own fusion.
- **scale**: synthetic passages (bench/retrieval_speed.py's procedure: real sentences of
  ../shared/data, random unit vectors in place of embeddings, which query cost does not
  depend on) loaded into both: load seconds (BM25 and storage, no embedding), disk size,
  and warm single-query latency without rerank (median, p95) over ``--queries``
  Climate-FEVER claims, embedded for real by the same query embedder. Milvus Lite is timed
  with its default fusion (two searches fused here) and with Milvus' ``hybrid_search``.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import climate_fever_queries, emit, latency_ms, shared_data  # noqa: E402


def folder_mb(path: Path) -> float:
    """Size on disk of an index folder, or of a Milvus Lite file with whatever it keeps
    beside it (``NAME.db*``)."""
    files = [p for p in path.rglob("*") if p.is_file()] if path.is_dir() else \
        [p for p in path.parent.glob(f"{path.name}*") if p.is_file()] + \
        [p for d in path.parent.glob(f"{path.name}*") if d.is_dir()
         for p in d.rglob("*") if p.is_file()]
    return round(sum(p.stat().st_size for p in files) / 2**20, 1)


def quality(data, workdir: Path) -> dict:
    from retrieval_quality import KS, POOL_SETTINGS, pool_documents, recall

    from verify.corpus import Corpus, _embedding_text
    from verify.milvus import MilvusCorpus
    from verify.nli import NLIScorer

    documents, queries = pool_documents(data)
    embedded = Corpus.from_documents(documents, settings=POOL_SETTINGS)
    vectors = {_embedding_text(p): embedded.embeddings[i]
               for i, p in enumerate(embedded.passages)}
    def encode(texts: list[str]) -> np.ndarray:
        # The embedded index collapses a passage repeated in another document; Milvus keeps
        # one per document, so a few texts are embedded here.
        missing = [t for t in texts if t not in vectors]
        if missing:
            vectors.update(zip(missing, embedded.embedder.encode(missing)))
        return np.stack([vectors[t] for t in texts])

    started = time.perf_counter()
    milvus = MilvusCorpus.from_documents(
        documents, uri=str(workdir / "quality.db"), collection="climate_fever",
        settings=POOL_SETTINGS, embedder=embedded.embedder, encode=encode)
    load_seconds = time.perf_counter() - started
    texts = [q for q, _, _ in queries]
    scorer = NLIScorer("verify-nli-minilm")
    out: dict = {"claims": len(queries), "passages_embedded_index": len(embedded),
                 "passages_milvus": len(milvus), "milvus_load_seconds": round(load_seconds, 1)}
    for name, corpus in (("embedded", embedded), ("milvus", milvus)):
        rows, held = {}, {}
        for mode in ("bm25", "dense", "hybrid"):
            found = corpus.search_many(texts, k=max(KS), mode=mode)
            rows[mode], held[mode] = recall(found, queries), recall(found, queries, True)
        found = corpus.search_many(texts, k=max(KS), rerank=scorer)
        rows["hybrid+rerank"] = recall(found, queries)
        held["hybrid+rerank"] = recall(found, queries, True)
        out[name] = {"all": rows, "held_out": held}
    out["recall@5_hybrid+rerank_difference"] = round(
        out["milvus"]["all"]["hybrid+rerank"]["recall@5"]
        - out["embedded"]["all"]["hybrid+rerank"]["recall@5"], 4)
    milvus.close()
    return out


def scale(data, size: int, n_queries: int, workdir: Path) -> dict:
    from retrieval_speed import sentence_pool, synthetic_index, synthetic_passages

    from verify.corpus import Corpus, Embedder
    from verify.ingest import Document
    from verify.milvus import MilvusCorpus

    workdir.mkdir(parents=True, exist_ok=True)
    embedder = Embedder()
    pool = sentence_pool(data)
    passages = synthetic_passages(pool, size)
    queries = climate_fever_queries(data, n_queries)
    result: dict = {"passages": size}

    def timed_queries(corpus) -> dict:
        corpus.warm_up()
        timed = latency_ms(lambda query: corpus.search_many([query], k=5), queries)
        return {"query_ms_median": timed["median_ms"], "query_ms_p95": timed["p95_ms"]}

    # Embedded index: the documented in-memory build, saved, reloaded, queried.
    started = time.perf_counter()
    corpus = synthetic_index(passages, embedder, np.random.default_rng(0))
    matrix = np.asarray(corpus.embeddings)
    corpus.save(workdir / "index")
    result["embedded"] = {"load_seconds": round(time.perf_counter() - started, 1),
                          "disk_mb": folder_mb(workdir / "index")}
    del corpus
    result["embedded"].update(timed_queries(Corpus.load(workdir / "index", embedder=embedder)))
    # Milvus Lite: every synthetic passage as a one-passage document, the same vectors.
    by_text = {p.text: matrix[i] for i, p in enumerate(passages)}

    def encode(texts: list[str]) -> np.ndarray:
        # A synthetic passage whose sentences split into more than three becomes two
        # passages; those get random unit vectors of their own too.
        out = []
        for text in texts:
            if text not in by_text:
                vector = np.random.default_rng(abs(hash(text)) % 2**32).standard_normal(
                    384).astype(np.float32)
                by_text[text] = vector / np.linalg.norm(vector)
            out.append(by_text[text])
        return np.stack(out)

    docs = [Document(doc_id=p.passage_id, source=p.source, text=p.text) for p in passages]
    started = time.perf_counter()
    milvus = MilvusCorpus.from_documents(
        docs, uri=str(workdir / "scale.db"), collection="synthetic", embedder=embedder,
        encode=encode, show_progress_bar=True)
    load_seconds = time.perf_counter() - started
    milvus.close()
    result["milvus_lite"] = {"load_seconds": round(load_seconds, 1),
                             "disk_mb": folder_mb(workdir / "scale.db")}
    reopened = MilvusCorpus(str(workdir / "scale.db"), "synthetic", embedder=embedder)
    result["milvus_lite"].update(timed_queries(reopened))  # fusion "auto": client on Lite
    # The same queries fused by Milvus' own hybrid_search, for comparison.
    reopened.fusion = "milvus"
    result["milvus_lite"]["with_hybrid_search"] = timed_queries(reopened)
    result["milvus_lite"]["passages"] = len(reopened)
    reopened.close()
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[200_000])
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    result: dict = {"benchmark": "milvus_corpus"}
    workdir = Path(tempfile.mkdtemp(prefix="verify-milvus-bench-"))
    try:
        if not args.skip_quality:
            result["quality"] = quality(data, workdir)
            print(result["quality"], file=sys.stderr)
        result["scale"] = [scale(data, size, args.queries, workdir / str(size))
                           for size in args.sizes]
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
