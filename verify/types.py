"""Frozen, JSON-serialisable records shared by every part of verify.

Every record that points into a text keeps ``start``/``end`` character offsets
(Python string indices, end exclusive) so that the UI can highlight spans.
``to_dict()`` returns plain JSON types; ``from_dict()`` reads them back.
"""

from __future__ import annotations

import dataclasses
import enum
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class Label(str, enum.Enum):
    """A verdict label. The value is what JSON and tables show."""

    SUPPORTED = "SUPPORTED"
    REFUTED = "REFUTED"
    NOT_ENOUGH_INFO = "NOT ENOUGH INFO"

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.value

    @classmethod
    def parse(cls, value: str | Label) -> Label:
        """Read a label from its value or common aliases (SUPPORTS, contradiction, NEI, ...)."""
        if isinstance(value, Label):
            return value
        key = str(value).strip().lower().replace("-", "_").replace(" ", "_")
        try:
            return _LABEL_ALIASES[key]
        except KeyError:
            raise ValueError(f"unknown label {value!r}") from None


_LABEL_ALIASES: dict[str, Label] = {
    **dict.fromkeys(
        ["supported", "supports", "support", "entailment", "entails", "entail", "e"],
        Label.SUPPORTED,
    ),
    **dict.fromkeys(
        ["refuted", "refutes", "refute", "contradiction", "contradicts", "contradict", "c"],
        Label.REFUTED,
    ),
    **dict.fromkeys(
        ["not_enough_info", "nei", "neutral", "not_enough_information", "n", "not_supported"],
        Label.NOT_ENOUGH_INFO,
    ),
}

LABELS: tuple[Label, ...] = (Label.SUPPORTED, Label.REFUTED, Label.NOT_ENOUGH_INFO)


def _jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        return {str(_jsonable(k)): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_jsonable(v) for v in value]
    return value


class _Record:
    """Mixin giving dataclasses ``to_dict`` / ``to_json``."""

    def to_dict(self) -> dict[str, Any]:
        return _jsonable(self)

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)


@dataclass(frozen=True)
class Claim(_Record):
    """One checkable statement isolated from an article.

    ``start``/``end`` delimit the claim's own content in the article; ``text`` may be a
    rewritten, self-contained form of that span (pronouns resolved, shared subject copied).
    ``spans`` are the character ranges of the article's words the claim was made from (a
    claim cut out of a longer sentence covers some of its words, not all between ``start``
    and ``end``); empty when the whole ``start``-``end`` range is the claim's.
    ``context_needed``: the claim opens with a reference verify could not resolve ("They
    fell short ...", "This launched an investigation"); read it with ``context``.
    """

    text: str
    start: int
    end: int
    sentence_id: int = 0
    sentence: str = ""
    context: str = ""
    checkworthy: bool = True
    checkworthiness: float = 1.0
    reason: str = ""
    attributed_to: str | None = None
    spans: tuple[tuple[int, int], ...] = ()
    context_needed: bool = False

    @property
    def covered(self) -> tuple[tuple[int, int], ...]:
        """The article ranges the claim was made from: ``spans``, else ``(start, end)``."""
        return self.spans or ((self.start, self.end),)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Claim:
        values = {f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data}
        if "spans" in values:
            values["spans"] = tuple((int(a), int(b)) for a, b in values["spans"] or ())
        return cls(**values)


@dataclass(frozen=True)
class Passage(_Record):
    """A window of sentences cut from a reference document, with offsets into it."""

    text: str
    source: str
    start: int
    end: int
    passage_id: str = ""
    title: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Passage:
        return cls(**{f.name: data[f.name] for f in dataclasses.fields(cls) if f.name in data})


@dataclass(frozen=True)
class WindowScore(_Record):
    """NLI probabilities for one window of a long premise (offsets into the premise)."""

    start: int
    end: int
    probabilities: Mapping[str, float]


@dataclass(frozen=True)
class Scores(_Record):
    """NLI judgement of one (claim, evidence) pair.

    ``probabilities`` maps each label value (SUPPORTED / REFUTED / NOT ENOUGH INFO) to a
    probability; they sum to 1. For an evidence text longer than the model's window,
    ``windows`` holds each window's probabilities and ``deciding_window`` the index of the
    window whose probabilities are reported.
    """

    label: Label
    probabilities: Mapping[str, float]
    model: str
    windows: tuple[WindowScore, ...] = ()
    deciding_window: int = 0

    @property
    def confidence(self) -> float:
        return float(self.probabilities[self.label.value])

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scores:
        windows = tuple(
            WindowScore(w["start"], w["end"], dict(w["probabilities"]))
            for w in data.get("windows", ())
        )
        return cls(
            label=Label.parse(data["label"]),
            probabilities=dict(data["probabilities"]),
            model=data["model"],
            windows=windows,
            deciding_window=data.get("deciding_window", 0),
        )


@dataclass(frozen=True)
class Evidence(_Record):
    """A retrieved passage, how well it matched a query, and (once scored) its NLI scores."""

    text: str
    source: str
    start: int
    end: int
    score: float
    retriever_scores: Mapping[str, float] = field(default_factory=dict)
    title: str = ""
    passage_id: str = ""
    nli: Scores | None = None


@dataclass(frozen=True)
class Verdict(_Record):
    """The decision for one claim."""

    claim: Claim
    label: Label
    confidence: float
    probabilities: Mapping[str, float]
    evidence: tuple[Evidence, ...] = ()
    explanation: str = ""
    # The explainable per-claim figures the decision was made from (verify.verdict).
    features: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Report(_Record):
    """Everything verify concluded about one article."""

    verdicts: tuple[Verdict, ...]
    model: str
    summary: Mapping[str, Any] = field(default_factory=dict)
    timings: Mapping[str, float] = field(default_factory=dict)
    notices: tuple[str, ...] = ()
