"""The invariant that needs no labels: an article checked against itself has no REFUTED claim
(and, as a whole, is judged consistent with itself).

Texts of several styles from this repository: the bundled example article and its
reference files (a local news report, a council record), and the articles and references
of bench/data/e2e (a space-probe report and press conference, a vaccine trial). The same
check over real news (FRANK dev, the seed article) is bench/self_check.py.
"""

from pathlib import Path

import pytest

from verify import Verifier
from verify.corpus import Corpus, Embedder
from verify.ingest import Document
from verify.types import Label

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "verify" / "examples"


def _texts() -> list[Path]:
    folders = [EXAMPLES] + sorted(p for p in (ROOT / "bench/data/e2e").iterdir() if p.is_dir())
    return [path for folder in folders
            for path in [folder / "article.txt", *sorted((folder / "corpus").glob("*"))]
            if path.suffix in {".txt", ".md"}]


@pytest.mark.slow
def test_every_text_checked_against_itself_has_no_refuted_claim(bundled_available):
    texts = _texts()
    assert len(texts) >= 6
    verifier = Verifier(None, model="verify-nli-minilm")
    embedder = Embedder()
    labels = []
    for path in texts:
        text = path.read_text(encoding="utf-8")
        corpus = Corpus.from_documents([Document(path.name, path.name, text)],
                                       embedder=embedder)
        report = verifier.check(text, corpus=corpus)
        refuted = [(v.claim.text, v.explanation) for v in report.verdicts
                   if v.label is Label.REFUTED]
        assert not refuted, (path.name, refuted)
        # The whole article too, where the model ships an article decision.
        article = report.summary.get("article")
        assert article is None or article["consistent"], (path.name, article)
        labels += [v.label for v in report.verdicts]
    assert len(labels) >= 50
    assert labels.count(Label.SUPPORTED) / len(labels) >= 0.95
