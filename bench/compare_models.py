"""Side by side: held-out figures of NLI model folders, and the unmentioned-detail probe.

    python bench/compare_models.py MODEL_FOLDER... [--evaluate] [--out FILE]

For each folder (e.g. `models/verify-nli-minilm` and a candidate written by `verify
train-nli --out DIR`), the held-out figures of ``verify_metrics.json``, which the recipe's
own evaluation (`python -m verify.models.evaluate_model --model DIR`) writes with the same
code on the same held-out slices; ``--evaluate`` re-runs that evaluation for every folder
first, in this run (it rewrites their verify_metrics.json). Then the unmentioned-detail
probe (bench/unmentioned_detail.py) for all of them in this run.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, shared_data  # noqa: E402

HERE = Path(__file__).resolve().parent


def headline(metrics: dict) -> dict:
    """The figures the offline-model issues set targets on."""
    a = metrics["accuracy"]
    cf, hv = a["climate-fever"]["thresholds"], a["healthver"]["thresholds"]
    return {
        "climate_fever_macro_f1": cf["macro_f1"], "climate_fever_refuted_f1": cf["f1_REFUTED"],
        "healthver_macro_f1": hv["macro_f1"],
        "fever_symmetric_accuracy": a["fever-symmetric"]["accuracy"],
        "wice_balanced_accuracy": a["wice"]["balanced_accuracy"],
        "rte_fever_accuracy": a["rte-fever"]["accuracy"],
        "snli_macro_f1": a["snli"]["macro_f1"],
        "news_probe_accuracy": a["news-probe"]["accuracy"],
        **{f"{k}_accuracy": a[k]["accuracy"] for k in ("anli-r1", "anli-r2", "anli-r3")
           if k in a},
        "thresholds": metrics["thresholds"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--evaluate", action="store_true")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    if args.evaluate:
        from verify.models.evaluate_model import evaluate_folder

        for folder in args.folders:
            evaluate_folder(folder, data)
    result: dict = {"benchmark": "compare_models", "models": {}}
    for folder in args.folders:
        metrics = json.loads((folder / "verify_metrics.json").read_text(encoding="utf-8"))
        info = folder / "training_info.json"
        result["models"][str(folder)] = {
            "held_out": headline(metrics),
            "training": {k: v for k, v in json.loads(info.read_text()).items()
                         if k in {"examples", "steps", "train_seconds", "sources",
                                  "vitaminc_limit", "epochs", "lr", "seed"}}
            if info.is_file() else {}}
    probe = subprocess.run(
        [sys.executable, str(HERE / "unmentioned_detail.py"),
         *[arg for folder in args.folders for arg in ("--model", str(folder))]],
        capture_output=True, text=True, check=True)
    result["unmentioned_detail"] = json.loads(probe.stdout)["models"]
    return emit(result, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
