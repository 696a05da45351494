import pytest

from verify.errors import InputError
from verify.text import check_text, split_sentences


def _texts(text):
    spans = split_sentences(text)
    for span in spans:
        assert text[span.start:span.end] == span.text
    return [s.text for s in spans]


def test_abbreviations_initials_and_numbers_do_not_split():
    text = ("Mr. J. R. Smith of the U.S. State Dept. arrived at 10 a.m. on Jan. 5. "
            "It cost 3.5 million dollars. He left the U.S. The next day he flew home.")
    assert _texts(text) == [
        "Mr. J. R. Smith of the U.S. State Dept. arrived at 10 a.m. on Jan. 5.",
        "It cost 3.5 million dollars.",
        "He left the U.S.",
        "The next day he flew home.",
    ]


def test_quotes_headlines_and_bullets():
    text = ('Minister resigns over budget row\n\nLONDON, May 2 (Reuters) - The minister '
            'resigned. "We made progress," she said. "Did we?"\n- First point\n- Second point')
    assert _texts(text) == [
        "Minister resigns over budget row",
        "LONDON, May 2 (Reuters) - The minister resigned.",
        '"We made progress," she said.',
        '"Did we?"',
        "- First point",
        "- Second point",
    ]


def test_paragraphs_glued_by_a_scraper_are_split():
    # BBC pages in FRANK lose the space between paragraphs: "in 1991.Simpson, who ...".
    text = ('The theatre will reopen in 2018.The studios will be repaired. He won 6-3 6-3.'
            'Elsewhere, it rained. "It was a funkier world!"Michael said so. Who won?Was it '
            'him? See bbc.co.uk for the U.S.Army and Mr.Smith, worth 3.5 million. It is '
            'held by the UK.He said so.')
    assert _texts(text) == [
        "The theatre will reopen in 2018.",
        "The studios will be repaired.",
        "He won 6-3 6-3.",
        "Elsewhere, it rained.",
        '"It was a funkier world!"',
        "Michael said so.",
        "Who won?",
        "Was it him?",
        "See bbc.co.uk for the U.S.Army and Mr.Smith, worth 3.5 million.",
        "It is held by the UK.",
        "He said so.",
    ]


@pytest.mark.parametrize("bad,message", [
    ("", "empty"), ("   \n", "empty"), (b"bytes", "bytes"), (42, "string"),
    ("x" * 101, "over the limit"), ("a\x00b", "binary"),
])
def test_check_text_rejects_bad_input(bad, message):
    with pytest.raises(InputError, match=message):
        check_text(bad, max_chars=100)
