"""The ``verify`` command.

Exit status: 0 success, 2 usage error (argparse), 1 any other failure. Problems a user can
fix (:class:`verify.errors.VerifyError`) print one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .article_decision import describe
from .errors import UnsafeOutputError, VerifyError
from .nli import BACKENDS as NLI_BACKENDS

logger = logging.getLogger("verify")


def _print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _table(rows: Sequence[Sequence[str]], headers: Sequence[str]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(headers, *rows)]
    line = "  ".join(f"{{:<{w}}}" for w in widths)
    out = [line.format(*headers), line.format(*("-" * w for w in widths))]
    out += [line.format(*map(str, row)) for row in rows]
    return "\n".join(out)


def _read_input(path: str, what: str) -> str:
    """The text of a file (encoding detected, binary refused), or of stdin for ``-``."""
    if path == "-":
        return sys.stdin.read()
    from .io import read_text_file

    return read_text_file(path, what)


def _read_text_arg(value: str, what: str) -> str:
    """``@path`` reads the text from a file (``@-`` from stdin); anything else is the text."""
    return _read_input(value[1:], f"{what} file") if value.startswith("@") else value


# -- subcommands -------------------------------------------------------------------------
def cmd_score(args: argparse.Namespace) -> int:
    from .nli import NLIScorer

    claim = _read_text_arg(args.claim, "claim")
    evidence = _read_text_arg(args.evidence, "evidence")
    scorer = NLIScorer(args.model, device=args.device, backend=args.backend)
    result = scorer.score(claim, evidence)
    for notice in scorer.notices:
        sys.stderr.write(f"notice: {notice}\n")
    if args.format == "json":
        data = {"label": result.label.value, "probabilities": dict(result.probabilities),
                "model": result.model}
        if result.windows:
            data["windows"] = [w.to_dict() for w in result.windows]
            data["deciding_window"] = result.deciding_window
        _print_json(data)
    else:
        rows = [(label, f"{p:.3f}") for label, p in result.probabilities.items()]
        print(_table(rows, ["label", "probability"]))
        print(f"\nverdict: {result.label.value}  (model: {result.model})")
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    from .claims import ClaimSplitter

    text = _read_input(args.article, "article")
    claims = ClaimSplitter(max_chars=args.max_chars).split(text)
    if args.checkworthy_only:
        claims = [c for c in claims if c.checkworthy]
    if args.format == "json":
        _print_json({"claims": [c.to_dict() for c in claims]})
        return 0
    rows = [(c.sentence_id, f"{c.start}-{c.end}", "yes" if c.checkworthy else "no",
             "needed" if c.context_needed else "", (c.attributed_to or "")[:20], c.text[:90],
             _covered_words(text, c)) for c in claims]
    print(_table(rows, ["sent", "span", "check", "context", "attributed to", "claim",
                        "made from the words"]))
    return 0


def _covered_words(text: str, claim: Any, width: int = 70) -> str:
    """The article's words a claim was made from, gaps shown as "…"."""
    words = " … ".join(" ".join(text[a:b].split()) for a, b in claim.covered)
    return words if len(words) <= width else words[:width - 1] + "…"


def _example_paths() -> tuple[str, str]:
    from pathlib import Path

    folder = Path(__file__).resolve().parent / "examples"
    return str(folder / "article.txt"), str(folder / "corpus")


def cmd_check(args: argparse.Namespace) -> int:
    from .engine import Verifier, report_to_json

    article_path, corpus = args.article, args.corpus
    if args.example:
        example_article, example_corpus = _example_paths()
        article_path = article_path or example_article
        corpus = corpus or example_corpus
    if not article_path or not corpus:
        raise_usage("check needs ARTICLE and --corpus (or --example)")
    article = _read_input(article_path, "article")
    verifier = Verifier(corpus, model=args.model, device=args.device, backend=args.backend,
                        k=args.k, include_unworthy=args.all_claims,
                        show_progress_bar=args.progress)
    report = verifier.check(article)
    for notice in report.notices:
        sys.stderr.write(f"notice: {notice}\n")
    if args.format == "json":
        _print_json(report_to_json(report))
        return 0
    rows = []
    for v in report.verdicts:
        source = v.evidence[0].title or v.evidence[0].source if v.evidence else "-"
        rows.append((_clip(v.claim.text, 60), v.label.value, f"{v.confidence:.2f}",
                     _clip(str(source), 34)))
    print(_table(rows, ["claim", "verdict", "confidence", "source"]))
    print()
    for number, v in enumerate(report.verdicts, 1):
        if v.label.value != "SUPPORTED":
            print(f"{number}. {v.label.value}: {v.explanation}")
    s = report.summary
    print(f"\n{s['claims_checked']} claims checked: {s['SUPPORTED']} supported, "
          f"{s['REFUTED']} refuted, {s['NOT ENOUGH INFO']} not enough info "
          f"({s['not_checkworthy']} statements not check-worthy). Model: {report.model}. "
          f"{report.timings.get('total_s', 0):.1f} s.")
    if "article" in s:
        print(describe(s["article"], s["article"]["least_supported"]))
    return 0


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "\u2026"


def raise_usage(message: str) -> None:
    build_parser().error(message)


def cmd_eval(args: argparse.Namespace) -> int:
    from .evaluate import ReadReport, evaluate, print_summary, read_items

    with_documents = args.dataset == "frank"  # each row brings its reference document
    if not args.oracle_evidence and not args.corpus and not with_documents:
        raise_usage("eval needs --corpus PATH or --oracle-evidence")
    report = ReadReport()
    items = read_items(args.file, dataset=args.dataset, report=report,
                       claim_column=args.claim_column, label_column=args.label_column,
                       evidence_column=args.evidence_column, id_column=args.id_column)
    if args.limit:
        import itertools

        items = itertools.islice(items, args.limit)
    settings = {"file": str(args.file), "dataset": args.dataset, "corpus": args.corpus,
                "limit": args.limit}
    options = dict(model=args.model, corpus=args.corpus, oracle_evidence=args.oracle_evidence,
                   out_dir=args.out, batch_size=args.batch_size, resume=args.resume,
                   settings=settings, show_progress_bar=not args.quiet, read_report=report,
                   dataset_has_documents=with_documents, backend=args.backend)
    if args.engine == "ray":
        from .evaluate_ray import evaluate_on_ray

        result = evaluate_on_ray(items, address=args.address, **options)
    else:
        result = evaluate(items, **options)
    for number, reason in report.malformed[:20]:
        sys.stderr.write(f"skipped line {number}: {reason}\n")
    if report.unknown_labels:
        sys.stderr.write(f"left out rows with unknown labels: {report.unknown_labels}\n")
    if args.format == "json":
        _print_json(result.metrics)
    else:
        print_summary(result.metrics)
        if args.out:
            print(f"\nwrote {args.out}/predictions.jsonl, metrics.json, report.html")
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    from .errors import InputError

    corpora = {}
    for spec in args.corpus or []:
        name, sep, path = spec.partition("=")
        if not sep or not name or not path:
            raise InputError(f"--corpus takes NAME=PATH, not {spec!r}.")
        corpora[name] = path
    auth = None
    password = os.environ.get("VERIFY_UI_PASSWORD")
    if args.username:
        if not password:
            raise InputError("--username needs the password in $VERIFY_UI_PASSWORD.")
        auth = (args.username, password)
    from .ui.app import launch

    sys.stderr.write(f"verify ui: serving on http://{args.host}:{args.port}\n")
    launch(host=args.host, port=args.port, corpora=corpora, models=args.model, auth=auth,
           max_article_chars=args.max_article_chars, max_upload_mb=args.max_upload_mb,
           concurrency=args.concurrency, checks_per_minute=args.checks_per_minute,
           logins_per_minute=args.logins_per_minute, time_budget_s=args.time_budget,
           backend=args.backend)
    return 0


def cmd_index(args: argparse.Namespace) -> int:
    from pathlib import Path

    from .corpus import Corpus, PassageSettings, check_index_target
    from .errors import IndexFormatError
    from .ingest import ColumnNames

    columns = ColumnNames(text=args.text_column, id=args.id_column, title=args.title_column,
                          url=args.url_column, date=args.date_column)
    settings = PassageSettings(sentences=args.passage_sentences, overlap=args.overlap)
    if bool(args.out) == bool(args.milvus):
        raise_usage("index needs exactly one of --out FOLDER and --milvus URI")
    encode = None
    if args.engine == "ray":
        from .index_ray import RayEncoder

        encode = RayEncoder(args.address)
    if args.milvus:
        return _index_milvus(args, columns, settings, encode)
    # Refuse a folder of the user's files before the (long) indexing, not after it.
    check_index_target(args.out)
    previous = None
    if (Path(args.out) / "manifest.json").is_file():
        try:
            previous = Corpus.load(args.out)
        except IndexFormatError as exc:  # an old or damaged index is rebuilt, not updated
            logger.warning("%s Rebuilding it from scratch.", exc)
    corpus = Corpus.from_path(args.paths, columns=columns, settings=settings, previous=previous,
                              show_progress_bar=not args.quiet, encode=encode)
    corpus.save(args.out)
    summary = corpus.summary
    if args.format == "json":
        _print_json({"index": str(args.out), **summary.to_dict()})
        return 0
    verb = "updated" if previous else "built"
    print(f"Index {verb} in {args.out}: {summary.documents} documents, {summary.passages} "
          f"passages ({summary.embedded} embedded, {summary.reused} reused, "
          f"{summary.duplicates_collapsed} duplicates collapsed, "
          f"{summary.changed_documents} documents changed, "
          f"{summary.removed_documents} removed).")
    if summary.skipped:
        print(f"Skipped {len(summary.skipped)}:")
        for source, reason in summary.skipped:
            print(f"  {source}: {reason}")
    return 0


def _index_milvus(args: argparse.Namespace, columns: Any, settings: Any, encode: Any) -> int:
    from .milvus import MilvusCorpus

    corpus = MilvusCorpus.from_path(args.paths, uri=args.milvus, collection=args.collection,
                                    columns=columns, settings=settings,
                                    show_progress_bar=not args.quiet, encode=encode)
    summary = corpus.summary
    where = f"milvus:{args.milvus}#{args.collection}"
    if args.format == "json":
        _print_json({"index": where, **summary.to_dict()})
        return 0
    print(f"Milvus collection {where}: {summary.documents} documents, {summary.passages} "
          f"passages ({summary.embedded} embedded, {summary.reused} kept, "
          f"{summary.changed_documents} documents changed, {summary.removed_documents} "
          f"removed). Check with --corpus {where}")
    for source, reason in summary.skipped:
        print(f"  skipped {source}: {reason}")
    return 0


def cmd_search(args: argparse.Namespace) -> int:
    from .corpus import open_corpus

    corpus = open_corpus(args.corpus)
    results = corpus.search(args.query, k=args.k, mode=args.mode)
    if args.format == "json":
        _print_json({"query": args.query, "results": [e.to_dict() for e in results]})
        return 0
    if not results:
        print("No matching passages.")
    for rank, evidence in enumerate(results, 1):
        print(f"{rank}. {evidence.source} [{evidence.start}:{evidence.end}] "
              f"score {evidence.score:.4f}")
        print("   " + evidence.text.replace("\n", " ")[:300])
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from .models.loading import is_available_locally
    from .models.registry import BUNDLED_MODEL, DEFAULT_HUB_MODEL, ModelRegistry

    registry = ModelRegistry()
    entries = []
    for spec in registry:
        entry = spec.to_dict()
        entry["available_locally"] = is_available_locally(spec)
        entry["default"] = spec.name == DEFAULT_HUB_MODEL
        entry["offline_fallback"] = spec.name == BUNDLED_MODEL
        entries.append(entry)
    if args.format == "json":
        _print_json({"models": entries})
        return 0
    rows = [(e["name"], "yes" if e["available_locally"] else "no", e["license"][:24],
             e["source"][:46]) for e in entries]
    print(_table(rows, ["name", "local", "license", "source"]))
    print(f"\nNo --model: {DEFAULT_HUB_MODEL} when it is in the local Hugging Face cache, "
          f"else the bundled {BUNDLED_MODEL}.")
    return 0


# -- parser ------------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="verify",
        description="Check the factual claims of an article against a reference corpus.",
    )
    parser.add_argument("--version", action="version", version=f"verify {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress details")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str, handler: Callable[[argparse.Namespace], int]):
        command = sub.add_parser(name, help=help_text, description=help_text)
        command.set_defaults(handler=handler)
        return command

    score = add("score", "score one claim against one evidence text with the NLI model",
                cmd_score)
    score.add_argument("--claim", required=True, help="the claim text, or @FILE")
    score.add_argument("--evidence", required=True, help="the evidence text, or @FILE")
    _add_model_options(score)
    score.add_argument("--format", choices=["json", "table"], default="table")

    check = add("check", "check an article's claims against a reference corpus", cmd_check)
    check.add_argument("article", nargs="?", help="a text, markdown or HTML file, or - for stdin")
    check.add_argument("--corpus", help="an index folder, or files/folders to index on the fly")
    check.add_argument("--example", action="store_true",
                       help="use the bundled example article and corpus")
    _add_model_options(check)
    check.add_argument("-k", type=int, default=5, help="passages retrieved per claim")
    check.add_argument("--all-claims", action="store_true",
                       help="also check statements marked not check-worthy")
    check.add_argument("--progress", action="store_true", help="show progress bars")
    check.add_argument("--format", choices=["json", "table"], default="table")

    evaluation = add("eval", "evaluate on a labelled claim set: metrics, predictions, report",
                     cmd_eval)
    evaluation.add_argument("file", help="JSONL or CSV claims, or a data set file with --dataset")
    evaluation.add_argument("--dataset", choices=["climate-fever", "healthver",
                                                  "fever-symmetric", "wice", "snli", "anli",
                                                  "rte-fever", "frank"],
                            help="read FILE with a built-in reader (frank: each summary is "
                                 "checked against its own article, no --corpus needed)")
    evaluation.add_argument("--corpus", help="retrieve evidence from this index or files")
    evaluation.add_argument("--oracle-evidence", action="store_true",
                            help="score each claim against its given evidence")
    evaluation.add_argument("--out", help="folder for predictions.jsonl, metrics.json, "
                                          "report.html")
    evaluation.add_argument("--resume", action="store_true",
                            help="continue the run already in --out (same settings)")
    evaluation.add_argument("--engine", choices=["local", "ray"], default="local")
    evaluation.add_argument("--address", help="Ray cluster address (default: start locally)")
    evaluation.add_argument("--batch-size", type=int, default=64)
    evaluation.add_argument("--limit", type=int, help="evaluate only the first N claims")
    evaluation.add_argument("--claim-column", default="claim")
    evaluation.add_argument("--label-column", default="label")
    evaluation.add_argument("--evidence-column", default="evidence")
    evaluation.add_argument("--id-column", default="id")
    _add_model_options(evaluation)
    evaluation.add_argument("--format", choices=["json", "table"], default="table")
    evaluation.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    claims = add("claims", "split an article into atomic, check-worthy claims with offsets",
                 cmd_claims)
    claims.add_argument("article", help="a text, markdown or HTML file, or - for stdin")
    claims.add_argument("--format", choices=["json", "table"], default="table")
    claims.add_argument("--checkworthy-only", action="store_true",
                        help="leave out claims marked not check-worthy")
    claims.add_argument("--max-chars", type=int, default=300_000,
                        help="refuse longer articles (default 300,000 characters)")

    index = add("index", "build or update a persisted corpus index from files and folders",
                cmd_index)
    index.add_argument("paths", nargs="+", help="files, folders (recursive) or globs")
    index.add_argument("--out", help="the index folder to create or update")
    index.add_argument("--milvus", metavar="URI",
                       help="build or update a Milvus collection instead: a Milvus Lite file "
                            "(./corpus.db) or a server (http://host:19530; token in "
                            "$MILVUS_TOKEN); needs pip install \"verify[milvus]\"")
    index.add_argument("--collection", default="verify_passages",
                       help="the Milvus collection (default: verify_passages)")
    index.add_argument("--engine", choices=["local", "ray"], default="local",
                       help="ray: embed the passages on a Ray cluster (pip install "
                            "\"verify[ray]\"); the same passages and vectors as local")
    index.add_argument("--address", help="Ray cluster address (default: start one here)")
    index.add_argument("--text-column", default="text", help="JSONL/CSV text column")
    index.add_argument("--id-column", default="id")
    index.add_argument("--title-column", default="title")
    index.add_argument("--url-column", default="url")
    index.add_argument("--date-column", default="date")
    index.add_argument("--passage-sentences", type=int, default=3)
    index.add_argument("--overlap", type=int, default=1)
    index.add_argument("--format", choices=["json", "table"], default="table")
    index.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    search = add("search", "print the passages of an index that best match a query",
                 cmd_search)
    search.add_argument("corpus", help="an index folder, or files/folders to index on the fly")
    search.add_argument("query")
    search.add_argument("-k", type=int, default=5)
    search.add_argument("--mode", choices=["hybrid", "bm25", "dense"], default="hybrid")
    search.add_argument("--format", choices=["json", "table"], default="table")

    ui = add("ui", "serve the web page (Gradio) for checking articles", cmd_ui)
    ui.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    ui.add_argument("--port", type=int, default=7860)
    ui.add_argument("--corpus", action="append", metavar="NAME=PATH",
                    help="offer a corpus (index folder or files) under NAME; repeatable")
    ui.add_argument("--backend", choices=list(NLI_BACKENDS), default="torch",
                    help="NLI runtime of every model the page serves (see `verify check "
                         "--help`)")
    ui.add_argument("--model", action="append", default=None, metavar="NAME",
                    help="a model the page offers (repeat for several; the first is the "
                         "default). Default: the bundled model and every registry model "
                         "available offline. Visitors cannot ask for any other.")
    ui.add_argument("--username", help="require this user; password from $VERIFY_UI_PASSWORD")
    ui.add_argument("--time-budget", type=float, default=120.0, metavar="SECONDS",
                    help="longest a check may run before it is stopped (default 120)")
    ui.add_argument("--checks-per-minute", type=int, default=20,
                    help="checks one client address may start a minute (0: no limit)")
    ui.add_argument("--logins-per-minute", type=int, default=10,
                    help="login attempts one client address may make a minute (0: no limit)")
    ui.add_argument("--max-article-chars", type=int, default=50_000)
    ui.add_argument("--max-upload-mb", type=int, default=2,
                    help="largest file a visitor may upload (default 2 MB); uploaded "
                         "reference files are also capped at 300,000 characters and 2,000 "
                         "passages, checked before indexing")
    ui.add_argument("--concurrency", type=int, default=1,
                    help="checks run at once; others wait in the queue")

    models = add("models", "list the NLI model registry and what is available locally",
                 cmd_models)
    models.add_argument("--format", choices=["json", "table"], default="table")

    # Listed for --help only: main() hands `verify train-nli ...` to the recipe's own parser.
    train = add("train-nli", "rebuild the bundled offline NLI model (see models/train.py)",
                lambda args: 0)
    train.add_argument("train_args", nargs=argparse.REMAINDER,
                       help="options of the recipe (try: verify train-nli --help)")
    return parser


def _add_model_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--model", default=None,
                         help="registry name, hub id or local folder (see `verify models`)")
    command.add_argument("--device", default=None, help="cpu, cuda, cuda:1 (default: auto)")
    command.add_argument("--backend", choices=list(NLI_BACKENDS), default="torch",
                         help="NLI runtime: torch (default), onnx (fp32, same labels) or "
                              "onnx-int8 (about twice as fast on a CPU, a few labels differ; "
                              "docs/BENCHMARKS.md). ONNX needs pip install \"verify[onnx]\"")


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["train-nli"]:
        # Hand every option to the recipe's own parser (its --help included).
        from .models.train import main as train_main

        return train_main(argv[1:])
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not args.verbose:
        # Notices reach the user through stderr lines of their own; keep library chatter out.
        for noisy in ("transformers", "huggingface_hub", "sentence_transformers", "verify",
                      "pypdf", "bm25s"):
            logging.getLogger(noisy).setLevel(logging.ERROR)
        os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from transformers.utils import logging as hf_logging

            hf_logging.disable_progress_bar()
        except ImportError:  # pragma: no cover
            pass
    try:
        return args.handler(args)
    except UnsafeOutputError as exc:  # a usage error: nothing was done
        sys.stderr.write(f"verify: error: {exc}\n")
        return 2
    except VerifyError as exc:
        sys.stderr.write(f"verify: error: {exc}\n")
        return 1
    except KeyboardInterrupt:
        sys.stderr.write("verify: interrupted\n")
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
