"""Slot checks aligned on predicates (verify.consistency), with spaCy's real parser."""

import pytest

from verify.consistency import SlotChecker, numbers_in

NAUERT = ("U.S. State Department spokeswoman Heather Nauert said Pompeo did not meet Kim Jong "
          "Un as he had done on his two previous visits to North Korea this year, but he "
          "handed over a letter to him from Trump.")
STEWART = ("Stewart, who played in a record 133 Tests for England and is currently director "
           "of cricket at Surrey, has not yet been approached by the ECB.")


@pytest.fixture(scope="module")
def checker():
    return SlotChecker()


def kinds(result):
    return [m.kind for m in result.mismatches]


@pytest.mark.parametrize("claim, sentence", [
    # Negation belongs to the predicate it modifies, not to the sentence.
    ("Pompeo did not meet Kim Jong Un.", NAUERT),
    ("Pompeo handed over a letter from Trump.", NAUERT),
    # A relative clause is its own statement, about the noun it hangs on.
    ("Stewart played in a record 133 Tests for England.", STEWART),
    # "7-2" is a vote, not an amount; a currency is a unit.
    ("The bridge cost $48 million.", "The council approved it by a vote of 7-2. The bridge "
                                     "cost $48 million."),
    # A name with one more word is the same name.
    ("Kim Yong Chol is a top Korean party official.",
     "Kim Yong Chol is a top North Korean party official."),
    # A source that states both polarities does not contradict either.
    ("It does look good.", "If it doesn't look good, that's OK, and if it does look good, "
                           "that's OK."),
    # A detail the source never mentions is missing, not wrong.
    ("Pompeo met Kim Jong Un in Pyongyang on Friday.", "Pompeo met Kim Jong Un."),
    # Tokenised thousands are one number.
    ("About 1,000 people attended.", "About 1 , 000 people attended ."),
])
def test_no_mismatch_where_the_source_agrees_or_is_silent(checker, claim, sentence):
    result = checker.check(claim, sentence)
    assert result.mismatches == (), [m.explanation for m in result.mismatches]


@pytest.mark.parametrize("claim, sentence, kind, words", [
    ("Pompeo met Kim Jong Un.", NAUERT, "negation", "Pompeo did not meet Kim Jong Un"),
    ("Stewart played in a record 135 Tests for England.", STEWART, "number",
     "claim says 135 Tests; source says 133 Tests"),
    ("The two sides agreed to hold discussions on July 14.",
     "The two sides agreed to hold discussions on July 12 on the repatriation of remains.",
     "date", "claim says July 14; source says July 12"),
    ("The bridge cost $84 million.", "The bridge cost $48 million.", "number",
     "claim says $84 million; source says $48 million"),
    ("Construction was led by Southgate Engineering.",
     "Construction was led by Northgate Engineering.", "name", "Northgate Engineering"),
    ("The Old Mill Bridge will be closed to pedestrians from June 1.",
     "The Old Mill Bridge will remain open to pedestrians and cyclists but will be closed "
     "to motor vehicles from June 1.", "opposite", "\"open to pedestrians\""),
    ("Kim Jong Un offered details of how North Korea might disarm.",
     "Kim Jong Un offered no details of how North Korea might disarm.", "negation",
     "claim states what the source denies"),
])
def test_aligned_conflicts_are_found_and_quoted(checker, claim, sentence, kind, words):
    result = checker.check(claim, sentence)
    assert result.contradicts and kinds(result)[0] == kind
    assert words in result.mismatches[0].explanation


def test_numbers_keep_units_and_skip_scores():
    assert numbers_in("a vote of 7-2") == []
    assert numbers_in("13%") == [(13.0, "percent", "13%")]
    assert numbers_in("\u00a32.5m") == [(2_500_000.0, "pound", "\u00a32.5m")]
    assert numbers_in("330 m tall")[0][:2] == (330.0, "m")
    assert numbers_in("$48 million")[0][:2] == numbers_in("48 million dollars")[0][:2]


def test_warm_up_twice_and_shared_pipeline(checker):
    from verify.claims import ClaimSplitter

    splitter = ClaimSplitter()
    shared = SlotChecker(lambda: splitter.nlp)
    shared.warm_up()
    shared.warm_up()
    assert shared._nlp is splitter.nlp
    shared.prepare(["Pompeo met Kim.", "Pompeo met Kim."])
    assert [c.lemma for c in shared.clauses("Pompeo met Kim.")] == ["meet"]
    shared.clear()
    assert shared._cache == {}


@pytest.mark.parametrize("claim, sentence, restated", [
    # The claim's words in order, whatever else the sentence says.
    ("Stewart played in a record 133 Tests for England.", STEWART, True),
    ("Pompeo did not meet Kim Jong Un.", NAUERT, True),
    ("Kim Yong Chol is a top North Korean party official.",
     "Pompeo shook hands with Kim Yong Chol, a top North Korean party official, on Sunday.",
     True),
    # A pronoun may be the claim's name: the sentence cannot contradict it either.
    ("Nauert would not explain the change.", "She said there had been no softening, "
                                             "although she would not explain the change.",
     True),
    ("The mission's principal investigator is Dr. Helen Marsh.",
     "Its principal investigator is Dr. Helen Marsh.", True),
    # A negation, a hedge or a denial the claim lacks; another order; another word.
    ("Pompeo met Kim Jong Un.", NAUERT, False),
    ("Kim is a spy agency chief.", "Kim is a former spy agency chief.", False),
    ("Pompeo met Kim Jong Un.", "Nauert denied Pompeo met Kim Jong Un.", False),
    ("Spain beat Ukraine 1-0.", "Ukraine beat Spain 1-0.", False),
    ("Turnout fell to 41 percent.", "Turnout was 41 percent.", False),
])
def test_a_sentence_restates_a_claim_only_with_its_words_in_order(checker, claim, sentence,
                                                                  restated):
    assert checker.check(claim, sentence).restated is restated
