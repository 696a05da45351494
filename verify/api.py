"""The convenience functions of the public API.

They share one :class:`~verify.nli.NLIScorer` per (model, device) and one claim splitter
for the life of the process, so a script that calls them in a loop loads each model once.
Long-running services should hold their own scorer instead.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from .claims import ClaimSplitter
from .nli import NLIScorer
from .types import Claim, Scores

_scorers: dict[tuple[str | None, str | None], NLIScorer] = {}
_splitter: ClaimSplitter | None = None
_lock = threading.Lock()


def get_scorer(model: str | None = None, device: str | None = None) -> NLIScorer:
    """The process-wide scorer for ``model`` on ``device`` (created on first use)."""
    key = (model, device)
    with _lock:
        scorer = _scorers.get(key)
        if scorer is None:
            scorer = _scorers[key] = NLIScorer(model, device=device)
    return scorer


def score(claim: str, evidence: str, model: str | None = None, *,
          device: str | None = None) -> Scores:
    """How well ``evidence`` supports or refutes ``claim``.

    >>> s = verify.score("The talks were held on July 12.", "Talks took place on July 12.")
    >>> s.label, s.probabilities["SUPPORTED"]
    """
    return get_scorer(model, device).score(claim, evidence)


def score_pairs(pairs: Sequence[tuple[str, str]], model: str | None = None, *,
                device: str | None = None, batch_size: int = 32,
                show_progress_bar: bool = False) -> list[Scores]:
    """Batch form of :func:`score`: each pair is ``(claim, evidence)``."""
    return get_scorer(model, device).score_pairs(
        pairs, batch_size=batch_size, show_progress_bar=show_progress_bar
    )


def split_claims(text: str) -> list[Claim]:
    """Claims of an article, check-worthy or not (``Claim.checkworthy`` tells)."""
    global _splitter
    with _lock:
        if _splitter is None:
            _splitter = ClaimSplitter()
    return _splitter.split(text)
