"""Self-check invariant: an article checked against itself gets no REFUTED claim.

    python bench/self_check.py [--model verify-nli-minilm] [--frank 10] [--out FILE] [--show]

Texts: the bundled example article and corpus files, the article and reference files of
each case in bench/data/e2e/, the seed news article in ../shared/seed/ and the first
``--frank`` distinct news articles of FRANK dev (../shared/data/frank/dev.jsonl; real
CNN/DailyMail and BBC text, none written for verify). Each text is the only document of
its corpus. No labels are needed: every claim is true of its own source, so any REFUTED is
a false alarm, and SUPPORTED is the expected answer. The same holds of the whole
article: where the model has an article decision, every text should be judged consistent
with itself (``article_consistent``).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

import verify

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit  # noqa: E402

HERE = Path(__file__).resolve().parent


def texts(frank: int) -> list[tuple[str, str]]:
    """(name, text) of every text checked against itself."""
    from verify.datasets import default_data_dir

    found: list[tuple[str, str]] = []
    examples = Path(verify.__file__).resolve().parent / "examples"
    folders = [examples] + sorted(p for p in (HERE / "data/e2e").iterdir() if p.is_dir())
    for folder in folders:
        for path in [folder / "article.txt", *sorted((folder / "corpus").glob("*"))]:
            if path.suffix in {".txt", ".md"}:
                found.append((f"{folder.name}/{path.name}", path.read_text(encoding="utf-8")))
    data = default_data_dir()
    if data is not None:
        seed = data.parent / "seed"
        for path in sorted(seed.glob("*.txt")):
            found.append((f"seed/{path.name}", path.read_text(encoding="utf-8")))
        seen: set[str] = set()
        with open(data / "frank/dev.jsonl", encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                if len(seen) >= frank:
                    break
                if row["document"] not in seen:
                    seen.add(row["document"])
                    found.append((f"frank/{row['id'].split(':')[1][:10]}", row["document"]))
    return found


def self_check(verifier, name: str, text: str, embedder) -> tuple[list[dict], dict | None]:
    """The claims' verdicts and the article's judgement (None without an article
    decision or without a checked claim) of ``text`` against itself."""
    from verify.corpus import Corpus
    from verify.ingest import Document

    corpus = Corpus.from_documents([Document(doc_id=name, source=name, text=text, title="")],
                                   embedder=embedder)
    report = verifier.check(text, corpus=corpus)
    return [{"text": name, "claim": v.claim.text, "verdict": v.label.value,
             "confidence": v.confidence, "explanation": v.explanation}
            for v in report.verdicts], report.summary.get("article")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--frank", type=int, default=10,
                        help="FRANK dev articles to include (0: none)")
    parser.add_argument("--out", default=None)
    parser.add_argument("--show", action="store_true", help="print every REFUTED claim")
    args = parser.parse_args()
    from verify.corpus import Embedder

    verifier = verify.Verifier(None, model=args.model)
    verifier.warm_up()
    embedder = Embedder()
    rows: list[dict] = []
    judged: dict[str, dict] = {}
    started = time.perf_counter()
    chosen = texts(args.frank)
    for name, text in chosen:
        verdicts, article = self_check(verifier, name, text, embedder)
        rows.extend(verdicts)
        if article is not None:
            judged[name] = article
    counts = Counter(r["verdict"] for r in rows)
    refuted = [r for r in rows if r["verdict"] == "REFUTED"]
    if args.show:
        for r in refuted:
            print(f"[{r['text']}] {r['claim']}\n    {r['explanation']}", file=sys.stderr)
    per_text = Counter(r["text"] for r in refuted)
    return emit({
        "benchmark": "self_check", "model": verifier.scorer.name,
        "texts": len(chosen), "claims": len(rows),
        "refuted": counts.get("REFUTED", 0),
        "supported_share": round(counts.get("SUPPORTED", 0) / max(1, len(rows)), 4),
        "counts": dict(counts),
        "texts_with_refuted": dict(per_text),
        "refuted_examples": refuted[:40],
        "article_consistent": f"{sum(a['consistent'] for a in judged.values())}/{len(judged)}",
        "article_not_consistent": {name: a["probability"] for name, a in judged.items()
                                   if not a["consistent"]},
        "seconds": round(time.perf_counter() - started, 1),
    }, args.out)


if __name__ == "__main__":
    raise SystemExit(main())
