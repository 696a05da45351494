"""The article-level decision: pooled claim features, a stored logistic regression, the
engine's judgement of a whole article."""

import json
import math
from pathlib import Path

import pytest

import verify
from verify.article_decision import (
    CLAIM_VALUES,
    FEATURES,
    ArticleDecision,
    article_decision_path,
    article_features,
    describe,
    load_article_decision,
)
from verify.corpus import Corpus
from verify.engine import Verifier, report_to_json
from verify.errors import InputError, VerifyError

EXAMPLES = Path(verify.__file__).resolve().parent / "examples"


def _claim(supported, refuted, coverage, label="SUPPORTED"):
    return (label, {"SUPPORTED": supported, "REFUTED": refuted,
                    "NOT ENOUGH INFO": 1 - supported - refuted},
            {"coverage": coverage, "names_covered": 1.0, "alignment_max": 0.5})


def _decision(weight_on_min_support=4.0, threshold=0.5):
    """Only the least supported claim counts: P = sigmoid(4 * (min - 0.5) / 0.25)."""
    n = len(FEATURES)
    coef = [weight_on_min_support if name == "min_p_supported" else 0.0 for name in FEATURES]
    mean = [0.5 if name == "min_p_supported" else 0.0 for name in FEATURES]
    return ArticleDecision(FEATURES, tuple(mean), (0.25,) * n, tuple(coef), 0.0, threshold,
                           {"fitted_on": "a test"})


def test_each_claim_value_is_pooled_as_min_mean_and_max():
    pooled = article_features([_claim(0.9, 0.05, 1.0), _claim(0.3, 0.6, 0.5)])
    assert set(pooled) == set(FEATURES) and len(FEATURES) == 3 * len(CLAIM_VALUES)
    assert pooled["min_p_supported"] == 0.3 and pooled["max_p_supported"] == 0.9
    assert pooled["mean_p_refuted"] == pytest.approx(0.325)
    assert pooled["mean_coverage"] == pytest.approx(0.75)
    assert pooled["min_numbers_covered"] == 0.0  # a feature a claim lacks counts as 0
    with pytest.raises(ValueError):
        article_features([])


def test_the_probability_is_the_stored_logistic_regression():
    decision = _decision()
    low = decision.probability(article_features([_claim(0.9, 0.05, 1.0), _claim(0.3, 0.6, 1.0)]))
    assert low == pytest.approx(1 / (1 + math.exp(-4 * (0.3 - 0.5) / 0.25)))
    judged = decision.judge([_claim(0.95, 0.03, 1.0), _claim(0.9, 0.05, 1.0)])
    assert judged["consistent"] is True and judged["probability"] > 0.5
    assert judged["least_supported"] == 1 and judged["refuted_claims"] == 0
    assert decision.judge([_claim(0.2, 0.7, 1.0)])["consistent"] is False
    assert decision.judge([]) is None  # nothing checked: no judgement


def test_an_article_with_a_refuted_claim_is_never_consistent():
    # The regression alone would call it consistent (a well-supported claim elsewhere
    # cannot outweigh a conflict the engine found).
    judged = _decision(-4.0).judge([_claim(0.9, 0.05, 1.0),
                                    _claim(0.1, 0.85, 1.0, label="REFUTED")])
    assert judged["probability"] > judged["threshold"]
    assert judged["consistent"] is False and judged["refuted_claims"] == 1
    # Far out of range: no overflow either way.
    assert _decision(1e4).probability(article_features([_claim(0.0, 1.0, 0.0)])) == 0.0


def test_a_decision_survives_its_json_file(tmp_path):
    decision = _decision(threshold=0.42)
    path = tmp_path / "d.json"
    path.write_text(json.dumps(decision.to_dict()), encoding="utf-8")
    loaded = ArticleDecision.load(path)
    assert loaded == decision and loaded.info["fitted_on"] == "a test"


@pytest.mark.parametrize("change, message", [
    ({"threshold": None}, "threshold"),
    ({"features": ["min_p_supported", "something_else"], "mean": [0, 0], "scale": [1, 1],
      "coef": [1, 1]}, "something_else"),
    ({"scale": [0.0] * len(FEATURES)}, "inconsistent"),
    ({"threshold": 1.5}, "inconsistent"),
])
def test_a_broken_decision_file_says_what_is_wrong(tmp_path, change, message):
    data = {**_decision().to_dict(), **change}
    data = {k: v for k, v in data.items() if v is not None}
    path = tmp_path / "d.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(VerifyError, match=message):
        ArticleDecision.load(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(VerifyError, match="cannot be read"):
        ArticleDecision.load(path)


def test_the_shipped_decision_loads_for_the_bundled_model_only():
    path = article_decision_path("verify-nli-minilm")
    assert path.name == "verify-nli-minilm.article.json"
    if path.is_file():
        decision = load_article_decision("verify-nli-minilm")
        assert decision.features == FEATURES and 0 < decision.threshold < 1
        assert "FRANK" in str(decision.info["fitted_on"])
    assert load_article_decision("no/such model") is None


def test_the_engine_judges_the_whole_article_when_asked(tiny_nli_dir):
    corpus = Corpus.from_path(EXAMPLES / "corpus")
    article = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
    report = Verifier(corpus, model=str(tiny_nli_dir), article_decision=_decision()).check(
        article)
    judged = report_to_json(report)["summary"]["article"]
    assert set(judged) == {"consistent", "probability", "threshold", "refuted_claims",
                           "least_supported", "fitted_on"}
    assert judged["refuted_claims"] == report.summary["REFUTED"]
    assert judged["consistent"] == (judged["probability"] >= judged["threshold"]
                                    and not judged["refuted_claims"])
    texts = [v.claim.text for v in report.verdicts]
    assert judged["least_supported"] in texts
    report = Verifier(corpus, model=str(tiny_nli_dir), article_decision="none").check(article)
    assert "article" not in report.summary
    # A random test model has no shipped decision: "auto" judges nothing.
    report = Verifier(corpus, model=str(tiny_nli_dir)).check(article)
    assert "article" not in report.summary
    with pytest.raises(InputError, match="article_decision"):
        Verifier(corpus, model=str(tiny_nli_dir), article_decision="always")


def test_the_judgement_reads_as_one_sentence():
    judged = {"consistent": False, "probability": 0.31, "threshold": 0.62,
              "refuted_claims": 0, "fitted_on": "FRANK dev"}
    sentence = describe(judged, "Pompeo met Kim.")
    assert sentence.startswith("As a whole, the article is not consistent")
    assert "0.31" in sentence and "0.62" in sentence and "FRANK dev" in sentence
    assert 'least supported claim: "Pompeo met Kim."' in sentence
    assert describe({**judged, "refuted_claims": 2}) == (
        "As a whole, the article is not consistent with the references: 2 of its claims "
        "are refuted.")


def test_no_judgement_from_verdicts_made_unlike_those_it_was_fitted_on(tiny_nli_dir):
    corpus = Corpus.from_path(EXAMPLES / "corpus")
    article = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
    verifier = Verifier(corpus, model=str(tiny_nli_dir), early_stop=False)
    fitted_on_defaults = ArticleDecision.from_dict({
        **_decision().to_dict(),
        "verdict_settings": Verifier(corpus, model=str(tiny_nli_dir)).verdict_settings()})
    verifier.article_decision = fitted_on_defaults
    report = verifier.check(article)
    assert "article" not in report.summary
    assert any("fitted on verdicts made with other settings" in n for n in report.notices)
    verifier = Verifier(corpus, model=str(tiny_nli_dir), article_decision=fitted_on_defaults)
    assert "article" in verifier.check(article).summary
