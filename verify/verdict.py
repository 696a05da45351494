"""From NLI scores and consistency checks over a claim's evidence to one verdict.

Per claim, over its candidate evidence sentences. A sentence *supports* the claim when its
entailment probability passes the model's support threshold and no slot of it conflicts
with the claim. A conflict is *overruled* when a supporting sentence is at least as well
aligned with the claim (shares at least as many of its content words): the sentence that
states the claim decides, and the conflict is named in the explanation. REFUTED needs
positive evidence of conflict about the same thing: an aligned slot mismatch
(``verify.consistency``) or an NLI contradiction from an aligned sentence, not overruled,
judged in both directions (:attr:`Candidate.p_contradiction`).
A claim that only adds what the source never mentions is NOT ENOUGH INFO.

Two ways to decide, both over the same evidence:

- **fitted** (:class:`DecisionModel`): a multinomial logistic regression over the named,
  explainable :func:`claim_features` (NLI probabilities of the best sentences, alignment
  and coverage of the claim's words, numbers and names, each kind of slot mismatch),
  fitted on dev data by ``bench/fit_decision.py`` and shipped as JSON per NLI model. Its
  probabilities are the verdict's confidence. REFUTED is only possible with positive
  evidence of conflict; without it, its probability goes to NOT ENOUGH INFO.
- **rule** (no fitted model for this NLI model): an aligned mismatch is REFUTED; else the
  strongest aligned contradiction (both ways) over the refute threshold that beats the
  strongest entailment; else the strongest supporting sentence; else NOT ENOUGH INFO.

Thresholds are fitted per model on held-out dev data (``verify.models.evaluate_model``) and
stored in the registry; 0.5 / 0.5 is only the fallback for models nobody has fitted.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .consistency import ConsistencyResult, content_words, names_in, numbers_in
from .errors import VerifyError
from .types import Claim, Evidence, Label, Verdict

DEFAULT_THRESHOLDS = {"support": 0.5, "refute": 0.5}
# Confidence given to a slot mismatch on aligned evidence by the rule: an explicit check is
# reliable but not infallible (a source may state two dates); scaled by alignment.
MISMATCH_CONFIDENCE = 0.9
# Kinds of slot mismatch, grouped into the features the decision sees.
MISMATCH_GROUPS = {"number": "numeric", "date": "numeric", "year": "numeric",
                   "weekday": "numeric", "name": "name", "negation": "polarity",
                   "opposite": "polarity", "quantifier": "quantifier"}
FEATURES = (
    "support_max", "refute_max", "refute_aligned_max", "neutral_of_best_support",
    "alignment_max", "support_of_most_aligned", "refute_of_most_aligned", "coverage",
    "numbers_covered", "names_covered", "supporting_any", "mismatch_numeric",
    "mismatch_name", "mismatch_polarity", "mismatch_quantifier", "mismatch_overruled",
    "conflict", "same_predicate_any", "refute_two_way_aligned_max",
)
LABEL_ORDER = (Label.SUPPORTED, Label.REFUTED, Label.NOT_ENOUGH_INFO)


@dataclass(frozen=True)
class Candidate:
    """One evidence span scored against the claim."""

    evidence: Evidence  # with .nli set
    consistency: ConsistencyResult
    # P(contradiction) with the roles swapped: the claim as premise, this sentence as
    # hypothesis. Scored by the engine only where the forward contradiction passes the
    # refute threshold; None elsewhere.
    reverse_refute: float | None = None

    @property
    def p_support(self) -> float:
        return float(self.evidence.nli.probabilities[Label.SUPPORTED.value])

    @property
    def p_refute(self) -> float:
        return float(self.evidence.nli.probabilities[Label.REFUTED.value])

    @property
    def p_neutral(self) -> float:
        return float(self.evidence.nli.probabilities[Label.NOT_ENOUGH_INFO.value])

    @property
    def p_contradiction(self) -> float:
        """Contradiction is symmetric: a sentence that contradicts the claim is contradicted
        by it. The smaller of both directions where the reverse was scored (a small model
        often calls a reworded or more detailed statement of the same fact a contradiction
        one way only), else the forward probability."""
        if self.reverse_refute is None:
            return self.p_refute
        return min(self.p_refute, self.reverse_refute)


@dataclass(frozen=True)
class DecisionModel:
    """A fitted multinomial logistic regression from :data:`FEATURES` to the three labels.

    Stored as JSON (no pickle): ``{"features": [...], "labels": [...], "mean": [...],
    "scale": [...], "coef": [[...] per label], "intercept": [...], "fitted_on": ...}``.
    """

    features: tuple[str, ...]
    labels: tuple[str, ...]
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    coef: tuple[tuple[float, ...], ...]
    intercept: tuple[float, ...]
    info: Mapping[str, object] = field(default_factory=dict)

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> DecisionModel:
        try:
            model = cls(tuple(data["features"]), tuple(data["labels"]), tuple(data["mean"]),
                        tuple(data["scale"]), tuple(tuple(row) for row in data["coef"]),
                        tuple(data["intercept"]),
                        {k: v for k, v in data.items() if k not in {
                            "features", "labels", "mean", "scale", "coef", "intercept"}})
        except (KeyError, TypeError) as exc:
            raise VerifyError(f"A decision model file lacks {exc}; refit it with "
                              "bench/fit_decision.py.") from None
        n = len(model.features)
        if len(model.mean) != n or len(model.scale) != n or \
                any(len(row) != n for row in model.coef) or \
                len(model.coef) != len(model.labels) or \
                sorted(model.labels) != sorted(label.value for label in LABEL_ORDER):
            raise VerifyError("A decision model file is inconsistent (shapes or labels); "
                              "refit it with bench/fit_decision.py.")
        return model

    @classmethod
    def load(cls, path: str | Path) -> DecisionModel:
        return cls.from_dict(read_decision_file(path, "decision model"))

    def to_dict(self) -> dict[str, object]:
        return {"features": list(self.features), "labels": list(self.labels),
                "mean": list(self.mean), "scale": list(self.scale),
                "coef": [list(row) for row in self.coef], "intercept": list(self.intercept),
                **dict(self.info)}

    def predict(self, features: Mapping[str, float]) -> dict[str, float]:
        """Label probabilities for one claim's features (missing features count as 0)."""
        x = [(float(features.get(name, 0.0)) - m) / s
             for name, m, s in zip(self.features, self.mean, self.scale)]
        logits = [b + sum(w * v for w, v in zip(row, x))
                  for row, b in zip(self.coef, self.intercept)]
        top = max(logits)
        exps = [math.exp(v - top) for v in logits]
        total = sum(exps)
        return {label: e / total for label, e in zip(self.labels, exps)}


@dataclass(frozen=True)
class _Analysis:
    """What the evidence says about one claim, before any decision."""

    supporting: list[Candidate]
    mismatched: list[Candidate]  # aligned slot conflicts, not overruled
    contradicting: list[Candidate]  # aligned NLI contradictions, not overruled
    conflicting: list[Candidate]  # any conflict with a sentence that does not support it
    features: dict[str, float]


def _quote(evidence: Evidence, limit: int = 160) -> str:
    text = " ".join(evidence.text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _source(evidence: Evidence) -> str:
    return evidence.title or evidence.source


def claim_features(claim: str, candidates: Sequence[Candidate], supporting: Sequence[Candidate],
                   mismatched: Sequence[Candidate], contradicting: Sequence[Candidate]
                   ) -> dict[str, float]:
    """The named figures a decision is made from (see :data:`FEATURES`)."""
    best_support = max(candidates, key=lambda c: c.p_support)
    most_aligned = max(candidates, key=lambda c: (c.consistency.alignment, c.p_support))
    aligned = [c for c in candidates if c.consistency.aligned]
    evidence_text = " ".join(c.evidence.text for c in candidates)
    words = content_words(claim)
    claim_values = {value for value, _, _ in numbers_in(claim)}
    evidence_values = {value for value, _, _ in numbers_in(evidence_text)}
    names = sorted(names_in(claim))
    kinds = {MISMATCH_GROUPS.get(m.kind, "numeric") for c in mismatched
             for m in c.consistency.mismatches}
    features = {
        "support_max": best_support.p_support,
        "refute_max": max(c.p_refute for c in candidates),
        "refute_aligned_max": max((c.p_refute for c in aligned), default=0.0),
        "refute_two_way_aligned_max": max((c.p_contradiction for c in aligned), default=0.0),
        "neutral_of_best_support": best_support.p_neutral,
        "alignment_max": most_aligned.consistency.alignment,
        "support_of_most_aligned": most_aligned.p_support,
        "refute_of_most_aligned": most_aligned.p_refute,
        "coverage": (len(words & content_words(evidence_text)) / len(words)) if words else 1.0,
        "numbers_covered": (len(claim_values & evidence_values) / len(claim_values)
                            if claim_values else 1.0),
        "names_covered": (sum(1 for n in names if n.lower() in evidence_text.lower())
                          / len(names) if names else 1.0),
        "supporting_any": float(bool(supporting)),
        "mismatch_overruled": float(any(c.consistency.contradicts for c in candidates)
                                    and not mismatched),
        # Positive evidence of conflict: the gate without which REFUTED is impossible.
        "conflict": float(bool(mismatched or contradicting)),
        "same_predicate_any": float(any(c.consistency.same_predicate for c in candidates)),
    }
    for group in ("numeric", "name", "polarity", "quantifier"):
        features[f"mismatch_{group}"] = float(group in kinds)
    return {name: round(float(value), 4) for name, value in features.items()}


def decision_path(model_name: str, kind: str = "") -> Path:
    """Where a fitted decision of an NLI model is shipped (``verify.models``' ``decisions/``
    folder; the name made safe as a file name): the claim decision, or with ``kind`` another
    one fitted for the same model ("article": ``<name>.article.json``)."""
    from . import models

    safe = re.sub(r"[^A-Za-z0-9_.-]+", "_", model_name)
    suffix = f".{kind}.json" if kind else ".json"
    return Path(models.__file__).resolve().parent / "decisions" / f"{safe}{suffix}"


def read_decision_file(path: str | Path, what: str) -> dict:
    """The JSON object of a decision file; a VerifyError naming ``what`` when it cannot be
    read or is no JSON."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VerifyError(f"The {what} {path} cannot be read ({exc}).") from None


def load_decision(model_name: str) -> DecisionModel | None:
    """The fitted decision model shipped for ``model_name``, or None (the rule decides)."""
    path = decision_path(model_name)
    return DecisionModel.load(path) if path.is_file() else None


def _analyse(claim: Claim, candidates: Sequence[Candidate],
             thresholds: Mapping[str, float]) -> _Analysis:
    supporting = [c for c in candidates if c.p_support >= thresholds["support"]
                  and not c.consistency.contradicts]

    def overruled(conflict: Candidate) -> bool:
        return any(s.consistency.alignment >= conflict.consistency.alignment
                   for s in supporting if s is not conflict)

    mismatched = [c for c in candidates if c.consistency.contradicts and not overruled(c)]
    # Requiring the contradicting sentence to state the claim's own predicate (same lemma)
    # was measured: it removed most false alarms on news paraphrases but cut Climate-FEVER
    # refuted F1 from 0.29 to 0.11 (docs/RESULTS.md); content-word alignment is kept.
    # A sentence that states the claim's own words in order (``restated``) says what the
    # claim says: the model's contradiction there is its error, not a conflict.
    contradicting = [c for c in candidates if c.consistency.aligned
                     and c.p_contradiction >= thresholds["refute"] and not overruled(c)
                     and not c.consistency.restated]
    conflicting = [c for c in candidates if c not in supporting and (
        c.consistency.contradicts or c.p_contradiction >= thresholds["refute"])]
    return _Analysis(supporting, mismatched, contradicting, conflicting,
                     claim_features(claim.text, candidates, supporting, mismatched,
                                    contradicting))


def _refuted_by(analysis: _Analysis) -> tuple[Candidate, str]:
    """The deciding conflict and its explanation."""
    if analysis.mismatched:
        decisive = max(analysis.mismatched, key=lambda c: (c.consistency.alignment, c.p_refute))
        why = "; ".join(m.explanation for m in decisive.consistency.mismatches)
        return decisive, (f"The claim disagrees with {_source(decisive.evidence)}: {why} "
                          f"(\"{_quote(decisive.evidence)}\").")
    decisive = max(analysis.contradicting, key=lambda c: c.p_contradiction)
    both_ways = ("" if decisive.reverse_refute is None else
                 f"; {decisive.reverse_refute:.0%} with the claim as premise")
    return decisive, (f"Contradicted by {_source(decisive.evidence)} (contradiction "
                      f"probability {decisive.p_refute:.0%}{both_ways}): "
                      f"\"{_quote(decisive.evidence)}\".")


def _supported_by(analysis: _Analysis, candidates: Sequence[Candidate]
                  ) -> tuple[Candidate, str]:
    decisive = max(analysis.supporting or candidates, key=lambda c: c.p_support)
    explanation = (f"Supported by {_source(decisive.evidence)} (entailment probability "
                   f"{decisive.p_support:.0%}): \"{_quote(decisive.evidence)}\".")
    others = [c for c in analysis.conflicting if c is not decisive]
    if others:
        other = max(others, key=lambda c: (c.consistency.contradicts, c.p_contradiction))
        why = "; ".join(m.explanation for m in other.consistency.mismatches)
        explanation += (f" Note: {_source(other.evidence)} seems to contradict it"
                        f"{' (' + why + ')' if why else ''}: "
                        f"\"{_quote(other.evidence, 100)}\".")
    return decisive, explanation


def _not_enough(candidates: Sequence[Candidate]) -> tuple[Candidate, str]:
    decisive = max(candidates, key=lambda c: c.consistency.alignment)
    if decisive.consistency.alignment < 0.3:
        return decisive, "No relevant evidence found in the corpus."
    return decisive, (f"The closest evidence ({_source(decisive.evidence)}: "
                      f"\"{_quote(decisive.evidence, 120)}\") neither supports nor refutes "
                      "the claim.")


def decision_probabilities(decision: DecisionModel, features: Mapping[str, float]
                           ) -> dict[str, float]:
    """The fitted model's label probabilities, with REFUTED's mass moved to NOT ENOUGH INFO
    when there is no positive evidence of conflict (``features["conflict"]``)."""
    probabilities = decision.predict(features)
    if not features.get("conflict"):
        probabilities[Label.NOT_ENOUGH_INFO.value] += probabilities[Label.REFUTED.value]
        probabilities[Label.REFUTED.value] = 0.0
    return probabilities


def decide(claim: Claim, candidates: Sequence[Candidate],
           thresholds: Mapping[str, float] | None = None, *,
           decision: DecisionModel | None = None, max_evidence: int = 3) -> Verdict:
    """The verdict for ``claim`` given its scored candidates (best retrieval first), by the
    fitted ``decision`` model when given, else by the rule."""
    thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    if not candidates:
        return Verdict(claim, Label.NOT_ENOUGH_INFO, 1.0,
                       {Label.SUPPORTED.value: 0.0, Label.REFUTED.value: 0.0,
                        Label.NOT_ENOUGH_INFO.value: 1.0},
                       (), "No relevant evidence found in the corpus.")
    analysis = _analyse(claim, candidates, thresholds)
    best_support = max(candidates, key=lambda c: c.p_support)
    best_refute = max(analysis.contradicting, key=lambda c: c.p_contradiction, default=None)
    if decision is not None:
        probabilities = decision_probabilities(decision, analysis.features)
        label = Label(max(probabilities, key=probabilities.get))
    elif analysis.mismatched or (best_refute is not None
                                 and best_refute.p_contradiction > best_support.p_support):
        label = Label.REFUTED
    else:
        label = Label.SUPPORTED if analysis.supporting else Label.NOT_ENOUGH_INFO
    if label is Label.REFUTED:
        decisive, explanation = _refuted_by(analysis)
    elif label is Label.SUPPORTED:
        decisive, explanation = _supported_by(analysis, candidates)
    else:
        decisive, explanation = _not_enough(candidates)
    if decision is not None:
        confidence = probabilities[label.value]
    else:  # the rule's confidence: the deciding evidence's own scores
        probabilities = dict(decisive.evidence.nli.probabilities)
        if label is Label.REFUTED and analysis.mismatched:
            confidence = max(decisive.p_refute, MISMATCH_CONFIDENCE *
                             min(1.0, decisive.consistency.alignment + 0.1))
        elif label is Label.REFUTED:
            confidence = decisive.p_contradiction
        elif label is Label.SUPPORTED:
            confidence = decisive.p_support
        else:
            strongest_refute = best_refute.p_contradiction if best_refute is not None else \
                max(c.p_refute for c in candidates)
            confidence = 1.0 - max(best_support.p_support, strongest_refute)
    ordered = [decisive] + [c for c in sorted(candidates, key=lambda c: -max(c.p_support,
                                                                            c.p_refute))
                            if c is not decisive]
    evidence = tuple(c.evidence for c in ordered[:max_evidence])
    return Verdict(claim, label, round(float(confidence), 4),
                   {k: round(float(v), 4) for k, v in probabilities.items()}, evidence,
                   explanation, analysis.features)
