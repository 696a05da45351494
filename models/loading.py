"""Loading NLI models: safetensors only, no remote code, offline when asked.

The label mapping is built from the loaded config's ``id2label`` and the registry's
label names, so a model whose head is ordered (contradiction, entailment, neutral) and
one ordered (entailment, neutral, contradiction) both come out right.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from verify.errors import ModelUnavailableError
from verify.types import Label

from .registry import ModelSpec

logger = logging.getLogger(__name__)

_RELATION_TO_LABEL = {
    "entailment": Label.SUPPORTED,
    "contradiction": Label.REFUTED,
    "neutral": Label.NOT_ENOUGH_INFO,
}


@dataclass(frozen=True)
class LoadedModel:
    """A model ready to score: tokenizer, network, and which logit means which label."""

    spec: ModelSpec
    tokenizer: Any
    model: Any
    label_index: Mapping[Label, int]
    device: str
    max_length: int


def offline_mode() -> bool:
    """True when the environment asks the Hugging Face libraries not to use the network."""
    return any(
        os.environ.get(var, "").strip().lower() in {"1", "true", "yes", "on"}
        for var in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )


def resolve_device(device: str | None) -> str:
    """``None``/``"auto"`` picks CUDA when present, else CPU; anything else is kept."""
    import torch

    if device in (None, "", "auto"):
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ModelUnavailableError(
            f"Device {device!r} was requested but no CUDA GPU is available; use --device cpu."
        )
    return device


def label_index_from_config(id2label: Mapping[Any, str], spec: ModelSpec) -> dict[Label, int]:
    """Map verify's labels to logit indices using the config's own label names."""
    lowered = {int(i): str(name).strip().lower() for i, name in id2label.items()}
    mapping: dict[Label, int] = {}
    for relation, names in spec.label_names.items():
        hits = [i for i, name in lowered.items() if name in names]
        if len(hits) != 1:
            raise ModelUnavailableError(
                f"Model {spec.name!r} is not a 3-way NLI model verify can read: its "
                f"config.id2label {dict(sorted(lowered.items()))} has no single "
                f"{relation!r} label. Use an entailment/neutral/contradiction model."
            )
        mapping[_RELATION_TO_LABEL[relation]] = hits[0]
    return mapping


def is_available_locally(spec: ModelSpec) -> bool:
    """Whether the model can be loaded without the network (bundled, folder, or cached)."""
    if spec.bundled:
        return spec.path is not None and (spec.path / "config.json").is_file()
    if Path(spec.source).is_dir():
        return (Path(spec.source) / "config.json").is_file()
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:  # pragma: no cover - huggingface_hub comes with transformers
        return False
    cached = try_to_load_from_cache(spec.source, "config.json")
    return isinstance(cached, str)


HUB_TIMEOUT_S = 3.0


def hub_reachable(timeout: float = HUB_TIMEOUT_S) -> bool:
    """Whether a TCP connection to the Hugging Face Hub (``$HF_ENDPOINT``) opens within
    ``timeout`` seconds. Name resolution has no timeout of its own, so the attempt runs in
    a daemon thread that is abandoned when the time is up."""
    import socket
    import threading
    from urllib.parse import urlsplit

    endpoint = urlsplit(os.environ.get("HF_ENDPOINT") or "https://huggingface.co")
    host = endpoint.hostname or "huggingface.co"
    port = endpoint.port or (80 if endpoint.scheme == "http" else 443)
    result: list[bool] = []

    def attempt() -> None:
        try:
            with socket.create_connection((host, port), timeout=timeout):
                result.append(True)
        except OSError:
            result.append(False)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout)
    return bool(result and result[0])


def load_model(
    spec: ModelSpec, *, device: str | None = None, local_files_only: bool | None = None
) -> LoadedModel:
    """Load tokenizer and weights for ``spec``.

    Args:
        spec: the registry entry.
        device: ``"cpu"``, ``"cuda"``, ``"cuda:1"``...; ``None`` picks CUDA when present.
        local_files_only: never touch the network; ``None`` follows ``HF_HUB_OFFLINE``.

    Raises:
        ModelUnavailableError: with one sentence naming the model, why, and what to do.
    """
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    source = str(spec.path) if spec.bundled else spec.source
    if local_files_only is None:
        local_files_only = offline_mode()
    is_folder = Path(source).is_dir()
    if spec.bundled and not is_folder:
        raise ModelUnavailableError(
            f"The bundled model {spec.name!r} is missing from {source}: reinstall verify "
            "or rebuild it with `verify train-nli`."
        )
    if is_folder:
        if not (Path(source) / "config.json").is_file():
            raise ModelUnavailableError(
                f"Model folder {source} has no config.json: point --model at a folder "
                "saved with save_pretrained()."
            )
        if not any(Path(source).glob("*.safetensors")):
            raise ModelUnavailableError(
                f"Model folder {source} has no .safetensors weights; verify loads "
                "safetensors only (convert with save_pretrained(safe_serialization=True))."
            )
    if not is_folder and not local_files_only:
        if is_available_locally(spec):
            # Cached: load it from disk instead of asking the Hub for updates, which on a
            # machine without network means a minute of retries.
            local_files_only = True
        elif not hub_reachable():
            raise ModelUnavailableError(
                f"Model {spec.name!r} ({source}) cannot be loaded: it is not in the local "
                f"Hugging Face cache and the Hub did not answer within {HUB_TIMEOUT_S:.0f} s; "
                f"download it where the Hub is reachable, or use --model {_bundled_name()}.")
    resolved_device = resolve_device(device)
    try:
        tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_files_only)
        model = AutoModelForSequenceClassification.from_pretrained(
            source,
            local_files_only=local_files_only,
            use_safetensors=True,
            trust_remote_code=False,
        )
    except (OSError, ValueError) as exc:
        if is_folder:
            why = f"its files could not be read ({_first_line(exc)})"
            fix = "check the folder or pick another model with --model"
        elif local_files_only:
            why = "it is not in the local Hugging Face cache and offline mode is on"
            fix = f"download it where the Hub is reachable, or use --model {_bundled_name()}"
        else:
            why = f"it could not be fetched from the Hugging Face Hub ({_first_line(exc)})"
            fix = f"check the network or the id, or use --model {_bundled_name()}"
        raise ModelUnavailableError(f"Model {spec.name!r} ({source}) cannot be loaded: "
                                    f"{why}; {fix}.") from exc
    label_index = label_index_from_config(model.config.id2label, spec)
    if resolved_device == "cpu":
        # Shipped weights may be fp16 to save space; fp16 matmuls on a CPU are slow, so
        # compute in fp32 (the model card measures the agreement).
        model.float()
    model.to(resolved_device)
    model.eval()
    window = min(spec.max_length, getattr(tokenizer, "model_max_length", spec.max_length) or
                 spec.max_length)
    logger.info("loaded NLI model %s from %s on %s", spec.name, source, resolved_device)
    return LoadedModel(spec, tokenizer, model, label_index, resolved_device, window)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:200] if text else type(exc).__name__


def _bundled_name() -> str:
    from .registry import BUNDLED_MODEL

    return BUNDLED_MODEL
