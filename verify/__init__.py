"""verify: check the factual claims of an article against a reference corpus.

Public API::

    import verify
    verify.score("The talks were held on July 12.", "The talks took place on July 12.")
    verify.score_pairs([(claim, evidence), ...])
"""

from ._version import __version__
from .api import get_scorer, score, score_pairs
from .errors import InputError, ModelUnavailableError, UnknownModelError, VerifyError
from .nli import NLIScorer
from .types import LABELS, Claim, Evidence, Label, Passage, Report, Scores, Verdict, WindowScore

__all__ = [
    "__version__",
    "LABELS",
    "Claim",
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
    "VerifyError",
    "WindowScore",
    "get_scorer",
    "score",
    "score_pairs",
]
