import json

import pytest

from verify.types import Claim, Evidence, Label, Report, Scores, Verdict, WindowScore


@pytest.mark.parametrize("alias,label", [
    ("SUPPORTS", Label.SUPPORTED), ("supported", Label.SUPPORTED), ("entailment", Label.SUPPORTED),
    ("REFUTES", Label.REFUTED), ("contradiction", Label.REFUTED),
    ("NOT_ENOUGH_INFO", Label.NOT_ENOUGH_INFO), ("NEI", Label.NOT_ENOUGH_INFO),
    ("Neutral", Label.NOT_ENOUGH_INFO), ("NOT ENOUGH INFO", Label.NOT_ENOUGH_INFO),
])
def test_label_aliases(alias, label):
    assert Label.parse(alias) is label


def test_unknown_label_is_rejected():
    with pytest.raises(ValueError, match="unknown label"):
        Label.parse("DISPUTED")


def test_records_are_frozen_and_json_round_trip():
    scores = Scores(Label.REFUTED, {"SUPPORTED": 0.1, "REFUTED": 0.8, "NOT ENOUGH INFO": 0.1},
                    "m", windows=(WindowScore(0, 5, {"SUPPORTED": 0.1, "REFUTED": 0.8,
                                                     "NOT ENOUGH INFO": 0.1}),))
    claim = Claim("Talks were held on July 12.", 10, 37)
    evidence = Evidence("Talks took place on July 14.", "a.txt", 0, 28, 0.9, nli=scores)
    report = Report((Verdict(claim, Label.REFUTED, 0.8, scores.probabilities, (evidence,),
                             "claim says July 12; source says July 14"),), model="m")
    data = json.loads(report.to_json())
    assert data["verdicts"][0]["label"] == "REFUTED"
    assert data["verdicts"][0]["claim"]["start"] == 10
    assert data["verdicts"][0]["evidence"][0]["nli"]["windows"][0]["end"] == 5
    assert Scores.from_dict(scores.to_dict()) == scores
    assert Claim.from_dict(claim.to_dict()) == claim
    with pytest.raises(AttributeError):
        claim.text = "changed"  # type: ignore[misc]
    assert scores.confidence == pytest.approx(0.8)
