"""verify: check the factual claims of an article against a reference corpus.

Public API::

    import verify
    verify.score("The talks were held on July 12.", "The talks took place on July 12.")
    verify.score_pairs([(claim, evidence), ...])
    verify.split_claims(article_text)
    corpus = verify.Corpus.from_path("reports/")
    report = verify.check(article_text, corpus)
"""

from ._version import __version__
from .api import get_scorer, score, score_pairs
from .claims import ClaimSplitter, split_claims
from .corpus import Corpus
from .engine import Verifier, check
from .errors import InputError, ModelUnavailableError, UnknownModelError, VerifyError
from .nli import NLIScorer
from .types import LABELS, Claim, Evidence, Label, Passage, Report, Scores, Verdict, WindowScore

__all__ = [
    "__version__",
    "LABELS",
    "Claim",
    "ClaimSplitter",
    "Corpus",
    "Evidence",
    "InputError",
    "Label",
    "ModelUnavailableError",
    "NLIScorer",
    "Passage",
    "Report",
    "Scores",
    "UnknownModelError",
    "Verdict",
    "Verifier",
    "VerifyError",
    "WindowScore",
    "check",
    "get_scorer",
    "score",
    "score_pairs",
    "split_claims",
]
