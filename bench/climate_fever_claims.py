"""Claim-level verdicts on Climate-FEVER, with its evidence pool as the corpus.

    python bench/climate_fever_claims.py [--model verify-nli-minilm] [--out FILE]

Every claim of ../shared/data/climate_fever/dev.jsonl (DISPUTED left out) is checked by the
engine twice: retrieving from the pooled evidence sentences of all claims (one document
per Wikipedia article, as in bench/retrieval_quality.py), and against its own five
evidence sentences (oracle). Reports macro-F1, balanced accuracy and per-label F1 of both.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    from verify.datasets import default_data_dir

    data = default_data_dir()
    if data is None:
        print(json.dumps({"skipped": "../shared/data is absent"}))
        return 0
    sys.path.insert(0, str(HERE))
    from retrieval_quality import build

    import verify
    from verify.evaluate import evaluate, read_items

    corpus, _ = build(data)
    path = data / "climate_fever/dev.jsonl"
    verifier = verify.Verifier(corpus, model=args.model)
    result = {"benchmark": "climate_fever_claims", "model": verifier.scorer.name}
    for mode, oracle in (("retrieved", False), ("oracle", True)):
        run = evaluate(read_items(path, dataset="climate-fever"), verifier=verifier,
                       model=args.model, oracle_evidence=oracle, corpus=corpus,
                       bootstrap=1000, show_progress_bar=True)
        m = run.metrics
        result[mode] = {k: m[k] for k in ("n", "accuracy", "macro_f1", "balanced_accuracy",
                                          "ece", "ci95")}
        result[mode]["f1"] = {label: v["f1"] for label, v in m["per_label"].items()}
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
