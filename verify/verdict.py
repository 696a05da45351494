"""From NLI scores and consistency checks over a claim's evidence to one verdict.

Rule, per claim, over its candidate evidence sentences. A sentence *supports* the claim
when its entailment probability passes the model's support threshold and no slot of it
conflicts with the claim. A conflict is *overruled* when a supporting sentence is at least
as well aligned with the claim (shares at least as many of its content words): the
sentence that states the claim decides, and the conflict is named in the explanation.

1. an aligned sentence whose numbers, dates, names, negation or quantifiers disagree with
   the claim (``verify.consistency``), not overruled, makes it REFUTED;
2. otherwise the strongest NLI contradiction among aligned sentences (REFUTED needs a
   conflict about the same thing: a claim that only adds what the source never mentions is
   NOT ENOUGH INFO), not overruled, wins when it passes the refute threshold and beats the
   strongest entailment;
3. otherwise the strongest supporting sentence makes it SUPPORTED;
4. otherwise NOT ENOUGH INFO.

Thresholds are fitted per model on held-out dev data (``verify.models.evaluate_model``) and
stored in the registry; 0.5 / 0.5 is only the fallback for models nobody has fitted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from .consistency import ConsistencyResult
from .types import Claim, Evidence, Label, Verdict

DEFAULT_THRESHOLDS = {"support": 0.5, "refute": 0.5}
# Confidence given to a slot mismatch on aligned evidence: an explicit check is reliable
# but not infallible (a source may state two dates); scaled by how well the texts align.
MISMATCH_CONFIDENCE = 0.9


@dataclass(frozen=True)
class Candidate:
    """One evidence span scored against the claim."""

    evidence: Evidence  # with .nli set
    consistency: ConsistencyResult

    @property
    def p_support(self) -> float:
        return float(self.evidence.nli.probabilities[Label.SUPPORTED.value])

    @property
    def p_refute(self) -> float:
        return float(self.evidence.nli.probabilities[Label.REFUTED.value])


def _quote(evidence: Evidence, limit: int = 160) -> str:
    text = " ".join(evidence.text.split())
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


def _source(evidence: Evidence) -> str:
    return evidence.title or evidence.source


def decide(claim: Claim, candidates: Sequence[Candidate],
           thresholds: Mapping[str, float] | None = None, *,
           max_evidence: int = 3) -> Verdict:
    """The verdict for ``claim`` given its scored candidates (best retrieval first)."""
    thresholds = {**DEFAULT_THRESHOLDS, **(thresholds or {})}
    if not candidates:
        return Verdict(claim, Label.NOT_ENOUGH_INFO, 1.0,
                       {Label.SUPPORTED.value: 0.0, Label.REFUTED.value: 0.0,
                        Label.NOT_ENOUGH_INFO.value: 1.0},
                       (), "No relevant evidence found in the corpus.")
    best_support = max(candidates, key=lambda c: c.p_support)
    best_refute = max(candidates, key=lambda c: c.p_refute)
    supporting = [c for c in candidates if c.p_support >= thresholds["support"]
                  and not c.consistency.contradicts]

    def overruled(conflict: Candidate) -> bool:
        return any(s.consistency.alignment >= conflict.consistency.alignment
                   for s in supporting if s is not conflict)

    mismatched = [c for c in candidates if c.consistency.contradicts and not overruled(c)]
    contradicting = [c for c in candidates if c.consistency.aligned
                     and c.p_refute >= thresholds["refute"] and not overruled(c)]
    conflicting = [c for c in candidates if c not in supporting and (
        c.consistency.contradicts or c.p_refute >= thresholds["refute"])]
    if contradicting:
        best_refute = max(contradicting, key=lambda c: c.p_refute)
    label: Label
    if mismatched:
        decisive = max(mismatched, key=lambda c: (c.consistency.alignment, c.p_refute))
        label = Label.REFUTED
        confidence = max(decisive.p_refute,
                         MISMATCH_CONFIDENCE * min(1.0, decisive.consistency.alignment + 0.1))
        why = "; ".join(m.explanation for m in decisive.consistency.mismatches)
        explanation = (f"The claim disagrees with {_source(decisive.evidence)}: {why} "
                       f"(\"{_quote(decisive.evidence)}\").")
    elif contradicting and best_refute.p_refute > best_support.p_support:
        decisive, label, confidence = best_refute, Label.REFUTED, best_refute.p_refute
        explanation = (f"Contradicted by {_source(decisive.evidence)} (contradiction "
                       f"probability {decisive.p_refute:.0%}): \"{_quote(decisive.evidence)}\".")
    elif supporting:
        decisive = max(supporting, key=lambda c: c.p_support)
        label, confidence = Label.SUPPORTED, decisive.p_support
        explanation = (f"Supported by {_source(decisive.evidence)} (entailment probability "
                       f"{decisive.p_support:.0%}): \"{_quote(decisive.evidence)}\".")
        if conflicting:
            other = max(conflicting, key=lambda c: (c.consistency.contradicts, c.p_refute))
            why = "; ".join(m.explanation for m in other.consistency.mismatches)
            explanation += (f" Note: {_source(other.evidence)} seems to contradict it"
                            f"{' (' + why + ')' if why else ''}: "
                            f"\"{_quote(other.evidence, 100)}\".")
    else:
        decisive = max(candidates, key=lambda c: c.consistency.alignment)
        label = Label.NOT_ENOUGH_INFO
        confidence = 1.0 - max(best_support.p_support, best_refute.p_refute)
        if decisive.consistency.alignment < 0.3:
            explanation = "No relevant evidence found in the corpus."
        else:
            explanation = (f"The closest evidence ({_source(decisive.evidence)}: "
                           f"\"{_quote(decisive.evidence, 120)}\") neither supports nor "
                           "refutes the claim.")
    probabilities = dict(decisive.evidence.nli.probabilities)
    ordered = [decisive] + [c for c in sorted(candidates, key=lambda c: -max(c.p_support,
                                                                            c.p_refute))
                            if c is not decisive]
    evidence = tuple(c.evidence for c in ordered[:max_evidence])
    return Verdict(claim, label, round(float(confidence), 4), probabilities, evidence,
                   explanation)
