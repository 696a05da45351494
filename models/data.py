"""The data stage of the NLI recipe: settings, held-out fractions and the splits.

The recipe runs one way, data -> train (``train.py``) -> evaluate (``evaluate_model.py``)
-> card (``model_card.py``); each stage imports only earlier ones, and this one none.
"""

from __future__ import annotations

import logging
from pathlib import Path

from verify.datasets import (
    LabelledPair,
    held_out,
    read_climate_fever,
    read_fever_symmetric,
    read_healthver,
    read_rte_fever,
    read_snli,
    read_wice,
)

logger = logging.getLogger("verify.train")

# The shipped recipe's settings; the model card names only the options that differ.
RECIPE_DEFAULTS = {"epochs": 1.0, "lr": 4e-5, "seed": 13, "snli_limit": 8000,
                   "rte_limit": 8000, "batch_size": 32, "max_length": 256, "vitaminc_limit": 0,
                   "detail_limit": 0, "two_way_loss": "free", "mnli_limit": 0,
                   "retrieved_limit": 0, "teacher": None, "teacher_weight": 0.5,
                   "teacher_max_length": 128, "claim_limit": 0, "paraphrase_limit": 0}
# Claim sets repeated in every epoch: they are small and closest to verify's job.
UPSAMPLE = {"climate-fever": 2, "healthver": 2, "fever-symmetric": 3, "wice": 2}
HELD_OUT_FRACTION = {"climate-fever": 0.3, "healthver": 0.25, "fever-symmetric": 0.5,
                     "wice": 0.3, "snli": 0.05, "rte-fever": 0.05}


def load_splits(data: Path) -> tuple[dict[str, list[LabelledPair]], dict[str, list[LabelledPair]]]:
    """Per dataset: (training pairs, held-out pairs), split by group."""
    readers = {
        "snli": lambda: list(read_snli(data / "snli", "dev")) + list(read_snli(data / "snli",
                                                                               "test")),
        "rte-fever": lambda: read_rte_fever(data / "rte_fever"),
        "fever-symmetric": lambda: read_fever_symmetric(data / "fever_symmetric/dev.jsonl"),
        "climate-fever": lambda: read_climate_fever(data / "climate_fever/dev.jsonl"),
        "healthver": lambda: read_healthver(data / "healthver/dev.csv"),
        "wice": lambda: read_wice(data / "wice/oracle_chunks_dev.jsonl"),
    }
    train: dict[str, list[LabelledPair]] = {}
    held: dict[str, list[LabelledPair]] = {}
    for name, read in readers.items():
        rows = list(read())
        fraction = HELD_OUT_FRACTION[name]
        held[name] = [r for r in rows if held_out(r.group, fraction)]
        train[name] = [r for r in rows if not held_out(r.group, fraction)]
        logger.info("%s: %d training, %d held out", name, len(train[name]), len(held[name]))
    return train, held
