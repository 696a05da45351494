"""bench/frank.py's fitted decision: each fold is scored with a threshold tuned on the
other folds only."""

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("sklearn")
_SPEC = importlib.util.spec_from_file_location(
    "frank_bench", Path(__file__).resolve().parents[1] / "bench" / "frank.py")
frank = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(frank)


def test_a_separable_score_is_decided_perfectly_with_one_threshold_per_fold():
    scores = np.asarray([0.9, 0.8, 0.85, 0.2, 0.1, 0.3] * 5)
    gold = scores > 0.5
    groups = [f"article {i // 3}" for i in range(len(scores))]
    predicted, thresholds = frank.grouped_threshold_predictions(scores, gold, groups)
    assert (predicted == gold).all()
    assert len(thresholds) == 5 and all(0.3 < t <= 0.8 for t in thresholds)


def test_a_fold_never_sees_its_own_labels():
    # Article a follows the score, article b goes against it. Tuned on b, the threshold
    # is the lowest score (everything consistent); tuned on a, it is 0.9, which gets b
    # exactly wrong. A threshold tuned on each fold's own labels would get all four.
    scores = np.asarray([0.9, 0.1, 0.9, 0.1])
    gold = np.asarray([True, False, False, True])
    groups = ["a", "a", "b", "b"]
    predicted, thresholds = frank.grouped_threshold_predictions(scores, gold, groups, folds=2)
    assert predicted.tolist() == [True, True, True, False]
    assert sorted(thresholds) == [0.1, 0.9]
