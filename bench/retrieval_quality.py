"""Retrieval quality on Climate-FEVER: recall@1/5/10 of each claim's labelled evidence.

    python bench/retrieval_quality.py [--rerank-model verify-nli-minilm] [--out FILE]

The corpus is every evidence sentence of ../shared/data/climate_fever/dev.jsonl, one
document per Wikipedia article (its sentences in evidence-id order), indexed one sentence
per passage. For each claim with SUPPORTS or REFUTES evidence we report
``recall_any@k`` (share of claims with at least one gold sentence in the top k) and
``recall@k`` (mean share of a claim's gold sentences in the top k), for BM25 alone, dense
alone, hybrid (reciprocal-rank fusion) and hybrid + NLI rerank.

The bundled NLI model trained on 70% of these claims' evidence pairs, so every row is also
reported on the held-out 30% (``held_out``), the fair figure for the rerank.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

from verify.models.train import HELD_OUT_FRACTION

from verify.corpus import Corpus, PassageSettings
from verify.datasets import held_out, read_climate_fever_claims
from verify.ingest import Document

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, shared_data  # noqa: E402

KS = (1, 5, 10)


def build(data, embedder=None) -> tuple[Corpus, list[tuple[str, set[str], bool]]]:
    """The pooled corpus and (claim, gold sentences, held out) per claim; ``embedder``
    overrides the dense model (default: verify's)."""
    documents, queries = pool_documents(data)
    corpus = Corpus.from_documents(documents, settings=POOL_SETTINGS, embedder=embedder,
                                   show_progress_bar=True)
    return corpus, queries


# One sentence per passage: the labelled evidence is sentences.
POOL_SETTINGS = PassageSettings(sentences=1, overlap=0)


def pool_documents(data) -> tuple[list[Document], list[tuple[str, set[str], bool]]]:
    """The pooled evidence as documents, and (claim, gold sentences, held out) per claim."""
    articles: dict[str, dict[int, str]] = defaultdict(dict)
    queries = []
    for row in read_climate_fever_claims(data / "climate_fever/dev.jsonl"):
        gold = set()
        for ev in row["evidences"]:
            title, _, number = ev["evidence_id"].rpartition(":")
            articles[title][int(number)] = ev["evidence"].strip()
            if ev["evidence_label"] in {"SUPPORTS", "REFUTES"}:
                gold.add(ev["evidence"].strip())
        if gold:
            queries.append((row["claim"], gold,
                            held_out(f"cf:{row['claim_id']}",
                                     HELD_OUT_FRACTION["climate-fever"])))
    documents = []
    for title, sentences in sorted(articles.items()):
        # One sentence per line keeps sentence boundaries exact for one-sentence passages.
        text = "\n\n".join(sentences[i] for i in sorted(sentences))
        documents.append(Document(doc_id=title, source=f"wikipedia:{title}", text=text,
                                  title=title))
    return documents, queries


def recall(results, queries, only_held_out: bool = False) -> dict[str, float]:
    if only_held_out:
        kept = [i for i, (_, _, held) in enumerate(queries) if held]
        results, queries = [results[i] for i in kept], [queries[i] for i in kept]
    out = {}
    for k in KS:
        any_hits, shares = 0, 0.0
        for evidence, (_, gold, _) in zip(results, queries):
            found = {e.text.strip() for e in evidence[:k]} & gold
            any_hits += bool(found)
            shares += len(found) / len(gold)
        out[f"recall_any@{k}"] = round(any_hits / len(queries), 4)
        out[f"recall@{k}"] = round(shares / len(queries), 4)
    return out


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rerank-model", default="verify-nli-minilm",
                        help="NLI model for the rerank row ('' to skip)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    started = time.perf_counter()
    corpus, queries = build(data)
    result = {"benchmark": "retrieval_quality", "dataset": "climate-fever dev (all claims)",
              "claims": len(queries), "held_out_claims": sum(q[2] for q in queries),
              "passages": len(corpus),
              "index_seconds": round(time.perf_counter() - started, 1)}
    texts = [q for q, _, _ in queries]
    held = {}
    for mode in ("bm25", "dense", "hybrid"):
        found = corpus.search_many(texts, k=max(KS), mode=mode)
        result[mode] = recall(found, queries)
        held[mode] = recall(found, queries, only_held_out=True)
    if args.rerank_model:
        from verify.nli import NLIScorer

        scorer = NLIScorer(args.rerank_model)
        reranked = corpus.search_many(texts, k=max(KS), mode="hybrid", rerank=scorer)
        result["hybrid+rerank"] = recall(reranked, queries)
        held["hybrid+rerank"] = recall(reranked, queries, only_held_out=True)
        result["rerank_model"] = scorer.name
    result["held_out"] = held
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
