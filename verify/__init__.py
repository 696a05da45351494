"""verify: check the factual claims of an article against a reference corpus.

Public API::

    import verify
    verify.score("The talks were held on July 12.", "The talks took place on July 12.")
    verify.score_pairs([(claim, evidence), ...])
    verify.split_claims(article_text)
    corpus = verify.Corpus.from_path("reports/")
    report = verify.check(article_text, corpus)
"""

from pathlib import Path as _Path

# In a source checkout, models/ and ui/ sit beside this folder (the user's layout); an
# install maps them to verify.models and verify.ui (pyproject's package-dir). Do the same
# here, so code that imports the checkout rather than the install (python -m from the
# repository root, Ray workers started there) finds them.
_root = _Path(__file__).resolve().parent.parent
if not (_Path(__file__).resolve().parent / "models").is_dir() and \
        (_root / "models" / "registry.py").is_file():
    __path__.append(str(_root))

from ._version import __version__  # noqa: E402
from .api import get_scorer, score, score_pairs, split_claims  # noqa: E402
from .claims import ClaimSplitter  # noqa: E402
from .corpus import Corpus  # noqa: E402
from .engine import Verifier, check  # noqa: E402
from .errors import InputError, ModelUnavailableError, UnknownModelError, VerifyError  # noqa: E402
from .milvus import MilvusCorpus  # noqa: E402  (pymilvus is imported only when used)
from .nli import NLIScorer  # noqa: E402
from .types import LABELS, Claim, Evidence, Label, Passage, Report, Scores, Verdict, WindowScore  # noqa: E402

__all__ = [
    "MilvusCorpus",
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
