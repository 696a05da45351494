"""A reference corpus in Milvus: the same contract as :class:`~verify.corpus.Corpus`.

For corpora past one machine (wire archives, Wikipedia, parliamentary records). The same
code runs on the embedded Milvus Lite (``uri="./corpus.db"``, package ``milvus-lite``) and on
a Milvus cluster (``uri="http://host:19530"``, ``token=...``).

Two collections per corpus:

``<name>``
    one row per passage: its text, source, title, offsets, document id, the load that wrote
    it and that load's sequence number, a dense all-MiniLM-L6-v2 vector of "title: text",
    and a sparse BM25 vector that Milvus computes itself from "title text" (a BM25
    ``Function``). Retrieval is a dense and a BM25 search fused by reciprocal rank: by
    Milvus' ``hybrid_search`` on a server, and on Milvus Lite by the same formula over two
    plain searches (Lite's ``hybrid_search`` adds a fixed ~35 ms per query, measured in
    docs/BENCHMARKS.md); then verify's own NLI rerank when one is asked for.
``<name>_state``
    small rows of JSON: the format, the committed loads, and per document and load its
    fingerprint (SHA-256 of its text), source and title.

Loading is incremental and safe to interrupt. Each load has an id and a sequence number,
one more than the last committed load's; its passages and its document rows are written
first, invisible to searches, which only see passages whose sequence number is at most
the last committed one (an integer comparison: a filter on the load ids costs ~11 ms per
search on 200,000 passages). The load becomes visible at once when one state row (the
committed loads and the last sequence number) is rewritten. Then the older versions of
the documents it changed or removed are deleted. A load killed before its commit leaves
rows that nothing sees, and the next load deletes them; one killed after its commit but
before the clean-up leaves the old versions of changed documents visible beside the new
ones until the next load, never half a document. Documents are keyed by their id (the
path) and their fingerprint: unchanged ones are skipped, changed ones replaced, removed
ones deleted. Repeated passages are collapsed within a document only (the embedded index
also collapses them across documents: a collection updated document by document cannot
know the others cheaply).

Needs the ``milvus`` extra: ``pip install "verify[milvus]"``.
"""

from __future__ import annotations

import hashlib
import json
import logging
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from .corpus import (
    EMBEDDER_NAME,
    MAX_QUERY_CHARS,
    RRF_K,
    Corpus,
    Embedder,
    IndexSummary,
    PassageSettings,
    _dedupe_key,
    _embedding_text,
    make_passages,
    read_corpus_documents,
)
from .errors import IndexFormatError, InputError, VerifyError
from .ingest import ColumnNames, Document
from .text import check_text
from .types import Evidence, Passage

logger = logging.getLogger(__name__)

FORMAT = "verify-milvus"
# 2: document and passage keys are SHA-1 hashes of their ids; 3: rows carry their load's
# sequence number, which searches filter on.
FORMAT_VERSION = 3
DEFAULT_COLLECTION = "verify_passages"
# Milvus VARCHAR limits, in bytes (UTF-8): longer values are cut at a character boundary.
_MAX_TEXT = 65_535
_MAX_NAME = 4_096
_MAX_ID = 8_192
_INSERT_BATCH = 512
_STATE_PAGE = 1000
_STATE_KEY_LOADS = "loads"
_STATE_KEY_META = "meta"


_OUTPUT_FIELDS = ["text", "source", "title", "start", "end", "passage_id", "load"]


def _fuse_ranks(ranked_lists: Sequence[Sequence[dict[str, Any]]],
                limit: int) -> list[dict[str, Any]]:
    """Reciprocal-rank fusion as Milvus' ``RRFRanker(RRF_K)`` computes it: a hit's score
    is the sum over lists of 1 / (RRF_K + rank), rank counted from 1; ties keep the
    first-seen order."""
    scores: dict[str, float] = {}
    entities: dict[str, dict[str, Any]] = {}
    for hits in ranked_lists:
        for rank, hit in enumerate(hits, 1):
            key = hit["id"]
            scores[key] = scores.get(key, 0.0) + 1.0 / (RRF_K + rank)
            entities.setdefault(key, hit["entity"])
    best = sorted(scores, key=lambda key: -scores[key])[:limit]
    return [{"id": key, "distance": scores[key], "entity": entities[key]} for key in best]


def _milvus() -> Any:
    try:
        import pymilvus
    except ImportError:
        raise VerifyError("The Milvus corpus needs pymilvus (and milvus-lite for a local "
                          "file): pip install \"verify[milvus]\".") from None
    return pymilvus


def _cut(text: str, limit: int) -> str:
    data = text.encode("utf-8")
    return text if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


def _key(value: str) -> str:
    """A document or passage id as a key: its SHA-1 in hex. Ids are paths and titles, with
    quotes and any other character; Milvus Lite 2.5 fails to delete or upsert a primary
    key holding an apostrophe, and the filters that select a document's rows stay plain."""
    return hashlib.sha1(value.encode("utf-8", "surrogatepass")).hexdigest()


def _quote(value: str) -> str:
    """A string literal for a Milvus filter expression."""
    return json.dumps(value, ensure_ascii=False)


def parse_milvus_spec(spec: str) -> tuple[str, str]:
    """``milvus:URI[#COLLECTION]`` -> (uri, collection)."""
    if not spec.startswith("milvus:"):
        raise InputError(f"A Milvus corpus is written milvus:URI[#COLLECTION], not {spec!r}.")
    uri, _, collection = spec[len("milvus:"):].partition("#")
    if not uri:
        raise InputError(f"{spec!r} names no Milvus URI: write milvus:./corpus.db or "
                         "milvus:http://host:19530.")
    return uri, collection or DEFAULT_COLLECTION


class MilvusCorpus:
    """A searchable reference corpus stored in a Milvus collection.

    ``__init__`` only stores configuration; the connection opens on :meth:`warm_up` or the
    first search.

    Args:
        uri: a Milvus Lite file (``./corpus.db``) or a server (``http://host:19530``).
        collection: the passages' collection name (the state lives in ``<name>_state``).
        token: credentials for a server (``user:password`` or an API key); ``None`` reads
            ``$MILVUS_TOKEN``.
        embedder: the query embedder; must be the one the passages were embedded with.
        dense_index: the Milvus index type of the dense field when the collection is
            created (``AUTOINDEX``, ``FLAT``, ``HNSW`` on a server...).
        fusion: ``"milvus"`` fuses the dense and BM25 results with Milvus'
            ``hybrid_search``; ``"client"`` runs the two searches (batched over all
            queries) and fuses them here by the same reciprocal-rank formula; ``"auto"``
            (default): ``client`` on Milvus Lite, ``milvus`` on a server.
        refresh_seconds: how long the committed loads read from the state collection are
            trusted before a search reads them again (a corpus open in a long-running
            process sees new loads within this time).
    """

    def __init__(self, uri: str, collection: str = DEFAULT_COLLECTION, *,
                 token: str | None = None, embedder: Embedder | None = None,
                 dense_index: str = "AUTOINDEX", fusion: str = "auto",
                 refresh_seconds: float = 5.0) -> None:
        if not collection.replace("_", "").isalnum() or collection[0].isdigit():
            raise InputError(f"Milvus collection names are letters, digits and '_', not "
                             f"starting with a digit: {collection!r}.")
        if fusion not in {"auto", "milvus", "client"}:
            raise InputError(f"Unknown fusion {fusion!r}: use auto, milvus or client.")
        self.uri = str(uri)
        self.collection = collection
        self.fusion = fusion
        self.refresh_seconds = refresh_seconds
        self.dense_index = dense_index
        self.token = token
        self.embedder = embedder or Embedder()
        self.summary = IndexSummary()
        self._client = None
        self._committed: list[str] | None = None
        self._visible_seq = 0
        self._loads_read_at = 0.0

    # -- connection ----------------------------------------------------------------------
    @property
    def state_collection(self) -> str:
        return f"{self.collection}_state"

    def _connect(self) -> Any:
        if self._client is None:
            import os

            pymilvus = _milvus()
            token = self.token if self.token is not None else os.environ.get("MILVUS_TOKEN", "")
            if "://" not in self.uri:
                Path(self.uri).expanduser().resolve().parent.mkdir(parents=True, exist_ok=True)
            try:
                self._client = pymilvus.MilvusClient(uri=self.uri, token=token)
            except Exception as exc:  # pymilvus raises its own and grpc errors
                raise VerifyError(f"Cannot open Milvus at {self.uri}: "
                                  f"{str(exc).strip().splitlines()[0][:200]}") from exc
        return self._client

    def warm_up(self) -> None:
        """Connect, load the collection and the query embedder. Safe to call twice."""
        client = self._connect()
        if not client.has_collection(self.collection):
            raise IndexFormatError(f"Milvus at {self.uri} has no collection "
                                   f"{self.collection!r}: build it with `verify index PATH "
                                   f"--milvus {self.uri} --collection {self.collection}`.")
        self._check_meta()
        client.load_collection(self.collection)
        self._refresh_loads()
        self.embedder.warm_up()

    def _refresh_loads(self) -> None:
        loads = self._read_loads()
        self._committed = list(loads["committed"])
        self._visible_seq = int(loads.get("visible_seq", 0))
        self._loads_read_at = time.monotonic()

    def __len__(self) -> int:
        self.warm_up()
        rows = self._connect().query(self.collection, filter=self._visible(),
                                     output_fields=["count(*)"])
        return int(rows[0]["count(*)"]) if rows else 0

    # -- schema --------------------------------------------------------------------------
    def _create(self, dimension: int, settings: PassageSettings) -> None:
        pymilvus = _milvus()
        client = self._connect()
        DataType = pymilvus.DataType
        if not client.has_collection(self.collection):
            schema = client.create_schema(auto_id=False)
            schema.add_field("id", DataType.VARCHAR, is_primary=True, max_length=128)
            schema.add_field("doc", DataType.VARCHAR, max_length=64)
            schema.add_field("load", DataType.VARCHAR, max_length=64)
            schema.add_field("seq", DataType.INT64)
            schema.add_field("passage_id", DataType.VARCHAR, max_length=_MAX_ID)
            schema.add_field("source", DataType.VARCHAR, max_length=_MAX_NAME)
            schema.add_field("title", DataType.VARCHAR, max_length=_MAX_NAME)
            schema.add_field("text", DataType.VARCHAR, max_length=_MAX_TEXT)
            schema.add_field("lexical", DataType.VARCHAR, max_length=_MAX_TEXT,
                             enable_analyzer=True)
            schema.add_field("start", DataType.INT64)
            schema.add_field("end", DataType.INT64)
            schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dimension)
            schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
            schema.add_function(pymilvus.Function(
                name="bm25", function_type=pymilvus.FunctionType.BM25,
                input_field_names=["lexical"], output_field_names=["sparse"]))
            index = client.prepare_index_params()
            # AUTOINDEX: Milvus picks (a graph index on a server; Milvus Lite supports only
            # FLAT, IVF_FLAT and AUTOINDEX).
            index.add_index("dense", index_type=self.dense_index, metric_type="IP")
            index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25")
            client.create_collection(self.collection, schema=schema, index_params=index)
        if not client.has_collection(self.state_collection):
            schema = client.create_schema(auto_id=False)
            schema.add_field("key", DataType.VARCHAR, is_primary=True, max_length=128)
            schema.add_field("kind", DataType.VARCHAR, max_length=16)
            schema.add_field("value", DataType.VARCHAR, max_length=_MAX_TEXT)
            # Milvus requires a vector field in every collection; this one is unused.
            schema.add_field("unused", DataType.FLOAT_VECTOR, dim=2)
            index = client.prepare_index_params()
            index.add_index("unused", index_type="FLAT", metric_type="L2")
            client.create_collection(self.state_collection, schema=schema, index_params=index)
            self._put_state(_STATE_KEY_META, "meta", {
                "format": FORMAT, "version": FORMAT_VERSION, "embedder": EMBEDDER_NAME,
                "dimension": dimension, "settings": vars(settings)})
            self._put_state(_STATE_KEY_LOADS, "loads", {"committed": [], "visible_seq": 0})
        client.load_collection(self.collection)
        client.load_collection(self.state_collection)

    def _check_meta(self) -> dict[str, Any]:
        client = self._connect()
        if not client.has_collection(self.state_collection):
            raise IndexFormatError(f"Milvus collection {self.collection!r} was not written "
                                   f"by verify (no {self.state_collection!r}).")
        client.load_collection(self.state_collection)
        meta = self._get_state(_STATE_KEY_META)
        if not meta or meta.get("format") != FORMAT:
            raise IndexFormatError(f"Milvus collection {self.collection!r} was not written "
                                   "by verify.")
        if meta.get("version") != FORMAT_VERSION:
            raise IndexFormatError(
                f"Milvus collection {self.collection!r} has format version "
                f"{meta.get('version')}, this verify reads {FORMAT_VERSION}: rebuild it "
                "under a new collection name.")
        return meta

    # -- state rows ----------------------------------------------------------------------
    def _put_state(self, key: str, kind: str, value: dict[str, Any]) -> None:
        self._put_states([(key, kind, value)])

    def _put_states(self, rows: Sequence[tuple[str, str, dict[str, Any]]]) -> None:
        if rows:
            self._connect().upsert(self.state_collection, [
                {"key": key, "kind": kind, "value": json.dumps(value, ensure_ascii=False),
                 "unused": [0.0, 0.0]} for key, kind, value in rows])

    def _get_state(self, key: str) -> dict[str, Any] | None:
        rows = self._connect().query(self.state_collection, filter=f"key == {_quote(key)}",
                                     output_fields=["value"])
        return json.loads(rows[0]["value"]) if rows else None

    def _read_loads(self) -> dict[str, Any]:
        return self._get_state(_STATE_KEY_LOADS) or {"committed": [], "visible_seq": 0}

    def _document_rows(self) -> Iterator[dict[str, Any]]:
        """Every per-(document, load) state row: {"key", "doc", "load", "fingerprint", ...},
        read in primary-key pages (Milvus returns a limited query in key order)."""
        client = self._connect()
        last = ""
        while True:
            rows = client.query(self.state_collection,
                                filter=f'kind == "doc" and key > {_quote(last)}',
                                output_fields=["key", "value"], limit=_STATE_PAGE)
            for row in rows:
                yield {"key": row["key"], **json.loads(row["value"])}
            if len(rows) < _STATE_PAGE:
                return
            last = max(row["key"] for row in rows)

    def _visible(self) -> str:
        """The filter that shows passages of committed loads only."""
        if self._committed is None:
            self._refresh_loads()
        return f"seq <= {self._visible_seq}"

    # -- building ------------------------------------------------------------------------
    @classmethod
    def from_path(cls, paths: str | Path | Sequence[str | Path], *, uri: str,
                  collection: str = DEFAULT_COLLECTION, token: str | None = None,
                  columns: ColumnNames = ColumnNames(),
                  settings: PassageSettings = PassageSettings(),
                  embedder: Embedder | None = None,
                  show_progress_bar: bool = False, encode: Any = None) -> MilvusCorpus:
        """Read files, folders (recursive) or globs and build or update the collection
        (``encode``: see :meth:`from_documents`)."""
        result = read_corpus_documents(paths, columns)
        return cls.from_documents(result.documents, uri=uri, collection=collection,
                                  token=token, settings=settings, embedder=embedder,
                                  show_progress_bar=show_progress_bar,
                                  skipped=result.skipped, encode=encode)

    @classmethod
    def from_documents(cls, documents: Iterable[Document], *, uri: str,
                       collection: str = DEFAULT_COLLECTION, token: str | None = None,
                       settings: PassageSettings = PassageSettings(),
                       embedder: Embedder | None = None, show_progress_bar: bool = False,
                       skipped: list[tuple[str, str]] | None = None,
                       encode: Any = None) -> MilvusCorpus:
        """Build or update the collection from ``documents`` (the complete set: documents
        it holds that are not among them are deleted).

        ``encode``: a function from passage texts to L2-normalised vectors; defaults to the
        embedder's (``verify index --engine ray`` passes one that embeds on Ray).
        """
        corpus = cls(uri, collection, token=token, embedder=embedder)
        corpus._load(list(documents), settings, show_progress_bar, skipped or [], encode)
        return corpus

    def _load(self, documents: list[Document], settings: PassageSettings,
              show_progress_bar: bool, skipped: list[tuple[str, str]], encode: Any) -> None:
        from tqdm.auto import tqdm

        encode = encode or self.embedder.encode
        # Passages embedded per call: a Ray encoder wants many at once.
        embed_batch = max(_INSERT_BATCH, int(getattr(encode, "batch_passages", _INSERT_BATCH)))
        client = self._connect()
        if client.has_collection(self.collection):
            meta = self._check_meta()
            if meta.get("settings") != vars(settings):
                raise InputError(f"Milvus collection {self.collection!r} was built with "
                                 f"passage settings {meta.get('settings')}; use the same or "
                                 "another collection name.")
        self._create(self.embedder.dimension, settings)
        loads = self._read_loads()
        committed = list(loads["committed"])
        # Rows of an interrupted load may hold this number too: the garbage pass deletes
        # them before this load writes any row.
        seq = int(loads.get("visible_seq", 0)) + 1
        current = self._collect_garbage(committed)
        load_id = f"{time.strftime('%Y%m%d%H%M%S')}-{uuid.uuid4().hex[:8]}"
        summary = IndexSummary(skipped=list(skipped))
        wanted: dict[str, Document] = {}
        for document in documents:
            wanted.setdefault(document.doc_id, document)
        changed = {doc_id for doc_id, doc in wanted.items()
                   if doc_id in current and current[doc_id]["fingerprint"] != doc.fingerprint}
        removed = set(current) - set(wanted)
        fresh = [doc for doc_id, doc in wanted.items() if doc_id not in current
                 or doc_id in changed]
        summary.changed_documents, summary.removed_documents = len(changed), len(removed)
        summary.reused = sum(current[d]["passages"] for d in wanted
                             if d in current and d not in changed)
        buffer: list[Passage] = []
        state_rows: list[tuple[str, str, dict[str, Any]]] = []
        for document in tqdm(fresh, desc="documents", unit="doc",
                             disable=not show_progress_bar):
            passages, seen = [], set()
            for passage in make_passages(document, settings):
                key = _dedupe_key(passage.text)
                if key in seen:
                    summary.duplicates_collapsed += 1
                    continue
                seen.add(key)
                passages.append(passage)
            buffer.extend(passages)
            state_rows.append((f"doc:{load_id}:{_key(document.doc_id)}", "doc", {
                "doc": document.doc_id, "load": load_id, "fingerprint": document.fingerprint,
                "source": document.source, "title": document.title,
                "passages": len(passages)}))
            if len(buffer) >= embed_batch:
                summary.embedded += self._insert(buffer, load_id, seq, encode)
                buffer = []
        if buffer:
            summary.embedded += self._insert(buffer, load_id, seq, encode)
        # Removed documents get a tombstone row under this load.
        state_rows += [(f"doc:{load_id}:{_key(doc_id)}", "doc", {
            "doc": doc_id, "load": load_id, "fingerprint": None, "passages": 0})
            for doc_id in sorted(removed)]
        for first in range(0, len(state_rows), _INSERT_BATCH):
            self._put_states(state_rows[first:first + _INSERT_BATCH])
        client.flush(self.collection)
        client.flush(self.state_collection)
        if state_rows:
            # The commit: one row rewritten makes the whole load visible.
            committed.append(load_id)
            self._put_state(_STATE_KEY_LOADS, "loads", {"committed": committed,
                                                        "visible_seq": seq})
            client.flush(self.state_collection)
            # Now superseded: the old versions of changed and removed documents, and this
            # load's tombstones. (A crash before this point is cleaned by the next load.)
            self._delete_versions(
                [current[doc_id] for doc_id in sorted(changed | removed)] +
                [{"key": key, "doc": value["doc"], "load": load_id}
                 for key, _, value in state_rows if value["fingerprint"] is None])
        self._refresh_loads()
        summary.documents = len(wanted)
        summary.passages = summary.reused + summary.embedded
        self.summary = summary

    def _insert(self, passages: list[Passage], load_id: str, seq: int, encode: Any) -> int:
        vectors = encode([_embedding_text(p) for p in passages])
        for first in range(0, len(passages), _INSERT_BATCH):
            self._insert_rows(passages[first:first + _INSERT_BATCH],
                              vectors[first:first + _INSERT_BATCH], load_id, seq)
        return len(passages)

    def _insert_rows(self, passages: list[Passage], vectors: Any, load_id: str,
                     seq: int) -> None:
        rows = [{
            "id": f"{load_id}|{_key(p.passage_id)}",
            "doc": _key(p.passage_id.rsplit("@", 1)[0]), "load": load_id, "seq": seq,
            "passage_id": _cut(p.passage_id, _MAX_ID), "source": _cut(p.source, _MAX_NAME),
            "title": _cut(p.title, _MAX_NAME), "text": _cut(p.text, _MAX_TEXT),
            "lexical": _cut(f"{p.title} {p.text}", _MAX_TEXT),
            "start": p.start, "end": p.end, "dense": [float(x) for x in vector]}
            for p, vector in zip(passages, vectors)]
        self._connect().insert(self.collection, rows)

    def _collect_garbage(self, committed: list[str]) -> dict[str, dict[str, Any]]:
        """Delete what no search may see (rows of loads never committed; versions of
        documents that a later committed load replaced or removed) and return, per
        document, its row of the latest committed load: one read of the state table."""
        order = {load: i for i, load in enumerate(committed)}
        rows = list(self._document_rows())
        latest: dict[str, dict[str, Any]] = {}
        for row in rows:
            held = latest.get(row["doc"])
            if row["load"] in order and (held is None or order[row["load"]] > order[held["load"]]):
                latest[row["doc"]] = row
        stale = [row for row in rows if row["load"] not in order
                 or row is not latest[row["doc"]] or row["fingerprint"] is None]
        self._connect().delete(self.collection,
                               filter=f"load not in {json.dumps(committed)}" if committed
                               else 'load != ""')
        self._delete_versions(stale)
        return {doc: row for doc, row in latest.items() if row["fingerprint"] is not None}

    def _delete_versions(self, rows: Sequence[dict[str, Any]]) -> None:
        """Delete these per-(document, load) versions: their passages and state rows."""
        client = self._connect()
        by_load: dict[str, list[str]] = {}
        for row in rows:
            by_load.setdefault(row["load"], []).append(_key(row["doc"]))
        for load, docs in by_load.items():
            for first in range(0, len(docs), 500):
                chunk = json.dumps(docs[first:first + 500])
                client.delete(self.collection,
                              filter=f"load == {_quote(load)} and doc in {chunk}")
        keys = [row["key"] for row in rows]
        for first in range(0, len(keys), 500):
            client.delete(self.state_collection, ids=keys[first:first + 500])
        if rows:
            logger.info("deleted %d stale document versions from %s", len(rows),
                        self.collection)

    # -- search --------------------------------------------------------------------------
    def search(self, text: str, k: int = 5, *, context: str = "", rerank: Any = None
               ) -> list[Evidence]:
        """The ``k`` passages that best match ``text``."""
        return self.search_many([text], k=k, contexts=[context], rerank=rerank)[0]

    def search_many(self, texts: Sequence[str], k: int = 5, *,
                    contexts: Sequence[str] | None = None, mode: str = "hybrid",
                    rerank: Any = None, rerank_depth: int | None = None
                    ) -> list[list[Evidence]]:
        """Batched search, one list of Evidence per query, best first: dense + BM25 fused
        by reciprocal rank (see ``fusion``), then, with ``rerank`` (an
        :class:`~verify.nli.NLIScorer`), verify's NLI rerank of the top candidates.

        As with :meth:`Corpus.search_many`, ``contexts`` widen the lexical query only.
        """
        if mode not in {"hybrid", "bm25", "dense"}:
            raise InputError(f"Unknown search mode {mode!r}: use hybrid, bm25 or dense.")
        if k < 1:
            raise InputError(f"k must be at least 1, not {k}.")
        queries = [check_text(t, "query", MAX_QUERY_CHARS) for t in texts]
        lexical = [_cut(f"{q} {q} {c}" if c else q, _MAX_TEXT)
                   for q, c in zip(queries, contexts or [""] * len(queries))]
        if self._committed is None:
            self.warm_up()
        elif time.monotonic() - self._loads_read_at > self.refresh_seconds:
            self._refresh_loads()
        if not self._committed or not queries:
            return [[] for _ in queries]
        pool = max(k, rerank_depth or 3 * k) if rerank is not None else k
        depth = max(50, 10 * pool)
        vectors = self.embedder.encode(queries) if mode != "bm25" else None
        fusion = self.fusion if self.fusion != "auto" else \
            ("milvus" if "://" in self.uri else "client")
        if fusion == "milvus" and mode == "hybrid":
            hits = [self._hybrid_search(vector, words, depth, pool)
                    for vector, words in zip(vectors, lexical)]
        else:
            ranked = []
            if mode != "bm25":
                ranked.append(self._search("dense", [[float(x) for x in v] for v in vectors],
                                           {"metric_type": "IP"}, depth))
            if mode != "dense":
                ranked.append(self._search("sparse", lexical, {"metric_type": "BM25"}, depth))
            hits = [_fuse_ranks([lists[i] for lists in ranked], pool)
                    for i in range(len(queries))]
        committed = set(self._committed)
        # The sequence filter already hides uncommitted loads; checking the load ids too
        # keeps that true for a server read at a snapshot older than the state row.
        results = [[self._evidence(hit) for hit in query_hits
                    if hit["entity"]["load"] in committed] for query_hits in hits]
        if rerank is not None:
            results = Corpus._rerank(queries, results, rerank, k)
        return results

    def _search(self, field: str, data: list[Any], params: dict[str, Any],
                depth: int) -> list[list[dict[str, Any]]]:
        return self._connect().search(self.collection, data, anns_field=field, limit=depth,
                                      search_params=params, filter=self._visible(),
                                      output_fields=_OUTPUT_FIELDS)

    def _hybrid_search(self, vector: Any, words: str, depth: int,
                       pool: int) -> list[dict[str, Any]]:
        pymilvus = _milvus()
        visible = self._visible()
        requests = [
            pymilvus.AnnSearchRequest([[float(x) for x in vector]], "dense",
                                      {"metric_type": "IP"}, limit=depth, expr=visible),
            pymilvus.AnnSearchRequest([words], "sparse", {"metric_type": "BM25"},
                                      limit=depth, expr=visible)]
        return list(self._connect().hybrid_search(
            self.collection, requests, pymilvus.RRFRanker(RRF_K), limit=pool,
            output_fields=_OUTPUT_FIELDS)[0])

    @staticmethod
    def _evidence(hit: dict[str, Any]) -> Evidence:
        entity = hit["entity"]
        return Evidence(text=entity["text"], source=entity["source"],
                        start=int(entity["start"]), end=int(entity["end"]),
                        score=round(float(hit["distance"]), 6),
                        retriever_scores={"rrf": round(float(hit["distance"]), 6)},
                        title=entity["title"], passage_id=entity["passage_id"])

    def close(self) -> None:
        """Close the connection; for a Milvus Lite file, also stop its embedded server in
        this process, which releases the file's lock for other processes."""
        if self._client is not None:
            self._client.close()
            self._client = None
            if "://" not in self.uri:
                try:
                    from milvus_lite.server_manager import server_manager_instance
                except ImportError:  # pragma: no cover - an older milvus-lite
                    return
                server_manager_instance.release_server(self.uri)


__all__ = ["DEFAULT_COLLECTION", "MilvusCorpus", "parse_milvus_spec"]
