"""End-to-end: article + corpus -> verdicts, through the one engine."""

import json
from pathlib import Path

import pytest

import verify
from verify.cli import main
from verify.corpus import Corpus
from verify.engine import Verifier, report_to_json
from verify.types import Label

EXAMPLES = Path(verify.__file__).resolve().parent / "examples"

# Expected verdicts on the bundled example (see verify/examples/README.md).
EXPECTED = {
    "four years": Label.REFUTED,
    "$84 million": Label.REFUTED,
    "Southgate Engineering": Label.REFUTED,
    "Tom Becker voted for": Label.REFUTED,
    "closed to pedestrians": Label.REFUTED,
    "Mayor Elena Ruiz cut the ribbon": Label.SUPPORTED,
    "420 metres long": Label.SUPPORTED,
    "Salmon returned": Label.SUPPORTED,
    "Danish architect": Label.NOT_ENOUGH_INFO,
}


@pytest.fixture(scope="module")
def example_corpus():
    return Corpus.from_path(EXAMPLES / "corpus")


def test_example_files_are_installed():
    assert (EXAMPLES / "article.txt").is_file()
    assert len(list((EXAMPLES / "corpus").iterdir())) == 3


def test_report_follows_the_json_contract(tiny_nli_dir, example_corpus):
    verifier = Verifier(example_corpus, model=str(tiny_nli_dir))
    report = verifier.check((EXAMPLES / "article.txt").read_text(encoding="utf-8"))
    data = report_to_json(report)
    assert set(data) >= {"claims", "summary", "model", "timings"}
    claim = data["claims"][0]
    assert set(claim) >= {"text", "start", "end", "verdict", "confidence", "probabilities",
                          "evidence", "explanation"}
    assert set(claim["evidence"][0]) >= {"source", "text", "start", "end", "score"}
    article = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
    for item in data["claims"]:
        assert 0 <= item["start"] < item["end"] <= len(article)
        # The words a claim was made from lie inside its range, in order.
        assert item["spans"] and all(item["start"] <= a < b <= item["end"]
                                     for a, b in item["spans"])
        assert item["spans"] == sorted(item["spans"])
        assert isinstance(item["context_needed"], bool)
        for evidence in item["evidence"]:
            source_text = Path(evidence["source"]).read_text(encoding="utf-8")
            if evidence["source"].endswith(".txt") or evidence["source"].endswith(".md"):
                assert source_text[evidence["start"]:evidence["end"]] == evidence["text"]
    json.dumps(data)  # serialisable
    assert data["summary"]["claims_checked"] == len(data["claims"])


def test_consistency_checks_catch_planted_slot_errors_with_any_model(tiny_nli_dir,
                                                                    example_corpus):
    # The explicit checks do not depend on the NLI model, so even a random one catches these.
    verifier = Verifier(example_corpus, model=str(tiny_nli_dir))
    report = verifier.check("The bridge cost $84 million. Construction was led by "
                            "Southgate Engineering.")
    labels = [v.label for v in report.verdicts]
    assert labels == [Label.REFUTED, Label.REFUTED]
    assert "claim says $84 million; source says $48 million" in report.verdicts[0].explanation
    assert "Northgate Engineering" in report.verdicts[1].explanation


def test_nothing_checkworthy_and_nothing_relevant(tiny_nli_dir, example_corpus):
    verifier = Verifier(example_corpus, model=str(tiny_nli_dir))
    report = verifier.check("Will it rain tomorrow?")
    assert report.verdicts == ()
    assert any("No check-worthy claims" in n for n in report.notices)
    unrelated = verifier.check("Quantum chromodynamics describes the strong interaction "
                               "between quarks and gluons.")
    assert all(v.label is Label.NOT_ENOUGH_INFO for v in unrelated.verdicts)
    assert "No relevant evidence found" in unrelated.verdicts[0].explanation


def test_check_command_json(tiny_nli_dir, capsys):
    code = main(["check", "--example", "--model", str(tiny_nli_dir), "--format", "json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    assert data["claims"] and data["model"] == str(tiny_nli_dir)


def test_check_command_errors(tiny_nli_dir, tmp_path, capsys):
    assert main(["check", str(tmp_path / "missing.txt"), "--corpus", str(EXAMPLES / "corpus"),
                 "--model", str(tiny_nli_dir)]) == 1
    assert "does not exist" in capsys.readouterr().err
    binary = tmp_path / "image.txt"
    binary.write_bytes(b"\x00\x01\x02\x03" * 10)
    assert main(["check", str(binary), "--corpus", str(EXAMPLES / "corpus"),
                 "--model", str(tiny_nli_dir)]) == 1
    assert "binary" in capsys.readouterr().err


@pytest.mark.slow
def test_bundled_model_gets_the_example_right(bundled_available, example_corpus):
    report = Verifier(example_corpus, model="verify-nli-minilm").check(
        (EXAMPLES / "article.txt").read_text(encoding="utf-8"))
    by_text = {v.claim.text: v for v in report.verdicts}
    for fragment, label in EXPECTED.items():
        matches = [v for text, v in by_text.items() if fragment in text]
        assert matches, f"no claim contains {fragment!r}: {list(by_text)}"
        assert matches[0].label is label, (fragment, matches[0].label, matches[0].explanation)


def test_any_object_with_search_many_can_serve_as_corpus(tiny_nli_dir):
    """What a vector-database adapter has to provide: search_many -> lists of Evidence."""
    from verify.types import Evidence

    class StaticCorpus:
        def __init__(self):
            self.queries = []

        def search_many(self, texts, k=5, *, contexts=None):
            self.queries += list(texts)
            text = "The bridge cost $48 million."
            return [[Evidence(text=text, source="db://doc/7", start=100, end=100 + len(text),
                              score=0.9)] for _ in texts]

    backend = StaticCorpus()
    report = Verifier(backend, model=str(tiny_nli_dir)).check("The bridge cost $84 million.")
    assert backend.queries == ["The bridge cost $84 million."]
    assert report.verdicts[0].label is Label.REFUTED
    assert report.verdicts[0].evidence[0].source == "db://doc/7"
    assert report.verdicts[0].evidence[0].start == 100


def test_a_check_past_its_time_budget_stops_with_a_clear_error(tiny_nli_dir, example_corpus):
    import time

    from verify.ui.app import EXAMPLE_CORPUS, CheckService

    from verify.errors import CheckTimeoutError

    verifier = Verifier(example_corpus, model=str(tiny_nli_dir))
    verifier.warm_up()
    article = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
    with pytest.raises(CheckTimeoutError, match="ran past its time budget"):
        verifier.check(article, time_budget=0.0)
    # The NLI step stops between batches too.
    with pytest.raises(CheckTimeoutError, match="while scoring evidence"):
        verifier.scorer.score_pairs([("a claim", "some evidence")] * 3,
                                    deadline=time.monotonic() - 1)
    assert verifier.check(article, time_budget=600).verdicts  # a generous budget is unseen
    service = CheckService(models=[str(tiny_nli_dir)], time_budget_s=0.0)
    with pytest.raises(CheckTimeoutError, match="This page allows 0 s a check"):
        service.check(article, EXAMPLE_CORPUS, str(tiny_nli_dir))


class _CountingScorer:
    """Wraps a scorer and counts the pairs the engine asks it for."""

    def __init__(self, scorer):
        self.scorer = scorer
        self.pairs = 0

    def __getattr__(self, name):
        return getattr(self.scorer, name)

    def score_pairs(self, pairs, **options):
        self.pairs += len(pairs)
        return self.scorer.score_pairs(pairs, **options)


def test_early_stop_scores_fewer_pairs_with_the_same_labels(bundled_available,
                                                            example_corpus):
    from verify.nli import NLIScorer

    article = (EXAMPLES / "article.txt").read_text(encoding="utf-8")
    scorer = NLIScorer("verify-nli-minilm")
    full = _CountingScorer(scorer)
    early = _CountingScorer(scorer)
    labels_full = [v.label for v in Verifier(example_corpus, scorer=full, decision="rule",
                                             early_stop=False).check(article).verdicts]
    report = Verifier(example_corpus, scorer=early, decision="rule",
                      early_stop=True).check(article)
    assert [v.label for v in report.verdicts] == labels_full
    assert early.pairs < full.pairs
    # A claim settled by its first sentence shows that sentence as its evidence.
    for verdict in report.verdicts:
        if verdict.label is Label.SUPPORTED:
            assert verdict.evidence and verdict.evidence[0].nli is not None


def test_min_alignment_leaves_unrelated_sentences_unscored(tiny_nli_dir, example_corpus):
    counting = _CountingScorer(verify.nli.NLIScorer(str(tiny_nli_dir)))
    verifier = Verifier(example_corpus, scorer=counting, min_alignment=0.99)
    claims = verifier.splitter.split("Zebras migrate across the Serengeti every year.")
    verdicts = verifier.verify_claims(claims)
    assert counting.pairs == 0
    assert all(v.label is Label.NOT_ENOUGH_INFO for v in verdicts)


class _OneWayScorer:
    """A stand-in NLI model: every (claim, evidence) pair is a contradiction at
    ``forward``, except pairs whose evidence is the claim under test (the reverse
    direction), which are a contradiction at ``reverse``."""

    name = "one-way"
    notices = ()

    def __init__(self, claim: str, forward: float, reverse: float) -> None:
        self.claim, self.forward, self.reverse = claim, forward, reverse
        self.spec = type("Spec", (), {"thresholds": {"support": 0.5, "refute": 0.5}})()
        self.asked: list[tuple[str, str]] = []

    def warm_up(self):
        pass

    def score_pairs(self, pairs, **options):
        from verify.types import Scores

        self.asked += list(pairs)
        out = []
        for _, evidence in pairs:
            refute = self.reverse if evidence == self.claim else self.forward
            probabilities = {"SUPPORTED": 0.05, "REFUTED": refute,
                             "NOT ENOUGH INFO": 0.95 - refute}
            out.append(Scores(Label(max(probabilities, key=probabilities.get)),
                              probabilities, self.name))
        return out


@pytest.mark.parametrize("reverse,expected", [(0.05, Label.NOT_ENOUGH_INFO),
                                              (0.8, Label.REFUTED)])
def test_a_contradiction_must_hold_both_ways_to_refute(reverse, expected):
    from verify.types import Claim, Evidence

    text = "Trams will run from 5 a.m. until midnight."
    sentence = "Trams will run from 5 a.m. to midnight."
    scorer = _OneWayScorer(text, forward=0.9, reverse=reverse)
    verifier = Verifier(None, scorer=scorer, decision="rule")
    claim = Claim(text, 0, len(text))
    evidence = Evidence(text=sentence, source="operator.txt", start=0, end=len(sentence),
                        score=1.0)
    verdict = verifier.verify_with_evidence([claim], [[evidence]])[0]
    assert verdict.label is expected
    # The reverse pair (the sentence checked against the claim as premise) was asked once.
    assert scorer.asked.count((sentence, text)) == 1
    if expected is Label.REFUTED:
        assert "80% with the claim as premise" in verdict.explanation
