"""End-to-end latency: a ~1,100-word news article against a 5,000-passage corpus.

    python bench/e2e_speed.py [--model verify-nli-minilm] [--out FILE]

The article is ../shared/seed/article_pompeo_reuters.txt (about 1,100 words). The corpus
is 5,000 synthetic passages built from real sentences of ../shared/data (the procedure of
bench/retrieval_speed.py) plus the bundled example corpus, embedded for real and saved as
an index beforehand. "first call" is a new process's first check: loading the NLI model,
the spaCy pipeline, the embedder and the index included. "warm" is the median of three
further checks with everything loaded. Both are measured for each engine setting
(``SETTINGS``: NLI backend, early stopping, pruning of unaligned sentences), with labels
compared to the first setting's. Baseline in the same run: the first setting with one NLI
call per claim-sentence pair (batch size 1), to show what batching buys. ONNX exports are
made (and cached) before the timing; their one-time cost is reported as ``export_seconds``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import emit  # noqa: E402


def build_index(folder: Path) -> None:
    from retrieval_speed import sentence_pool, synthetic_passages

    import verify
    from verify.corpus import Corpus
    from verify.datasets import default_data_dir
    from verify.ingest import Document, read_documents

    pool = sentence_pool(default_data_dir())
    passages = synthetic_passages(pool, 5000)
    documents = [Document(doc_id=p.passage_id, source=p.source, text=p.text) for p in passages]
    documents += read_documents([Path(verify.__file__).parent / "examples/corpus"]).documents
    Corpus.from_documents(documents, show_progress_bar=False).save(folder)


FIRST_CALL = """
import json, sys, time
started = time.perf_counter()
import verify
options = json.loads(sys.argv[4])
report = verify.Verifier(sys.argv[1], model=sys.argv[2], **options).check(open(sys.argv[3]).read())
print(json.dumps({"seconds": time.perf_counter() - started, "claims": len(report.verdicts)}))
"""
SETTINGS = {
    "torch, every pair": {"backend": "torch", "early_stop": False, "min_alignment": 0.0},
    "torch": {"backend": "torch"},  # the engine's defaults: early stop, min_alignment 0.2
    "onnx": {"backend": "onnx"},
    "onnx-int8": {"backend": "onnx-int8"},
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="verify-nli-minilm")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    from verify.datasets import default_data_dir

    seed = HERE.parent / "../shared/seed/article_pompeo_reuters.txt"
    if default_data_dir() is None or not seed.is_file():
        print(json.dumps({"skipped": "../shared/data or the seed article is absent"}))
        return 0
    article = seed.read_text(encoding="utf-8")
    with tempfile.TemporaryDirectory() as tmp:
        index = Path(tmp) / "index"
        started = time.perf_counter()
        build_index(index)
        index_seconds = time.perf_counter() - started
        import verify

        settings = {}
        reference = None
        for name, options in SETTINGS.items():
            started = time.perf_counter()
            verify.nli.NLIScorer(args.model, backend=options["backend"]).warm_up()
            export_seconds = time.perf_counter() - started
            first = json.loads(subprocess.run(
                [sys.executable, "-c", FIRST_CALL, str(index), args.model, str(seed),
                 json.dumps(options)],
                capture_output=True, text=True, check=True).stdout.strip().splitlines()[-1])
            verifier = verify.Verifier(str(index), model=args.model, **options)
            verifier.check(article)
            warm = []
            for _ in range(3):
                report = verifier.check(article)
                warm.append(report.timings["total_s"])
            labels = [v.label.value for v in report.verdicts]
            row = {**options, "first_call_seconds": round(first["seconds"], 2),
                   "warm_seconds_median": round(statistics.median(warm), 2),
                   "warm_breakdown": report.timings}
            if options["backend"] != "torch":
                row["export_seconds_first_use"] = round(export_seconds, 1)
            if reference is None:
                reference = (verifier, labels, statistics.median(warm))
            else:
                row["labels_identical_to_first"] = round(
                    sum(a == b for a, b in zip(labels, reference[1])) / len(labels), 4)
            settings[name] = row
        verifier, _, baseline_warm = reference
        verifier.scorer.batch_size = 1
        started = time.perf_counter()
        verifier.check(article)
        unbatched = time.perf_counter() - started
    result = {
        "benchmark": "e2e_speed", "model": args.model,
        "article_words": len(article.split()), "corpus_passages": 5000,
        "claims_checked": len(report.verdicts),
        "index_build_seconds": round(index_seconds, 1),
        "settings": settings,
        "unbatched_nli_seconds": round(unbatched, 2),
        "ratio_unbatched_over_warm": round(unbatched / baseline_warm, 2),
    }
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
