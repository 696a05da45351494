"""Fit the verdict decision of an NLI model, and measure it against the rule on the same claims.

    python bench/fit_decision.py [--model verify-nli-minilm] [--features FILE] [--write]
                                 [--out FILE]

The decision (``verify.verdict.DecisionModel``) is a multinomial logistic regression over
the named per-claim features of ``verify.verdict.FEATURES``. Data, with the features the
engine computes (its rule decides while they are collected; the features do not depend on
the decision):

- Climate-FEVER dev claims, DISPUTED left out, retrieved from the pooled evidence (as
  bench/climate_fever_claims.py): three labels; group = claim.
- FRANK dev: every claim of a summary judged consistent is SUPPORTED (group = article).
  Claims of inconsistent summaries carry no claim label: they only serve the summary-level
  measure (a summary is consistent iff all its claims are SUPPORTED).

Measured with cross-validation grouped by claim (Climate-FEVER) and by article (FRANK), so
no claim or article is ever scored by a model fitted on it, against the rule on the same
claims: Climate-FEVER macro-F1 on the claims held out from the bundled model's training,
ECE, and FRANK summary balanced accuracy. ``--write`` fits on all the data and writes
``models/decisions/<model>.json``, the file the engine loads.

Collecting the features runs the engine over both sets (about 7 minutes on 2 cores); they
are cached in ``--features`` (default runs/decision-features-<model>.jsonl) for refits.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, shared_data  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LABELS = ("SUPPORTED", "REFUTED", "NOT ENOUGH INFO")


def collect(data: Path, model: str) -> list[dict]:
    """One row per claim: set, group, gold (or None), rule verdict and confidence, features."""
    from retrieval_quality import build
    from verify.models.train import HELD_OUT_FRACTION

    import verify
    from verify.datasets import held_out
    from verify.evaluate import evaluate, read_items

    rows: list[dict] = []
    corpus, _ = build(data)
    verifier = verify.Verifier(corpus, model=model, decision="rule")
    run = evaluate(read_items(data / "climate_fever/dev.jsonl", dataset="climate-fever"),
                   verifier=verifier, model=model, corpus=corpus, bootstrap=0,
                   show_progress_bar=True)
    fraction = HELD_OUT_FRACTION["climate-fever"]
    for r in run.predictions:
        rows.append({"set": "climate-fever", "group": f"cf:{r['id']}", "gold": r["gold"],
                     "held_out": held_out(f"cf:{r['id']}", fraction),
                     "rule": r["prediction"], "confidence": r["confidence"],
                     "features": r["features"]})
    items = {i.item_id: i for i in read_items(data / "frank/dev.jsonl", dataset="frank")}
    frank = evaluate(items.values(), verifier=verify.Verifier(None, model=model,
                                                              decision="rule"),
                     model=model, bootstrap=0, dataset_has_documents=True,
                     show_progress_bar=True)
    for r in frank.predictions:
        article = items[r["id"]].document[:200]
        group = hashlib.sha256(article.encode()).hexdigest()[:12]
        for claim in r["claims"]:
            rows.append({"set": "frank", "group": f"frank:{group}",
                         "article": article, "summary": r["id"],
                         "summary_gold": r["gold"], "origin": r.get("origin", ""),
                         "gold": "SUPPORTED" if r["gold"] == "SUPPORTED" else None,
                         "rule": claim["verdict"], "confidence": claim["confidence"],
                         "features": claim["features"]})
    return rows


def fit(rows: list[dict], c: float = 1.0):
    """A DecisionModel fitted on the labelled rows."""
    from sklearn.linear_model import LogisticRegression

    from verify.verdict import FEATURES, DecisionModel

    x = np.asarray([[r["features"].get(f, 0.0) for f in FEATURES] for r in rows])
    y = np.asarray([r["gold"] for r in rows])
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
    model.fit((x - mean) / scale, y)
    order = [list(model.classes_).index(label) for label in LABELS]
    return DecisionModel(
        tuple(FEATURES), LABELS, tuple(map(float, mean)), tuple(map(float, scale)),
        tuple(tuple(map(float, model.coef_[i])) for i in order),
        tuple(float(model.intercept_[i]) for i in order))


def predict(decision, rows: list[dict]) -> list[tuple[str, float]]:
    from verify.verdict import decision_probabilities

    out = []
    for r in rows:
        p = decision_probabilities(decision, r["features"])
        label = max(p, key=p.get)
        out.append((label, p[label]))
    return out


def cross_validated(rows: list[dict], folds: int = 5, c: float = 1.0
                    ) -> list[tuple[str, float] | None]:
    """Out-of-fold predictions for every row, folds grouped by claim / article."""
    from sklearn.model_selection import GroupKFold

    groups = [r["group"] for r in rows]
    predicted: list[tuple[str, float] | None] = [None] * len(rows)
    for train, test in GroupKFold(n_splits=folds).split(rows, groups=groups):
        labelled = [rows[i] for i in train if rows[i]["gold"]]
        decision = fit(labelled, c)
        for i, p in zip(test, predict(decision, [rows[i] for i in test])):
            predicted[i] = p
    return predicted


def claim_figures(rows, labels, confidences) -> dict:
    from verify.evaluate import compute_metrics

    m = compute_metrics([r["gold"] for r in rows], labels, confidences, bootstrap=0)
    return {"n": m["n"], "macro_f1": m["macro_f1"], "balanced_accuracy":
            m["balanced_accuracy"], "ece": m["ece"],
            "f1": {k: v["f1"] for k, v in m["per_label"].items()},
            # How far a REFUTED can be trusted: how many, how many right, and the gold of
            # the rest (a true claim called false is the worst error).
            "refuted": {"predicted": sum(label == "REFUTED" for label in labels),
                        "precision": m["per_label"]["REFUTED"]["precision"],
                        "recall": m["per_label"]["REFUTED"]["recall"],
                        "gold_of_predicted": {gold: sum(1 for r, label in zip(rows, labels)
                                                        if label == "REFUTED"
                                                        and r["gold"] == gold)
                                              for gold in LABELS}}}


def summary_figures(rows, labels) -> dict:
    from sklearn.metrics import balanced_accuracy_score

    verdicts: dict[str, list[str]] = {}
    gold: dict[str, bool] = {}
    origin: dict[str, str] = {}
    for r, label in zip(rows, labels):
        verdicts.setdefault(r["summary"], []).append(label)
        gold[r["summary"]] = r["summary_gold"] == "SUPPORTED"
        origin[r["summary"]] = r["origin"]
    out = {}
    for name in ("all", *sorted(set(origin.values()))):
        ids = [s for s in verdicts if name == "all" or origin[s] == name]
        g = [gold[s] for s in ids]
        p = [all(v == "SUPPORTED" for v in verdicts[s]) for s in ids]
        out[name] = {"n": len(ids), "balanced_accuracy":
                     round(float(balanced_accuracy_score(g, p)), 4)}
    # Claims REFUTED, by whether their summary was judged consistent (there every REFUTED
    # is a false alarm) or not.
    out["claims_refuted"] = {
        kind: {"refuted": sum(label == "REFUTED" for r, label in zip(rows, labels)
                              if (r["summary_gold"] == "SUPPORTED") == consistent),
               "claims": sum(1 for r in rows if (r["summary_gold"] == "SUPPORTED")
                             == consistent)}
        for kind, consistent in (("consistent_summaries", True),
                                 ("inconsistent_summaries", False))}
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--features", default=None,
                        help="cache of collected features (JSONL; made when missing)")
    parser.add_argument("--c", type=float, default=1.0, help="inverse L2 regularisation")
    parser.add_argument("--write", action="store_true",
                        help="fit on all data and write models/decisions/<model>.json")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    cache = Path(args.features or ROOT / "runs" / f"decision-features-{args.model}.jsonl")
    if cache.is_file():
        rows = [json.loads(line) for line in cache.read_text(encoding="utf-8").splitlines()]
    else:
        rows = collect(data, args.model)
        cache.parent.mkdir(parents=True, exist_ok=True)
        cache.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")

    cv = cross_validated(rows, c=args.c)
    result: dict = {"benchmark": "fit_decision", "model": args.model, "c": args.c,
                    "rows": len(rows), "labelled": sum(1 for r in rows if r["gold"])}
    for subset, keep in (("climate_fever_held_out",
                          lambda r: r["set"] == "climate-fever" and r["held_out"]),
                         ("climate_fever_all", lambda r: r["set"] == "climate-fever")):
        idx = [i for i, r in enumerate(rows) if keep(r)]
        result[subset] = {
            "rule": claim_figures([rows[i] for i in idx], [rows[i]["rule"] for i in idx],
                                  [rows[i]["confidence"] for i in idx]),
            "fitted_cv": claim_figures([rows[i] for i in idx], [cv[i][0] for i in idx],
                                       [cv[i][1] for i in idx])}
    idx = [i for i, r in enumerate(rows) if r["set"] == "frank"]
    result["frank_summaries"] = {
        "rule": summary_figures([rows[i] for i in idx], [rows[i]["rule"] for i in idx]),
        "fitted_cv": summary_figures([rows[i] for i in idx], [cv[i][0] for i in idx])}
    if args.write:
        from verify.verdict import decision_path

        decision = fit([r for r in rows if r["gold"]], args.c)
        from verify.models.registry import ModelRegistry

        thresholds = dict(ModelRegistry().get(args.model).thresholds)
        info = {"model": args.model, "thresholds": thresholds,
                "fitted_on": "Climate-FEVER dev claims (retrieved) and claims of consistent "
                "FRANK dev summaries; bench/fit_decision.py",
                "cross_validated": {k: v for k, v in result.items()
                                    if k.startswith(("climate", "frank"))}}
        path = decision_path(args.model)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({**decision.to_dict(), **info}, indent=1) + "\n",
                        encoding="utf-8")
        result["written"] = str(path.relative_to(ROOT))
    return emit(result, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
