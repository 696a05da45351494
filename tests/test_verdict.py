"""The decision from scored evidence to a verdict (verify.verdict), without any model."""

import json

import pytest

from verify.consistency import ConsistencyResult, Mismatch
from verify.errors import VerifyError
from verify.types import Claim, Evidence, Label, Scores
from verify.verdict import FEATURES, LABEL_ORDER, Candidate, DecisionModel, decide

CLAIM = Claim("The bridge cost $84 million.", 0, 27)


def candidate(text, support, refute, alignment=1.0, mismatches=()):
    neutral = 1.0 - support - refute
    probabilities = {Label.SUPPORTED.value: support, Label.REFUTED.value: refute,
                     Label.NOT_ENOUGH_INFO.value: neutral}
    scores = Scores(Label(max(probabilities, key=probabilities.get)), probabilities, "test")
    evidence = Evidence(text=text, source="report.txt", start=0, end=len(text), score=1.0,
                        nli=scores)
    return Candidate(evidence, ConsistencyResult(alignment, alignment >= 0.5,
                                                 tuple(mismatches)))


MISMATCH = Mismatch("number", "$84 million", "$48 million",
                    "claim says $84 million; source says $48 million")


def test_an_unaligned_contradiction_is_not_enough_to_refute():
    # The NLI model says "contradiction" for a sentence about something else.
    verdict = decide(CLAIM, [candidate("The river is 112 km long.", 0.02, 0.95, 0.2)])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert verdict.features["conflict"] == 0.0


def test_a_sentence_restating_the_claim_does_not_refute_it():
    # The model's contradiction of a sentence that says the claim's own words is its error.
    text = "Stewart, who played in 133 Tests for England, has not yet been approached."
    restated = Candidate(candidate(text, 0.3, 0.6).evidence,
                         ConsistencyResult(1.0, True, restated=True))
    claim = Claim("Stewart played in 133 Tests for England.", 0, 41)
    assert decide(claim, [restated]).label is Label.NOT_ENOUGH_INFO
    assert decide(claim, [candidate(text, 0.3, 0.6)]).label is Label.REFUTED


def test_a_better_aligned_supporting_sentence_overrules_a_conflict():
    stated = candidate("The bridge cost $84 million.", 0.9, 0.05, 1.0)
    other = candidate("The old bridge cost $48 million.", 0.1, 0.6, 0.8, [MISMATCH])
    verdict = decide(CLAIM, [other, stated])
    assert verdict.label is Label.SUPPORTED
    assert "seems to contradict it" in verdict.explanation and "$48 million" in \
        verdict.explanation
    assert verdict.features["mismatch_overruled"] == 1.0


def test_an_aligned_mismatch_refutes_and_names_the_words():
    verdict = decide(CLAIM, [candidate("The bridge cost $48 million.", 0.7, 0.1, 1.0,
                                       [MISMATCH])])
    assert verdict.label is Label.REFUTED
    assert "claim says $84 million; source says $48 million" in verdict.explanation
    assert verdict.features["mismatch_numeric"] == 1.0
    assert set(verdict.features) == set(FEATURES)


def _model(refute_bias: float) -> DecisionModel:
    n = len(FEATURES)
    return DecisionModel(FEATURES, tuple(label.value for label in LABEL_ORDER), (0.0,) * n,
                         (1.0,) * n, ((0.0,) * n,) * 3, (0.0, refute_bias, 0.0))


def test_fitted_decision_refutes_only_with_positive_evidence_of_conflict():
    model = _model(refute_bias=5.0)  # a model that would answer REFUTED to anything
    quiet = decide(CLAIM, [candidate("The river is 112 km long.", 0.1, 0.2, 0.2)],
                   decision=model)
    assert quiet.label is Label.NOT_ENOUGH_INFO
    assert quiet.probabilities[Label.REFUTED.value] == 0.0
    assert sum(quiet.probabilities.values()) == pytest.approx(1.0, abs=1e-3)
    conflict = decide(CLAIM, [candidate("The bridge cost $48 million.", 0.1, 0.1, 1.0,
                                        [MISMATCH])], decision=model)
    assert conflict.label is Label.REFUTED and conflict.confidence > 0.9
    assert "$48 million" in conflict.explanation


def test_decision_model_round_trips_as_json_and_refuses_bad_files(tmp_path):
    model = _model(refute_bias=0.5)
    path = tmp_path / "decision.json"
    path.write_text(json.dumps(model.to_dict()), encoding="utf-8")
    again = DecisionModel.load(path)
    assert again.predict({"support_max": 1.0}) == model.predict({"support_max": 1.0})
    broken = dict(model.to_dict(), coef=[[0.0]])
    path.write_text(json.dumps(broken), encoding="utf-8")
    with pytest.raises(VerifyError, match="inconsistent"):
        DecisionModel.load(path)
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(VerifyError, match="cannot be read"):
        DecisionModel.load(path)


def test_a_one_way_contradiction_is_not_a_conflict():
    from dataclasses import replace

    one_way = replace(candidate("The bridge cost 84 million dollars.", 0.05, 0.9),
                      reverse_refute=0.1)
    assert one_way.p_contradiction == pytest.approx(0.1)
    verdict = decide(CLAIM, [one_way])
    assert verdict.label is Label.NOT_ENOUGH_INFO
    assert verdict.features["conflict"] == 0.0
    both_ways = replace(one_way, reverse_refute=0.7)
    assert decide(CLAIM, [both_ways]).label is Label.REFUTED
    # Not scored the other way: the forward probability alone, as before.
    assert candidate("x y z", 0.05, 0.9).p_contradiction == pytest.approx(0.9)


def test_a_one_way_contradiction_is_not_noted_against_a_supported_claim():
    from dataclasses import replace

    stated = candidate("The bridge cost $84 million.", 0.9, 0.05, 1.0)
    reworded = replace(candidate("The bridge's cost was $84 million.", 0.1, 0.8, 0.9),
                       reverse_refute=0.05)
    verdict = decide(CLAIM, [reworded, stated])
    assert verdict.label is Label.SUPPORTED
    assert "seems to contradict" not in verdict.explanation
    noted = decide(CLAIM, [replace(reworded, reverse_refute=0.7), stated])
    assert "seems to contradict" in noted.explanation
