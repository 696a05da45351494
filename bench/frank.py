"""FRANK dev: does verify tell consistent news summaries from inconsistent ones?

    python bench/frank.py [--model verify-nli-minilm] [--limit N] [--out FILE]

Each of the 452 machine summaries of ../shared/data/frank/dev.jsonl (95 CNN/DailyMail and
BBC articles, human labels) is checked by the engine against its own article as the only
reference: consistent when every claim found in it is SUPPORTED (``verify eval --dataset
frank``). Nothing in the engine is fitted on FRANK, so its figures are out of sample.

``engine_fitted_threshold``: the same claims and verdicts, decided the way the baseline is:
a summary's score is the P(SUPPORTED) of its least supported claim, and the threshold is
tuned on the other folds (grouped by article, never on the fold it scores).

Same run, same pairs' model: a SummaC-ZS-style baseline (Laban et al. 2022). Every summary
sentence is scored against every article sentence with ``verify.score_pairs``; a sentence's
score is max over article sentences of P(entailment) - P(contradiction); a summary's score
is the mean over its sentences; the consistency threshold is tuned on the other folds of a
5-fold split grouped by article (never on the fold it scores).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, shared_data  # noqa: E402


def summac_scores(scorer, items) -> np.ndarray:
    from verify.text import split_sentences
    from verify.types import Label

    pairs, owners = [], []
    for index, item in enumerate(items):
        article = [s.text for s in split_sentences(item.document)]
        for sentence in split_sentences(item.claim):
            for premise in article:
                pairs.append((sentence.text, premise))
                owners.append((index, sentence.start))
    scores = scorer.score_pairs(pairs, batch_size=64, show_progress_bar=True)
    best: dict[tuple[int, int], float] = {}
    for owner, score in zip(owners, scores):
        p = score.probabilities
        value = p[Label.SUPPORTED.value] - p[Label.REFUTED.value]
        best[owner] = max(best.get(owner, -1.0), value)
    per_item: dict[int, list[float]] = {}
    for (index, _), value in best.items():
        per_item.setdefault(index, []).append(value)
    return np.asarray([np.mean(per_item.get(i, [-1.0])) for i in range(len(items))])


def grouped_threshold_predictions(scores: np.ndarray, gold: np.ndarray, groups: list[str],
                                  folds: int = 5) -> tuple[np.ndarray, list[float]]:
    """Consistent iff score >= a threshold tuned (balanced accuracy) on the other folds;
    also the threshold each fold got."""
    from sklearn.metrics import balanced_accuracy_score
    from sklearn.model_selection import GroupKFold

    predicted = np.zeros(len(scores), dtype=bool)
    candidates = np.unique(scores)
    thresholds = []
    for train, test in GroupKFold(n_splits=folds).split(scores, gold, groups):
        best = max(candidates, key=lambda t: balanced_accuracy_score(
            gold[train], scores[train] >= t))
        predicted[test] = scores[test] >= best
        thresholds.append(round(float(best), 4))
    return predicted, thresholds


def figures(gold: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import balanced_accuracy_score

    return {"n": int(len(gold)),
            "balanced_accuracy": round(float(balanced_accuracy_score(gold, predicted)), 4),
            "consistent_recall": round(float(predicted[gold].mean()), 4) if gold.any() else None,
            "inconsistent_recall": round(float((~predicted[~gold]).mean()), 4)
            if (~gold).any() else None}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--min-alignment", type=float, default=None,
                        help="the engine's min_alignment (default: the engine's default)")
    parser.add_argument("--no-early-stop", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    import itertools

    from verify.engine import Verifier
    from verify.evaluate import evaluate, read_items
    from verify.types import Label

    items = list(itertools.islice(read_items(data / "frank/dev.jsonl", dataset="frank"),
                                  args.limit))
    options = {} if args.min_alignment is None else {"min_alignment": args.min_alignment}
    if args.no_early_stop:
        options["early_stop"] = False
    verifier = Verifier(None, model=args.model, **options)
    started = time.perf_counter()
    result = evaluate(items, verifier=verifier, model=args.model, bootstrap=0,
                      dataset_has_documents=True, show_progress_bar=True)
    engine_seconds = time.perf_counter() - started
    by_id = {r["id"]: r for r in result.predictions}
    gold = np.asarray([item.label == "SUPPORTED" for item in items])
    engine = np.asarray([by_id[item.item_id]["prediction"] == "SUPPORTED" for item in items])
    origins = np.asarray([item.origin for item in items])
    refuted_any = np.asarray([any(c["verdict"] == "REFUTED" for c in by_id[i.item_id]["claims"])
                              for i in items])

    # The engine's claims under a threshold fitted like the baseline's: a summary's score
    # is its least supported claim's P(SUPPORTED), the threshold tuned on the other folds.
    # Same information as the engine's rule, a decision fitted on FRANK.
    least_supported = np.asarray([
        min((c["probabilities"][Label.SUPPORTED.value] for c in by_id[i.item_id]["claims"]),
            default=0.0) for i in items])
    groups = [i.document[:200] for i in items]
    engine_fitted, engine_thresholds = grouped_threshold_predictions(least_supported, gold,
                                                                     groups)

    started = time.perf_counter()
    scores = summac_scores(verifier.scorer, items)
    baseline, baseline_thresholds = grouped_threshold_predictions(scores, gold, groups)
    baseline_seconds = time.perf_counter() - started

    def block(predicted: np.ndarray) -> dict[str, object]:
        out: dict[str, object] = {"all": figures(gold, predicted)}
        for origin in sorted(set(origins)):
            mask = origins == origin
            out[origin] = figures(gold[mask], predicted[mask])
        return out

    claims = [c for r in result.predictions for c in r["claims"]]
    return emit({
        "benchmark": "frank_dev", "model": verifier.scorer.name,
        "summaries": len(items), "articles": len({i.document for i in items}),
        "consistent": int(gold.sum()),
        "engine": block(engine),
        "engine_fitted_threshold": {**block(engine_fitted),
                                    "thresholds_by_fold": engine_thresholds},
        "summac_style_baseline": {**block(baseline), "thresholds_by_fold": baseline_thresholds},
        "engine_claims": len(claims),
        "engine_claim_verdicts": {v: sum(c["verdict"] == v for c in claims)
                                  for v in ("SUPPORTED", "REFUTED", "NOT ENOUGH INFO")},
        "consistent_with_a_refuted_claim": {
            origin: round(float(refuted_any[gold & (origins == origin)].mean()), 4)
            for origin in sorted(set(origins)) if (gold & (origins == origin)).any()},
        "seconds": {"engine": round(engine_seconds, 1), "baseline": round(baseline_seconds, 1)},
    }, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
