"""Readers for the public evaluation and training sets (see ``../shared/data/README.md``).

Each reader yields :class:`LabelledPair` records: a claim, one evidence text, a gold label
and a ``group`` key that keeps related rows (same claim, or same FEVER-Symmetric quartet)
on one side of any train / held-out split. Files are streamed, not loaded whole.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from .errors import InputError

# Two-way gold for "not SUPPORTED" (refuted or not enough info).
NOT_SUPPORTED = "NOT SUPPORTED"

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}",
        "``": '"', "''": '"', "--": "\u2013"}


@dataclass(frozen=True)
class LabelledPair:
    claim: str
    evidence: str
    label: str  # a Label value, or NOT_SUPPORTED for two-way sets
    dataset: str
    group: str


def default_data_dir() -> Path | None:
    """``../shared/data`` beside the current checkout, or ``$VERIFY_DATA_DIR``."""
    import os

    env = os.environ.get("VERIFY_DATA_DIR")
    candidates = [Path(env)] if env else []
    here = Path.cwd()
    candidates += [here / "../shared/data", Path(__file__).resolve().parents[2] / "shared/data"]
    for candidate in candidates:
        if (candidate / "README.md").is_file():
            return candidate.resolve()
    return None


def detokenize_ptb(text: str) -> str:
    """Undo Penn-Treebank tokenisation (FEVER, SNLI): ``-LRB- x -RRB- .`` -> ``(x).``"""
    for token, plain in _PTB.items():
        text = text.replace(token, plain)
    text = re.sub(r"\s+([.,;:!?%)\]}])", r"\1", text)
    text = re.sub(r"([(\[{])\s+", r"\1", text)
    text = re.sub(r"\s+('s|n't|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    return re.sub(r"\s{2,}", " ", text).strip()


def _label(value: str) -> str:
    from .types import Label

    if value.strip().lower() in {"not_entailment", "not entailment"}:
        return NOT_SUPPORTED
    return Label.parse(value).value


def read_jsonl(path: Path) -> Iterator[tuple[int, dict]]:
    with open(path, encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{path}:{number}: not valid JSON ({exc.msg}).") from None


def read_climate_fever(path: Path) -> Iterator[LabelledPair]:
    """Claim-evidence pairs with their per-sentence labels (3-way)."""
    for _, row in read_jsonl(path):
        for ev in row["evidences"]:
            yield LabelledPair(row["claim"], ev["evidence"], _label(ev["evidence_label"]),
                               "climate-fever", f"cf:{row['claim_id']}")


def read_climate_fever_claims(path: Path) -> Iterator[dict]:
    """Claim-level rows: claim, claim_label, and the five evidences with articles."""
    for _, row in read_jsonl(path):
        yield row


def read_healthver(path: Path) -> Iterator[LabelledPair]:
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield LabelledPair(row["claim"].strip(), row["evidence"], _label(row["label"]),
                               "healthver", f"hv:{row['claim'].strip().lower()}")


def read_fever_symmetric(path: Path) -> Iterator[LabelledPair]:
    """Rows grouped so that the variants sharing a claim or an evidence stay together."""
    rows = [row for _, row in read_jsonl(path)]
    parent: dict[str, str] = {}

    def find(key: str) -> str:
        while parent.setdefault(key, key) != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for row in rows:
        parent[find("c:" + row["claim"])] = find("e:" + row["evidence"])
    for row in rows:
        group = hashlib.sha1(find("c:" + row["claim"]).encode()).hexdigest()[:12]
        yield LabelledPair(detokenize_ptb(row["claim"]), detokenize_ptb(row["evidence"]),
                           _label(row["gold_label"]), "fever-symmetric", f"fs:{group}")


def read_wice(path: Path) -> Iterator[LabelledPair]:
    """Oracle-chunk WiCE: the claim against its gold evidence sentences (joined)."""
    for _, row in read_jsonl(path):
        label = row["label"]
        if label == "partially_supported":
            gold = "partially_supported"
        else:
            gold = _label(label)
        yield LabelledPair(row["claim"], " ".join(row["evidence"]), gold, "wice",
                           f"wice:{row['claim'].strip().lower()}")


def read_wice_documents(path: Path) -> Iterator[dict]:
    """Full WiCE rows: claim, label, evidence sentences of the cited page, gold sentence ids."""
    for _, row in read_jsonl(path):
        yield row


def read_snli(folder: Path, split: str) -> Iterator[LabelledPair]:
    with open(folder / f"s1.{split}", encoding="utf-8") as s1, \
            open(folder / f"s2.{split}", encoding="utf-8") as s2, \
            open(folder / f"labels.{split}", encoding="utf-8") as labels:
        for premise, hypothesis, label in zip(s1, s2, labels):
            label = label.strip()
            if label not in {"entailment", "neutral", "contradiction"}:
                continue
            premise = detokenize_ptb(premise)
            yield LabelledPair(detokenize_ptb(hypothesis), premise, _label(label), "snli",
                               f"snli:{premise.lower()}")


def read_rte_fever(folder: Path) -> Iterator[LabelledPair]:
    with open(folder / "dev.raw.input0", encoding="utf-8") as ev, \
            open(folder / "dev.raw.input1", encoding="utf-8") as cl, \
            open(folder / "dev.label", encoding="utf-8") as labels:
        for evidence, claim, label in zip(ev, cl, labels):
            yield LabelledPair(claim.strip(), detokenize_ptb(evidence), _label(label),
                               "rte-fever", f"rte:{claim.strip().lower()}")


def read_vitaminc(path: Path) -> Iterator[LabelledPair]:
    """VitaminC real revisions: claim and Wikipedia sentence before or after a factual edit
    (3-way, PTB-tokenised); grouped by revision case so its contrastive rows stay together."""
    for _, row in read_jsonl(path):
        yield LabelledPair(detokenize_ptb(row["claim"]), detokenize_ptb(row["evidence"]),
                           _label(row["label"]), "vitaminc", f"vitc:{row['case_id']}")


def read_docnli(path: Path, name: str) -> Iterator[LabelledPair]:
    """A DocNLI two-way file (``label<TAB>premise<TAB>hypothesis``): entailment is
    SUPPORTED, not_entailment is NOT_SUPPORTED; grouped by premise."""
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[0] not in {"entailment", "not_entailment"}:
                continue
            label, premise, hypothesis = parts
            yield LabelledPair(hypothesis.strip(), premise.strip(),
                               "SUPPORTED" if label == "entailment" else NOT_SUPPORTED,
                               name, f"{name}:{premise.strip().lower()}")


def read_anli(path: Path) -> Iterator[LabelledPair]:
    """ANLI dev (CC BY-NC 4.0): evaluation only, never training."""
    with open(path, encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            yield LabelledPair(row["statement"], row["context"], _label(row["gold_label"]),
                               "anli", f"anli:{row.get('uid', row['statement'])}")


def held_out(group: str, fraction: float, salt: str = "verify-heldout-v1") -> bool:
    """Deterministic split by group: the same group always lands on the same side."""
    digest = hashlib.sha1(f"{salt}:{group}".encode()).digest()
    return int.from_bytes(digest[:4], "big") / 2**32 < fraction
