"""The Ray engine of batch evaluation: the same scoring step on Ray Data workers.

``map_batches`` runs :func:`verify.evaluate.predict_batch` inside a callable class, so each
worker builds one :class:`~verify.engine.Verifier` (model and index loaded once) and reuses
it for every batch it gets; GPUs are requested when the cluster has them. This module
depends on :mod:`verify.evaluate`, never the other way: :func:`evaluate_on_ray` hands
:func:`verify.evaluate.evaluate` a runner.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterable
from functools import partial
from typing import Any

from .errors import VerifyError
from .evaluate import EvalItem, EvalResult, evaluate, predict_batch


class _Scorer:
    """One per Ray worker: holds a warmed-up Verifier."""

    def __init__(self, model: str | None, corpus: Any, oracle: bool,
                 backend: str = "torch") -> None:
        from .engine import Verifier

        self.oracle = oracle
        self.verifier = Verifier(None if oracle else corpus, model=model, backend=backend)
        self.verifier.scorer.warm_up()

    def __call__(self, batch: dict[str, Any]) -> dict[str, Any]:
        items = []
        for row in batch["item"]:
            fields = json.loads(row)
            fields["evidence"] = tuple(fields["evidence"])
            items.append(EvalItem(**fields))
        records = predict_batch(self.verifier, items, self.oracle)
        return {"record": [json.dumps(r, ensure_ascii=False) for r in records]}


def run_on_ray(items: Iterable, *, model: str | None, corpus: Any, oracle: bool,
               batch_size: int, address: str | None = None,
               concurrency: int | None = None, backend: str = "torch") -> list[dict[str, Any]]:
    try:
        import ray
    except ImportError as exc:
        raise VerifyError("The Ray engine needs Ray: pip install 'verify[ray]'.") from exc
    # The whole item travels (a FRANK summary's document with it), as JSON.
    rows = [{"item": json.dumps(dataclasses.asdict(item), ensure_ascii=False)}
            for item in items]
    if not rows:
        return []
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, ignore_reinit_error=True, log_to_driver=False,
                 include_dashboard=False)
    try:
        gpus = ray.cluster_resources().get("GPU", 0)
        workers = concurrency or max(1, int(ray.cluster_resources().get("CPU", 1) // 2))
        dataset = ray.data.from_items(rows)
        results = dataset.map_batches(
            _Scorer, fn_constructor_kwargs={"model": model, "corpus": corpus, "oracle": oracle,
                                            "backend": backend},
            batch_size=batch_size, concurrency=workers, num_gpus=1 if gpus else 0)
        return [json.loads(row["record"]) for row in results.iter_rows()]
    finally:
        if started_here:
            ray.shutdown()


def evaluate_on_ray(items: Iterable[EvalItem], *, model: str | None = None,
                    corpus: Any = None, oracle_evidence: bool = False,
                    batch_size: int = 64, address: str | None = None,
                    backend: str = "torch", **options: Any) -> EvalResult:
    """:func:`verify.evaluate.evaluate` with the scoring on Ray Data (``address``: a running
    cluster; default: start one here). Same outputs, metrics and resumable ``out_dir``."""
    runner = partial(run_on_ray, model=model, corpus=corpus, oracle=oracle_evidence,
                     batch_size=batch_size, address=address, backend=backend)
    return evaluate(items, model=model, corpus=corpus, oracle_evidence=oracle_evidence,
                    batch_size=batch_size, runner=runner, backend=backend, **options)
