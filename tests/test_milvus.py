"""MilvusCorpus against a real Milvus Lite file: search, incremental loads, a killed load."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("pymilvus", reason="the milvus extra is not installed")
pytest.importorskip("milvus_lite", reason="the milvus extra is not installed")

import verify  # noqa: E402
from verify.corpus import Corpus, Embedder  # noqa: E402
from verify.errors import IndexFormatError, InputError  # noqa: E402
from verify.milvus import MilvusCorpus, parse_milvus_spec  # noqa: E402

EXAMPLES = Path(verify.__file__).resolve().parent / "examples"


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


@pytest.fixture()
def corpus_dir(tmp_path):
    folder = tmp_path / "corpus"
    shutil.copytree(EXAMPLES / "corpus", folder)
    return folder


def _passages(corpus: MilvusCorpus) -> list[dict]:
    client = corpus._connect()
    return client.query(corpus.collection, filter=corpus._visible(),
                        output_fields=["passage_id", "text", "doc", "load"], limit=10000)


def test_search_returns_evidence_with_offsets_like_the_embedded_index(tmp_path, corpus_dir,
                                                                      embedder):
    milvus = MilvusCorpus.from_path(corpus_dir, uri=str(tmp_path / "m.db"), embedder=embedder)
    embedded = Corpus.from_path(corpus_dir, embedder=embedder)
    queries = ["How much did the Riverside Bridge cost?", "Salmon returned to the Alder River."]
    found = milvus.search_many(queries, k=3)
    reference = embedded.search_many(queries, k=3)
    # Overlapping passages can tie in the fused ranking, so compare sets, not the order.
    for hits, expected in zip(found, reference):
        assert hits[0].passage_id in {e.passage_id for e in expected}
        assert len({e.passage_id for e in hits} & {e.passage_id for e in expected}) >= 2
        for evidence in hits:
            text = Path(evidence.source).read_text(encoding="utf-8")
            if evidence.source.endswith((".txt", ".md")):
                assert text[evidence.start:evidence.end] == evidence.text
    assert len(milvus) == len(embedded)
    milvus.close()


def test_loads_are_incremental(tmp_path, corpus_dir, embedder):
    uri = str(tmp_path / "m.db")
    # Ids with quotes (paths, titles) must survive upserts and deletes.
    (corpus_dir / "mayor's \"notes\".txt").write_text("The mayor met the council on Monday.",
                                                     encoding="utf-8")
    first = MilvusCorpus.from_path(corpus_dir, uri=uri, embedder=embedder)
    total = first.summary.passages
    first.close()
    again = MilvusCorpus.from_path(corpus_dir, uri=uri, embedder=embedder)
    assert again.summary.embedded == 0 and again.summary.reused == total
    again.close()
    bridge = corpus_dir / "riverside_bridge_press_release.txt"
    bridge.write_text("The Riverside Bridge cost $51 million. It opened in May.",
                      encoding="utf-8")
    (corpus_dir / "council_minutes_march_2024.md").unlink()
    (corpus_dir / "mayor's \"notes\".txt").unlink()
    changed = MilvusCorpus.from_path(corpus_dir, uri=uri, embedder=embedder)
    assert changed.summary.changed_documents == 1 and changed.summary.removed_documents == 2
    rows = _passages(changed)
    assert not any("council_minutes" in r["passage_id"] or "mayor" in r["passage_id"]
                   for r in rows)
    bridge_rows = [r for r in rows if "riverside_bridge" in r["passage_id"]]
    assert [r["text"] for r in bridge_rows] == [bridge.read_text(encoding="utf-8")]
    # Nothing stale is left behind: every stored passage is visible.
    client = changed._connect()
    assert len(client.query(changed.collection, filter='load != ""', output_fields=["id"],
                            limit=10000)) == len(rows)
    assert "$51 million" in changed.search("bridge cost", k=1)[0].text
    changed.close()


KILLED_LOAD = """
import os, signal, sys
from pathlib import Path
import verify.milvus as milvus
milvus._INSERT_BATCH = 1
calls = []
original = milvus.MilvusCorpus._insert
def insert_then_die(self, passages, load_id, seq, encode):
    result = original(self, passages, load_id, seq, encode)
    calls.append(1)
    if len(calls) == 2:  # part of the new load written, not committed
        os.kill(os.getpid(), signal.SIGKILL)
    return result
milvus.MilvusCorpus._insert = insert_then_die
milvus.MilvusCorpus.from_path(sys.argv[1], uri=sys.argv[2])
"""


def test_a_killed_load_is_invisible_and_a_rerun_completes_it(tmp_path, corpus_dir, embedder):
    uri = str(tmp_path / "m.db")
    before = MilvusCorpus.from_path(corpus_dir, uri=uri, embedder=embedder)
    texts_before = sorted(r["text"] for r in _passages(before))
    before.close()
    for path in corpus_dir.iterdir():  # every document changes
        path.write_text(path.read_text(encoding="utf-8") + "\n\nA new closing sentence.",
                        encoding="utf-8")
    killed = subprocess.run([sys.executable, "-c", KILLED_LOAD, str(corpus_dir), uri],
                            capture_output=True, text=True)
    assert killed.returncode == -9, killed.stderr[-2000:]
    reopened = MilvusCorpus(uri, embedder=embedder)
    reopened.warm_up()
    assert sorted(r["text"] for r in _passages(reopened)) == texts_before
    # Searches see none of the killed load's rows, though they match best.
    for fusion in ("client", "milvus"):
        reopened.fusion = fusion
        hits = reopened.search_many(["A new closing sentence."], k=20)[0]
        assert hits and not any("new closing sentence" in e.text for e in hits)
    reopened.close()
    rerun = MilvusCorpus.from_path(corpus_dir, uri=uri, embedder=embedder)
    expected = Corpus.from_path(corpus_dir, embedder=embedder)
    assert sorted(r["text"] for r in _passages(rerun)) == sorted(p.text for p in
                                                                 expected.passages)
    client = rerun._connect()
    stored = client.query(rerun.collection, filter='load != ""', output_fields=["id"],
                          limit=10000)
    assert len(stored) == len(expected.passages)  # the killed load's rows are gone
    rerun.close()


def test_cli_index_and_check_with_a_milvus_corpus(tmp_path, corpus_dir, tiny_nli_dir,
                                                  capsys):
    from verify.cli import main

    uri = str(tmp_path / "cli.db")
    assert main(["index", str(corpus_dir), "--milvus", uri, "--collection", "news",
                 "--format", "json", "-q"]) == 0
    built = json.loads(capsys.readouterr().out)
    assert built["index"] == f"milvus:{uri}#news" and built["passages"] > 0
    assert main(["check", str(EXAMPLES / "article.txt"), "--corpus", f"milvus:{uri}#news",
                 "--model", str(tiny_nli_dir), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["claims"] and any(c["evidence"] for c in report["claims"])
    assert all(e["source"].startswith(str(corpus_dir)) for c in report["claims"]
               for e in c["evidence"])


def test_clear_errors(tmp_path, corpus_dir, embedder):
    with pytest.raises(InputError, match="names no Milvus URI"):
        parse_milvus_spec("milvus:")
    with pytest.raises(InputError, match="collection names"):
        MilvusCorpus(str(tmp_path / "m.db"), "bad-name")
    missing = MilvusCorpus(str(tmp_path / "empty.db"), "absent", embedder=embedder)
    with pytest.raises(IndexFormatError, match="no collection 'absent'.*verify index"):
        missing.warm_up()
    missing.close()
    # A collection verify did not write is refused, not overwritten.
    from pymilvus import DataType, MilvusClient

    client = MilvusClient(uri=str(tmp_path / "foreign.db"))
    schema = client.create_schema(auto_id=True)
    schema.add_field("id", DataType.INT64, is_primary=True)
    schema.add_field("v", DataType.FLOAT_VECTOR, dim=2)
    client.create_collection("theirs", schema=schema)
    client.close()
    with pytest.raises(IndexFormatError, match="not written by verify"):
        MilvusCorpus.from_path(corpus_dir, uri=str(tmp_path / "foreign.db"),
                               collection="theirs", embedder=embedder)


def test_client_fusion_ranks_like_milvus_hybrid_search(tmp_path, corpus_dir, embedder):
    corpus = MilvusCorpus.from_path(corpus_dir, uri=str(tmp_path / "m.db"), embedder=embedder)
    queries = ["How much did the Riverside Bridge cost?", "Salmon returned to the Alder River.",
               "council vote on the library budget"]
    corpus.fusion = "client"
    client_side = corpus.search_many(queries, k=6)
    corpus.fusion = "milvus"
    server_side = corpus.search_many(queries, k=6)
    for ours, theirs in zip(client_side, server_side):
        assert [e.score for e in ours] == pytest.approx([e.score for e in theirs], abs=1e-6)
        # Equal scores may come in either order; the passages at each score agree.
        by_score = {}
        for e in theirs:
            by_score.setdefault(round(e.score, 6), set()).add(e.passage_id)
        for e in ours:
            if round(e.score, 6) in by_score and len(by_score[round(e.score, 6)]) == 1:
                assert e.passage_id in by_score[round(e.score, 6)]
    corpus.close()
    with pytest.raises(InputError, match="Unknown fusion"):
        MilvusCorpus(str(tmp_path / "m.db"), fusion="rrf")


def test_an_open_corpus_sees_a_later_load(tmp_path, corpus_dir, embedder):
    uri = str(tmp_path / "m.db")
    MilvusCorpus.from_path(corpus_dir, uri=uri, embedder=embedder).close()
    reader = MilvusCorpus(uri, embedder=embedder, refresh_seconds=0)
    assert not any("ferry" in e.text for e in reader.search("ferry timetable", k=3))
    (corpus_dir / "ferry.txt").write_text("The ferry timetable changes on 1 June.",
                                          encoding="utf-8")
    # Milvus Lite admits one process per file; a second client in this one is a writer.
    MilvusCorpus.from_path(corpus_dir, uri=uri, embedder=embedder)
    assert "ferry" in reader.search("ferry timetable", k=1)[0].text
    reader.close()
