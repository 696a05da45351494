"""Batched NLI scoring of (claim, evidence) pairs.

The model reads premise = evidence, hypothesis = claim. Evidence longer than the model's
window is cut into overlapping windows of whole sentences; every window is scored and the
most decisive one (highest entailment or contradiction probability) decides the pair.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from .errors import CheckTimeoutError, InputError
from .text import DEFAULT_MAX_CHARS, check_text, split_sentences
from .types import LABELS, Scores, WindowScore

logger = logging.getLogger(__name__)

BACKENDS = ("torch", "onnx", "onnx-int8")
# Tokens the tokenizer adds around a pair: [CLS] premise [SEP] hypothesis [SEP].
_PAIR_SPECIAL_TOKENS = 3


@dataclass(frozen=True)
class _Window:
    pair_index: int
    start: int  # offsets into the evidence text
    end: int
    premise: str
    hypothesis: str
    n_tokens: int


class NLIScorer:
    """Scores (claim, evidence) pairs with a 3-way NLI model.

    ``__init__`` only stores configuration; the model loads on :meth:`warm_up` or the
    first call to :meth:`score_pairs`, once per instance.

    Args:
        model: a registry name (``verify models``), a hub id, or a local folder. ``None``
            takes the default hub model when it is already cached locally, else the
            bundled offline model, and records a notice saying so.
        device: ``"cpu"``, ``"cuda"``, ``"cuda:1"``; ``None`` picks CUDA when present.
        batch_size: pairs per forward pass.
        max_chars: longest claim or evidence accepted, in characters.
        window_overlap: sentences shared by consecutive windows of a long evidence text.
        num_threads: torch CPU threads; ``None`` keeps torch's default (physical cores).
        local_files_only: never use the network; ``None`` follows ``HF_HUB_OFFLINE``.
        backend: ``"torch"`` (PyTorch eager), ``"onnx"`` (the same model exported to ONNX
            Runtime, fp32) or ``"onnx-int8"`` (ONNX Runtime with int8 weights; about twice
            the pairs per second on a CPU, and a few labels differ: docs/BENCHMARKS.md).
            The ONNX exports are made on first use and cached (``verify.models.onnx_backend``);
            CPU only.
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        device: str | None = None,
        batch_size: int = 32,
        max_chars: int = DEFAULT_MAX_CHARS,
        window_overlap: int = 1,
        num_threads: int | None = None,
        local_files_only: bool | None = None,
        backend: str = "torch",
    ) -> None:
        if batch_size < 1:
            raise InputError(f"batch_size must be at least 1, not {batch_size}.")
        if backend not in BACKENDS:
            raise InputError(f"Unknown NLI backend {backend!r}; use one of "
                             f"{', '.join(BACKENDS)}.")
        if backend != "torch" and device not in (None, "cpu"):
            raise InputError(f"The {backend} backend runs on the CPU; use --backend torch "
                             f"for device {device!r}.")
        self.backend = backend
        self.model_name = model
        self.device = device
        self.batch_size = batch_size
        self.max_chars = max_chars
        self.window_overlap = max(0, window_overlap)
        self.num_threads = num_threads
        self.local_files_only = local_files_only
        self.notices: list[str] = []
        self._loaded = None
        self._onnx = None  # an OnnxClassifier when the backend is ONNX
        self._lock = threading.Lock()

    # -- loading -----------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load the model now. Safe to call more than once."""
        with self._lock:
            if self._loaded is not None:
                return
            from verify.models.loading import is_available_locally, load_model
            from verify.models.registry import BUNDLED_MODEL, DEFAULT_HUB_MODEL, ModelRegistry

            registry = ModelRegistry()
            if self.num_threads:
                import torch

                torch.set_num_threads(self.num_threads)
            if self.model_name is None:
                preferred = registry.get(DEFAULT_HUB_MODEL)
                if is_available_locally(preferred):
                    spec = preferred
                else:
                    spec = registry.get(BUNDLED_MODEL)
                    notice = (
                        f"Default model {DEFAULT_HUB_MODEL} ({preferred.source}) is not in the "
                        f"local Hugging Face cache; using the bundled offline model "
                        f"{BUNDLED_MODEL}. Pass --model {DEFAULT_HUB_MODEL} where the Hub is "
                        "reachable to download and use it."
                    )
                    self.notices.append(notice)
                    logger.warning(notice)
            else:
                spec = registry.get(self.model_name)
            loaded = load_model(
                spec, device="cpu" if self.backend != "torch" else self.device,
                local_files_only=self.local_files_only
            )
            if self.backend != "torch":
                from verify.models.onnx_backend import OnnxClassifier, onnx_model_path

                variant = "int8" if self.backend == "onnx-int8" else "fp32"
                self._onnx = OnnxClassifier(onnx_model_path(loaded, variant),
                                            num_threads=self.num_threads)
            self._loaded = loaded

    @property
    def name(self) -> str:
        """The registry name of the model that answers (loads it if needed)."""
        self.warm_up()
        return self._loaded.spec.name

    @property
    def spec(self):
        self.warm_up()
        return self._loaded.spec

    # -- scoring -----------------------------------------------------------------------
    def score(self, claim: str, evidence: str) -> Scores:
        """Score one pair; see :meth:`score_pairs`."""
        return self.score_pairs([(claim, evidence)])[0]

    def score_pairs(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        batch_size: int | None = None,
        show_progress_bar: bool = False,
        deadline: float | None = None,
    ) -> list[Scores]:
        """Score many ``(claim, evidence)`` pairs in length-sorted batches.

        Returns one :class:`Scores` per pair, in input order. Long evidence is windowed;
        each result lists its windows and which one decided.

        Args:
            deadline: a ``time.monotonic()`` value; scoring stops between batches once it
                has passed.

        Raises:
            InputError: a pair that is not two non-empty strings within ``max_chars``.
            CheckTimeoutError: the deadline passed before every pair was scored.
        """
        checked = self._check_pairs(pairs)
        if not checked:
            return []
        self.warm_up()
        windows = self._make_windows(checked)
        probabilities = self._predict(windows, batch_size or self.batch_size, show_progress_bar,
                                      deadline)
        return self._collect(checked, windows, probabilities)

    def predict_probabilities(
        self,
        pairs: Sequence[tuple[str, str]],
        *,
        batch_size: int | None = None,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Probabilities as an array of shape (n, 3) in ``LABELS`` order, without windowing.

        Evidence longer than the window is truncated: meant for training and evaluation
        loops over short pairs.
        """
        checked = self._check_pairs(pairs)
        self.warm_up()
        windows = [
            _Window(i, 0, len(evidence), evidence, claim, len(evidence) + len(claim))
            for i, (claim, evidence) in enumerate(checked)
        ]
        return self._predict(windows, batch_size or self.batch_size, show_progress_bar)

    def _check_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
        if isinstance(pairs, (str, bytes)) or not isinstance(pairs, Iterable):
            raise InputError("pairs must be a sequence of (claim, evidence) tuples.")
        checked = []
        for i, pair in enumerate(pairs):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise InputError(f"Pair {i} is not a (claim, evidence) pair: {pair!r:.80}")
            claim = check_text(pair[0], f"claim of pair {i}", self.max_chars)
            evidence = check_text(pair[1], f"evidence of pair {i}", self.max_chars)
            checked.append((claim.strip(), evidence))
        return checked

    def _make_windows(self, pairs: list[tuple[str, str]]) -> list[_Window]:
        tokenizer = self._loaded.tokenizer
        max_length = self._loaded.max_length
        claims = [claim for claim, _ in pairs]
        claim_lengths = [len(ids) for ids in
                         tokenizer(claims, add_special_tokens=False)["input_ids"]]
        evidence_lengths = [len(ids) for ids in
                            tokenizer([e for _, e in pairs], add_special_tokens=False)["input_ids"]]
        windows: list[_Window] = []
        for i, ((claim, evidence), claim_len, ev_len) in enumerate(
            zip(pairs, claim_lengths, evidence_lengths)
        ):
            budget = max(16, max_length - claim_len - _PAIR_SPECIAL_TOKENS)
            if ev_len <= budget:
                start = len(evidence) - len(evidence.lstrip())
                end = len(evidence.rstrip())
                windows.append(_Window(i, start, end, evidence[start:end], claim,
                                       ev_len + claim_len))
                continue
            windows.extend(self._split_long(i, claim, claim_len, evidence, budget))
        return windows

    def _split_long(self, index: int, claim: str, claim_len: int, evidence: str,
                    budget: int) -> list[_Window]:
        """Pack whole sentences into windows of at most ``budget`` tokens, overlapping."""
        tokenizer = self._loaded.tokenizer
        sentences = split_sentences(evidence)
        lengths = [len(ids) for ids in
                   tokenizer([s.text for s in sentences], add_special_tokens=False)["input_ids"]]
        windows: list[_Window] = []
        first = 0
        while first < len(sentences):
            last, used = first, lengths[first]
            while last + 1 < len(sentences) and used + lengths[last + 1] <= budget:
                last += 1
                used += lengths[last]
            start, end = sentences[first].start, sentences[last].end
            # A single sentence longer than the budget is truncated by the tokenizer.
            windows.append(_Window(index, start, end, evidence[start:end], claim,
                                   min(used, budget) + claim_len))
            if last + 1 >= len(sentences):
                break
            first = max(first + 1, last + 1 - self.window_overlap)
        return windows

    def _predict(self, windows: list[_Window], batch_size: int,
                 show_progress_bar: bool, deadline: float | None = None) -> np.ndarray:
        import torch
        from tqdm.auto import tqdm

        loaded = self._loaded
        columns = [loaded.label_index[label] for label in LABELS]
        # Length-sorted batches waste little compute on padding.
        order = sorted(range(len(windows)), key=lambda i: windows[i].n_tokens)
        result = np.zeros((len(windows), len(LABELS)), dtype=np.float32)
        batches = [order[i:i + batch_size] for i in range(0, len(order), batch_size)]
        with torch.inference_mode():
            for batch in tqdm(batches, desc="NLI", unit="batch", disable=not show_progress_bar):
                if deadline is not None and time.monotonic() > deadline:
                    raise CheckTimeoutError("The check ran past its time budget while scoring "
                                            "evidence and was stopped.")
                result[batch] = self._forward([windows[i].premise for i in batch],
                                              [windows[i].hypothesis for i in batch])[:, columns]
        return result

    def _forward(self, premises: list[str], hypotheses: list[str]) -> np.ndarray:
        """Label probabilities in the model's own column order for one batch."""
        import torch

        loaded = self._loaded
        if self._onnx is not None:
            encoded = loaded.tokenizer(premises, hypotheses, padding=True, truncation=True,
                                       max_length=loaded.max_length, return_tensors="np")
            logits = self._onnx.logits(encoded).astype(np.float64)
            exps = np.exp(logits - logits.max(axis=1, keepdims=True))
            return (exps / exps.sum(axis=1, keepdims=True)).astype(np.float32)
        encoded = loaded.tokenizer(premises, hypotheses, padding=True, truncation=True,
                                   max_length=loaded.max_length,
                                   return_tensors="pt").to(loaded.device)
        logits = loaded.model(**encoded).logits.float()
        return torch.softmax(logits, dim=-1).cpu().numpy()

    def _collect(self, pairs: list[tuple[str, str]], windows: list[_Window],
                 probabilities: np.ndarray) -> list[Scores]:
        per_pair: list[list[int]] = [[] for _ in pairs]
        for w_index, window in enumerate(windows):
            per_pair[window.pair_index].append(w_index)
        results = []
        name = self._loaded.spec.name
        for indices in per_pair:
            window_scores = tuple(
                WindowScore(windows[w].start, windows[w].end, _as_dict(probabilities[w]))
                for w in indices
            )
            # The most decisive window: the strongest entailment or contradiction.
            decisive = [max(probabilities[w][0], probabilities[w][1]) for w in indices]
            best = int(np.argmax(decisive))
            probs = window_scores[best].probabilities
            label = max(LABELS, key=lambda lab: probs[lab.value])
            results.append(Scores(label=label, probabilities=probs, model=name,
                                  windows=window_scores if len(indices) > 1 else (),
                                  deciding_window=best))
        return results


def _as_dict(row: np.ndarray) -> dict[str, float]:
    return {label.value: float(p) for label, p in zip(LABELS, row)}


__all__ = ["BACKENDS", "NLIScorer"]
