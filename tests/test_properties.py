"""Property-based tests over the public inputs (hypothesis, bounded to run in CI).

Whatever the input, verify answers or raises :class:`verify.VerifyError` with a message: no
other exception, no hang, and nothing written outside the output folder.
"""

import json
import os
from pathlib import Path

import pytest

hypothesis = pytest.importorskip("hypothesis", reason="property tests need 'hypothesis'")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from verify import VerifyError  # noqa: E402
from verify.errors import InputError  # noqa: E402

# Bounded: the whole file stays well under a minute on 2 cores.
BOUNDED = settings(max_examples=25, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.function_scoped_fixture,
                                          HealthCheck.too_slow])

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=400)
WORDY = st.lists(st.sampled_from(
    ["The", "bridge", "cost", "$48", "million", "in", "2019", ".", "He", "said", "not",
     "July", "12", ",", "\u00e9t\u00e9", "\u2013", "\n\n", "Mr.", "Smith", "?", "\x00",
     "1,000", "7-2", "\"", "<p>", "no"]), max_size=60).map(" ".join)


@pytest.fixture(scope="module")
def splitter():
    from verify.claims import ClaimSplitter

    return ClaimSplitter()


@BOUNDED
@given(text=st.one_of(TEXT, WORDY))
def test_split_claims_answers_or_raises_input_error(splitter, text):
    try:
        claims = splitter.split(text)
    except InputError as exc:
        assert str(exc)
        return
    for claim in claims:
        assert 0 <= claim.start < claim.end <= len(text)
        assert claim.text.strip()


@pytest.fixture(scope="module")
def verifier(tiny_nli_dir, splitter):
    from verify import Verifier

    examples = Path(__file__).resolve().parents[1] / "verify" / "examples" / "corpus"
    # The splitter fixture's spaCy pipeline: one load for the whole module.
    checker = Verifier(examples, model=str(tiny_nli_dir), splitter=splitter)
    checker.warm_up()
    return checker


@BOUNDED
@given(article=st.one_of(TEXT, WORDY))
def test_check_answers_or_raises_verify_error(verifier, article):
    try:
        report = verifier.check(article)
    except VerifyError as exc:
        assert str(exc)
        return
    for verdict in report.verdicts:
        assert 0.0 <= verdict.confidence <= 1.0
        json.dumps(verdict.to_dict())


@BOUNDED
@given(pairs=st.lists(st.tuples(st.one_of(TEXT, WORDY, st.just(""), st.integers()),
                                st.one_of(TEXT, WORDY, st.just(""), st.none())),
                      max_size=4))
def test_score_pairs_answers_or_raises_input_error(verifier, pairs):
    try:
        scores = verifier.scorer.score_pairs(pairs)
    except InputError as exc:
        assert str(exc)
        return
    assert len(scores) == len(pairs)
    for score in scores:
        assert sum(score.probabilities.values()) == pytest.approx(1.0, abs=1e-4)


NAMES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",),
                              exclude_characters="/\x00"), min_size=1, max_size=20).filter(
    lambda name: name not in {".", ".."})
FILES = st.lists(st.tuples(
    NAMES, st.sampled_from([".txt", ".md", ".html", ".csv", ".jsonl", ".pdf", ".bin", ""]),
    st.one_of(st.binary(max_size=300), TEXT.map(lambda t: t.encode("utf-8")),
              TEXT.map(lambda t: t.encode("utf-16")), WORDY.map(lambda t: t.encode("latin-1",
                                                                                 "replace")))),
    min_size=1, max_size=5)


@pytest.fixture(scope="module")
def embedder():
    from verify.corpus import Embedder

    return Embedder()


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.lstat().st_size, p.lstat().st_mtime_ns) for p in folder.rglob("*")}


@BOUNDED
@given(files=FILES, odd_name=st.binary(min_size=1, max_size=8))
def test_corpus_from_generated_folders_changes_nothing_and_raises_only_verify_errors(
        tmp_path_factory, embedder, files, odd_name):
    from verify.corpus import Corpus

    root = tmp_path_factory.mktemp("gen")
    folder = root / "docs"
    folder.mkdir()
    for name, suffix, data in files:
        try:
            (folder / f"{name}{suffix}").write_bytes(data)
        except OSError:  # a name this file system refuses
            continue
    # A name with arbitrary bytes, a dangling link and an empty file.
    raw = os.fsencode(folder) + b"/" + odd_name.replace(b"/", b"_").replace(b"\x00", b"_")
    try:
        with open(raw + b".txt", "wb") as handle:
            handle.write(b"The river is 112 km long.")
    except OSError:
        pass
    os.symlink(folder / "nowhere.txt", folder / "dangling.txt")
    (folder / "empty.txt").write_bytes(b"")
    before = _snapshot(root)
    try:
        corpus = Corpus.from_path(folder, embedder=embedder)
    except VerifyError as exc:
        assert str(exc)
    else:
        out = root / "index"
        corpus.save(out)
        json.dumps([p.to_dict() for p in corpus.passages])
        assert len(Corpus.load(out, embedder=embedder)) == len(corpus)
    after = {k: v for k, v in _snapshot(root).items() if not k.startswith(str(root / "index"))}
    assert after == before


@BOUNDED
@given(lines=st.lists(st.one_of(
    TEXT, st.dictionaries(st.sampled_from(["claim", "label", "evidence", "id", "x"]),
                          st.one_of(TEXT, st.integers(), st.none(), st.lists(TEXT, max_size=2)),
                          max_size=5).map(json.dumps)), max_size=6),
    suffix=st.sampled_from([".jsonl", ".csv"]))
def test_eval_readers_answer_or_raise_input_error(tmp_path_factory, lines, suffix):
    from verify.evaluate import ReadReport, read_items

    path = tmp_path_factory.mktemp("eval") / f"claims{suffix}"
    path.write_text("\n".join(lines), encoding="utf-8")
    report = ReadReport()
    try:
        items = list(read_items(path, report=report))
    except InputError as exc:
        assert str(exc)
        return
    for item in items:
        assert isinstance(item.claim, str) and item.label
