"""Planted-error cases end to end: share of planted errors caught and of false alarms.

    python bench/e2e_planted.py [--model verify-nli-minilm] [--out FILE] [--show] [--case NAME]

Cases: the bundled example (verify/examples) and bench/data/e2e/*/: reference texts written
for verify, and an article restating them with faithful statements, planted errors
(changed numbers, dates, names, negations, antonyms, quantifiers) and unsupported
additions. ``expected.jsonl`` marks each statement by a fragment of its wording.
Every case's article holds planted errors, so its whole-article judgement (where the model
has an article decision, ``verify.article_decision``) should be "not consistent".

A planted error is caught when a claim overlapping it is REFUTED (NOT ENOUGH INFO for an
unsupported addition); a false alarm is a faithful statement with an overlapping claim
marked REFUTED. Figures are also given per split: "tuned" are the cases that earlier work
was developed against (the bundled example, probe, vaccine); "untuned" are the cases
listed in bench/data/e2e/UNTUNED, written later and only ever measured.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import verify

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit  # noqa: E402

HERE = Path(__file__).resolve().parent


def cases() -> list[tuple[str, Path]]:
    found = [("bundled-example", Path(verify.__file__).resolve().parent / "examples")]
    found += [(p.name, p) for p in sorted((HERE / "data/e2e").iterdir()) if p.is_dir()]
    return found


def score_case(verifier, folder: Path) -> tuple[list[dict], dict | None]:
    """Each expected statement with the verdicts of the claims overlapping it, and the
    article's whole-article judgement (None without an article decision)."""
    from verify.corpus import Corpus

    article = (folder / "article.txt").read_text(encoding="utf-8")
    corpus = Corpus.from_path(folder / "corpus")
    report = verifier.check(article, corpus=corpus)
    rows = []
    for line in open(folder / "expected.jsonl", encoding="utf-8"):
        item = json.loads(line)
        start = article.find(item["fragment"])
        if start < 0:
            raise SystemExit(f"{folder}: fragment not in the article: {item['fragment']!r}")
        end = start + len(item["fragment"])
        overlapping = [v for v in report.verdicts
                       if v.claim.start < end and start < v.claim.end]
        labels = [v.label.value for v in overlapping]
        rows.append({**item, "got": labels,
                     "claims": [v.claim.text for v in overlapping],
                     "explanations": [v.explanation for v in overlapping]})
    return rows, report.summary.get("article")


def _share(part: list, whole: list) -> float | None:
    return round(len(part) / len(whole), 4) if whole else None


def figures(all_rows: list[dict]) -> dict:
    errors = [r for r in all_rows if r["kind"] not in {"faithful", "unsupported"}]
    additions = [r for r in all_rows if r["kind"] == "unsupported"]
    faithful = [r for r in all_rows if r["kind"] == "faithful"]
    caught = [r for r in errors if r["label"] in r["got"]]
    alarms = [r for r in faithful if "REFUTED" in r["got"]]
    supported = [r for r in faithful if "SUPPORTED" in r["got"] and "REFUTED" not in r["got"]]
    additions_nei = [r for r in additions if "NOT ENOUGH INFO" in r["got"]
                     and "REFUTED" not in r["got"]]
    additions_refuted = [r for r in additions if "REFUTED" in r["got"]]
    by_kind = Counter(r["kind"] for r in errors + additions)
    caught_kind = Counter(r["kind"] for r in caught + additions_nei)
    return {
        "planted_errors": len(errors), "caught": _share(caught, errors),
        "faithful_statements": len(faithful),
        "false_alarms": _share(alarms, faithful),
        "faithful_supported": _share(supported, faithful),
        "unsupported_additions": len(additions),
        "additions_not_enough_info": _share(additions_nei, additions),
        "additions_refuted": _share(additions_refuted, additions),
        "caught_by_kind": {k: f"{caught_kind[k]}/{n}" for k, n in sorted(by_kind.items())},
        "missed": [f"{r['case']}: {r['fragment']} -> {r['got']}" for r in errors + additions
                   if r not in caught and r not in additions_nei],
        "false_alarm_list": [f"{r['case']}: {r['fragment']} -> {r['explanations']}"
                             for r in alarms],
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--out", default=None)
    parser.add_argument("--show", action="store_true",
                        help="print each statement's labels and claims (the tuned cases "
                             "only: the untuned ones are never looked at)")
    parser.add_argument("--case", action="append", default=None,
                        help="only this case (repeatable; a development run, not a figure)")
    args = parser.parse_args()
    verifier = verify.Verifier(None, model=args.model)
    selected = [(name, folder) for name, folder in cases()
                if args.case is None or name in args.case]
    if not selected:
        raise SystemExit(f"no such case: {args.case}; cases: {[n for n, _ in cases()]}")
    all_rows = []
    judged: dict[str, dict] = {}
    for name, folder in selected:
        rows, article = score_case(verifier, folder)
        all_rows += [{"case": name, **row} for row in rows]
        if article is not None:
            judged[name] = article
    untuned = set((HERE / "data/e2e/UNTUNED").read_text(encoding="utf-8").split())
    result = {"benchmark": "e2e_planted", "model": verifier.scorer.name,
              "cases": len(selected),
              **{k: v for k, v in figures(all_rows).items()
                 if not k.endswith("_list") and k != "missed"}}
    for split, keep in (("tuned", lambda r: r["case"] not in untuned),
                        ("untuned", lambda r: r["case"] in untuned)):
        rows = [r for r in all_rows if keep(r)]
        if rows:
            result[split] = {"cases": len({r["case"] for r in rows}),
                             **{k: v for k, v in figures(rows).items()
                                if not k.endswith("_list") and k != "missed"}}
    # What was missed and what raised a false alarm, of the tuned cases only: the untuned
    # cases' statements are never looked at, in the JSON either.
    tuned_lists = figures([r for r in all_rows if r["case"] not in untuned])
    result["articles_judged_not_consistent"] = \
        f"{sum(not a['consistent'] for a in judged.values())}/{len(judged)}"
    # Per case, of the tuned cases only (the untuned ones are only ever counted).
    result["article_judgements_tuned"] = {name: {"consistent": a["consistent"],
                                                 "probability": a["probability"],
                                                 "refuted_claims": a["refuted_claims"]}
                                          for name, a in judged.items() if name not in untuned}
    result["articles_not_consistent_by_probability_alone"] = \
        f"{sum(a['probability'] < a['threshold'] for a in judged.values())}/{len(judged)}"
    result["missed"] = tuned_lists["missed"]
    result["false_alarm_list"] = tuned_lists["false_alarm_list"]
    if args.show:
        for r in all_rows:
            if r["case"] not in untuned:
                print(r["case"], r["kind"], r["label"], r["got"], r["claims"],
                      file=sys.stderr)
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
