"""Ingestion, the persisted hybrid index and search, with real MiniLM embeddings."""

import json
import shutil

import numpy as np
import pytest

from verify.cli import main
from verify.corpus import INDEX_VERSION, Corpus, Embedder, PassageSettings, open_corpus
from verify.errors import IndexFormatError, InputError, UnsafeOutputError
from verify.ingest import read_documents
from verify.types import Passage


@pytest.fixture(scope="module")
def embedder():
    return Embedder()


@pytest.fixture()
def mixed_folder(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    (folder / "tower.txt").write_text(
        "The Eiffel Tower is in Paris. It was completed in 1889.\n\nIt is 330 metres tall.",
        encoding="utf-8")
    (folder / "sub" / "rome.html").write_text(
        "<html><head><title>Rome</title><script>track()</script></head><body>"
        "<nav>Home | About</nav><p>The Colosseum is in Rome.</p>"
        "<p>It was completed in 80 AD.</p><footer>Copyright</footer></body></html>",
        encoding="utf-8")
    (folder / "notes.md").write_text("# Everest\n\nMount Everest is 8,849 metres high.\n",
                                     encoding="utf-8")
    (folder / "rows.jsonl").write_text(
        json.dumps({"text": "The Nile is about 6,650 km long.", "title": "Nile", "id": "n1"})
        + "\n{not json\n" + json.dumps({"title": "no text"}) + "\n", encoding="utf-8")
    (folder / "table.csv").write_text(
        'id,text,title\n1,"Lake Baikal is the deepest lake,\nat 1,642 metres.","Baikal"\n'
        '2,"He said ""hello"" to Ottawa, the capital of Canada.",Ottawa\n', encoding="utf-8")
    (folder / "latin1.txt").write_bytes("Café Müller opened in Zürich in 1921.".encode("latin-1"))
    (folder / "image.bin").write_bytes(b"\x00\x01\x02")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 not really a pdf")
    return folder


def test_ingest_mixed_folder_reports_what_it_skips(mixed_folder):
    result = read_documents([mixed_folder])
    titles = {d.title for d in result.documents}
    assert {"Rome", "Nile", "Baikal", "Ottawa"} <= titles
    rome = next(d for d in result.documents if d.title == "Rome")
    assert "track()" not in rome.text and "Home | About" not in rome.text
    assert "Colosseum" in rome.text
    baikal = next(d for d in result.documents if d.title == "Baikal")
    assert "deepest lake,\nat 1,642" in baikal.text
    assert any('said "hello"' in d.text for d in result.documents)
    assert any("Café Müller" in d.text for d in result.documents)
    skipped = dict(result.skipped)
    assert "unsupported file type .bin" in skipped[str(mixed_folder / "image.bin")]
    assert "not a readable PDF" in skipped[str(mixed_folder / "broken.pdf")]
    assert "malformed JSON" in skipped[f"{mixed_folder / 'rows.jsonl'}:2"]
    assert "no text" in skipped[f"{mixed_folder / 'rows.jsonl'}:3"]


def test_passages_keep_offsets_and_search_finds_them(mixed_folder, embedder):
    corpus = Corpus.from_path(mixed_folder, embedder=embedder)
    documents = {d.source: d.text for d in read_documents([mixed_folder]).documents}
    for passage in corpus.passages:
        assert documents[passage.source][passage.start:passage.end] == passage.text
    best = corpus.search("How tall is the Eiffel Tower?", k=3)[0]
    assert best.source.endswith("tower.txt") and "330 metres" in best.text
    assert set(best.retriever_scores) <= {"bm25", "dense"} and best.retriever_scores
    assert corpus.search("Colosseum", k=1, mode="bm25")[0].title == "Rome"
    assert "Everest" in corpus.search("highest mountain on Earth", k=1, mode="dense")[0].text
    many = corpus.search_many(["Nile length", "deepest lake"], k=2)
    assert "Nile" in many[0][0].text and "Baikal" in many[1][0].text


def test_near_duplicate_passages_are_collapsed(tmp_path, embedder):
    (tmp_path / "a.txt").write_text("The bridge opened in 2024.", encoding="utf-8")
    (tmp_path / "b.txt").write_text("The bridge opened in 2024!", encoding="utf-8")
    corpus = Corpus.from_path(tmp_path, embedder=embedder)
    assert len(corpus) == 1 and corpus.summary.duplicates_collapsed == 1


def test_save_load_round_trip_and_incremental_update(mixed_folder, tmp_path, embedder):
    index = tmp_path / "index"
    corpus = Corpus.from_path(mixed_folder, embedder=embedder)
    corpus.save(index)
    loaded = Corpus.load(index, embedder=embedder)
    assert isinstance(loaded.embeddings, np.memmap)
    assert [p.text for p in loaded.passages] == [p.text for p in corpus.passages]
    assert loaded.search("Colosseum", k=1)[0].text == corpus.search("Colosseum", k=1)[0].text
    # Change one document, remove another: only the changed one is embedded again.
    (mixed_folder / "tower.txt").write_text("The Eiffel Tower is 330 metres tall.",
                                            encoding="utf-8")
    (mixed_folder / "notes.md").unlink()
    updated = Corpus.from_path(mixed_folder, embedder=embedder, previous=loaded)
    assert updated.summary.embedded == 1
    assert updated.summary.reused == len(updated) - 1
    assert updated.summary.removed_documents == 1
    assert updated.summary.changed_documents == 1
    assert not any("Everest" in p.text for p in updated.passages)


def test_tampered_or_foreign_index_is_refused(mixed_folder, tmp_path, embedder):
    index = tmp_path / "index"
    Corpus.from_path(mixed_folder, embedder=embedder).save(index)
    with open(index / "passages.jsonl", "a", encoding="utf-8") as handle:
        handle.write("{}\n")
    with pytest.raises(IndexFormatError, match="checksum"):
        Corpus.load(index)
    manifest = json.loads((index / "manifest.json").read_text())
    manifest["version"] = 99
    (index / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(IndexFormatError, match="version 99.*rebuild"):
        Corpus.load(index)
    with pytest.raises(IndexFormatError, match="not a verify index"):
        Corpus.load(tmp_path)


def test_crash_while_saving_keeps_the_previous_index(mixed_folder, tmp_path, embedder,
                                                      monkeypatch):
    index = tmp_path / "index"
    corpus = Corpus.from_path(mixed_folder, embedder=embedder)
    corpus.save(index)

    def crash(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(np, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        corpus.save(index)
    monkeypatch.undo()
    assert len(Corpus.load(index, embedder=embedder)) == len(corpus)


def test_bad_queries_and_empty_folder(tmp_path, mixed_folder, embedder):
    corpus = Corpus.from_path(mixed_folder, embedder=embedder)
    with pytest.raises(InputError, match="empty"):
        corpus.search("")
    assert corpus.search("tower " * 10_000, k=2)  # 60,000 characters still work
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="No readable documents"):
        Corpus.from_path(tmp_path / "empty", embedder=embedder)
    with pytest.raises(InputError, match="does not exist"):
        Corpus.from_path(tmp_path / "missing", embedder=embedder)


def test_open_corpus_caches_raw_files(mixed_folder, tmp_path, embedder, monkeypatch):
    first = open_corpus(mixed_folder, cache_dir=tmp_path / "cache", embedder=embedder)

    def no_rebuild(*args, **kwargs):
        raise AssertionError("the cached index should have been used")

    # The second open must come from the cache: building again would fail here.
    monkeypatch.setattr(Corpus, "from_path", no_rebuild)
    second = open_corpus(mixed_folder, cache_dir=tmp_path / "cache", embedder=embedder)
    assert second.index_dir is not None and second.index_dir.parent == tmp_path / "cache"
    assert [p.text for p in second.passages] == [p.text for p in first.passages]
    # A changed file changes the key: the stale cache entry is not used.
    (mixed_folder / "notes.md").write_text("# Everest\n\nEverest is 8,848 m.\n")
    with pytest.raises(AssertionError, match="cached index"):
        open_corpus(mixed_folder, cache_dir=tmp_path / "cache", embedder=embedder)


def test_index_out_never_deletes_files_verify_did_not_write(mixed_folder, tmp_path, capsys):
    # The reproduction from issue #16: the input folder as --out lost its files.
    folder = tmp_path / "m"
    folder.mkdir()
    (folder / "t.txt").write_text("The Nile is about 6,650 km long.", encoding="utf-8")
    assert main(["index", str(folder), "--out", str(folder), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a verify index" in err
    assert sorted(p.name for p in folder.iterdir()) == ["t.txt"]
    # A file as --out is refused too, and left as it was.
    target = tmp_path / "notes.txt"
    target.write_text("keep me", encoding="utf-8")
    assert main(["index", str(mixed_folder), "--out", str(target), "--quiet"]) == 2
    assert target.read_text(encoding="utf-8") == "keep me"
    assert "not a folder" in capsys.readouterr().err


def test_save_refuses_a_foreign_folder_and_replaces_only_an_index(mixed_folder, tmp_path,
                                                                   embedder):
    corpus = Corpus.from_path(mixed_folder, embedder=embedder)
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / "manifest.json").write_text('{"name": "someone else\'s"}', encoding="utf-8")
    with pytest.raises(UnsafeOutputError, match="not a verify index"):
        corpus.save(foreign)
    assert [p.name for p in foreign.iterdir()] == ["manifest.json"]
    # Empty and missing folders are fine; a verify index is replaced in place.
    (tmp_path / "empty").mkdir()
    corpus.save(tmp_path / "empty")
    corpus.save(tmp_path / "empty")
    assert len(Corpus.load(tmp_path / "empty", embedder=embedder)) == len(corpus)
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_cache_entry_that_is_not_an_index_is_left_alone(mixed_folder, tmp_path, embedder):
    cache = tmp_path / "cache"
    first = open_corpus(mixed_folder, cache_dir=cache, embedder=embedder)
    entry = first.index_dir
    for path in entry.iterdir():  # someone else's files where the cache entry was
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    (entry / "mine.txt").write_text("keep", encoding="utf-8")
    again = open_corpus(mixed_folder, cache_dir=cache, embedder=embedder)
    assert len(again) == len(first)
    assert [p.name for p in entry.iterdir()] == ["mine.txt"]


def test_single_query_float16_shortlist_matches_exact_search(embedder):
    rng = np.random.default_rng(3)
    vectors = rng.standard_normal((3000, 384)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    passages = [Passage(text=f"passage {i}", source="s.txt", start=0, end=9,
                        passage_id=f"s@{i}") for i in range(len(vectors))]
    corpus = Corpus(passages, vectors, documents={}, settings=PassageSettings(),
                    embedder=embedder)
    query = vectors[:3] + 0.3 * rng.standard_normal((3, 384)).astype(np.float32)
    query /= np.linalg.norm(query, axis=1, keepdims=True)
    for vector in query:
        shortlisted = corpus._dense_ranks_half(vector, depth=50)
        exact = vectors @ vector
        expected = np.argsort(-exact)[:50]
        assert [i for i, _ in shortlisted] == expected.tolist()
        assert [s for _, s in shortlisted] == pytest.approx(exact[expected].tolist(), abs=1e-6)
    # One query (float16 scan) and a batch of ten (float32 product) agree.
    texts = [f"passage about topic {i}" for i in range(10)]
    one_by_one = [corpus.search(t, k=5, mode="dense") for t in texts]
    batched = corpus.search_many(texts, k=5, mode="dense")
    for together, alone in zip(batched, one_by_one):
        assert [e.passage_id for e in together] == [e.passage_id for e in alone]
        assert [e.retriever_scores["dense"] for e in together] == pytest.approx(
            [e.retriever_scores["dense"] for e in alone], abs=1e-5)


def test_numba_bm25_backend_gives_the_numpy_scores(mixed_folder, embedder, monkeypatch):
    pytest.importorskip("numba")
    import verify.corpus as corpus_module

    corpus = Corpus.from_path(mixed_folder, embedder=embedder)
    queries = ["Colosseum Rome", "deepest lake", "words nobody wrote"]
    numpy_ranks = corpus._bm25_ranks(queries, depth=5)
    monkeypatch.setattr(corpus_module, "NUMBA_MIN_PASSAGES", 0)
    assert corpus._use_numba()
    numba_ranks = corpus._bm25_ranks(queries, depth=5)
    for a, b in zip(numpy_ranks, numba_ranks):
        assert sorted(s for _, s in a) == pytest.approx(sorted(s for _, s in b))


def test_index_command_builds_searches_and_rebuilds_an_old_index(mixed_folder, tmp_path,
                                                                  capsys):
    index = tmp_path / "index"
    assert main(["index", str(mixed_folder), "--out", str(index), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Index built" in out and "image.bin: unsupported file type .bin" in out
    assert main(["search", str(index), "How deep is Lake Baikal?", "--format", "json"]) == 0
    top = json.loads(capsys.readouterr().out)["results"][0]
    assert "Baikal" in top["text"] and "table.csv" in top["source"]
    manifest = json.loads((index / "manifest.json").read_text())
    manifest["version"] = 1  # as written by an older verify
    (index / "manifest.json").write_text(json.dumps(manifest))
    assert main(["index", str(mixed_folder), "--out", str(index), "--quiet"]) == 0
    assert "Index built" in capsys.readouterr().out
    assert json.loads((index / "manifest.json").read_text())["version"] == INDEX_VERSION


def test_file_over_the_size_limit_is_skipped_with_its_reason(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "small.txt").write_text("The Nile is about 6,650 km long.", encoding="utf-8")
    with open(folder / "huge.txt", "wb") as handle:  # sparse: takes no disk space
        handle.truncate(201 * 2**20)
    result = read_documents([folder])
    assert [d.source for d in result.documents] == [str(folder / "small.txt")]
    assert "200 MB limit" in dict(result.skipped)[str(folder / "huge.txt")]


def test_links_fifos_and_odd_file_names_are_skipped_or_read_without_tracebacks(tmp_path,
                                                                             capsys):
    import os

    folder = tmp_path / "odd"
    folder.mkdir()
    (folder / "good.txt").write_text("The Nile is about 6,650 km long.", encoding="utf-8")
    os.symlink(folder / "missing.txt", folder / "dangling.txt")
    os.mkfifo(folder / "p.txt")  # reading it would block forever
    odd = os.fsencode(folder) + b"/caf\xe9.txt"  # a name that is not UTF-8
    with open(odd, "wb") as handle:
        handle.write(b"Lake Baikal is the deepest lake.")
    result = read_documents([folder])
    skipped = dict(result.skipped)
    assert "dangling symlink" in skipped[str(folder / "dangling.txt")]
    assert "FIFO" in skipped[str(folder / "p.txt")]
    sources = sorted(d.source for d in result.documents)
    assert sources == [str(folder / "caf\\xe9.txt"), str(folder / "good.txt")]
    # The command lists what it skipped and saves the index: no traceback, no hang.
    assert main(["index", str(folder), "--out", str(tmp_path / "index"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "dangling symlink" in out and "FIFO" in out
    assert main(["search", str(tmp_path / "index"), "deepest lake", "--format", "json"]) == 0
    assert "caf\\\\xe9.txt" in capsys.readouterr().out  # JSON-escaped backslash
    # Named directly, a FIFO is skipped too.
    assert "FIFO" in dict(read_documents([folder / "p.txt"]).skipped)[str(folder / "p.txt")]


def test_text_without_sentence_breaks_is_indexed_whole():
    from verify.corpus import make_passages
    from verify.ingest import Document

    text = "lorem ipsum dolor sit amet " * 500  # 13,500 characters, not one full stop
    passages = make_passages(Document("d", "d.txt", text))
    assert len(passages) > 5
    assert all(text[p.start:p.end] == p.text for p in passages)
    covered = "".join(p.text for p in passages).replace(" ", "")
    assert covered == text.replace(" ", "")


def test_ray_indexing_gives_the_same_passages_and_vectors(tmp_path):
    pytest.importorskip("ray", reason="--engine ray needs the 'ray' extra")
    from pathlib import Path

    import verify

    examples = Path(verify.__file__).resolve().parent / "examples" / "corpus"
    assert main(["index", str(examples), "--out", str(tmp_path / "local"), "-q"]) == 0
    assert main(["index", str(examples), "--out", str(tmp_path / "ray"), "--engine", "ray",
                 "-q"]) == 0
    local, on_ray = Corpus.load(tmp_path / "local"), Corpus.load(tmp_path / "ray")
    assert [p.passage_id for p in on_ray.passages] == [p.passage_id for p in local.passages]
    assert [p.text for p in on_ray.passages] == [p.text for p in local.passages]
    assert np.abs(np.asarray(on_ray.embeddings) - np.asarray(local.embeddings)).max() < 1e-5
