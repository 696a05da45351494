"""Claim splitter quality and speed on a hand-written labelled set.

    python bench/splitter_quality.py [--model verify-nli-minilm] [--out FILE]

``bench/data/splitter_gold.jsonl``: 60 news-style sentences written for verify across
topics, each with the atomic claims we expect. Reported:

* recall: share of expected claims that some produced claim matches;
* precision: share of produced check-worthy claims that match an expected claim. A strict
  proxy for "single, faithful fact": a correct claim we did not write down counts against;
* entailment self-check: share of produced claims that their source sentence entails
  according to the NLI model (SUPPORTED under the model's fitted thresholds);
* sentences per second over the whole set and the seed article, the model loaded.

A produced claim matches an expected one when it holds at least 75% of the expected
claim's content words and numbers, and at least 60% of its own are in the expected claim.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit  # noqa: E402

HERE = Path(__file__).resolve().parent
_STOP = set("a an the of in on at to for by with and or is are was were be been has have had "
            "its it his her their this that said".split())


def _stem(word: str) -> str:
    for suffix in ("ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def tokens(text: str) -> set[str]:
    """Content words (crudely stemmed, so "chaired" and "chairs" meet) and numbers."""
    words = re.findall(r"[a-z]+|\d[\d,.:]*\d|\d", text.lower())
    return {_stem(w) for w in words if w not in _STOP}


def matches(produced: str, expected: str) -> bool:
    p, e = tokens(produced), tokens(expected)
    if not p or not e:
        return False
    return len(p & e) / len(e) >= 0.75 and len(p & e) / len(p) >= 0.6


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--out", default=None)
    parser.add_argument("--show", action="store_true", help="print misses and extras")
    args = parser.parse_args()
    from verify.claims import ClaimSplitter
    from verify.nli import NLIScorer
    from verify.verdict import DEFAULT_THRESHOLDS

    gold = [json.loads(line) for line in open(HERE / "data/splitter_gold.jsonl",
                                                encoding="utf-8")]
    splitter = ClaimSplitter()
    splitter.warm_up()
    found = expected_total = produced_total = precise = 0
    pairs = []
    for row in gold:
        claims = [c for c in splitter.split(row["sentence"]) if c.checkworthy]
        produced_total += len(claims)
        expected_total += len(row["claims"])
        hit = [any(matches(c.text, e) for c in claims) for e in row["claims"]]
        found += sum(hit)
        good = [any(matches(c.text, e) for e in row["claims"]) for c in claims]
        precise += sum(good)
        pairs += [(c.text, row["sentence"]) for c in claims]
        if args.show:
            for e, h in zip(row["claims"], hit):
                if not h:
                    print(f"MISSED  {e}\n   got  {[c.text for c in claims]}", file=sys.stderr)
            for c, g in zip(claims, good):
                if not g:
                    print(f"EXTRA   {c.text}", file=sys.stderr)
    scorer = NLIScorer(args.model)
    thresholds = {**DEFAULT_THRESHOLDS, **scorer.spec.thresholds}
    scores = scorer.score_pairs(pairs)
    entailed = sum(s.probabilities["SUPPORTED"] >= thresholds["support"] and
                   s.probabilities["SUPPORTED"] > s.probabilities["REFUTED"] for s in scores)
    # Speed: the whole set as one article, plus the seed article when present.
    text = "\n\n".join(row["sentence"] for row in gold)
    seed = HERE.parent / "../shared/seed/article_pompeo_reuters.txt"
    if seed.is_file():
        text += "\n\n" + seed.read_text(encoding="utf-8")
    from verify.text import split_sentences

    n_sentences = len(split_sentences(text))
    started = time.perf_counter()
    repeats = 5
    for _ in range(repeats):
        splitter.split(text)
    elapsed = time.perf_counter() - started
    result = {
        "benchmark": "splitter_quality", "sentences": len(gold),
        "expected_claims": expected_total, "produced_checkworthy_claims": produced_total,
        "recall": round(found / expected_total, 4),
        "precision": round(precise / max(1, produced_total), 4),
        "entailment_self_check": round(entailed / max(1, len(pairs)), 4),
        "entailment_model": scorer.name,
        "sentences_per_s": round(repeats * n_sentences / elapsed, 1),
    }
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
