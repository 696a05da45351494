"""FRANK dev: does verify tell consistent news summaries from inconsistent ones?

    python bench/frank.py [--model verify-nli-minilm] [--limit N] [--write] [--out FILE]

Each of the 452 machine summaries of ../shared/data/frank/dev.jsonl (95 CNN/DailyMail and
BBC articles, human labels) is checked by the engine against its own article as the only
reference: consistent when every claim found in it is SUPPORTED (``verify eval --dataset
frank``). Nothing in the engine is fitted on FRANK, so its figures are out of sample.

``engine_article_decision_cv``: the article decision the engine reports
(``verify.article_decision``, ``summary["article"]``), cross-validated: nested, grouped by
article, over 5 shufflings of the folds. ``--write`` fits it on all of FRANK dev and
writes the file the engine loads.

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


def random_group_folds(groups: list[str], folds: int, seed: int
                       ) -> list[tuple[np.ndarray, np.ndarray]]:
    """(train, test) indices of ``folds`` folds that keep each group whole, shuffled by
    ``seed`` (GroupKFold's folds are always the same)."""
    rng = np.random.default_rng(seed)
    names = sorted(set(groups))
    rng.shuffle(names)
    fold_of = {name: n % folds for n, name in enumerate(names)}
    assigned = np.asarray([fold_of[g] for g in groups])
    return [(np.flatnonzero(assigned != k), np.flatnonzero(assigned == k))
            for k in range(folds)]


def fit_article_decision(x: np.ndarray, y: np.ndarray, c: float, refuted: np.ndarray
                         ) -> dict[str, object]:
    """A logistic regression on standardised features (unweighted, so its probability
    keeps the data's base rate) and the threshold on its probability that maximises
    balanced accuracy on the data it was fitted on, summaries with a REFUTED claim
    counting as inconsistent whatever the probability (as ArticleDecision.judge decides);
    as ArticleDecision's fields."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import balanced_accuracy_score

    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale < 1e-9] = 1.0
    model = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    probability = model.predict_proba((x - mean) / scale)[:, 1]
    candidates = np.unique(np.round(probability, 4))
    candidates = candidates[(candidates > 0) & (candidates < 1)]
    threshold = max(candidates, key=lambda t: balanced_accuracy_score(
        y, (probability >= t) & ~refuted)) if len(candidates) else 0.5
    return {"mean": mean.tolist(), "scale": scale.tolist(), "coef": model.coef_[0].tolist(),
            "intercept": float(model.intercept_[0]), "threshold": float(threshold)}


def _article_probability(fitted: dict[str, object], x: np.ndarray) -> np.ndarray:
    """P(consistent) of each row of ``x`` as the engine computes it: the shipped
    ArticleDecision's own probability, not a second copy of its formula."""
    from verify.article_decision import FEATURES, ArticleDecision

    decision = ArticleDecision.from_dict({"features": list(FEATURES), **fitted})
    return np.asarray([decision.probability(dict(zip(FEATURES, row))) for row in x])


def expected_calibration_error(probability: np.ndarray, gold: np.ndarray, bins: int = 10
                               ) -> float:
    """Binary ECE of P(consistent): equal-width bins, weighted |accuracy - confidence|."""
    index = np.minimum((probability * bins).astype(int), bins - 1)
    return float(sum(abs(gold[index == b].mean() - probability[index == b].mean())
                     * (index == b).sum() for b in range(bins) if (index == b).any())
                 / len(gold))


_CS = (0.01, 0.03, 0.1, 0.3, 1.0)


def _inner_balanced_accuracy(x: np.ndarray, gold: np.ndarray, refuted: np.ndarray,
                             groups: list[str], c: float, seed: int) -> float:
    """Balanced accuracy of the article decision with regularisation ``c``, each of 4
    grouped folds of (x, gold) decided by a model fitted on the other three."""
    from sklearn.metrics import balanced_accuracy_score

    predicted = np.zeros(len(gold), dtype=bool)
    for fit_part, score_part in random_group_folds(groups, 4, seed):
        fitted = fit_article_decision(x[fit_part], gold[fit_part], c, refuted[fit_part])
        predicted[score_part] = (_article_probability(fitted, x[score_part]) >=
                                 fitted["threshold"]) & ~refuted[score_part]
    return balanced_accuracy_score(gold, predicted)


def article_decision_cv(x: np.ndarray, gold: np.ndarray, refuted: np.ndarray,
                        groups: list[str], origins: np.ndarray, seeds: int = 5
                        ) -> dict[str, object]:
    """Nested cross-validation of the article decision, grouped by article: for each of
    ``seeds`` shufflings, 5 outer folds; on each outer training part, 4 inner folds choose
    the regularisation C by balanced accuracy; the fold is then scored by a model fitted
    on the rest. Nothing is ever fitted or chosen on the fold it scores. Rows of ``x``
    that are NaN (a summary with no claim checked, which has no article decision) count
    as inconsistent, as they do for the engine's rule, and are left out of the ECE.
    Summaries with a REFUTED claim (``refuted``) count as inconsistent whatever the
    probability, as ArticleDecision.judge decides; the ECE is of the probability."""
    from sklearn.metrics import balanced_accuracy_score

    usable = ~np.isnan(x).any(axis=1)
    per_seed, chosen = [], []
    for seed in range(seeds):
        probability = np.full(len(gold), np.nan)
        predicted = np.zeros(len(gold), dtype=bool)
        for train, test in random_group_folds(groups, 5, seed):
            train, test = train[usable[train]], test[usable[test]]
            best = max(_CS, key=lambda c, train=train, seed=seed: _inner_balanced_accuracy(
                x[train], gold[train], refuted[train], [groups[i] for i in train], c,
                seed + 100))
            chosen.append(best)
            fitted = fit_article_decision(x[train], gold[train], best, refuted[train])
            probability[test] = _article_probability(fitted, x[test])
            predicted[test] = (probability[test] >= fitted["threshold"]) & ~refuted[test]
        per_seed.append({"predicted": predicted, "probability": probability})
    result: dict[str, object] = {"seeds": seeds, "folds": 5, "inner_folds": 4}
    for origin in ["all", *sorted(set(origins))]:
        mask = np.ones(len(gold), dtype=bool) if origin == "all" else origins == origin
        scores = [balanced_accuracy_score(gold[mask], run["predicted"][mask])
                  for run in per_seed]
        result[origin] = {"n": int(mask.sum()),
                          "balanced_accuracy": round(float(np.mean(scores)), 4),
                          "balanced_accuracy_range": [round(float(min(scores)), 4),
                                                      round(float(max(scores)), 4)]}
    result["ece"] = round(float(np.mean([expected_calibration_error(
        run["probability"][usable], gold[usable]) for run in per_seed])), 4)
    result["without_claims"] = int((~usable).sum())
    result["chosen_c"] = {str(c): chosen.count(c) for c in _CS if c in chosen}
    return result


def write_article_decision(x: np.ndarray, gold: np.ndarray, refuted: np.ndarray,
                           cv: dict[str, object], verifier, summaries: int, articles: int
                           ) -> None:
    """Fit the article decision on every summary with claims, with the C the nested
    cross-validation chose most often, and write it where the engine loads it."""
    import json

    from verify.article_decision import FEATURES, ArticleDecision, article_decision_path

    usable = ~np.isnan(x).any(axis=1)
    chosen = cv["chosen_c"]  # in increasing C: a tie goes to the stronger regularisation
    c = float(max(chosen, key=chosen.get))
    fitted = fit_article_decision(x[usable], gold[usable], c, refuted[usable])
    decision = ArticleDecision.from_dict({
        "features": list(FEATURES), **fitted, "c": c,
        "fitted_on": f"FRANK dev ({int(usable.sum())} of {summaries} summaries of "
                     f"{articles} articles, those with a checked claim)",
        "nli_model": verifier.scorer.name,
        # The engine judges an article only with verdicts made under these settings.
        "verdict_settings": verifier.verdict_settings(),
        "cross_validated": {key: cv[key] for key in ("all", "cnndm", "xsum", "ece")
                            if key in cv},
        "refit_with": "python bench/frank.py --write"})
    path = article_decision_path(verifier.scorer.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(decision.to_dict(), indent=1) + "\n", encoding="utf-8")


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
    parser.add_argument("--write", action="store_true",
                        help="fit the article decision on all of FRANK dev and write it "
                             "where the engine loads it (verify.article_decision)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    import itertools

    from verify.article_decision import FEATURES as ARTICLE_FEATURES
    from verify.article_decision import article_features
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

    # The article decision (verify.article_decision), cross-validated on the same claims.
    def article_row(claims: list) -> list[float]:
        if not claims:
            return [np.nan] * len(ARTICLE_FEATURES)
        pooled = article_features(claims)
        return [pooled[name] for name in ARTICLE_FEATURES]

    x = np.asarray([article_row([(c["verdict"], c["probabilities"], c["features"])
                                 for c in by_id[i.item_id]["claims"]]) for i in items])
    article_cv = article_decision_cv(x, gold, refuted_any, groups, origins)
    if args.write:
        write_article_decision(x, gold, refuted_any, article_cv, verifier, len(items),
                               len({i.document for i in items}))

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
        "engine_article_decision_cv": article_cv,
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
