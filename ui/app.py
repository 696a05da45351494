"""The Gradio page: paste an article, see every claim's verdict and its evidence.

A thin layer over :class:`verify.engine.Verifier`: the page only gathers input, calls
``Verifier.check`` and renders the :class:`~verify.types.Report`. The same check is the
named API endpoint ``check`` for ``gradio_client``.
"""

# No `from __future__ import annotations`: Gradio reads the `gr.SelectData` annotation of
# event handlers at run time to know what to pass them.
import csv
import html
import io
import json
import logging
import re
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from verify.article_decision import describe
from verify.engine import Verifier, report_to_json
from verify.errors import CheckTimeoutError, InputError, VerifyError
from verify.io import read_text_file
from verify.types import Label

logger = logging.getLogger(__name__)

EXAMPLE_CORPUS = "Bundled example"
UPLOADED_CORPUS = "Files uploaded here"
AUTO_MODEL = "default"
COLORS = {Label.SUPPORTED.value: "#b7e4c7", Label.REFUTED.value: "#f4a3a3",
          Label.NOT_ENOUGH_INFO.value: "#d9d9d9"}
ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
# Caps on reference files uploaded in the browser, checked after reading them and before
# any embedding: indexing is the expensive part (issue #16 reports ~98 s of CPU per check
# for a 0.9 MB reference of random text without them).
MAX_REFERENCE_CHARS = 300_000
MAX_REFERENCE_PASSAGES = 2_000
CORPUS_SUFFIXES = ARTICLE_SUFFIXES | {".pdf", ".jsonl", ".csv"}


def _examples_dir() -> Path:
    import verify

    return Path(verify.__file__).resolve().parent / "examples"


class CheckService:
    """What the page needs from the engine: named corpora and one Verifier per model."""

    def __init__(self, corpora: Mapping[str, str | Path] | None = None,
                 default_model: str | None = None, max_article_chars: int = 50_000,
                 models: Sequence[str] | None = None,
                 max_reference_chars: int = MAX_REFERENCE_CHARS,
                 max_reference_passages: int = MAX_REFERENCE_PASSAGES,
                 time_budget_s: float | None = 120.0, backend: str = "torch") -> None:
        self.time_budget_s = time_budget_s
        self.backend = backend  # the NLI runtime of every model's Verifier
        self.max_reference_chars = max_reference_chars
        self.max_reference_passages = max_reference_passages
        self.corpora: dict[str, str | Path] = {EXAMPLE_CORPUS: _examples_dir() / "corpus"}
        self.corpora.update(corpora or {})
        self.default_model = default_model or (models[0] if models else None)
        # The only models a visitor may ask for: the operator's list, or (None) the default
        # and every registry model available offline, worked out once.
        self._allowed_models: list[str] | None = list(models) if models else None
        self.max_article_chars = max_article_chars
        self._verifiers: dict[str | None, Verifier] = {}
        self._indexes: dict[str, Any] = {}
        self._lock = threading.Lock()
        # Loaded once for the whole page: every model's Verifier shares the claim splitter,
        # and every corpus (named or uploaded) shares the query/passage embedder.
        from verify.claims import ClaimSplitter
        from verify.corpus import Embedder

        self._splitter = ClaimSplitter()
        self._embedder = Embedder()

    def models(self) -> list[str]:
        """The page's model choices, the only ones it accepts: those the operator listed,
        or else the operator's default first, then every registry model that loads
        without the network."""
        if self._allowed_models is None:
            from verify.models.loading import is_available_locally
            from verify.models.registry import ModelRegistry

            names = [spec.name for spec in ModelRegistry() if is_available_locally(spec)]
            if self.default_model and self.default_model not in names:
                names.insert(0, self.default_model)
            self._allowed_models = names
        return list(self._allowed_models)

    def _allowed_model(self, model: str | None) -> str | None:
        """``model`` if the page offers it (None: the default); anything else is refused
        before it can reach the filesystem, the Hub or a worker."""
        if model in (None, "", AUTO_MODEL):
            return None
        offered = self.models()
        if not isinstance(model, str) or model not in offered:
            shown = model if isinstance(model, str) and len(model) <= 80 else "that model"
            raise InputError(f"The model {shown!r} is not offered on this page; choose one of: "
                             f"{', '.join(offered) or AUTO_MODEL}.")
        return model

    def verifier(self, model: str | None) -> Verifier:
        key = model or self.default_model
        with self._lock:
            if key not in self._verifiers:
                self._verifiers[key] = Verifier(None, model=key, splitter=self._splitter,
                                                backend=self.backend)
            return self._verifiers[key]

    def corpus(self, name: str, uploads: list[str] | None = None):
        from verify.corpus import open_corpus

        if name == UPLOADED_CORPUS:
            if not uploads:
                raise InputError("Upload at least one reference file, or pick another corpus.")
            for path in uploads:
                if Path(path).suffix.lower() not in CORPUS_SUFFIXES:
                    raise InputError(f"{Path(path).name}: unsupported file type; use "
                                     f"{', '.join(sorted(CORPUS_SUFFIXES))}.")
            return self._uploaded_corpus(uploads)
        if not isinstance(name, str) or name not in self.corpora:
            raise InputError(f"Unknown corpus; choose one of: "
                             f"{', '.join([*self.corpora, UPLOADED_CORPUS])}.")
        with self._lock:
            if name not in self._indexes:
                self._indexes[name] = open_corpus(self.corpora[name], embedder=self._embedder)
            return self._indexes[name]

    def _uploaded_corpus(self, uploads: list[str]):
        """An index of the uploaded files, refused before embedding when over the caps."""
        from verify.corpus import Corpus, make_passages
        from verify.ingest import read_documents

        read = read_documents(uploads)
        chars = sum(len(d.text) for d in read.documents)
        if chars > self.max_reference_chars:
            raise InputError(f"The uploaded reference files hold {chars:,} characters of "
                             f"text; this page indexes at most {self.max_reference_chars:,}.")
        passages = sum(len(make_passages(d)) for d in read.documents)
        if passages > self.max_reference_passages:
            raise InputError(f"The uploaded reference files make {passages:,} passages; this "
                             f"page indexes at most {self.max_reference_passages:,}.")
        if not read.documents:
            reasons = "; ".join(f"{Path(s).name}: {r}" for s, r in read.skipped[:3])
            raise InputError(f"No readable text in the uploaded reference files ({reasons}).")
        return Corpus.from_documents(read.documents, embedder=self._embedder,
                                     skipped=read.skipped)

    def check(self, article: str, corpus_name: str, model: str | None,
              uploads: list[str] | None = None):
        if not isinstance(article, str) or not article.strip():
            raise InputError("Paste an article or upload one first: the article is empty.")
        if len(article) > self.max_article_chars:
            raise InputError(f"The article has {len(article):,} characters; this page accepts "
                             f"at most {self.max_article_chars:,}.")
        model = self._allowed_model(model)
        corpus = self.corpus(corpus_name, uploads)
        try:
            return self.verifier(model).check(article, corpus=corpus,
                                              time_budget=self.time_budget_s)
        except CheckTimeoutError as exc:
            raise CheckTimeoutError(f"{exc} This page allows {self.time_budget_s:.0f} s a "
                                    "check: try a shorter article or fewer reference "
                                    "files.") from None


def read_article_upload(path: str | None) -> str:
    if not path:
        return ""
    if Path(path).suffix.lower() not in ARTICLE_SUFFIXES:
        raise InputError(f"{Path(path).name}: articles must be .txt, .md or .html files.")
    text = read_text_file(path, "uploaded article", max_bytes=5 * 2**20)
    if Path(path).suffix.lower() in {".html", ".htm"}:
        from verify.ingest import html_to_text

        text, _ = html_to_text(text)
    return text


# -- rendering -----------------------------------------------------------------------------
def highlighted(article: str, report) -> dict[str, Any]:
    """The article with each claim's own words marked by its verdict (a claim cut out of a
    longer sentence marks the words it was made from, not the whole sentence)."""
    entities = []
    last_end = -1
    pieces = sorted((span, verdict) for verdict in report.verdicts
                    for span in verdict.claim.covered)
    for (start, end), verdict in pieces:
        if start < last_end:  # overlapping claims: the later one is shown from where it is free
            start = last_end
        if start >= end:
            continue
        entities.append({"entity": verdict.label.value, "start": start, "end": end})
        last_end = end
    return {"text": article, "entities": entities}


def claims_table(report) -> list[list[Any]]:
    rows = []
    for number, verdict in enumerate(report.verdicts, 1):
        source = (verdict.evidence[0].title or verdict.evidence[0].source) \
            if verdict.evidence else ""
        # Verdict and confidence before the (long) claim text, so they stay in view.
        text = verdict.claim.text
        if verdict.claim.context_needed:  # an unresolved "they", "this": read it in place
            text += " (needs its context)"
        rows.append([number, verdict.label.value, round(verdict.confidence, 3), text, source])
    return rows


TABLE_HEADERS = ["#", "verdict", "confidence", "claim", "source"]
TABLE_WIDTHS = ["6%", "19%", "14%", "41%", "20%"]
# What an evidence sentence does for the claim, by its own NLI probabilities.
EVIDENCE_ROLES = {Label.SUPPORTED.value: ("supports", COLORS[Label.SUPPORTED.value]),
                  Label.REFUTED.value: ("contradicts", COLORS[Label.REFUTED.value]),
                  Label.NOT_ENOUGH_INFO.value: ("neither supports nor contradicts",
                                                COLORS[Label.NOT_ENOUGH_INFO.value])}


def evidence_role(evidence: dict[str, Any]) -> tuple[str, str]:
    """("supports" | "contradicts" | "neither ...", colour) for one evidence passage."""
    probabilities = evidence.get("probabilities") or {}
    if not probabilities:
        return EVIDENCE_ROLES[Label.NOT_ENOUGH_INFO.value]
    return EVIDENCE_ROLES[max(probabilities, key=probabilities.get)]


def evidence_html(report_json: dict[str, Any] | None, index: int) -> str:
    if not report_json or not (0 <= index < len(report_json["claims"])):
        return "<p>Select a claim in the table to see its evidence.</p>"
    claim = report_json["claims"][index]
    color = COLORS.get(claim["verdict"], "#eee")
    parts = [f"<div class='verify-evidence'><h3>Claim {index + 1}: "
             f"<span style='background:{color};padding:2px 6px'>{claim['verdict']}</span> "
             f"({claim['confidence']:.2f})</h3>",
             f"<p><b>{html.escape(claim['text'])}</b></p>",
             f"<p>{html.escape(claim['explanation'])}</p>"]
    for rank, evidence in enumerate(claim["evidence"], 1):
        role, role_color = evidence_role(evidence)
        parts.append(
            f"<div class='verify-passage' data-role='{role.split()[0]}' "
            f"style='border-left:4px solid {role_color};padding:4px 10px;margin:8px 0'>"
            f"<small>{rank}. {html.escape(evidence.get('title') or evidence['source'])} "
            f"[{evidence['start']}:{evidence['end']}] &middot; <b>{role}</b></small><br>"
            f"<mark style='background:{role_color}'>{html.escape(evidence['text'])}</mark>"
            "</div>")
    parts.append("</div>")
    return "".join(parts)


def _markdown_text(text: str) -> str:
    """Article text shown as itself inside Markdown: no tags, no emphasis, no links."""
    return re.sub(r"([\\`*_\[\]()#|~!])", r"\\\1", html.escape(text, quote=False))


def summary_line(report) -> str:
    s = report.summary
    text = (f"**{s['claims_checked']} claims checked:** {s['SUPPORTED']} supported, "
            f"{s['REFUTED']} refuted, {s['NOT ENOUGH INFO']} not enough info "
            f"({s['not_checkworthy']} statements not check-worthy). Model: `{report.model}`.")
    if "article" in s:
        text += f"\n\n{describe(s['article'], _markdown_text(s['article']['least_supported']))}"
    for notice in report.notices:
        text += f"\n\n> {notice}"
    return text


def report_files(report_json: dict[str, Any]) -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="verify-report-"))
    json_path = folder / "verify-report.json"
    json_path.write_text(json.dumps(report_json, indent=2, ensure_ascii=False), encoding="utf-8")
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["claim", "start", "end", "verdict", "confidence", "source", "evidence",
                     "explanation"])
    for claim in report_json["claims"]:
        first = claim["evidence"][0] if claim["evidence"] else {}
        writer.writerow([claim["text"], claim["start"], claim["end"], claim["verdict"],
                         claim["confidence"], first.get("source", ""), first.get("text", ""),
                         claim["explanation"]])
    csv_path = folder / "verify-report.csv"
    csv_path.write_text(buffer.getvalue(), encoding="utf-8")
    return [str(json_path), str(csv_path)]


# -- the page ------------------------------------------------------------------------------
def build_app(service: CheckService | None = None):
    import gradio as gr

    service = service or CheckService()
    example_article = (_examples_dir() / "article.txt").read_text(encoding="utf-8")
    models = service.models() or [AUTO_MODEL]
    default_model = service.default_model if service.default_model in models else models[0]

    def run_check(article, article_file, corpus_name, corpus_files, model,
                  progress=gr.Progress()):
        # After an error nothing of the previous article may stay on the page.
        cleared = ({"text": "", "entities": []}, [], None, None, "<p></p>", None)
        try:
            progress(0.1, desc="reading")
            if article_file:
                article = read_article_upload(article_file)
            uploads = [f if isinstance(f, str) else f.name for f in (corpus_files or [])]
            progress(0.3, desc="checking claims")
            report = service.check(article, corpus_name, model, uploads)
        except VerifyError as exc:
            return (f"**Could not check:** {html.escape(str(exc))}",) + cleared
        data = report_to_json(report)
        return (summary_line(report), highlighted(article, report), claims_table(report), data,
                report_files(data), evidence_html(data, 0), data)

    def select_claim(data, event: gr.SelectData):
        row = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        return evidence_html(data, int(row))

    def check_api(article: str, corpus: str = EXAMPLE_CORPUS, model: str = "") -> dict:
        """Check an article against a named corpus; returns the JSON report."""
        try:
            return report_to_json(service.check(article, corpus, model or None))
        except VerifyError as exc:
            raise gr.Error(str(exc)) from exc

    with gr.Blocks(title="verify: fact-check an article", analytics_enabled=False) as app:
        gr.Markdown("# verify\nPaste an article, choose a reference corpus, and check every "
                    "claim. Green: supported, red: refuted, grey: not enough information.")
        with gr.Row():
            with gr.Column(scale=3):
                article = gr.Textbox(label="Article", lines=12, value=example_article,
                                     elem_id="article")
                article_file = gr.File(label="…or upload an article (.txt, .md, .html)",
                                       type="filepath", file_types=sorted(ARTICLE_SUFFIXES))
            with gr.Column(scale=2):
                corpus_name = gr.Dropdown(list(service.corpora) + [UPLOADED_CORPUS],
                                          value=EXAMPLE_CORPUS, label="Reference corpus")
                corpus_files = gr.File(label="Reference files (for 'Files uploaded here')",
                                       file_count="multiple", type="filepath")
                model = gr.Dropdown(models, value=default_model, label="NLI model")
                button = gr.Button("Check claims", variant="primary", elem_id="check-button")
        status = gr.Markdown(elem_id="summary")
        marked = gr.HighlightedText(label="Article with claims marked", color_map=COLORS,
                                    show_legend=True, combine_adjacent=False,
                                    elem_id="highlighted")
        # min_width: below about 900 px the table and the evidence stack instead of
        # squeezing the table's columns.
        with gr.Row():
            with gr.Column(scale=3, min_width=520):
                table = gr.Dataframe(headers=TABLE_HEADERS, column_widths=TABLE_WIDTHS,
                                     wrap=True,
                                     label="Claims (select one to see its evidence)",
                                     interactive=False, elem_id="claims-table")
            with gr.Column(scale=2, min_width=360):
                evidence = gr.HTML("<p>Select a claim in the table to see its evidence.</p>",
                                   elem_id="evidence-panel")
        report_json = gr.JSON(label="Report (JSON)", visible=False)
        downloads = gr.File(label="Download the report (JSON, CSV)", file_count="multiple")
        state = gr.State()
        button.click(run_check, [article, article_file, corpus_name, corpus_files, model],
                     [status, marked, table, report_json, downloads, evidence, state],
                     api_visibility="private")
        table.select(select_claim, [state], [evidence], api_visibility="private")
        gr.api(check_api, api_name="check")
    return app


def launch(*, host: str = "127.0.0.1", port: int = 7860,
           corpora: Mapping[str, str | Path] | None = None, model: str | None = None,
           models: Sequence[str] | None = None,
           auth: tuple[str, str] | None = None, max_article_chars: int = 50_000,
           max_upload_mb: int = 2, concurrency: int = 1, queue_size: int = 32,
           checks_per_minute: int = 20, logins_per_minute: int = 10,
           time_budget_s: float | None = 120.0, prevent_thread_lock: bool = False,
           backend: str = "torch"):
    """Serve the page. The queue runs ``concurrency`` checks at once and holds up to
    ``queue_size`` waiting users, so a crowd is served in turn rather than crashing; each
    client address may start ``checks_per_minute`` checks and try ``logins_per_minute``
    logins a minute (0: no limit)."""
    import os

    from starlette.middleware import Middleware

    from .limits import RateLimitMiddleware, RateLimits

    # No usage reports to Gradio's servers unless the operator turns them on.
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    service = CheckService(corpora, default_model=model, max_article_chars=max_article_chars,
                           models=models, time_budget_s=time_budget_s, backend=backend)
    app = build_app(service)
    app.queue(default_concurrency_limit=concurrency, max_size=queue_size)
    limits = RateLimits(checks_per_minute=checks_per_minute,
                        logins_per_minute=logins_per_minute)
    app.launch(server_name=host, server_port=port, auth=auth, show_error=True,
               max_file_size=f"{max_upload_mb}mb", prevent_thread_lock=prevent_thread_lock,
               quiet=True, app_kwargs={"middleware": [
                   Middleware(RateLimitMiddleware, limits=limits)]})
    return app
