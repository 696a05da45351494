"""Measure an NLI model folder on the held-out slices, ANLI and the news probe set.

    python -m verify.models.evaluate_model --model models/verify-nli-minilm

Writes ``verify_metrics.json`` into the folder (figures plus fitted verdict thresholds),
which the registry reads, and prints the figures. ANLI is evaluation only.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

import numpy as np

from verify.datasets import NOT_SUPPORTED, LabelledPair, read_anli
from verify.types import LABELS

logger = logging.getLogger("verify.train")

PROBE_FILE = Path(__file__).resolve().parent / "probe_news.jsonl"
_LABEL_VALUES = [label.value for label in LABELS]


def decide(probs: np.ndarray, support: float, refute: float) -> list[str]:
    """Three-way decision with thresholds (the rule verify.verdict applies per passage)."""
    out = []
    for p_sup, p_ref, _ in probs:
        if p_ref >= refute and p_ref > p_sup:
            out.append("REFUTED")
        elif p_sup >= support:
            out.append("SUPPORTED")
        else:
            out.append("NOT ENOUGH INFO")
    return out


def three_way(gold: list[str], predicted: list[str]) -> dict:
    from sklearn.metrics import f1_score

    f1s = f1_score(gold, predicted, labels=_LABEL_VALUES, average=None, zero_division=0)
    return {"macro_f1": round(float(np.mean(f1s)), 4), "n": len(gold),
            **{f"f1_{label}": round(float(f), 4) for label, f in zip(_LABEL_VALUES, f1s)}}


def fit_thresholds(gold: list[str], probs: np.ndarray) -> dict[str, float]:
    """Grid-search the support / refute thresholds for 3-way macro-F1."""
    grid = np.round(np.arange(0.2, 0.95, 0.05), 2)
    best = (-1.0, 0.5, 0.5)
    for support in grid:
        for refute in grid:
            score = three_way(gold, decide(probs, support, refute))["macro_f1"]
            if score > best[0]:
                best = (score, float(support), float(refute))
    return {"support": best[1], "refute": best[2]}


def read_probe(path: Path = PROBE_FILE) -> list[LabelledPair]:
    rows = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                item = json.loads(line)
                rows.append(LabelledPair(item["claim"], item["evidence"], item["label"],
                                         "news-probe", item.get("kind", "")))
    return rows


def evaluate_folder(folder: Path, data: Path | None,
                    held: dict[str, list[LabelledPair]] | None = None) -> dict:
    from verify.nli import NLIScorer

    if held is None:
        from .data import load_splits

        _, held = load_splits(data)
    scorer = NLIScorer(str(folder), batch_size=64)

    def probabilities(rows: list[LabelledPair]) -> np.ndarray:
        return scorer.predict_probabilities([(r.claim, r.evidence) for r in rows],
                                            show_progress_bar=True)

    results: dict = {}
    cal_gold, cal_probs = [], []
    three_way_sets = {"climate-fever": held["climate-fever"], "healthver": held["healthver"]}
    probs_by_set = {name: probabilities(rows) for name, rows in three_way_sets.items()}
    for name, rows in three_way_sets.items():
        cal_gold += [r.label for r in rows]
        cal_probs.append(probs_by_set[name])
    thresholds = fit_thresholds(cal_gold, np.concatenate(cal_probs))
    for name, rows in three_way_sets.items():
        gold = [r.label for r in rows]
        results[name] = {
            "argmax": three_way(gold, [_LABEL_VALUES[i] for i in probs_by_set[name].argmax(1)]),
            "thresholds": three_way(gold, decide(probs_by_set[name], **thresholds)),
        }
    fs = held["fever-symmetric"]
    fs_probs = probabilities(fs)
    fs_pred = ["SUPPORTED" if p[0] > p[1] else "REFUTED" for p in fs_probs]
    results["fever-symmetric"] = {
        "accuracy": round(float(np.mean([g.label == p for g, p in zip(fs, fs_pred)])), 4),
        "n": len(fs)}
    wice = [r for r in held["wice"] if r.label != "partially_supported"]
    wice_probs = probabilities(wice)
    wice_gold = [r.label == "SUPPORTED" for r in wice]
    wice_pred = wice_probs[:, 0] >= thresholds["support"]
    from sklearn.metrics import balanced_accuracy_score, f1_score

    results["wice"] = {"balanced_accuracy": round(float(balanced_accuracy_score(wice_gold,
                                                                                 wice_pred)), 4),
                       "f1_supported": round(float(f1_score(wice_gold, wice_pred)), 4),
                       "n": len(wice)}
    rte = held["rte-fever"]
    rte_probs = probabilities(rte)
    rte_pred = [("SUPPORTED" if p[0] >= 0.5 else NOT_SUPPORTED) for p in rte_probs]
    results["rte-fever"] = {"accuracy": round(float(np.mean(
        [r.label == p for r, p in zip(rte, rte_pred)])), 4), "n": len(rte)}
    snli = held["snli"]
    snli_probs = probabilities(snli)
    results["snli"] = three_way([r.label for r in snli],
                                [_LABEL_VALUES[i] for i in snli_probs.argmax(1)])
    if data is not None and (data / "anli").is_dir():
        for round_ in (1, 2, 3):
            rows = list(read_anli(data / f"anli/ANLI_analysis_r{round_}_dev.csv"))
            probs = probabilities(rows)
            pred = [_LABEL_VALUES[i] for i in probs.argmax(1)]
            results[f"anli-r{round_}"] = {
                "accuracy": round(float(np.mean([r.label == p for r, p in zip(rows, pred)])), 4),
                **three_way([r.label for r in rows], pred)}
    probe = read_probe()
    probe_probs = probabilities(probe)
    probe_pred = decide(probe_probs, **thresholds)
    by_kind: dict[str, list[bool]] = {}
    for row, pred in zip(probe, probe_pred):
        by_kind.setdefault(row.group, []).append(row.label == pred)
    results["news-probe"] = {
        "accuracy": round(float(np.mean([r.label == p for r, p in zip(probe, probe_pred)])), 4),
        "n": len(probe),
        "by_kind": {k: f"{sum(v)}/{len(v)}" for k, v in sorted(by_kind.items())}}
    summary = {"accuracy": results, "thresholds": thresholds}
    (Path(folder) / "verify_metrics.json").write_text(json.dumps(summary, indent=2) + "\n")
    logger.info("metrics: %s", json.dumps(summary, indent=2))
    return summary


def main(argv: list[str] | None = None) -> int:
    from verify.datasets import default_data_dir

    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=Path,
                        default=Path(__file__).resolve().parent / "verify-nli-minilm")
    parser.add_argument("--data", type=Path, default=default_data_dir())
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    if args.data is None:
        parser.error("the shared data folder was not found; pass --data PATH")
    evaluate_folder(args.model, args.data)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
