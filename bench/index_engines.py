"""Indexing locally and on Ray: same passages and vectors, and the throughput of each.

    python bench/index_engines.py [--documents 400] [--address ADDR] [--out FILE]

The corpus: the first ``--documents`` distinct news articles of FRANK dev
(../shared/data/frank/dev.jsonl) written as text files into a temporary folder. Both runs
go through ``verify index FOLDER --out INDEX`` (``--engine ray`` for the second; a local Ray
cluster is started by the command unless ``--address`` names one), so start-up is counted.
Reported: wall seconds, passages per second, and the largest absolute difference between
the two indexes' vectors, with a check that their passages are identical.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from _common import emit, shared_data  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=400)
    parser.add_argument("--address", default=None)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    data = shared_data()
    if data is None:
        return 0
    from verify.cli import main as verify_main
    from verify.corpus import Corpus

    workdir = Path(tempfile.mkdtemp(prefix="verify-index-bench-"))
    try:
        folder = workdir / "articles"
        folder.mkdir()
        seen: set[str] = set()
        with open(data / "frank/dev.jsonl", encoding="utf-8") as handle:
            for line in handle:
                document = json.loads(line)["document"]
                if document not in seen and len(seen) < args.documents:
                    (folder / f"{len(seen):04d}.txt").write_text(document, encoding="utf-8")
                    seen.add(document)
        result: dict = {"benchmark": "index_engines", "documents": len(seen)}
        indexes = {}
        for engine in ("local", "ray"):
            out = workdir / engine
            command = ["index", str(folder), "--out", str(out), "-q", "--engine", engine]
            if engine == "ray" and args.address:
                command += ["--address", args.address]
            started = time.perf_counter()
            verify_main(command)
            seconds = time.perf_counter() - started
            indexes[engine] = Corpus.load(out)
            result[engine] = {"seconds": round(seconds, 1),
                              "passages": len(indexes[engine]),
                              "passages_per_s": round(len(indexes[engine]) / seconds, 1)}
        local, ray = indexes["local"], indexes["ray"]
        result["same_passages"] = [p.passage_id for p in local.passages] == \
            [p.passage_id for p in ray.passages] and \
            [p.text for p in local.passages] == [p.text for p in ray.passages]
        result["max_abs_vector_difference"] = float(np.abs(
            np.asarray(local.embeddings) - np.asarray(ray.embeddings)).max())
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
