"""NLI backends and pair pruning: speed against PyTorch eager, and what changes.

    python bench/nli_backends.py [--pairs 5000] [--sections pairs,verdicts,pruning]
                                 [--out FILE]

All in one run, on the same inputs:

- **pairs**: ``--pairs`` (claim, evidence) pairs drawn from the dev sets of ../shared/data
  (Climate-FEVER, HealthVer, SNLI test, rte_fever; bench/nli_throughput.py's sample) scored
  by each backend (``torch`` eager, ``onnx`` fp32, ``onnx-int8``) through
  ``NLIScorer.score_pairs``: pairs/s and its ratio to torch, label agreement with torch,
  the largest probability difference, and macro-F1 of the per-pair three-way rule with the
  model's fitted thresholds on the three-way pairs (its difference to torch is the figure
  that matters; some of these pairs are in the bundled model's training slices).
- **verdicts**: the planted-error cases (bench/e2e_planted.py) and the self-check texts
  (bench/self_check.py) checked end to end by each backend: share of verdict labels
  identical to torch, and each backend's planted and self-check figures.
- **pruning**: the same checks (and the Climate-FEVER held-out claims, retrieved mode) with
  the engine's pair pruning (``Verifier(min_alignment=, early_stop=)``): NLI pairs scored
  and verdict labels identical to no pruning, per setting. NLI scores are cached across
  settings, so pruning settings differ only in what they ask for.
"""

from __future__ import annotations

import argparse
import functools
import os
import platform
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import emit, shared_data  # noqa: E402

BACKENDS = ("torch", "onnx", "onnx-int8")
PRUNING = (("none", 0.0, False), ("early_stop", 0.0, True), ("min_alignment_0.2", 0.2, False),
           ("early_stop+min_alignment_0.2", 0.2, True),
           ("early_stop+min_alignment_0.34", 0.34, True))


def sample_labelled(n: int, seed: int = 0):
    import random

    from verify.datasets import (
        read_climate_fever,
        read_healthver,
        read_rte_fever,
        read_snli,
    )

    data = shared_data()
    pool = [*read_climate_fever(data / "climate_fever/dev.jsonl"),
            *read_healthver(data / "healthver/dev.csv"),
            *read_snli(data / "snli", "test"),
            *read_rte_fever(data / "rte_fever")]
    return random.Random(seed).sample(pool, min(n, len(pool)))


def pairs_section(n: int, model: str) -> dict:
    from verify.models.evaluate_model import decide, three_way

    from verify.nli import NLIScorer
    from verify.types import LABELS

    items = sample_labelled(n)
    pairs = [(p.claim, p.evidence) for p in items]
    three_way_rows = [i for i, p in enumerate(items) if p.label in {lab.value for lab in LABELS}]
    results: dict[str, dict] = {}
    reference = None
    for backend in BACKENDS:
        scorer = NLIScorer(model, backend=backend, device="cpu")
        scorer.warm_up()  # export and load outside the timing
        scorer.score_pairs(pairs[:64])
        started = time.perf_counter()
        scores = scorer.score_pairs(pairs)
        seconds = time.perf_counter() - started
        probs = np.array([[s.probabilities[lab.value] for lab in LABELS] for s in scores])
        thresholds = {"support": 0.5, "refute": 0.5, **scorer.spec.thresholds}
        predicted = decide(probs[three_way_rows], thresholds["support"], thresholds["refute"])
        row = {"pairs_per_s": round(len(pairs) / seconds, 1), "seconds": round(seconds, 2),
               **three_way([items[i].label for i in three_way_rows], predicted)}
        if reference is None:
            reference = probs
        else:
            row["label_agreement"] = round(float(
                (probs.argmax(1) == reference.argmax(1)).mean()), 4)
            row["max_probability_difference"] = round(float(np.abs(probs - reference).max()), 4)
            row["speedup"] = round(row["pairs_per_s"] / results["torch"]["pairs_per_s"], 2)
        results[backend] = row
    for backend in BACKENDS[1:]:
        results[backend]["macro_f1_difference"] = round(
            results[backend]["macro_f1"] - results["torch"]["macro_f1"], 4)
    return {"pairs": len(pairs), "three_way_pairs": len(three_way_rows), **results}


class CachingScorer:
    """An NLIScorer that remembers every pair it scored and counts what it was asked."""

    def __init__(self, scorer) -> None:
        self.scorer = scorer
        self.cache: dict[tuple[str, str], object] = {}
        self.requested = 0

    def __getattr__(self, name):
        return getattr(self.scorer, name)

    def score_pairs(self, pairs, **options):
        self.requested += len(pairs)
        missing = list(dict.fromkeys(p for p in pairs if p not in self.cache))
        if missing:
            self.cache.update(zip(missing, self.scorer.score_pairs(missing, **options)))
        return [self.cache[p] for p in pairs]


def check_texts(verifier, with_climate_fever: bool) -> dict[str, list]:
    """Verdict labels per dataset: planted cases, self-check texts, Climate-FEVER."""
    from e2e_planted import cases
    from self_check import texts

    from verify.corpus import Corpus, Embedder
    from verify.ingest import Document

    labels: dict[str, list] = {"planted": [], "self_check": []}
    for _, folder in cases():
        article = (folder / "article.txt").read_text(encoding="utf-8")
        report = verifier.check(article, corpus=Corpus.from_path(folder / "corpus"))
        labels["planted"] += [v.label.value for v in report.verdicts]
    embedder = Embedder()
    for name, text in texts(10):
        corpus = Corpus.from_documents([Document(doc_id=name, source=name, text=text,
                                                 title="")], embedder=embedder)
        labels["self_check"] += [v.label.value for v in verifier.check(
            text, corpus=corpus).verdicts]
    if with_climate_fever:
        labels["climate_fever_held_out"] = climate_fever_labels(verifier)
    return labels


@functools.lru_cache(maxsize=1)
def climate_fever_corpus():
    from retrieval_quality import build

    return build(shared_data())[0]


def climate_fever_labels(verifier) -> list[tuple[str, str]]:
    from verify.models.train import HELD_OUT_FRACTION

    import verify
    from verify.datasets import held_out
    from verify.evaluate import evaluate, read_items

    data = shared_data()
    # The same settings and models, with the pooled Climate-FEVER evidence as the corpus.
    verifier = verify.Verifier(climate_fever_corpus(), scorer=verifier.scorer,
                               splitter=verifier.splitter, min_alignment=verifier.min_alignment,
                               early_stop=verifier.early_stop)
    run = evaluate(read_items(data / "climate_fever/dev.jsonl", dataset="climate-fever"),
                   verifier=verifier, bootstrap=0)
    fraction = HELD_OUT_FRACTION["climate-fever"]
    return [(r["gold"], r["prediction"]) for r in run.predictions
            if held_out(f"cf:{r['id']}", fraction)]


def _identical(a: list, b: list) -> float:
    return round(sum(x == y for x, y in zip(a, b)) / max(1, len(a)), 4)


def verdicts_section(model: str) -> dict:
    import verify

    results: dict[str, dict] = {}
    reference = None
    for backend in BACKENDS:
        labels = check_texts(verify.Verifier(None, model=model, backend=backend), False)
        row = {"planted_counts": dict(Counter(labels["planted"])),
               "self_check_refuted": labels["self_check"].count("REFUTED"),
               "self_check_claims": len(labels["self_check"])}
        if reference is None:
            reference = labels
        else:
            for key in ("planted", "self_check"):
                row[f"{key}_identical_to_torch"] = _identical(labels[key], reference[key])
        results[backend] = row
    return results


def pruning_section(model: str, with_climate_fever: bool) -> dict:
    import verify
    from verify.evaluate import compute_metrics
    from verify.nli import NLIScorer

    scorer = CachingScorer(NLIScorer(model, device="cpu"))
    results: dict[str, dict] = {}
    reference = None
    for name, min_alignment, early_stop in PRUNING:
        verifier = verify.Verifier(None, scorer=scorer, min_alignment=min_alignment,
                                   early_stop=early_stop)
        scorer.requested = 0
        labels = check_texts(verifier, with_climate_fever)
        row: dict = {"nli_pairs": scorer.requested,
                     "self_check_refuted": labels["self_check"].count("REFUTED"),
                     "self_check_supported": labels["self_check"].count("SUPPORTED")}
        if "climate_fever_held_out" in labels:
            gold = [g for g, _ in labels["climate_fever_held_out"]]
            got = [p for _, p in labels["climate_fever_held_out"]]
            metrics = compute_metrics(gold, got, [1.0] * len(got), bootstrap=0)
            row["climate_fever_held_out_macro_f1"] = round(metrics["macro_f1"], 4)
        if reference is None:
            reference = labels
        else:
            row["pairs_share_of_none"] = round(row["nli_pairs"] / results["none"]["nli_pairs"], 3)
            for key in labels:
                row[f"{key}_identical"] = _identical(labels[key], reference[key])
        results[name] = row
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--pairs", type=int, default=5000)
    parser.add_argument("--sections", default="pairs,verdicts,pruning")
    parser.add_argument("--no-climate-fever", action="store_true",
                        help="leave Climate-FEVER out of the pruning section (faster)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    if shared_data() is None:
        return 0
    sections = set(args.sections.split(","))
    result: dict = {"benchmark": "nli_backends", "model": args.model,
                    "machine": {"processor": platform.processor() or platform.machine(),
                                "cpus": os.cpu_count()}}
    started = time.perf_counter()
    if "pairs" in sections:
        result["pairs"] = pairs_section(args.pairs, args.model)
    if "verdicts" in sections:
        result["verdicts"] = verdicts_section(args.model)
    if "pruning" in sections:
        result["pruning"] = pruning_section(args.model, not args.no_climate_fever)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
