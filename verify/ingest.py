"""Reading reference documents from files, folders and globs.

Supported: .txt, .md, .html/.htm (readable text only), .pdf (text layer), .jsonl and .csv
(one document per row: a text column plus optional id / title / url / date columns).
A file that cannot be read is reported by name and reason in ``IngestResult.skipped``;
the rest goes on.
"""

from __future__ import annotations

import csv
import glob
import hashlib
import json
import logging
import os
import re
import stat
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from .errors import InputError
from .io import DEFAULT_MAX_FILE_BYTES, decode_bytes, read_text_file

logger = logging.getLogger(__name__)

# Bump when ingestion gives different documents for the same files (cached indexes of raw
# files are keyed on it, so they are rebuilt rather than served stale).
INGEST_REVISION = 3  # 3: text without sentence breaks is no longer cut off at one passage

TEXT_SUFFIXES = {".txt", ".md", ".markdown", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".pdf", ".jsonl", ".csv"}


@dataclass(frozen=True)
class Document:
    """One reference document: its text and where it came from."""

    doc_id: str
    source: str  # path (with #row for JSONL/CSV rows) or URL
    text: str
    title: str = ""
    date: str = ""

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class IngestResult:
    documents: list[Document] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (source, reason)


@dataclass(frozen=True)
class ColumnNames:
    """Which JSONL keys / CSV columns hold what."""

    text: str = "text"
    id: str = "id"
    title: str = "title"
    url: str = "url"
    date: str = "date"


class _ReadableText(HTMLParser):
    """Text of an HTML page without scripts, styles, navigation, headers and footers."""

    _SKIP = {"script", "style", "nav", "header", "footer", "aside", "noscript", "form",
             "svg", "template", "iframe"}
    _BLOCK = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "section",
              "article", "blockquote", "pre", "table", "ul", "ol", "dd", "dt"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self._skip_depth = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        if tag in self._SKIP:
            self._skip_depth += 1
        elif tag == "title":
            self._in_title = True
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in self._SKIP and self._skip_depth:
            self._skip_depth -= 1
        elif tag == "title":
            self._in_title = False
        elif tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if self._in_title:
            self.title += data
        elif not self._skip_depth:
            self.parts.append(data)

    def text(self) -> str:
        joined = "".join(self.parts)
        joined = re.sub(r"[ \t\r\f\v]+", " ", joined)
        joined = re.sub(r" *\n[ \n]*", lambda m: "\n\n" if m.group(0).count("\n") > 1
                        else "\n", joined)
        return joined.strip()


def heading_title(text: str, suffix: str) -> str:
    """A document's own title: a Markdown first heading, or a short first line of plain
    text without closing punctuation (a headline). Empty when there is none."""
    first = text.lstrip().split("\n", 1)[0].strip()
    if suffix in {".md", ".markdown"} and first.startswith("#"):
        return first.lstrip("#").strip()
    if first and len(first) <= 120 and not re.search(r"[.!?:;,]$", first) and " " in first:
        return first
    return ""


def html_to_text(html: str) -> tuple[str, str]:
    """(readable text, title) of an HTML page."""
    parser = _ReadableText()
    parser.feed(html)
    parser.close()
    return parser.text(), parser.title.strip()


# A crafted or damaged PDF can take minutes a page; a file past this budget is skipped.
DEFAULT_PDF_SECONDS = 60.0


def _pdf_text(path: Path, max_seconds: float = DEFAULT_PDF_SECONDS) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    started = time.monotonic()
    try:
        reader = PdfReader(str(path))
        pages = []
        for number, page in enumerate(reader.pages, 1):
            if time.monotonic() - started > max_seconds:
                raise InputError(f"reading the PDF took over {max_seconds:.0f} s (stopped at "
                                 f"page {number} of {len(reader.pages)})")
            pages.append(page.extract_text() or "")
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise InputError(f"not a readable PDF ({type(exc).__name__}: {exc})") from None
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise InputError("the PDF has no text layer (scanned images need OCR first)")
    return text


def _rows_jsonl(path: Path, columns: ColumnNames, result: IngestResult) -> Iterator[Document]:
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, 1):
            if not raw.strip():
                continue
            where = f"{display_name(path)}:{number}"
            try:
                row = json.loads(decode_bytes(raw, where))
            except (json.JSONDecodeError, InputError) as exc:
                result.skipped.append((where, f"malformed JSON line ({exc})"))
                continue
            if not isinstance(row, dict):
                result.skipped.append((where, "line is not a JSON object"))
                continue
            doc = _row_document(row, path, number, columns)
            if isinstance(doc, str):
                result.skipped.append((where, doc))
            else:
                yield doc


def _rows_csv(path: Path, columns: ColumnNames, result: IngestResult) -> Iterator[Document]:
    text = read_text_file(path, "CSV file")
    reader = csv.DictReader(text.splitlines(keepends=True))
    if reader.fieldnames is None or columns.text not in reader.fieldnames:
        raise InputError(f"has no {columns.text!r} column (columns: "
                         f"{', '.join(reader.fieldnames or [])}); name it with --text-column")
    for row in reader:
        number = reader.line_num
        doc = _row_document(row, path, number, columns)
        if isinstance(doc, str):
            result.skipped.append((f"{display_name(path)}:{number}", doc))
        else:
            yield doc


def _row_document(row: dict, path: Path, number: int, columns: ColumnNames) -> Document | str:
    text = row.get(columns.text)
    if not isinstance(text, str) or not text.strip():
        return f"no text in column {columns.text!r}"
    row_id = str(row.get(columns.id) or number)
    url = row.get(columns.url) or ""
    return Document(
        doc_id=f"{display_name(path)}#{row_id}",
        source=str(url or f"{display_name(path)}#{row_id}"), text=text,
        title=str(row.get(columns.title) or ""), date=str(row.get(columns.date) or ""),
    )


def display_name(path: str | Path) -> str:
    """``path`` as printable text: bytes that are not UTF-8 in a file name (kept by Python
    as surrogate escapes) are shown as ``\\xNN`` instead of failing to print or save."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _not_regular(path: Path) -> str | None:
    """Why ``path`` cannot be read as a file (None for a regular file): a dangling link,
    a FIFO (reading it would wait forever), a socket, a device."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return "a link to nothing (dangling symlink)" if path.is_symlink() else "missing"
    except OSError as exc:
        return f"cannot be examined ({exc.strerror})"
    if stat.S_ISREG(mode):
        return None
    for test, kind in ((stat.S_ISFIFO, "a FIFO"), (stat.S_ISSOCK, "a socket"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device")):
        if test(mode):
            return f"not a regular file ({kind})"
    return "not a regular file"


def _file_or_skip(path: Path, files: list[Path], skipped: list[tuple[str, str]]) -> None:
    reason = _not_regular(path)
    if reason is None and path.suffix.lower() not in SUPPORTED_SUFFIXES:
        reason = f"unsupported file type {display_name(path.suffix) or '(none)'}"
    if reason is None:
        files.append(path)
    else:
        skipped.append((display_name(path), reason))


def expand_paths(paths: Iterable[str | Path]) -> tuple[list[Path], list[tuple[str, str]]]:
    """Regular files named by paths, folders (recursive) and globs; what is skipped (an
    unsupported type, a dangling link, a FIFO, a socket, a device) is listed with why."""
    files: list[Path] = []
    skipped: list[tuple[str, str]] = []
    for raw in paths:
        raw = str(raw)
        matches = [Path(m) for m in sorted(glob.glob(raw, recursive=True))] \
            if glob.has_magic(raw) else [Path(raw)]
        if not matches:
            raise InputError(f"No files match {display_name(raw)!r}.")
        for path in matches:
            if path.is_dir():
                for root, _, names in os.walk(path):
                    for name in sorted(names):
                        if not name.startswith("."):
                            _file_or_skip(Path(root) / name, files, skipped)
            elif path.exists() or path.is_symlink():
                _file_or_skip(path, files, skipped)
            else:
                raise InputError(f"The corpus path {display_name(path)} does not exist.")
    return files, skipped


def read_documents(paths: Iterable[str | Path], *, columns: ColumnNames = ColumnNames(),
                   max_file_bytes: int = DEFAULT_MAX_FILE_BYTES) -> IngestResult:
    """Every readable document under ``paths``; what could not be read goes to ``skipped``."""
    files, skipped = expand_paths(paths)
    result = IngestResult(skipped=skipped)
    for path in files:
        suffix = path.suffix.lower()
        name = display_name(path)
        try:
            if path.stat().st_size > max_file_bytes:
                raise InputError(f"{path.stat().st_size / 2**20:.0f} MB, over the "
                                 f"{max_file_bytes / 2**20:.0f} MB limit per file")
            if suffix == ".jsonl":
                result.documents.extend(_rows_jsonl(path, columns, result))
            elif suffix == ".csv":
                result.documents.extend(_rows_csv(path, columns, result))
            else:
                title = ""
                if suffix == ".pdf":
                    text = _pdf_text(path)
                else:
                    text = read_text_file(path, "file", max_file_bytes)
                    if suffix in HTML_SUFFIXES:
                        text, title = html_to_text(text)
                    else:
                        title = heading_title(text, suffix)
                if not text.strip():
                    raise InputError("no text")
                result.documents.append(Document(doc_id=name, source=name, text=text,
                                                 title=title or display_name(path.stem)))
        except InputError as exc:
            reason = display_name(str(exc))
            prefix = f"The file {name} "
            reason = reason[len(prefix):] if reason.startswith(prefix) else reason
            result.skipped.append((name, reason))
            logger.warning("skipped %s: %s", name, reason)
    return result
