"""Does a learned fusion weight beat verify's fixed rerank rule? Climate-FEVER, cross-validated.

    python bench/retrieval_fusion.py [--rerank-model verify-nli-minilm] [--out FILE]

Same corpus and claims as ``bench/retrieval_quality.py``. For each claim, the top 30 hybrid
candidates are described by four features: the fused reciprocal-rank score (divided by the
claim's best), the dense cosine, the BM25 score (divided by the claim's best) and
log(P(supported) + P(refuted)) from the NLI model. A logistic regression on these features
(gold evidence or not) re-orders the candidates. It is scored two ways, both by claim so no
claim is ever ranked by a model fitted on it:

- 5-fold cross-validation over all claims;
- fitted on the claims the bundled NLI model trained on, scored on the held-out ones.

Reported beside it, on the same candidate pools: the fused order alone and the order
verify's own rerank gives them (P(supported) + P(refuted) + 0.5 x fused / best fused).
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, shared_data  # noqa: E402
from retrieval_quality import build  # noqa: E402

POOL = 30
FOLDS = 5
FEATURES = ("fused", "cosine", "bm25", "log_decisive")


def candidate_features(corpus, texts: list[str], pools) -> list[np.ndarray]:
    """One (candidates x features) matrix per claim."""
    row_of = {p.passage_id: i for i, p in enumerate(corpus.passages)}
    vectors = corpus.embedder.encode(texts)
    out = []
    for vector, found in zip(vectors, pools):
        best_fused = max(e.score for e in found) or 1.0
        best_bm25 = max((e.retriever_scores.get("bm25", 0.0) for e in found), default=0.0) or 1.0
        rows = [row_of[e.passage_id] for e in found]
        cosine = np.asarray(corpus.embeddings[rows]) @ vector
        out.append(np.array([[e.score / best_fused, cos,
                              e.retriever_scores.get("bm25", 0.0) / best_bm25,
                              math.log(e.retriever_scores["rerank"] + 1e-4)]
                             for e, cos in zip(found, cosine)]))
    return out


def recall_any_at_5(scores: list[np.ndarray], gold: list[np.ndarray]) -> float:
    hits = [bool(g[np.argsort(-s, kind="stable")[:5]].any()) for s, g in zip(scores, gold)]
    return round(float(np.mean(hits)), 4)


def main() -> int:
    from sklearn.linear_model import LogisticRegression

    from verify.nli import NLIScorer

    parser = argparse.ArgumentParser()
    parser.add_argument("--rerank-model", default="verify-nli-minilm")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    corpus, queries = build(data)
    texts = [q for q, _, _ in queries]
    pools = corpus.search_many(texts, k=POOL, mode="hybrid", rerank=NLIScorer(args.rerank_model),
                               rerank_depth=POOL)
    features = candidate_features(corpus, texts, pools)
    gold = [np.array([e.text.strip() in g for e in found]) for found, (_, g, _) in
            zip(pools, queries)]
    held = np.array([h for _, _, h in queries])

    # The pools come back in the order of verify's own rerank rule (Corpus.search_many).
    verify_rule = [-np.arange(len(x), dtype=float) for x in features]

    def fit(claims: np.ndarray) -> LogisticRegression:
        x = np.concatenate([features[i] for i in claims])
        y = np.concatenate([gold[i] for i in claims])
        return LogisticRegression(max_iter=2000).fit(x, y)

    folds = np.random.default_rng(0).integers(0, FOLDS, len(queries))
    learned: list[np.ndarray] = [np.empty(0)] * len(queries)
    for fold in range(FOLDS):
        model = fit(np.flatnonzero(folds != fold))
        for i in np.flatnonzero(folds == fold):
            learned[i] = model.decision_function(features[i])
    on_trained = fit(np.flatnonzero(~held))
    held_idx = np.flatnonzero(held)

    def subset(values, idx):
        return [values[i] for i in idx]

    result = {
        "benchmark": "retrieval_fusion", "claims": len(queries), "held_out_claims": int(held.sum()),
        "pool": POOL, "features": list(FEATURES), "rerank_model": args.rerank_model,
        "gold_in_pool": round(float(np.mean([g.any() for g in gold])), 4),
        "recall_any@5": {
            "fused_only": recall_any_at_5([x[:, 0] for x in features], gold),
            "verify_rule": recall_any_at_5(verify_rule, gold),
            f"learned_{FOLDS}fold_cv": recall_any_at_5(learned, gold),
        },
        "held_out_recall_any@5": {
            "verify_rule": recall_any_at_5(subset(verify_rule, held_idx),
                                           subset(gold, held_idx)),
            "learned_on_trained_claims": recall_any_at_5(
                subset([on_trained.decision_function(x) for x in features], held_idx),
                subset(gold, held_idx)),
        },
        "learned_coefficients": dict(zip(FEATURES, np.round(on_trained.coef_[0], 3).tolist())),
    }
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
