"""Distillation: a stronger teacher's soft labels train the small bundled student.

The teacher (all-mpnet-base-v2 fine-tuned with ``verify train-nli --base``) labels every
training example of the student's recipe, plus pairs no person labelled: claims of the
training claim sets against sentences of *other* items' evidence that share their words
(:func:`retrieved_pairs`, the kind of pair verify's engine scores most). The student then
trains on

* labelled three-way rows: ``weight * teacher + (1 - weight) * gold one-hot``;
* two-way "not entailment" rows: the teacher's split between contradiction and neutral,
  entailment zeroed (the gold label says it is not entailed; the teacher, not the row,
  says whether it is refuted or unmentioned);
* unlabelled rows: the teacher's probabilities.

Teacher labelling is slow on a CPU (a 110M model), so it is cached in a JSON-lines file,
written a chunk at a time: a run killed mid-way continues where the file ends.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import random
from collections.abc import Sequence
from pathlib import Path

from verify.datasets import LabelledPair
from verify.text import split_sentences

logger = logging.getLogger("verify.train")

UNLABELLED = -2  # Example.target of a pair only the teacher labels
_CLAIM_SETS = ("climate-fever", "healthver", "fever-symmetric", "wice", "rte-fever",
               "vitaminc")


def pair_key(premise: str, hypothesis: str) -> str:
    return hashlib.sha1(f"{premise}\t{hypothesis}".encode()).hexdigest()


def read_cache(path: Path) -> dict[str, tuple[float, float, float]]:
    """Labels already computed: key -> (P(contradiction), P(entailment), P(neutral)).
    A torn last line (a kill mid-write) is ignored; it is labelled again."""
    labels: dict[str, tuple[float, float, float]] = {}
    if not path.is_file():
        return labels
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                row = json.loads(line)
                labels[row["key"]] = tuple(row["p"])
            except (ValueError, KeyError, TypeError):
                continue
    return labels


def _drop_torn_tail(path: Path) -> None:
    """Cut a last line without its newline (a kill mid-write), so appends start clean."""
    if not path.is_file():
        return
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        with open(path, "r+b") as handle:
            handle.truncate(data.rfind(b"\n") + 1)


def label_pairs(teacher: Path, pairs: Sequence[tuple[str, str]], cache: Path, *,
                max_length: int = 128, batch_size: int = 32, chunk: int = 512,
                device: str | None = None) -> dict[str, tuple[float, float, float]]:
    """The teacher's (c, e, n) probabilities for ``(premise, hypothesis)`` pairs, keyed by
    :func:`pair_key`, computed for those not yet in ``cache`` and appended to it."""
    import torch
    from tqdm.auto import tqdm
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    labels = read_cache(cache)
    todo: dict[str, tuple[str, str]] = {}
    for premise, hypothesis in pairs:
        key = pair_key(premise, hypothesis)
        if key not in labels:
            todo[key] = (premise, hypothesis)
    logger.info("teacher labels: %d cached, %d to compute", len(labels), len(todo))
    if not todo:
        return labels
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    tokenizer = AutoTokenizer.from_pretrained(teacher)
    model = AutoModelForSequenceClassification.from_pretrained(teacher).float().to(device)
    model.eval()
    names = {i: name.lower() for i, name in model.config.id2label.items()}
    columns = [next(i for i, n in names.items() if n.startswith(prefix))
               for prefix in ("contra", "entail", "neutral")]
    keys = list(todo)
    cache.parent.mkdir(parents=True, exist_ok=True)
    _drop_torn_tail(cache)
    progress = tqdm(total=len(keys), desc="teacher", unit="pair", mininterval=30)
    with open(cache, "a", encoding="utf-8") as out, torch.inference_mode():
        for start in range(0, len(keys), chunk):
            block = keys[start:start + chunk]
            # Length-sorted within the chunk: little padding, and the file order stays
            # the chunk order, so a resumed run labels exactly what is missing.
            block.sort(key=lambda k: len(todo[k][0]) + len(todo[k][1]))
            lines = []
            for i in range(0, len(block), batch_size):
                batch = block[i:i + batch_size]
                encoded = tokenizer([todo[k][0] for k in batch], [todo[k][1] for k in batch],
                                    padding=True, truncation=True, max_length=max_length,
                                    return_tensors="pt").to(device)
                probs = torch.softmax(model(**encoded).logits.float(), dim=-1)[:, columns]
                for key, row in zip(batch, probs.cpu().tolist()):
                    labels[key] = tuple(round(p, 5) for p in row)
                    lines.append(json.dumps({"key": key, "p": labels[key]}) + "\n")
                progress.update(len(batch))
            out.write("".join(lines))
            out.flush()
            os.fsync(out.fileno())
    progress.close()
    return labels


def soft_target(target: int, teacher: tuple[float, float, float],
                weight: float) -> tuple[float, float, float]:
    """The student's target distribution over (c, e, n) for one example."""
    if target == UNLABELLED:
        return teacher
    if target < 0:  # two-way "not entailment": the teacher splits c / n
        c, _, n = teacher
        if c + n < 1e-3:
            return (0.5, 0.0, 0.5)
        return (c / (c + n), 0.0, n / (c + n))
    one_hot = [0.0, 0.0, 0.0]
    one_hot[target] = 1.0
    return tuple(weight * t + (1 - weight) * g for t, g in zip(teacher, one_hot))


def retrieved_pairs(train: dict[str, list[LabelledPair]], rng: random.Random,
                    limit: int, per_claim: int = 2) -> list[tuple[str, str]]:
    """``(premise, hypothesis)``: training claims against the sentences of other items'
    training evidence that share most of their words (TF-IDF cosine). Only training
    splits are read, so no held-out claim or evidence enters."""
    import numpy as np
    from sklearn.feature_extraction.text import TfidfVectorizer

    claims: list[tuple[str, str]] = []  # (claim, group)
    sentences: dict[str, str] = {}  # sentence -> group it came from
    for name in _CLAIM_SETS:
        for row in train.get(name, []):
            claims.append((row.claim, row.group))
            for span in split_sentences(row.evidence):
                if 6 <= len(span.text.split()) <= 60:
                    sentences.setdefault(span.text, row.group)
    claims = sorted(set(claims))
    rng.shuffle(claims)
    claims = claims[:max(1, (limit + per_claim - 1) // per_claim) * 2]
    pool = sorted(sentences)
    if not claims or not pool:
        return []
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=2)
    pool_matrix = vectorizer.fit_transform(pool)
    out: list[tuple[str, str]] = []
    for start in range(0, len(claims), 1000):
        block = claims[start:start + 1000]
        scores = (vectorizer.transform([c for c, _ in block]) @ pool_matrix.T).toarray()
        for (claim, group), row in zip(block, scores):
            picked = 0
            for index in np.argsort(-row)[:per_claim * 4]:
                if row[index] < 0.2:
                    break
                if sentences[pool[index]] == group:
                    continue  # the claim's own evidence is labelled already
                out.append((pool[index], claim))
                picked += 1
                if picked == per_claim:
                    break
            if len(out) >= limit:
                return out
    return out
