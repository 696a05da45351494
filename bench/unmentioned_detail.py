"""Unmentioned details: does the model call a claim false when it only adds something?

    python bench/unmentioned_detail.py [--model verify-nli-minilm ...] [--n 400] [--out FILE]

Pairs built from held-out entailed pairs (never trained on): SNLI entailment pairs and
Climate-FEVER / HealthVer SUPPORTED pairs of the held-out slices. The hypothesis gets one
detail the premise does not mention, appended as a phrase: a place ("in Lisbon"), a date
("on 14 March 2011"), a weekday ("on a Tuesday"), a person ("according to Maria Keller"),
a number ("for 37 days"). Such a claim is NOT ENOUGH INFO; it is never refuted by the
premise. Reported: the share with P(contradiction) > 0.5 (issue #14's target: at most 5%),
and the share still entailed, per model and per kind of detail, all in one run.
"""

from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, probe_counts, shared_data  # noqa: E402

DETAILS = {
    "place": ["in Lisbon", "in northern Ohio", "in a village near Kraków", "in Nairobi"],
    "date": ["on 14 March 2011", "in the spring of 1997", "on 2 October 2019"],
    "weekday": ["on a Tuesday", "on a Sunday morning", "last Friday"],
    "person": ["according to Maria Keller", "with the help of Tom Okafor",
               "as reported by Ana Silva"],
    "number": ["for 37 days", "with 1,200 others", "at a cost of 4 million dollars"],
}


def probe_pairs(data: Path, n: int, seed: int = 0) -> list[tuple[str, str, str]]:
    """(premise, hypothesis with one added detail, kind of detail)."""
    from verify.models.data import load_splits

    _, held = load_splits(data)
    rng = random.Random(seed)
    entailed = [r for name in ("snli", "climate-fever", "healthver") for r in held[name]
                if r.label == "SUPPORTED" and len(r.claim.split()) <= 40]
    rng.shuffle(entailed)
    pairs = []
    kinds = sorted(DETAILS)
    for i, row in enumerate(entailed[:n]):
        kind = kinds[i % len(kinds)]
        claim = row.claim.rstrip().rstrip(".")
        pairs.append((row.evidence, f"{claim} {rng.choice(DETAILS[kind])}.", kind))
    return pairs


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
    result: dict = {"benchmark": "unmentioned_detail", "pairs": len(pairs),
                    "by_kind_n": {k: sum(1 for *_, kind in pairs if kind == k)
                                  for k in DETAILS}, "models": {}}
    for model in args.model or ["verify-nli-minilm"]:
        name, contradicted, entailed = probe_counts(model, pairs)
        total = len(pairs)
        result["models"][name] = {
            "p_contradiction_over_half": round(sum(contradicted.values()) / total, 4),
            "p_entailment_over_half": round(sum(entailed.values()) / total, 4),
            "contradiction_by_kind": {k: round(contradicted[k] / result["by_kind_n"][k], 3)
                                      for k in DETAILS},
        }
    return emit(result, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
