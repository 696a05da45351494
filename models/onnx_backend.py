"""ONNX Runtime backend for NLI scoring: export once, cache by the weights' hash, run.

Two variants of the same network:

- ``fp32``: the PyTorch model exported as it is (same numbers to ~1e-5).
- ``int8``: dynamic int8 quantisation of the encoder's weight matrices (onnxruntime's
  ``quantize_dynamic``, per-channel weights), after *smoothing*: a plain int8 export
  disagreed with fp32 on 2-4% of dev labels (measured on 1,024 pairs), the usual sign of a
  few hidden channels of the activations far larger than the rest, which one int8 scale
  per tensor crushes (the smoothing that targets them took it to 1.6%). Each
  linear layer's input is divided per channel by ``s`` and its weight columns multiplied
  by ``s`` (SmoothQuant, Xiao et al. 2022), which leaves fp32 results unchanged and moves
  the outliers into the weights, which are quantised per channel. ``s`` comes from the
  largest activation of each channel on calibration pairs. For the bundled model they ship
  as ``activation_peaks.safetensors``, recorded by ``python -m verify.models.onnx_backend``
  on dev pairs that ``bench/nli_backends.py`` never scores; any other model is calibrated
  at export on verify's own pairs (its news probe pairs, and the example article against
  the example corpus), which measured 96.5% label agreement against 98.4% with the shipped
  peaks.

Exports live in ``$VERIFY_CACHE_DIR/onnx/<model>-<weights hash>-<variant>-r<recipe>/`` and
are written to a temporary folder first, then renamed, so an interrupted export is never
used. Needs the ``onnx`` extra: ``pip install "verify[onnx]"``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import torch

from verify.errors import ModelUnavailableError

logger = logging.getLogger(__name__)

ONNX_VARIANTS = ("fp32", "int8")
# Bumped whenever the export or quantisation recipe changes, so old caches are not reused.
RECIPE_REVISION = 1
# SmoothQuant's migration strength: 0 keeps outliers in the activations, 1 moves all of
# them into the weights. Measured on 1,024 dev pairs: 0.5 agreed with fp32 on 95.2% of
# labels, 0.75 on 97.7%, 0.9 on 98.7%, 1.0 on 98.4% (docs/RESULTS.md, #18).
SMOOTHING_ALPHA = 0.9
_OPSET = 17
# Per-channel activation peaks shipped in a model folder (safetensors, no pickle).
ACTIVATION_PEAKS_FILE = "activation_peaks.safetensors"


def require_onnxruntime() -> Any:
    """Import onnxruntime, or say how to install it."""
    try:
        import onnxruntime
    except ImportError:
        raise ModelUnavailableError(
            "The ONNX backend needs onnxruntime and onnx: pip install \"verify[onnx]\" "
            "(or use --backend torch).") from None
    return onnxruntime


def weights_digest(folder: str | Path) -> str:
    """SHA-256 (first 16 hex digits) of a model folder's weights and config."""
    digest = hashlib.sha256()
    folder = Path(folder)
    # *.safetensors includes the activation peaks: new peaks make a new int8 export.
    for path in sorted([*folder.glob("*.safetensors"), folder / "config.json"]):
        if path.is_file():
            digest.update(path.name.encode())
            with path.open("rb") as handle:
                for block in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(block)
    return digest.hexdigest()[:16]


def default_onnx_dir() -> Path:
    from verify.corpus import default_cache_dir

    # Beside the raw-files index cache ($VERIFY_CACHE_DIR/indexes).
    return default_cache_dir().parent / "onnx"


def calibration_pairs() -> list[tuple[str, str]]:
    """(claim, evidence) pairs of verify's own text for the int8 smoothing statistics:
    the news probe pairs, and every sentence of the bundled example article against every
    sentence of the example corpus."""
    from verify.ingest import read_documents
    from verify.text import split_sentences

    package = Path(__file__).resolve().parent
    pairs = []
    for line in (package / "probe_news.jsonl").read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            pairs.append((row["claim"], row["evidence"]))
    examples = package.parent / "examples"
    if not examples.is_dir():  # a source checkout: verify/examples beside models/
        examples = package.parent / "verify" / "examples"
    article = (examples / "article.txt").read_text(encoding="utf-8")
    claims = [s.text for s in split_sentences(article)]
    evidence = [s.text for doc in read_documents([examples / "corpus"]).documents
                for s in split_sentences(doc.text)]
    pairs += [(claim, sentence) for claim in claims for sentence in evidence]
    return pairs


class OnnxClassifier:
    """An exported sequence classifier: ``logits(encoded)`` for tokenizer output in numpy.

    Args:
        path: the ``model.onnx`` file.
        num_threads: intra-op threads; ``None`` lets onnxruntime use every core.
    """

    def __init__(self, path: str | Path, *, num_threads: int | None = None) -> None:
        ort = require_onnxruntime()
        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if num_threads:
            options.intra_op_num_threads = num_threads
        self.path = Path(path)
        self.session = ort.InferenceSession(str(path), options,
                                            providers=["CPUExecutionProvider"])
        self.input_names = [i.name for i in self.session.get_inputs()]

    def logits(self, encoded: Mapping[str, np.ndarray]) -> np.ndarray:
        feed = {name: np.asarray(encoded[name], dtype=np.int64) for name in self.input_names}
        return self.session.run(None, feed)[0]


def onnx_model_path(loaded: Any, variant: str, *, cache_dir: Path | None = None,
                    source_folder: str | Path | None = None) -> Path:
    """The cached ``model.onnx`` of ``loaded`` (a :class:`~verify.models.loading.LoadedModel`)
    in ``variant``, exported (and quantised) first when it is not cached yet.

    Raises:
        ModelUnavailableError: unknown variant, onnxruntime missing, or the export failed.
    """
    if variant not in ONNX_VARIANTS:
        raise ModelUnavailableError(f"Unknown ONNX variant {variant!r}; use one of "
                                    f"{', '.join(ONNX_VARIANTS)}.")
    require_onnxruntime()
    folder = Path(source_folder) if source_folder else _weights_folder(loaded)
    key = f"{_safe(loaded.spec.name)}-{weights_digest(folder)}-{variant}-r{RECIPE_REVISION}"
    target = (cache_dir or default_onnx_dir()) / key
    model_file = target / "model.onnx"
    if model_file.is_file():
        return model_file
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{key}-", dir=target.parent))
    try:
        logger.info("exporting %s to ONNX (%s); cached in %s", loaded.spec.name, variant,
                    target)
        _export(loaded, staging, variant, folder)
        (staging / "export_info.json").write_text(json.dumps({
            "model": loaded.spec.name, "variant": variant, "recipe": RECIPE_REVISION,
            "smoothing_alpha": SMOOTHING_ALPHA if variant == "int8" else None,
            "opset": _OPSET}, indent=1), encoding="utf-8")
        try:
            os.replace(staging, target)
        except OSError:  # another process exported it first
            if not model_file.is_file():
                raise
    except ModelUnavailableError:
        raise
    except Exception as exc:  # the exporter raises many kinds; one clear message for all
        raise ModelUnavailableError(
            f"Model {loaded.spec.name!r} could not be exported to ONNX ({type(exc).__name__}:"
            f" {str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ''}); "
            "use --backend torch.") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return model_file


def _weights_folder(loaded: Any) -> Path:
    spec = loaded.spec
    if spec.bundled and spec.path is not None:
        return spec.path
    if Path(spec.source).is_dir():
        return Path(spec.source)
    # A hub model: the snapshot folder its config was loaded from.
    from huggingface_hub import try_to_load_from_cache

    cached = try_to_load_from_cache(spec.source, "config.json")
    if isinstance(cached, str):
        return Path(cached).parent
    raise ModelUnavailableError(f"Model {spec.name!r} has no local folder to export.")


def _safe(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "._-" else "_" for ch in name)


def _export(loaded: Any, staging: Path, variant: str, folder: Path) -> None:
    import copy

    model = copy.deepcopy(loaded.model).to("cpu").float().eval()
    if variant == "int8":
        _smooth(model, _peaks_for(loaded, model, folder), SMOOTHING_ALPHA)
    sample = loaded.tokenizer(["The council approved the budget."], ["The budget passed."],
                              return_tensors="pt")
    names = list(sample.keys())
    fp32_file = staging / ("model.onnx" if variant == "fp32" else "smoothed.onnx")
    dynamic = {name: {0: "batch", 1: "sequence"} for name in names}
    dynamic["logits"] = {0: "batch"}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the tracer's warnings are about shapes we mark dynamic
        torch.onnx.export(_LogitsOnly(model, names), tuple(sample[n] for n in names),
                          str(fp32_file), input_names=names, output_names=["logits"],
                          dynamic_axes=dynamic, opset_version=_OPSET, dynamo=False)
    if variant == "int8":
        _quantise(fp32_file, staging / "model.onnx")
        fp32_file.unlink()


class _LogitsOnly(torch.nn.Module):
    """Positional inputs to keyword arguments, logits out (what the exporter traces)."""

    def __init__(self, model: Any, names: Sequence[str]) -> None:
        super().__init__()
        self.model = model
        self.names = list(names)

    def forward(self, *inputs: Any) -> Any:
        return self.model(**dict(zip(self.names, inputs))).logits


def _encoder_linears(model: Any) -> dict[str, torch.nn.Linear]:
    return {name: module for name, module in model.named_modules()
            if isinstance(module, torch.nn.Linear) and ".encoder." in f".{name}."}


def record_peaks(model: Any, tokenizer: Any, pairs: Sequence[tuple[str, str]],
                 max_length: int, batch_size: int = 32) -> dict[str, torch.Tensor]:
    """The largest absolute input of every encoder ``Linear``, per channel, over ``pairs``
    scored as (premise = evidence, hypothesis = claim)."""
    linears = _encoder_linears(model)
    peaks: dict[str, torch.Tensor] = {}

    def record(name: str) -> Any:
        def hook(_module: Any, inputs: tuple[Any, ...], _output: Any) -> None:
            peak = inputs[0].detach().abs().flatten(0, -2).amax(dim=0).float()
            peaks[name] = torch.maximum(peaks[name], peak) if name in peaks else peak
        return hook

    handles = [module.register_forward_hook(record(name)) for name, module in linears.items()]
    try:
        with torch.inference_mode():
            for i in range(0, len(pairs), batch_size):
                batch = pairs[i:i + batch_size]
                encoded = tokenizer([e for _, e in batch], [c for c, _ in batch], padding=True,
                                    truncation=True, max_length=max_length,
                                    return_tensors="pt")
                model(**encoded)
    finally:
        for handle in handles:
            handle.remove()
    return peaks


def _smooth(model: Any, peaks: Mapping[str, torch.Tensor], alpha: float) -> None:
    """SmoothQuant in place: every encoder ``Linear`` gets its input divided by ``s`` per
    channel and its weight columns multiplied by ``s``; outputs are unchanged in fp32."""
    for name, linear in _encoder_linears(model).items():
        if name not in peaks:
            raise ModelUnavailableError(f"The activation peaks lack layer {name!r}; "
                                        f"delete {ACTIVATION_PEAKS_FILE} to recalibrate.")
        weight_peak = linear.weight.detach().abs().amax(dim=0).clamp(min=1e-5)
        scale = (peaks[name].clamp(min=1e-5) ** alpha / weight_peak ** (1 - alpha)).clamp(
            min=1e-3)
        parent_name, _, child = name.rpartition(".")
        setattr(model.get_submodule(parent_name), child, _SmoothedLinear(linear, scale))


def _peaks_for(loaded: Any, model: Any, folder: Path) -> dict[str, torch.Tensor]:
    """The peaks shipped with the model (recorded on dev-set pairs by
    ``python -m verify.models.onnx_backend``), else recorded now on verify's own pairs."""
    shipped = folder / ACTIVATION_PEAKS_FILE
    if shipped.is_file():
        from safetensors.torch import load_file

        return load_file(str(shipped))
    logger.info("no %s in %s: calibrating on verify's own example pairs",
                ACTIVATION_PEAKS_FILE, folder)
    return record_peaks(model, loaded.tokenizer, calibration_pairs(), loaded.max_length)


class _SmoothedLinear(torch.nn.Module):
    """``linear(x / s)`` with ``s`` folded into the weight columns: the same function."""

    def __init__(self, linear: torch.nn.Linear, scale: torch.Tensor) -> None:
        super().__init__()
        self.register_buffer("inverse_scale", 1.0 / scale)
        with torch.no_grad():
            linear.weight.mul_(scale[None, :])
        self.linear = linear

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x * self.inverse_scale)


def _quantise(source: Path, target: Path) -> None:
    """Dynamic int8 for the encoder's weight matrices; embeddings, attention products,
    pooler and classifier stay fp32 (they are a small share of the work and the head is
    where a label is decided)."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(source), load_external_data=False).graph
    weights = {init.name for init in graph.initializer}
    nodes = [node.name for node in graph.node if node.op_type == "MatMul"
             and "encoder" in node.name and any(i in weights for i in node.input)]
    quantize_dynamic(str(source), str(target), weight_type=QuantType.QInt8, per_channel=True,
                     nodes_to_quantize=nodes)


__all__ = ["ONNX_VARIANTS", "OnnxClassifier", "calibration_pairs", "onnx_model_path",
           "weights_digest"]


def calibration_pairs_from_data(data_dir: Path, n: int = 1024, seed: int = 0
                                ) -> list[tuple[str, str]]:
    """Pairs for recording activation peaks from ../shared/data, none of which
    ``bench/nli_backends.py`` measures on (it samples Climate-FEVER, HealthVer, SNLI test and
    rte_fever): SNLI dev, VitaminC real, WiCE and FEVER-Symmetric, in equal shares, plus
    verify's own pairs."""
    import random

    from verify.datasets import read_fever_symmetric, read_snli, read_vitaminc, read_wice

    sources = [list(read_snli(data_dir / "snli", "dev")),
               list(read_vitaminc(data_dir / "vitaminc/real.jsonl")),
               list(read_wice(data_dir / "wice/dev.jsonl")),
               list(read_fever_symmetric(data_dir / "fever_symmetric/dev.jsonl"))]
    rng = random.Random(seed)
    share = n // len(sources)
    pairs = [(p.claim, p.evidence) for pool in sources
             for p in rng.sample(pool, min(share, len(pool)))]
    return pairs + calibration_pairs()


def main(argv: Sequence[str] | None = None) -> int:
    """Record the activation peaks of a model folder (its int8 export's calibration)."""
    import argparse

    from safetensors.torch import save_file

    from verify.datasets import default_data_dir

    from .loading import load_model
    from .registry import ModelRegistry

    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--model", default="verify-nli-minilm",
                        help="registry name or model folder; the peaks are written into it")
    parser.add_argument("--pairs", type=int, default=1024)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    data = default_data_dir()
    if data is None:
        raise SystemExit("../shared/data is absent: the calibration pairs come from it.")
    loaded = load_model(ModelRegistry().get(args.model), device="cpu")
    folder = _weights_folder(loaded)
    pairs = calibration_pairs_from_data(data, args.pairs)
    peaks = record_peaks(loaded.model, loaded.tokenizer, pairs, loaded.max_length)
    save_file({name: peak.contiguous() for name, peak in peaks.items()},
              str(folder / ACTIVATION_PEAKS_FILE),
              metadata={"pairs": str(len(pairs)), "source": "calibration_pairs_from_data"})
    logger.info("wrote %s (%d layers, %d pairs)", folder / ACTIVATION_PEAKS_FILE, len(peaks),
                len(pairs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
