"""Meaning-keeping rewordings: does the model call a true claim false because it is worded
differently from its evidence?

    python bench/paraphrase_probe.py [--model verify-nli-minilm ...] [--n 400] [--out FILE]

Premises: sentences of the held-out slices' evidence (Climate-FEVER, HealthVer, WiCE,
rte_fever; never trained on). Each is restated, whole or its lead clause, with one
meaning-keeping edit of ``verify.models.augment.rephrase``: a synonym ("began" ->
"started"), "until" for "to" between points in time, a count written another way ("9" ->
"nine", "40 percent" -> "40%"), or "also" or a trailing time left out (never under a
negation). The sentences and edits are drawn the way ``--paraphrase-limit`` draws them
(``verify.models.train.rephrased_sentences``). The claim stays
true, so P(contradiction) should stay low. The edits are of the kinds that
``--paraphrase-limit`` trains on, on sentences no model saw: this measures whether a model
learned the kinds, not paraphrase in general (the end-to-end cases, bench/e2e_planted.py,
hold real rewordings). The unedited restatement of the same sentences is reported beside
it as the control. All models in one run.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, probe_counts, shared_data  # noqa: E402


def probe_pairs(data: Path, n: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """(premise, reworded claim, kind of edit), plus (premise, copy, "copy") controls."""
    from verify.models.data import load_splits
    from verify.models.train import rephrased_sentences

    _, held = load_splits(data)
    rephrased = rephrased_sentences(held, random.Random(seed), n)
    return [(sentence, edited, kind) for sentence, _, edited, kind in rephrased] + \
        [(sentence, claim, "copy") for sentence, claim, _, _ in rephrased]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", action="append", default=None,
                        help="model name or folder (repeat to compare; default: bundled)")
    parser.add_argument("--n", type=int, default=400)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    pairs = probe_pairs(data, args.n)
    kinds = Counter(kind for *_, kind in pairs)
    result: dict = {"benchmark": "paraphrase_probe", "pairs": len(pairs),
                    "by_kind_n": dict(sorted(kinds.items())), "models": {}}
    for model in args.model or ["verify-nli-minilm"]:
        name, contradicted, entailed = probe_counts(model, pairs)
        edited = [k for k in kinds if k != "copy"]
        n_edited = sum(kinds[k] for k in edited)
        result["models"][name] = {
            "reworded_p_contradiction_over_half": round(
                sum(contradicted[k] for k in edited) / max(1, n_edited), 4),
            "reworded_p_entailment_over_half": round(
                sum(entailed[k] for k in edited) / max(1, n_edited), 4),
            "copy_p_contradiction_over_half": round(contradicted["copy"] /
                                                    max(1, kinds["copy"]), 4),
            "copy_p_entailment_over_half": round(entailed["copy"] / max(1, kinds["copy"]), 4),
            "contradiction_by_kind": {k: round(contradicted[k] / kinds[k], 3)
                                      for k in sorted(kinds)},
        }
    return emit(result, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
