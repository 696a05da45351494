"""The registry of NLI models verify knows by short name.

Each entry says where the weights come from (a Hugging Face hub id, or a folder shipped
inside this package), how its ``config.id2label`` names map onto verify's labels, its
window length, published or measured accuracy, and verdict thresholds fitted for it.
Label *order* is never written here: it is read from the model's own config at load time.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from verify.errors import UnknownModelError

PACKAGE_DIR = Path(__file__).resolve().parent

# Names that models use in config.id2label, lower-cased, for each NLI relation.
DEFAULT_LABEL_NAMES: Mapping[str, tuple[str, ...]] = {
    "entailment": ("entailment", "entail", "entails", "supports", "supported"),
    "contradiction": ("contradiction", "contradict", "contradicts", "refutes", "refuted"),
    "neutral": ("neutral", "not_enough_info", "nei", "not enough info"),
}


@dataclass(frozen=True)
class ModelSpec:
    """One registered NLI model.

    Args:
        name: short name used with ``--model``.
        source: a Hugging Face hub id, or a folder name relative to this package
            (``bundled=True``).
        description: one line for ``verify models``.
        license: the weights' license as published.
        max_length: the model's window in tokens (premise + hypothesis).
        bundled: the weights ship with verify and need no network.
        label_names: per relation, the ``id2label`` names that mean it (lower-case).
        accuracy: published or measured figures, each key saying which (``published_*``
            figures come from the model card and were not re-measured here).
        thresholds: verdict thresholds fitted for this model (see ``verify.verdict``).
    """

    name: str
    source: str
    description: str
    license: str
    max_length: int = 512
    bundled: bool = False
    label_names: Mapping[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(DEFAULT_LABEL_NAMES)
    )
    accuracy: Mapping[str, Any] = field(default_factory=dict)
    thresholds: Mapping[str, float] = field(default_factory=dict)

    @property
    def path(self) -> Path | None:
        """The local folder of a bundled model, else ``None``."""
        return PACKAGE_DIR / self.source if self.bundled else None

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "source": self.source,
            "description": self.description,
            "license": self.license,
            "max_length": self.max_length,
            "bundled": self.bundled,
            "accuracy": dict(self.accuracy),
            "thresholds": dict(self.thresholds),
        }


BUNDLED_MODEL = "verify-nli-minilm"
# Used when no model is named and it is already in the local Hugging Face cache;
# otherwise the bundled model answers and a notice says so (see verify.nli).
DEFAULT_HUB_MODEL = "nli-deberta-v3-base"


def _card_figures(folder: Path) -> tuple[dict[str, Any], dict[str, float]]:
    """Accuracy and thresholds measured for a model folder written by ``verify train-nli``
    (its ``verify_metrics.json``); none for other folders."""
    metrics_file = folder / "verify_metrics.json"
    if not metrics_file.is_file():
        return {}, {}
    try:
        data = json.loads(metrics_file.read_text(encoding="utf-8"))
        return dict(data.get("accuracy", {})), {k: float(v) for k, v in
                                                dict(data.get("thresholds", {})).items()}
    except (OSError, ValueError, TypeError, AttributeError):
        return {}, {}  # unreadable: the model still loads, with the fallback thresholds


def _trained_window(folder: Path, default: int = 512) -> int:
    """The token window a folder written by ``verify train-nli`` was trained with.

    Scoring such a folder with a wider window than it was trained (and is served) with
    would measure a different model than the one users get.
    """
    try:
        value = json.loads((folder / "training_info.json").read_text(encoding="utf-8"))
        window = int(value["max_length"])
    except (OSError, ValueError, KeyError, TypeError):
        return default
    return window if window > 0 else default


def _build_registry() -> dict[str, ModelSpec]:
    bundled_accuracy, bundled_thresholds = _card_figures(PACKAGE_DIR / BUNDLED_MODEL)
    specs = [
        ModelSpec(
            name=BUNDLED_MODEL,
            source=BUNDLED_MODEL,
            description="verify's own offline NLI model: all-MiniLM-L6-v2 fine-tuned here "
            "(see its MODEL_CARD.md)",
            license="Apache-2.0 (base model); training data CC BY-SA (see model card)",
            max_length=256,
            bundled=True,
            accuracy=bundled_accuracy,
            thresholds=bundled_thresholds,
        ),
        ModelSpec(
            name="nli-deberta-v3-base",
            source="cross-encoder/nli-deberta-v3-base",
            description="sentence-transformers cross-encoder, DeBERTa-v3-base on SNLI+MultiNLI",
            license="Apache-2.0",
            accuracy={"published_snli_test_accuracy": 0.9238,
                      "published_mnli_mismatched_accuracy": 0.9004},
        ),
        ModelSpec(
            name="nli-deberta-v3-xsmall",
            source="cross-encoder/nli-deberta-v3-xsmall",
            description="sentence-transformers cross-encoder, DeBERTa-v3-xsmall on SNLI+MultiNLI",
            license="Apache-2.0",
            accuracy={"published_snli_test_accuracy": 0.9164,
                      "published_mnli_mismatched_accuracy": 0.8777},
        ),
        ModelSpec(
            name="deberta-v3-base-mnli-fever-anli",
            source="MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli",
            description="DeBERTa-v3-base on MultiNLI, Fever-NLI and ANLI (strong on claims)",
            license="MIT",
            accuracy={"published_anli_test_r1_accuracy": 0.712,
                      "published_anli_test_r3_accuracy": 0.495},
        ),
    ]
    return {spec.name: spec for spec in specs}


class ModelRegistry:
    """Lookup of :class:`ModelSpec` by short name or hub id."""

    def __init__(self, specs: Mapping[str, ModelSpec] | None = None) -> None:
        self._specs = dict(specs) if specs is not None else _build_registry()

    def __iter__(self):
        return iter(self._specs.values())

    def __contains__(self, name: object) -> bool:
        try:
            self.get(str(name))
        except UnknownModelError:
            return False
        return True

    def names(self) -> list[str]:
        return list(self._specs)

    def get(self, name: str) -> ModelSpec:
        """Find a model by short name, by hub id, or as a local folder / hub id not registered.

        An unregistered local folder or ``owner/name`` hub id gets a generic spec so users can
        try any 3-label NLI model; anything else raises :class:`UnknownModelError`.
        """
        if name in self._specs:
            return self._specs[name]
        for spec in self._specs.values():
            if spec.source == name:
                return spec
        if Path(name).expanduser().is_dir():
            folder = Path(name).expanduser().resolve()
            for spec in self._specs.values():
                if spec.path is not None and spec.path.resolve() == folder:
                    return spec  # the bundled model, named by its path
            # A folder trained here carries the thresholds fitted for it: scoring it with
            # the 0.5 fallback would measure another decision than the one it was fitted for.
            accuracy, thresholds = _card_figures(folder)
            return ModelSpec(name=str(folder), source=str(folder), description="local folder",
                             license="unknown", max_length=_trained_window(folder),
                             accuracy=accuracy, thresholds=thresholds)
        if name.count("/") == 1 and all(name.split("/")) and not Path(name).exists():
            return ModelSpec(name=name, source=name, description="unregistered hub model",
                             license="see its model card")
        known = ", ".join(self._specs)
        raise UnknownModelError(
            f"Unknown model {name!r}: it is not a registered name ({known}), "
            "not an existing folder and not a hub id of the form owner/name. "
            "Run `verify models` to list the registry."
        )
