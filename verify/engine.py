"""The one engine that the command, the web page and batch evaluation all call.

``Verifier.check(article)`` splits the article into claims, retrieves evidence passages for
all of them in one batch, scores each claim against the most relevant sentences of its
passages with NLI (one batch across claims), runs the consistency checks and decides.
Models and the index load once per Verifier and are reused across calls.
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .article_decision import ArticleDecision, load_article_decision
from .claims import ClaimSplitter
from .consistency import SlotChecker, alignment_score
from .corpus import Corpus, Embedder, open_corpus
from .errors import CheckTimeoutError, InputError
from .nli import NLIScorer
from .text import split_sentences
from .types import LABELS, Claim, Evidence, Label, Report, Verdict
from .verdict import DEFAULT_THRESHOLDS, Candidate, DecisionModel, decide, load_decision

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Sentence:
    """A candidate evidence sentence before scoring."""

    evidence: Evidence
    around: str  # its passage, with the title: where slot values stated nearby are found
    previous: str  # the sentence before it, for a premise that opens with a pronoun
    alignment: float  # share of the claim's content words it contains


class Verifier:
    """Checks articles against a reference corpus.

    Args:
        corpus: a :class:`~verify.corpus.Corpus` (or any object with its ``search_many``),
            an index folder, or files/folders to index.
        model: NLI model name (see ``verify models``); ``None`` for the default.
        device: ``"cpu"``, ``"cuda"``...; ``None`` picks CUDA when present.
        k: passages retrieved per claim.
        sentences_per_claim: evidence sentences considered per claim (the most aligned ones).
        min_alignment: a sentence sharing less than this share of the claim's content words
            is not scored: it cannot be a conflict (those need alignment), only a support
            in quite other words, and such supports were mostly wrong: at 0.2, FRANK dev
            balanced accuracy 0.588 -> 0.594, Climate-FEVER held-out macro-F1 0.462 ->
            0.490, self-check SUPPORTED 98.7% -> 97.5%, a third fewer NLI pairs
            (docs/BENCHMARKS.md, pair pruning). 0 scores every candidate.
        early_stop: with the rule decision, score each claim's most aligned sentence first
            and stop there when it supports the claim (and contradicts it less than it
            supports it): no other sentence could change the label (a conflict is overruled
            by a support at least as well aligned). About half the NLI pairs on the dev
            benches, every label identical. The confidence is then that sentence's own
            entailment probability, and the verdict lists it alone as evidence.
        backend: NLI runtime, ``"torch"``, ``"onnx"`` or ``"onnx-int8"`` (see
            :class:`~verify.nli.NLIScorer`).
        thresholds: override the model's fitted ``{"support": .., "refute": ..}``.
        decision: ``"auto"`` uses the decision model fitted for the NLI model when one is
            shipped (``verify.verdict``), ``"rule"`` the hand-written rule, or pass a
            :class:`~verify.verdict.DecisionModel`.
        article_decision: ``"auto"`` judges the whole article (``report.summary["article"]``:
            consistent with the references or not, with a probability) with the article
            decision fitted for the NLI model when one is shipped
            (:mod:`verify.article_decision`, fitted on FRANK dev with this class's
            defaults), ``"none"`` leaves it out, or pass an
            :class:`~verify.article_decision.ArticleDecision`.
        include_unworthy: also give verdicts for claims marked not check-worthy.
        show_progress_bar: progress bars for indexing and scoring.
    """

    def __init__(self, corpus: Any = None, *,
                 model: str | None = None, device: str | None = None, k: int = 5,
                 sentences_per_claim: int = 4, thresholds: dict[str, float] | None = None,
                 include_unworthy: bool = False, show_progress_bar: bool = False,
                 scorer: NLIScorer | None = None, splitter: ClaimSplitter | None = None,
                 decision: DecisionModel | str = "auto", min_alignment: float = 0.2,
                 early_stop: bool = True, backend: str = "torch",
                 article_decision: ArticleDecision | str = "auto") -> None:
        if not isinstance(decision, DecisionModel) and decision not in {"auto", "rule"}:
            raise InputError(f"decision must be 'auto', 'rule' or a DecisionModel, "
                             f"not {decision!r}.")
        if not isinstance(article_decision, ArticleDecision) and \
                article_decision not in {"auto", "none"}:
            raise InputError(f"article_decision must be 'auto', 'none' or an "
                             f"ArticleDecision, not {article_decision!r}.")
        self.decision = decision
        self.article_decision = article_decision
        self._corpus_arg = corpus
        # Anything with search_many() is a corpus (the embedded index, or a class that
        # queries a vector database); anything else is a path to open.
        self._corpus = corpus if hasattr(corpus, "search_many") else None
        self.scorer = scorer or NLIScorer(model, device=device, backend=backend)
        self.splitter = splitter or ClaimSplitter()
        # Embeds the corpora this verifier builds itself (one per document in batch
        # evaluation of summaries); loaded on first use.
        self.embedder = Embedder()
        # One spaCy pipeline for splitting and for the slot checks' parses.
        self.slot_checker = SlotChecker(lambda: self.splitter.nlp)
        self.k = k
        self.sentences_per_claim = sentences_per_claim
        self.min_alignment = min_alignment
        self.early_stop = early_stop
        self.thresholds = thresholds
        self.include_unworthy = include_unworthy
        self.show_progress_bar = show_progress_bar

    # -- loading ---------------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the NLI model, the claim splitter and the corpus. Safe to call twice."""
        self.scorer.warm_up()
        self.splitter.warm_up()
        self.slot_checker.warm_up()
        if self._corpus_arg is not None:
            warm_up = getattr(self.corpus, "warm_up", None)
            if warm_up is not None:
                warm_up()

    @property
    def corpus(self) -> Corpus:
        if self._corpus is None:
            if self._corpus_arg is None:
                raise InputError("No reference corpus given: pass corpus= (an index folder "
                                 "or files to index).")
            self._corpus = open_corpus(self._corpus_arg,
                                       show_progress_bar=self.show_progress_bar)
        return self._corpus

    def _decision(self) -> DecisionModel | None:
        if self.decision == "auto":
            self.decision = load_decision(self.scorer.name) or "rule"
        return self.decision if isinstance(self.decision, DecisionModel) else None

    def _article_decision(self) -> ArticleDecision | None:
        if self.article_decision == "auto":
            self.article_decision = load_article_decision(self.scorer.name) or "none"
        return self.article_decision if isinstance(self.article_decision, ArticleDecision) \
            else None

    def verdict_settings(self) -> dict[str, Any]:
        """The settings that shape the verdicts' probabilities and features, which an
        article decision fitted on them needs to be the same (JSON-ready)."""
        return {"decision": "fitted" if self._decision() is not None else "rule",
                "thresholds": {k: round(float(v), 4) for k, v in
                               sorted(self._thresholds().items())},
                "k": self.k, "sentences_per_claim": self.sentences_per_claim,
                "min_alignment": self.min_alignment, "early_stop": self.early_stop}

    def _article_judgement(self, verdicts: list[Verdict]) -> tuple[dict | None, str | None]:
        """The whole article's judgement, or why there is none when one was expected."""
        decision = self._article_decision()
        if decision is None or not verdicts:
            return None, None
        fitted = decision.info.get("verdict_settings")
        if fitted is not None and fitted != self.verdict_settings():
            return None, ("No whole-article judgement: its decision was fitted on verdicts "
                          "made with other settings than this check's "
                          f"({json.dumps(fitted, sort_keys=True)}).")
        judgement = decision.judge(
            [(v.label.value, v.probabilities, v.features) for v in verdicts])
        return {**judgement, "least_supported": verdicts[
            int(judgement["least_supported"])].claim.text}, None

    def _thresholds(self) -> dict[str, float]:
        """Support and refute thresholds: the 0.5 fallback, the model's fitted ones, its
        decision model's, then the caller's, each overriding the one before."""
        fitted = {**DEFAULT_THRESHOLDS, **self.scorer.spec.thresholds}
        decision = self._decision()
        if decision is not None:  # the thresholds its features were fitted with
            fitted.update(decision.info.get("thresholds") or {})
        return {**fitted, **(self.thresholds or {})}

    # -- the checks ------------------------------------------------------------------------
    def check(self, article: str, corpus: Corpus | None = None, *,
              time_budget: float | None = None) -> Report:
        """Claims of ``article`` with a verdict each, plus a summary and timings.

        ``time_budget``: seconds the check may take; past it, it stops between steps (or
        between NLI batches) with :class:`~verify.errors.CheckTimeoutError`.
        """
        timings: dict[str, float] = {}
        started = time.perf_counter()
        deadline = None if time_budget is None else time.monotonic() + time_budget
        claims = self.splitter.split(article)
        timings["claims_s"] = time.perf_counter() - started
        _check_deadline(deadline, "splitting the article into claims")
        to_check = [c for c in claims if c.checkworthy or self.include_unworthy]
        notices = []
        if not to_check:
            notices.append("No check-worthy claims were found in the article "
                           f"({len(claims)} statements were all marked not check-worthy).")
        verdicts = self.verify_claims(to_check, corpus=corpus, timings=timings,
                                      deadline=deadline)
        timings["total_s"] = time.perf_counter() - started
        return self._report(verdicts, claims, timings, notices)

    def verify_claims(self, claims: Sequence[Claim], corpus: Corpus | None = None,
                      timings: dict[str, float] | None = None, *,
                      deadline: float | None = None) -> list[Verdict]:
        """Verdicts for given claims, retrieving their evidence from the corpus
        (``deadline``: a ``time.monotonic()`` value the work must not run past)."""
        timings = timings if timings is not None else {}
        if not claims:
            return []
        corpus = corpus or self.corpus
        started = time.perf_counter()
        retrieved = corpus.search_many([c.text for c in claims], k=self.k,
                                       contexts=[c.context for c in claims])
        timings["retrieve_s"] = time.perf_counter() - started
        _check_deadline(deadline, "retrieving evidence")
        candidates = [self._candidate_sentences(claim, passages)
                      for claim, passages in zip(claims, retrieved)]
        return self._score_and_decide(claims, candidates, timings, deadline)

    def verify_with_evidence(self, claims: Sequence[Claim],
                             evidence: Sequence[Sequence[Evidence]]) -> list[Verdict]:
        """Verdicts against given evidence (oracle mode of batch evaluation)."""
        candidates = [self._candidate_sentences(claim, passages)
                      for claim, passages in zip(claims, evidence)]
        return self._score_and_decide(claims, candidates, {})

    def _candidate_sentences(self, claim: Claim, passages: Sequence[Evidence]
                             ) -> list[_Sentence]:
        """The sentences of the passages most aligned with the claim, most aligned first,
        as Evidence spans, each with the text around it and the sentence before it."""
        scored = []
        seen: set[tuple[str, int]] = set()
        for rank, passage in enumerate(passages):
            sentences = split_sentences(passage.text)
            for index, sentence in enumerate(sentences):
                # Overlapping passages share sentences: score each sentence once.
                key = (passage.source, passage.start + sentence.start)
                if key in seen:
                    continue
                seen.add(key)
                overlap = alignment_score(claim.text, sentence.text)
                # Retrieval rank breaks ties between equally overlapping sentences.
                scored.append((overlap - 0.01 * rank, _Sentence(Evidence(
                    text=sentence.text, source=passage.source,
                    start=passage.start + sentence.start, end=passage.start + sentence.end,
                    score=passage.score, retriever_scores=passage.retriever_scores,
                    title=passage.title, passage_id=passage.passage_id),
                    f"{passage.title}\n{passage.text}",
                    sentences[index - 1].text if index else "", overlap)))
        scored.sort(key=lambda item: -item[0])
        return [sentence for _, sentence in scored[: self.sentences_per_claim]
                if sentence.alignment >= self.min_alignment]

    def _score_and_decide(self, claims: Sequence[Claim], candidates: list[list[_Sentence]],
                          timings: dict[str, float],
                          deadline: float | None = None) -> list[Verdict]:
        started = time.perf_counter()
        thresholds = self._thresholds()
        decision = self._decision()
        checker = self.slot_checker
        # Parse every claim and every sentence aligned enough to be compared, in one batch.
        checker.prepare([text for claim, cands in zip(claims, candidates)
                         for text in [claim.text] + [c.evidence.text for c in cands
                                                     if c.alignment >= checker.min_alignment]])
        timings["parse_s"] = time.perf_counter() - started
        try:
            scored: list[list[Candidate]] = [[] for _ in claims]
            # Which sentences each claim still needs scored: with early stopping, first only
            # the most aligned one (candidates come most aligned first).
            pending = [list(range(len(cands))) for cands in candidates]
            if self.early_stop and decision is None:
                first = [indices[:1] for indices in pending]
                self._score_into(scored, claims, candidates, first, thresholds, deadline)
                pending = [indices[1:] if not _settled(cands, found, thresholds) else []
                           for indices, cands, found in zip(pending, candidates, scored)]
            self._score_into(scored, claims, candidates, pending, thresholds, deadline)
            timings["nli_s"] = time.perf_counter() - started - timings["parse_s"]
            verdicts = [decide(claim, found, thresholds, decision=decision)
                        for claim, found in zip(claims, scored)]
        finally:
            checker.clear()  # parses are per article
        timings["decide_s"] = (time.perf_counter() - started - timings["nli_s"]
                               - timings["parse_s"])
        return verdicts

    def _score_into(self, scored: list[list[Candidate]], claims: Sequence[Claim],
                    candidates: list[list[_Sentence]], which: list[list[int]],
                    thresholds: dict[str, float], deadline: float | None) -> None:
        """NLI (one batch across claims) and slot checks for the chosen sentences; then,
        for each aligned sentence the model calls a contradiction, the same pair with the
        roles swapped (the claim as premise), which the decision needs to judge the
        contradiction both ways (``Candidate.p_contradiction``)."""
        chosen = [(i, candidates[i][j]) for i, indices in enumerate(which) for j in indices]
        if not chosen:
            return
        pairs = [(claims[i].text, _premise(c.evidence, c.previous, claims[i].text))
                 for i, c in chosen]
        scores = self.scorer.score_pairs(pairs, show_progress_bar=self.show_progress_bar,
                                         deadline=deadline)
        found = [(i, Candidate(replace(sentence.evidence, nli=nli),
                               self.slot_checker.check(claims[i].text, sentence.evidence.text,
                                                       passage=sentence.around)))
                 for (i, sentence), nli in zip(chosen, scores)]
        contradictions = [n for n, (_, c) in enumerate(found)
                          if c.consistency.aligned and c.p_refute >= thresholds["refute"]]
        if contradictions:
            # (claim, evidence) pairs: the sentence is checked against the claim as premise.
            reverse = self.scorer.score_pairs(
                [(found[n][1].evidence.text, claims[found[n][0]].text)
                 for n in contradictions], deadline=deadline)
            for n, nli in zip(contradictions, reverse):
                i, candidate = found[n]
                found[n] = (i, replace(candidate, reverse_refute=float(
                    nli.probabilities[Label.REFUTED.value])))
        for i, candidate in found:
            scored[i].append(candidate)

    def _report(self, verdicts: list[Verdict], claims: list[Claim],
                timings: dict[str, float], notices: list[str]) -> Report:
        counts = Counter(v.label.value for v in verdicts)
        summary: dict[str, Any] = {
            "claims_found": len(claims),
            "claims_checked": len(verdicts),
            "not_checkworthy": sum(1 for c in claims if not c.checkworthy),
            **{label.value: counts.get(label.value, 0) for label in LABELS},
        }
        judgement, why_not = self._article_judgement(verdicts)
        if judgement is not None:
            summary["article"] = judgement
        if why_not is not None:
            notices = [*notices, why_not]
        return Report(tuple(verdicts), model=self.scorer.name, summary=summary,
                      timings={k: round(v, 3) for k, v in timings.items()},
                      notices=tuple(self.scorer.notices) + tuple(notices))


# A sentence that opens with one of these leans on the sentence before it for who or what
# it is about.
_LEANING_START = re.compile(r"^\W*(he|she|it|they|his|her|its|their|him|them)\b", re.I)


def _settled(candidates: list[_Sentence], found: list[Candidate],
             thresholds: dict[str, float]) -> bool:
    """Whether the claim's first sentence, scored, supports it, is aligned at least as well
    as every other candidate, and is not itself a stronger contradiction than support: then
    the rule's label is SUPPORTED whatever the others say (their conflicts are overruled by
    a support at least as well aligned)."""
    if not found:
        return False
    best = found[0]
    return (candidates[0].alignment >= max(c.alignment for c in candidates)
            and best.p_support >= thresholds["support"] and not best.consistency.contradicts
            and (best.p_contradiction < thresholds["refute"]
                 or best.p_contradiction <= best.p_support))


def _check_deadline(deadline: float | None, step: str) -> None:
    if deadline is not None and time.monotonic() > deadline:
        raise CheckTimeoutError(f"The check ran past its time budget while {step} and "
                                "was stopped.")


def _premise(evidence: Evidence, previous: str = "", claim: str = "") -> str:
    """The evidence sentence as the NLI premise (see :func:`nli_premise`)."""
    return nli_premise(evidence.text, previous, claim, evidence.title)


def nli_premise(sentence: str, previous: str = "", claim: str = "", title: str = "") -> str:
    """The NLI premise the engine scores a claim against, for an evidence sentence.

    Prefixed with its document's title unless the sentence already names it: "the river"
    in a report titled "State of the Alder River" is the Alder River (FEVER pipelines
    prefix page titles for the same reason). A sentence that opens with a pronoun ("She
    did not order damages") is preceded by the sentence before it, which names whom it
    means: scored alone, the model reads "she" against the claim's "Judge Amsel" as a
    contradiction. Not when the claim opens with a pronoun too: then both lean on the same
    context, and the longer premise only adds noise. Public so that training pairs can be
    built the way the engine scores (models/train.py)."""
    text = sentence
    if previous and _LEANING_START.match(text) and not _LEANING_START.match(claim):
        text = f"{previous} {text}"
    title = title.strip()
    if not title or " " not in title or title.lower() in text.lower():
        return text
    return f"{title}: {text}"


def report_to_json(report: Report) -> dict[str, Any]:
    """The command-line JSON contract (see ARCHITECTURE.md) for a Report."""
    claims = []
    for verdict in report.verdicts:
        claims.append({
            "text": verdict.claim.text,
            "start": verdict.claim.start,
            "end": verdict.claim.end,
            "spans": [list(span) for span in verdict.claim.covered],
            "context_needed": verdict.claim.context_needed,
            "sentence": verdict.claim.sentence,
            "attributed_to": verdict.claim.attributed_to,
            "verdict": verdict.label.value,
            "confidence": verdict.confidence,
            "probabilities": dict(verdict.probabilities),
            "evidence": [{"source": e.source, "title": e.title, "text": e.text,
                          "start": e.start, "end": e.end, "score": e.score,
                          "probabilities": dict(e.nli.probabilities) if e.nli else None}
                         for e in verdict.evidence],
            "explanation": verdict.explanation,
        })
    return {"claims": claims, "summary": dict(report.summary), "model": report.model,
            "timings": dict(report.timings), "notices": list(report.notices)}


def check(article: str, corpus: Corpus | str | Path | Sequence[str | Path], *,
          model: str | None = None, **options: Any) -> Report:
    """Check ``article`` against ``corpus`` (a Corpus, an index folder, or files)."""
    return Verifier(corpus, model=model, **options).check(article)
