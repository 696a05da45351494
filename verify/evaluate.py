"""Batch evaluation of labelled claim sets: metrics, calibration, report files; resumable.

    verify eval FILE [--dataset NAME] [--corpus PATH | --oracle-evidence] --out DIR

Each claim is checked by the same :class:`~verify.engine.Verifier` that ``verify check``
uses: against its given evidence (``--oracle-evidence``) or against a corpus. Predictions
are appended to ``predictions.jsonl`` as batches finish, so a killed run restarted with
the same ``--out`` carries on where it stopped and ends with the same metrics.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import logging
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from .errors import InputError, UnsafeOutputError
from .types import LABELS, Claim, Evidence, Label

logger = logging.getLogger(__name__)

LABEL_VALUES = [label.value for label in LABELS]
_SKIP_LABELS = {"disputed", "partially_supported"}


@dataclass(frozen=True)
class EvalItem:
    """One labelled claim: its gold label and, for oracle mode, its evidence texts."""

    item_id: str
    claim: str
    label: str  # a Label value
    evidence: tuple[str, ...] = ()
    # Article mode (FRANK): ``claim`` is a whole text (a summary) checked against
    # ``document`` as its only reference; it counts as SUPPORTED (consistent) only when
    # every claim found in it is SUPPORTED, and as REFUTED (inconsistent) otherwise.
    document: str = ""
    origin: str = ""  # sub-set the figures are also given for (FRANK: cnndm, xsum)


@dataclass
class ReadReport:
    """What a reader could not use: malformed rows (with line numbers) and unknown labels."""

    malformed: list[tuple[int, str]] = field(default_factory=list)
    unknown_labels: dict[str, int] = field(default_factory=dict)
    left_out_labels: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class EvalResult:
    metrics: dict[str, Any]
    predictions: list[dict[str, Any]]
    out_dir: Path | None = None


# -- reading -------------------------------------------------------------------------------
def _parse_label(raw: Any, report: ReadReport) -> str | None:
    text = str(raw).strip()
    if text.lower() in _SKIP_LABELS:
        report.left_out_labels[text] = report.left_out_labels.get(text, 0) + 1
        return None
    try:
        return Label.parse(text).value
    except ValueError:
        report.unknown_labels[text] = report.unknown_labels.get(text, 0) + 1
        return None


def _evidence_field(value: Any) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list):
        texts = []
        for item in value:
            if isinstance(item, str):
                texts.append(item)
            elif isinstance(item, dict):
                texts.append(str(item.get("evidence") or item.get("text") or ""))
        return tuple(t for t in texts if t.strip())
    return (str(value),)


def read_generic(path: Path, report: ReadReport, *, claim_column: str = "claim",
                 label_column: str = "label", evidence_column: str = "evidence",
                 id_column: str = "id") -> Iterator[EvalItem]:
    """JSONL or CSV with a claim and label column, optional evidence (text or list) and id.

    Streams the file; malformed rows are recorded with their line number and skipped.
    """
    suffix = path.suffix.lower()
    if suffix == ".csv":
        handle = open(path, encoding="utf-8-sig", newline="")
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        for needed in (claim_column, label_column):
            if needed not in columns:
                handle.close()
                raise InputError(f"{path} has no {needed!r} column (columns: "
                                 f"{', '.join(columns)}); name it with the column options.")
        rows: Iterable[tuple[int, Any]] = ((reader.line_num, row) for row in reader)
    elif suffix in {".jsonl", ".json"}:
        handle = open(path, encoding="utf-8-sig")
        rows = _json_lines(handle, report)
    else:
        raise InputError(f"{path}: claim sets must be .jsonl or .csv, not {suffix or 'no suffix'}.")
    with handle:
        for number, row in rows:
            if not isinstance(row, dict):
                report.malformed.append((number, "not an object"))
                continue
            claim = row.get(claim_column)
            if not isinstance(claim, str) or not claim.strip():
                report.malformed.append((number, f"no text in {claim_column!r}"))
                continue
            if label_column not in row:
                report.malformed.append((number, f"no {label_column!r}"))
                continue
            label = _parse_label(row[label_column], report)
            if label is None:
                continue
            yield EvalItem(str(row.get(id_column) or number), claim.strip(), label,
                           _evidence_field(row.get(evidence_column)))


def _json_lines(handle, report: ReadReport) -> Iterator[tuple[int, Any]]:
    for number, line in enumerate(handle, 1):
        if not line.strip():
            continue
        try:
            yield number, json.loads(line)
        except json.JSONDecodeError as exc:
            report.malformed.append((number, f"malformed JSON ({exc.msg})"))


def _read_dataset(name: str, path: Path, report: ReadReport) -> Iterator[EvalItem]:
    from . import datasets

    if name == "climate-fever":
        for row in datasets.read_climate_fever_claims(path):
            label = _parse_label(row["claim_label"], report)
            if label:
                yield EvalItem(str(row["claim_id"]), row["claim"], label,
                               tuple(e["evidence"] for e in row["evidences"]))
        return
    if name == "frank":
        for number, data in datasets.read_jsonl(path):
            try:
                consistent = int(data["label"]) == 1
                document, summary = str(data["document"]), str(data["claim"])
            except (KeyError, TypeError, ValueError) as exc:
                report.malformed.append((number, f"not a FRANK row ({exc})"))
                continue
            yield EvalItem(str(data.get("id", number)), summary,
                           (Label.SUPPORTED if consistent else Label.REFUTED).value,
                           document=document,
                           origin=str((data.get("meta") or {}).get("origin", "")))
        return
    if name == "wice":
        for number, data in datasets.read_jsonl(path):
            label = _parse_label(data["label"], report)
            if label:
                yield EvalItem(str(number), data["claim"], label,
                               (" ".join(data["evidence"]),))
        return
    pairs: dict[str, Callable[[], Iterable[datasets.LabelledPair]]] = {
        "healthver": lambda: datasets.read_healthver(path),
        "fever-symmetric": lambda: datasets.read_fever_symmetric(path),
        "snli": lambda: datasets.read_snli(path.parent if path.is_file() else path,
                                           _snli_split(path)),
        "anli": lambda: datasets.read_anli(path),
        "rte-fever": lambda: datasets.read_rte_fever(path.parent if path.is_file() else path),
    }
    if name not in pairs:
        raise InputError(f"Unknown dataset {name!r}: use one of climate-fever, "
                         f"{', '.join(pairs)}, wice, frank.")
    for i, pair in enumerate(pairs[name]()):
        if pair.label == datasets.NOT_SUPPORTED:
            report.left_out_labels["not_entailment"] = \
                report.left_out_labels.get("not_entailment", 0) + 1
            continue
        yield EvalItem(str(i), pair.claim, pair.label, (pair.evidence,))


def _snli_split(path: Path) -> str:
    return path.suffix.lstrip(".") if path.suffix in {".dev", ".test"} else "dev"


DATASETS = ("climate-fever", "healthver", "fever-symmetric", "wice", "snli", "anli",
            "rte-fever", "frank")


def read_items(path: str | Path, *, dataset: str | None = None,
               report: ReadReport | None = None, **columns: str) -> Iterator[EvalItem]:
    """Labelled claims from a built-in data set reader or a generic JSONL/CSV file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"The claim set {path} does not exist.")
    report = report if report is not None else ReadReport()
    if dataset:
        return _read_dataset(dataset, path, report)
    return read_generic(path, report, **columns)


# -- metrics -------------------------------------------------------------------------------
def expected_calibration_error(confidence: np.ndarray, correct: np.ndarray,
                               bins: int = 10) -> tuple[float, list[dict[str, float]]]:
    """ECE over equal-width confidence bins, and the bins for a reliability diagram."""
    edges = np.linspace(0.0, 1.0, bins + 1)
    ece, table = 0.0, []
    for lo, hi in zip(edges[:-1], edges[1:]):
        mask = (confidence > lo) & (confidence <= hi) if lo > 0 else (confidence <= hi)
        if not mask.any():
            continue
        accuracy, mean_conf = float(correct[mask].mean()), float(confidence[mask].mean())
        ece += mask.mean() * abs(accuracy - mean_conf)
        table.append({"low": float(lo), "high": float(hi), "n": int(mask.sum()),
                      "accuracy": round(accuracy, 4), "confidence": round(mean_conf, 4)})
    return round(float(ece), 4), table


def compute_metrics(gold: Sequence[str], predicted: Sequence[str], confidence: Sequence[float],
                    probabilities: Sequence[dict[str, float]] | None = None, *,
                    bootstrap: int = 1000, seed: int = 0) -> dict[str, Any]:
    """Accuracy, macro-F1, balanced accuracy, per-label P/R/F1, confusion, ECE, bootstrap CIs."""

    if not gold:
        raise InputError("No claims to evaluate: the file had no valid rows.")
    with warnings.catch_warnings():
        # A resample without some gold label is expected; sklearn warns about it each time.
        warnings.simplefilter("ignore", UserWarning)
        return _compute_metrics(gold, predicted, confidence, probabilities, bootstrap, seed)


def _compute_metrics(gold, predicted, confidence, probabilities, bootstrap, seed):
    from sklearn.metrics import (
        accuracy_score,
        balanced_accuracy_score,
        confusion_matrix,
        f1_score,
        precision_recall_fscore_support,
    )

    labels = [label for label in LABEL_VALUES if label in set(gold) | set(predicted)]
    gold_a, pred_a = np.asarray(gold), np.asarray(predicted)
    precision, recall, f1, support = precision_recall_fscore_support(
        gold_a, pred_a, labels=labels, zero_division=0)
    metrics: dict[str, Any] = {
        "n": len(gold),
        "accuracy": round(float(accuracy_score(gold_a, pred_a)), 4),
        "macro_f1": round(float(f1_score(gold_a, pred_a, labels=sorted(set(gold)),
                                         average="macro", zero_division=0)), 4),
        "balanced_accuracy": round(float(balanced_accuracy_score(gold_a, pred_a)), 4),
        "per_label": {label: {"precision": round(float(p), 4), "recall": round(float(r), 4),
                              "f1": round(float(f), 4), "support": int(s)}
                      for label, p, r, f, s in zip(labels, precision, recall, f1, support)},
        "confusion": {"labels": labels,
                      "matrix": confusion_matrix(gold_a, pred_a, labels=labels).tolist()},
        "gold_distribution": {label: int((gold_a == label).sum()) for label in labels},
    }
    correct = (gold_a == pred_a).astype(float)
    metrics["ece"], metrics["reliability"] = expected_calibration_error(
        np.asarray(confidence, dtype=float), correct)
    if bootstrap:
        rng = np.random.default_rng(seed)
        gold_labels = sorted(set(gold))
        samples = {"accuracy": [], "macro_f1": [], "balanced_accuracy": []}
        n = len(gold_a)
        for _ in range(bootstrap):
            idx = rng.integers(0, n, n)
            g, p = gold_a[idx], pred_a[idx]
            samples["accuracy"].append(accuracy_score(g, p))
            samples["macro_f1"].append(f1_score(g, p, labels=gold_labels, average="macro",
                                                zero_division=0))
            samples["balanced_accuracy"].append(balanced_accuracy_score(g, p))
        metrics["ci95"] = {k: [round(float(np.percentile(v, 2.5)), 4),
                               round(float(np.percentile(v, 97.5)), 4)]
                           for k, v in samples.items()}
    if probabilities and set(gold) <= {Label.SUPPORTED.value, Label.REFUTED.value}:
        metrics["threshold_sweep"] = _two_way_sweep(gold, probabilities)
    return metrics


def _two_way_sweep(gold: Sequence[str], probabilities: Sequence[dict[str, float]]
                   ) -> list[dict[str, float]]:
    """Two-way sets: SUPPORTED iff P(SUPPORTED) >= t, over t."""
    from sklearn.metrics import accuracy_score, f1_score

    p_sup = np.asarray([p[Label.SUPPORTED.value] for p in probabilities])
    rows = []
    for threshold in np.round(np.arange(0.1, 0.91, 0.1), 2):
        pred = np.where(p_sup >= threshold, Label.SUPPORTED.value, Label.REFUTED.value)
        rows.append({"threshold": float(threshold),
                     "accuracy": round(float(accuracy_score(gold, pred)), 4),
                     "macro_f1": round(float(f1_score(gold, pred, average="macro",
                                                      zero_division=0)), 4)})
    return rows


# -- running -------------------------------------------------------------------------------
def _settings_fingerprint(settings: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(settings, sort_keys=True).encode()).hexdigest()[:16]


def _prediction_record(item: EvalItem, verdict) -> dict[str, Any]:
    return {
        "id": item.item_id, "claim": item.claim, "gold": item.label,
        "prediction": verdict.label.value, "confidence": verdict.confidence,
        "probabilities": dict(verdict.probabilities),
        "evidence": [{"source": e.source, "text": e.text, "start": e.start, "end": e.end}
                     for e in verdict.evidence[:2]],
        "explanation": verdict.explanation,
        "features": dict(verdict.features),
    }


def _check_against_document(verifier, item: EvalItem, corpora: dict[str, Any]
                            ) -> dict[str, Any]:
    """Article mode: split ``item.claim`` into claims and check them against its document."""
    from .corpus import Corpus
    from .ingest import Document

    key = hashlib.sha256(item.document.encode("utf-8")).hexdigest()
    if key not in corpora:
        corpora[key] = Corpus.from_documents(
            [Document(key[:16], f"{item.item_id}/document", item.document)],
            embedder=verifier.embedder)
    report = verifier.check(item.claim, corpus=corpora[key])
    failing = [v for v in report.verdicts if v.label is not Label.SUPPORTED]
    if report.verdicts and not failing:
        label = Label.SUPPORTED
        confidence = min(v.confidence for v in report.verdicts)
        explanation = f"All {len(report.verdicts)} claims are supported."
        decisive = min(report.verdicts, key=lambda v: v.confidence)
    else:
        label = Label.REFUTED
        decisive = max(failing, key=lambda v: (v.label is Label.REFUTED, v.confidence)) \
            if failing else None
        confidence = decisive.confidence if decisive else 1.0
        explanation = (f"{len(failing)} of {len(report.verdicts)} claims not supported; "
                       f"\"{decisive.claim.text}\": {decisive.label.value}. "
                       f"{decisive.explanation}" if decisive else "No claim found to check.")
    probabilities = {Label.SUPPORTED.value: confidence if label is Label.SUPPORTED
                     else 1 - confidence, Label.REFUTED.value: confidence
                     if label is Label.REFUTED else 1 - confidence}
    return {
        "id": item.item_id, "claim": item.claim, "gold": item.label,
        "prediction": label.value, "confidence": round(float(confidence), 4),
        "probabilities": probabilities, "origin": item.origin,
        "evidence": [{"source": e.source, "text": e.text, "start": e.start, "end": e.end}
                     for e in (decisive.evidence[:2] if decisive else ())],
        "claims": [{"text": v.claim.text, "verdict": v.label.value,
                    "confidence": v.confidence, "probabilities": dict(v.probabilities),
                    "features": dict(v.features)}
                   for v in report.verdicts],
        "explanation": explanation,
        # The shipped article decision's judgement, when there is one (fitted on FRANK
        # dev: in sample there; bench/frank.py gives its cross-validated figures).
        "article": report.summary.get("article"),
    }


def predict_batch(verifier, items: Sequence[EvalItem], oracle: bool) -> list[dict[str, Any]]:
    """The scoring step shared by the local and the Ray engines."""
    if any(item.document for item in items):
        corpora: dict[str, Any] = {}
        return [_check_against_document(verifier, item, corpora) for item in items]
    claims = [Claim(text=item.claim, start=0, end=len(item.claim)) for item in items]
    if oracle:
        evidence = [[Evidence(text=text, source=f"{item.item_id}/evidence/{j}", start=0,
                              end=len(text), score=1.0)
                     for j, text in enumerate(item.evidence)] for item in items]
        verdicts = verifier.verify_with_evidence(claims, evidence)
    else:
        verdicts = verifier.verify_claims(claims)
    return [_prediction_record(item, verdict) for item, verdict in zip(items, verdicts)]


def evaluate(items: Iterable[EvalItem], *, verifier=None, model: str | None = None,
             corpus: Any = None, oracle_evidence: bool = False, out_dir: str | Path | None = None,
             batch_size: int = 64, resume: bool = True, settings: dict[str, Any] | None = None,
             runner: Callable[[Iterable[EvalItem]], list[dict[str, Any]]] | None = None,
             show_progress_bar: bool = False, bootstrap: int = 1000,
             read_report: ReadReport | None = None,
             dataset_has_documents: bool = False, backend: str = "torch") -> EvalResult:
    """Evaluate labelled claims; write predictions, metrics and a report into ``out_dir``.

    ``runner``: scores the pending items somewhere else and returns their records (the Ray
    engine, ``verify.evaluate_ray.evaluate_on_ray``, passes one); by default they are
    scored here, batch by batch, each batch appended to ``out_dir`` as it finishes.
    ``dataset_has_documents``: the items carry their own reference document (FRANK), so no
    corpus is needed."""
    from .engine import Verifier

    if not oracle_evidence and corpus is None and verifier is None and not dataset_has_documents:
        raise InputError("Give a corpus to retrieve from, or use oracle evidence.")
    settings = dict(settings or {})
    settings.update({"model": model, "oracle_evidence": oracle_evidence, "backend": backend})
    out = Path(out_dir) if out_dir else None
    done: dict[str, dict[str, Any]] = {}
    if out is not None:
        done = _prepare_out_dir(out, settings, resume)
    verifier = verifier or Verifier(None if oracle_evidence else corpus, model=model,
                                    backend=backend)
    pending = (item for item in items if item.item_id not in done)
    if runner is not None:
        records = runner(pending)
        _append(out, records)
        for record in records:
            done[record["id"]] = record
    else:
        from tqdm.auto import tqdm

        progress = tqdm(desc="claims", unit="claim", disable=not show_progress_bar,
                        initial=len(done))
        for batch in _batches(pending, batch_size):
            records = predict_batch(verifier, batch, oracle_evidence)
            _append(out, records)  # appended as they finish: a kill loses one batch at most
            for record in records:
                done[record["id"]] = record
            progress.update(len(batch))
        progress.close()
    predictions = sorted(done.values(), key=lambda r: _sort_key(r["id"]))
    metrics = compute_metrics([r["gold"] for r in predictions],
                              [r["prediction"] for r in predictions],
                              [r["confidence"] for r in predictions],
                              [r["probabilities"] for r in predictions], bootstrap=bootstrap)
    origins = sorted({r.get("origin", "") for r in predictions} - {""})
    if origins:
        metrics["by_origin"] = {
            origin: compute_metrics([r["gold"] for r in predictions if r["origin"] == origin],
                                    [r["prediction"] for r in predictions
                                     if r["origin"] == origin],
                                    [r["confidence"] for r in predictions
                                     if r["origin"] == origin], bootstrap=0)
            for origin in origins}
    metrics["model"] = model or verifier.scorer.name
    metrics["settings"] = settings
    if read_report is not None:
        metrics["malformed_rows"] = [{"line": n, "reason": r} for n, r in read_report.malformed]
        metrics["unknown_labels"] = read_report.unknown_labels
        metrics["left_out_labels"] = read_report.left_out_labels
    if out is not None:
        (out / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
        write_report(out / "report.html", metrics)
    return EvalResult(metrics, predictions, out)


def _sort_key(item_id: str) -> tuple[int, Any]:
    return (0, int(item_id)) if item_id.isdigit() else (1, item_id)


def _batches(items: Iterable[EvalItem], size: int) -> Iterator[list[EvalItem]]:
    batch: list[EvalItem] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _prepare_out_dir(out: Path, settings: dict[str, Any], resume: bool) -> dict[str, dict]:
    settings_file = out / "run.json"
    # Only a folder verify's own runs wrote (run.json) or an empty one is written into:
    # predictions, metrics and report files must never overwrite a user's files.
    if out.exists() and (not out.is_dir() or (not settings_file.is_file()
                                              and any(out.iterdir()))):
        raise UnsafeOutputError(
            f"{out} is not empty and holds no verify evaluation run; refusing to write into "
            "it (its files could be overwritten). Choose a new or empty --out folder.")
    out.mkdir(parents=True, exist_ok=True)
    fingerprint = _settings_fingerprint(settings)
    done: dict[str, dict] = {}
    if settings_file.exists():
        previous = json.loads(settings_file.read_text(encoding="utf-8"))
        if previous.get("fingerprint") != fingerprint:
            raise InputError(
                f"{out} holds a run with other settings ({previous.get('settings')}); "
                "use another --out folder, or the same settings to resume.")
        if not resume:
            raise InputError(f"{out} already holds a run; pass --resume to continue it.")
        predictions = out / "predictions.jsonl"
        if predictions.exists():
            with open(predictions, encoding="utf-8") as handle:
                for line in handle:
                    try:
                        record = json.loads(line)
                    except json.JSONDecodeError:
                        continue  # a line cut short by a kill: it is predicted again
                    done[record["id"]] = record
            # Rewrite without a torn last line so appends start on a fresh line.
            with open(predictions, "w", encoding="utf-8") as handle:
                for record in done.values():
                    handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        logger.info("resuming %s: %d predictions already done", out, len(done))
    else:
        settings_file.write_text(json.dumps({"fingerprint": fingerprint, "settings": settings},
                                            indent=2), encoding="utf-8")
    return done


def _append(out: Path | None, records: list[dict[str, Any]]) -> None:
    if out is None or not records:
        return
    with open(out / "predictions.jsonl", "a", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        handle.flush()
        os.fsync(handle.fileno())


# -- report --------------------------------------------------------------------------------
def _png(figure) -> str:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    return base64.b64encode(buffer.getvalue()).decode()


def write_report(path: Path, metrics: dict[str, Any]) -> None:
    """A self-contained HTML page: headline figures, per-label table, confusion matrix and
    reliability diagram as embedded PNG images."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = metrics["confusion"]["labels"]
    matrix = np.asarray(metrics["confusion"]["matrix"])
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    ax.imshow(matrix, cmap="Blues")
    ax.set_xticks(range(len(labels)), labels, rotation=30, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    ax.set_xlabel("predicted")
    ax.set_ylabel("gold")
    for (i, j), value in np.ndenumerate(matrix):
        ax.text(j, i, str(value), ha="center", va="center",
                color="white" if value > matrix.max() / 2 else "black")
    ax.set_title("Confusion matrix")
    confusion_png = _png(fig)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(4.2, 3.6))
    bins = metrics["reliability"]
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.bar([(b["low"] + b["high"]) / 2 for b in bins], [b["accuracy"] for b in bins],
           width=0.09, alpha=0.7, label="accuracy in bin")
    ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], "o-", color="C1",
            label="mean confidence")
    ax.set_xlabel("confidence")
    ax.set_ylabel("accuracy")
    ax.set_title(f"Reliability (ECE {metrics['ece']:.3f})")
    ax.legend(fontsize=7)
    reliability_png = _png(fig)
    plt.close(fig)
    ci = metrics.get("ci95", {})

    def figure(name: str) -> str:
        value = metrics[name]
        bounds = ci.get(name)
        return f"{value:.3f}" + (f" <small>(95% CI {bounds[0]:.3f}-{bounds[1]:.3f})</small>"
                                 if bounds else "")

    rows = "".join(
        f"<tr><td>{html.escape(label)}</td><td>{v['precision']:.3f}</td><td>{v['recall']:.3f}"
        f"</td><td>{v['f1']:.3f}</td><td>{v['support']}</td></tr>"
        for label, v in metrics["per_label"].items())
    page = f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>verify evaluation</title>
<style>body{{font-family:sans-serif;max-width:920px;margin:2em auto}}td,th{{padding:4px 10px;
border-bottom:1px solid #ddd;text-align:left}}img{{margin:8px}}</style></head><body>
<h1>verify evaluation</h1>
<p>Model: <b>{html.escape(str(metrics.get('model')))}</b> &middot; {metrics['n']} claims
&middot; settings: <code>{html.escape(json.dumps(metrics.get('settings', {})))}</code></p>
<table><tr><th>accuracy</th><td>{figure('accuracy')}</td></tr>
<tr><th>macro-F1</th><td>{figure('macro_f1')}</td></tr>
<tr><th>balanced accuracy</th><td>{figure('balanced_accuracy')}</td></tr>
<tr><th>expected calibration error</th><td>{metrics['ece']:.3f}</td></tr></table>
<h2>Per label</h2><table><tr><th>label</th><th>precision</th><th>recall</th><th>F1</th>
<th>support</th></tr>{rows}</table>
<h2>Plots</h2><img alt="confusion matrix" src="data:image/png;base64,{confusion_png}">
<img alt="reliability diagram" src="data:image/png;base64,{reliability_png}">
</body></html>"""
    path.write_text(page, encoding="utf-8")


def print_summary(metrics: dict[str, Any], stream=None) -> None:
    stream = stream or sys.stdout
    ci = metrics.get("ci95", {})
    stream.write(f"claims: {metrics['n']}   model: {metrics.get('model')}\n")
    for name in ("accuracy", "macro_f1", "balanced_accuracy"):
        bounds = ci.get(name)
        extra = f"  (95% CI {bounds[0]:.3f}-{bounds[1]:.3f})" if bounds else ""
        stream.write(f"{name:<18} {metrics[name]:.3f}{extra}\n")
    stream.write(f"{'ece':<18} {metrics['ece']:.3f}\n\n")
    stream.write(f"{'label':<16} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>6}\n")
    for label, v in metrics["per_label"].items():
        stream.write(f"{label:<16} {v['precision']:>9.3f} {v['recall']:>7.3f} {v['f1']:>6.3f} "
                     f"{v['support']:>6}\n")
