"""Embedding passages on Ray for ``verify index --engine ray``.

Reading and cutting files into passages stays in the calling process (it is cheap and
keeps offsets exact); the embedding, which is nearly all of the work, runs as a Ray Data
``map_batches`` over actors that each hold one embedder (a GPU each where the cluster has
them). The result is the same matrix the local path computes, row for row, so the index
(embedded or Milvus) is the same whichever engine built it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .errors import VerifyError


class _EmbedActor:
    """One per Ray worker: a warmed-up embedder."""

    def __init__(self, model_path: str | None, use_gpu: bool) -> None:
        from .corpus import Embedder

        self.embedder = Embedder(model_path, device="cuda" if use_gpu else "cpu")
        self.embedder.warm_up()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        vectors = self.embedder.encode([str(text) for text in batch["text"]])
        return {"row": np.asarray(batch["row"]), "vector": vectors}


class RayEncoder:
    """``encode(texts) -> float32 matrix`` computed on a Ray cluster.

    Args:
        address: a running cluster (``ray://host:10001`` or ``auto``); ``None`` starts a
            local one for the duration of each call.
        model_path: the sentence-transformers folder; ``None`` for verify's MiniLM.
        batch_size: passages per ``map_batches`` batch.
        concurrency: embedding actors; ``None``: one per GPU, else one per two CPUs.
    """

    # Milvus loads hand this many passages to one call, so a Ray job embeds many at once.
    batch_passages = 50_000

    def __init__(self, address: str | None = None, *, model_path: str | None = None,
                 batch_size: int = 256, concurrency: int | None = None) -> None:
        self.address = address
        self.model_path = model_path
        self.batch_size = batch_size
        self.concurrency = concurrency

    def __call__(self, texts: Sequence[str], show_progress_bar: bool = False) -> np.ndarray:
        try:
            import ray
        except ImportError:
            raise VerifyError("--engine ray needs Ray: pip install \"verify[ray]\".") from None
        if not texts:  # nothing to embed: no cluster, just the right shape
            from .corpus import Embedder

            return np.zeros((0, Embedder(self.model_path).dimension), dtype=np.float32)
        started_here = not ray.is_initialized()
        if started_here:
            ray.init(address=self.address, ignore_reinit_error=True, log_to_driver=False,
                     include_dashboard=False)
        try:
            resources = ray.cluster_resources()
            gpus = int(resources.get("GPU", 0))
            workers = self.concurrency or (gpus or max(1, int(resources.get("CPU", 1) // 2)))
            dataset = ray.data.from_items([{"row": i, "text": text}
                                           for i, text in enumerate(texts)])
            embedded = dataset.map_batches(
                _EmbedActor, fn_constructor_kwargs={"model_path": self.model_path,
                                                    "use_gpu": bool(gpus)},
                batch_size=self.batch_size, concurrency=workers, num_gpus=1 if gpus else 0,
                batch_format="numpy")
            matrix: np.ndarray | None = None
            for batch in embedded.iter_batches(batch_size=4096, batch_format="numpy"):
                vectors = np.asarray(batch["vector"], dtype=np.float32)
                if matrix is None:
                    matrix = np.zeros((len(texts), vectors.shape[1]), dtype=np.float32)
                matrix[np.asarray(batch["row"])] = vectors
            return matrix
        finally:
            if started_here:
                ray.shutdown()


__all__ = ["RayEncoder"]
