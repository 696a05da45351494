"""Claim-level verdicts on Climate-FEVER, with its evidence pool as the corpus.

    python bench/climate_fever_claims.py [--model verify-nli-minilm] [--out FILE]

Every claim of ../shared/data/climate_fever/dev.jsonl (DISPUTED left out) is checked by the
engine twice: retrieving from the pooled evidence sentences of all claims (one document
per Wikipedia article, as in bench/retrieval_quality.py), and against its own five
evidence sentences (oracle). Reports macro-F1, balanced accuracy and per-label F1 of both,
over all claims and over the claims held out from the bundled model's training.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, shared_data  # noqa: E402

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    from retrieval_quality import build

    import verify
    from verify.evaluate import evaluate, read_items

    corpus, _ = build(data)
    path = data / "climate_fever/dev.jsonl"
    verifier = verify.Verifier(corpus, model=args.model)
    result = {"benchmark": "climate_fever_claims", "model": verifier.scorer.name}
    from verify.models.train import HELD_OUT_FRACTION

    from verify.datasets import held_out
    from verify.evaluate import compute_metrics

    # The bundled model trained on the other claims' evidence pairs: only the held-out
    # claims give a fair figure for it (the "all" rows are for models trained elsewhere).
    fraction = HELD_OUT_FRACTION["climate-fever"]
    for mode, oracle in (("retrieved", False), ("oracle", True)):
        run = evaluate(read_items(path, dataset="climate-fever"), verifier=verifier,
                       model=args.model, oracle_evidence=oracle, corpus=corpus,
                       bootstrap=0, show_progress_bar=True)
        subsets = {"all": run.predictions,
                   "held_out": [r for r in run.predictions
                                if held_out(f"cf:{r['id']}", fraction)]}
        for subset, rows in subsets.items():
            m = compute_metrics([r["gold"] for r in rows], [r["prediction"] for r in rows],
                                [r["confidence"] for r in rows], bootstrap=1000)
            key = f"{mode}_{subset}"
            result[key] = {k: m[k] for k in ("n", "accuracy", "macro_f1", "balanced_accuracy",
                                             "ece", "ci95")}
            result[key]["f1"] = {label: v["f1"] for label, v in m["per_label"].items()}
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
