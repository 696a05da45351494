"""The ONNX Runtime backend: same numbers as PyTorch (fp32), close ones (int8), cached once."""

from __future__ import annotations

import copy
import json
import os

import numpy as np
import pytest

pytest.importorskip("onnxruntime", reason="the onnx extra is not installed")

from verify.models import onnx_backend  # noqa: E402
from verify.models.loading import load_model  # noqa: E402
from verify.models.registry import ModelRegistry  # noqa: E402

from verify.errors import InputError, ModelUnavailableError  # noqa: E402
from verify.nli import NLIScorer  # noqa: E402

PAIRS = [
    ("The talks were held on July 12.", "The two sides met for talks on July 12 in Pyongyang."),
    ("Prices rose.", "Consumer prices fell by two percent in May, the statistics office said."),
    ("A man is sleeping.", "A man plays a guitar on stage."),
    ("The bridge cost $48 million.", "The Riverside Bridge was built for $48 million."),
    ("Short.", "Also short."),
]


@pytest.fixture()
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("VERIFY_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "onnx"


def _probabilities(scorer: NLIScorer) -> np.ndarray:
    return np.array([[s.probabilities[k] for k in sorted(s.probabilities)]
                     for s in scorer.score_pairs(PAIRS)])


def test_onnx_fp32_gives_the_torch_numbers(tiny_nli_dir, cache):
    torch_probs = _probabilities(NLIScorer(str(tiny_nli_dir)))
    onnx_probs = _probabilities(NLIScorer(str(tiny_nli_dir), backend="onnx"))
    np.testing.assert_allclose(onnx_probs, torch_probs, atol=1e-4)
    # Exported once into the cache, under the weights' hash, then reused.
    exported = list(cache.glob("*-fp32-r*/model.onnx"))
    assert len(exported) == 1
    stamp = exported[0].stat().st_mtime_ns
    NLIScorer(str(tiny_nli_dir), backend="onnx").warm_up()
    assert exported[0].stat().st_mtime_ns == stamp
    assert not [p for p in cache.iterdir() if p.name.startswith(".")]  # no staging left


def test_changed_weights_get_a_new_export(tiny_nli_dir, tmp_path, cache):
    import shutil

    copy_dir = tmp_path / "copy"
    shutil.copytree(tiny_nli_dir, copy_dir)
    NLIScorer(str(copy_dir), backend="onnx").warm_up()
    config = copy_dir / "config.json"
    data = json.loads(config.read_text())
    data["verify_note"] = "changed"
    config.write_text(json.dumps(data))
    NLIScorer(str(copy_dir), backend="onnx").warm_up()
    assert len(list(cache.glob("*-fp32-r*"))) == 2


def test_smoothing_leaves_fp32_outputs_unchanged(tiny_nli_dir):
    import torch

    loaded = load_model(ModelRegistry().get(str(tiny_nli_dir)), device="cpu")
    smoothed = copy.deepcopy(loaded.model)
    peaks = onnx_backend.record_peaks(smoothed, loaded.tokenizer, PAIRS, 64)
    onnx_backend._smooth(smoothed, peaks, 0.9)
    assert any(isinstance(m, onnx_backend._SmoothedLinear) for m in smoothed.modules())
    encoded = loaded.tokenizer([e for _, e in PAIRS], [c for c, _ in PAIRS], padding=True,
                               return_tensors="pt")
    with torch.inference_mode():
        np.testing.assert_allclose(smoothed(**encoded).logits.numpy(),
                                   loaded.model(**encoded).logits.numpy(), atol=1e-4)


def test_int8_export_runs_and_stays_close(tiny_nli_dir, cache):
    torch_probs = _probabilities(NLIScorer(str(tiny_nli_dir)))
    int8_probs = _probabilities(NLIScorer(str(tiny_nli_dir), backend="onnx-int8"))
    assert np.abs(int8_probs - torch_probs).max() < 0.05
    assert list(cache.glob("*-int8-r*/model.onnx"))
    info = next(cache.glob("*-int8-r*/export_info.json")).read_text()
    assert '"smoothing_alpha": 0.9' in info


def test_bundled_model_int8_agrees_on_clear_pairs(bundled_available, cache):
    clear = [("The bridge cost $48 million.", "The Riverside Bridge was built for $48 million."),
             ("The bridge cost $48 million.", "The Riverside Bridge was built for $7 million.")]
    torch_scores = NLIScorer("verify-nli-minilm").score_pairs(clear)
    int8_scores = NLIScorer("verify-nli-minilm", backend="onnx-int8").score_pairs(clear)
    assert [s.label for s in int8_scores] == [s.label for s in torch_scores]


def test_bad_backend_choices_are_refused():
    with pytest.raises(InputError, match="Unknown NLI backend"):
        NLIScorer(backend="tensorrt")
    with pytest.raises(InputError, match="runs on the CPU"):
        NLIScorer(backend="onnx", device="cuda")


def test_missing_onnxruntime_says_how_to_install(tiny_nli_dir, monkeypatch, cache):
    import builtins

    real_import = builtins.__import__

    def no_onnxruntime(name, *args, **kwargs):
        if name == "onnxruntime":
            raise ImportError("No module named 'onnxruntime'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_onnxruntime)
    with pytest.raises(ModelUnavailableError, match=r"verify\[onnx\]"):
        NLIScorer(str(tiny_nli_dir), backend="onnx").warm_up()


def test_failed_export_is_one_clear_error_and_leaves_no_cache(tiny_nli_dir, monkeypatch,
                                                               cache):
    def broken(*_args, **_kwargs):
        raise RuntimeError("exporter exploded")

    monkeypatch.setattr(onnx_backend, "_export", broken)
    with pytest.raises(ModelUnavailableError, match="could not be exported to ONNX.*"
                                                    "--backend torch"):
        NLIScorer(str(tiny_nli_dir), backend="onnx").warm_up()
    assert not cache.exists() or not os.listdir(cache)


def test_cli_scores_with_the_onnx_backend(tiny_nli_dir, cache, capsys):
    from verify.cli import main

    args = ["score", "--claim", PAIRS[0][0], "--evidence", PAIRS[0][1], "--model",
            str(tiny_nli_dir), "--format", "json"]
    assert main(args) == 0
    torch_out = json.loads(capsys.readouterr().out)
    assert main(args + ["--backend", "onnx"]) == 0
    onnx_out = json.loads(capsys.readouterr().out)
    assert onnx_out["label"] == torch_out["label"]
    for label, p in torch_out["probabilities"].items():
        assert onnx_out["probabilities"][label] == pytest.approx(p, abs=1e-4)
