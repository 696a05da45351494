"""Sentence segmentation with character offsets, and input checks shared by all parts.

The splitter is rule-based and fast: it breaks after ``.``, ``!``, ``?`` (and closing quotes
or brackets that follow them) when the next non-space character starts a sentence, unless
the word before the period is a known abbreviation, an initial, or a number. Blank lines
always end a sentence, so headlines and list items stand alone. Paragraphs glued together
when a page was scraped ("will reopen in 2018.The theatre") are split too: a full stop
between a lower-case word or a number and a capitalised word.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .errors import InputError

DEFAULT_MAX_CHARS = 100_000

# Lower-cased, without the final period. Titles and abbreviations that rarely end sentences.
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres
    supt insp det cpl pvt maj brig
    jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs fri sat sun
    inc ltd co corp bros dept univ assn est approx vs etc al fig no nos vol pp p ca cf
    e.g i.e a.m p.m u.s u.k u.n u.s.a e.u d.c n.y l.a
    ave blvd rd hwy
    """.split()
)

_TITLES = frozenset(
    "mr mrs ms dr prof sr st mt gen col lt sgt capt cmdr adm gov sen rep rev hon pres "
    "supt insp det cpl pvt maj brig no nos vol pp fig vs cf".split()
)
_SENTENCE_OPENERS = frozenset(
    "The A An He She It They We I You This That These Those There In On At But And Yet "
    "So However After Before When While His Her Its Their Our Officials".split()
)

_BOUNDARY = re.compile(
    r"""
    (?P<end>[.!?]+|\u2026)          # terminal punctuation (or an ellipsis character)
    (?P<close>["'\u201d\u2019)\]]*)  # closing quotes / brackets that belong to the sentence
    (?P<space>\s+|(?<=[a-z0-9][.!?])(?=[A-Z][a-z])|(?<=[a-z0-9][.!?]["\u201d])(?=[A-Z][a-z])
       |(?<=[A-Z]{2}[.!?])(?=[A-Z][a-z]))  # "the UK.He said": an acronym, not initials
    """,
    re.VERBOSE,
)
_PARAGRAPH = re.compile(r"\n[ \t]*\n+|\n[ \t]*(?=[-*\u2022]\s)")
_WORD_BEFORE = re.compile(r"([A-Za-z][A-Za-z.]*)$")


@dataclass(frozen=True)
class Span:
    """A piece of a text with its offsets (``text == source[start:end]``)."""

    text: str
    start: int
    end: int


def check_text(text: object, what: str = "text", max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return ``text`` if it is a non-empty string within ``max_chars``; else raise InputError."""
    if isinstance(text, bytes):
        raise InputError(f"The {what} is bytes, not text: decode it (e.g. as UTF-8) first.")
    if not isinstance(text, str):
        raise InputError(f"The {what} must be a string, not {type(text).__name__}.")
    if not text.strip():
        raise InputError(f"The {what} is empty.")
    if len(text) > max_chars:
        raise InputError(
            f"The {what} has {len(text):,} characters, over the limit of {max_chars:,}; "
            "split it or raise the limit (max_chars)."
        )
    if "\x00" in text:
        raise InputError(f"The {what} contains NUL bytes: it looks like binary data, not text.")
    return text


def _ends_with_abbreviation(before: str) -> bool:
    match = _WORD_BEFORE.search(before)
    if not match:
        return False
    word = match.group(1)
    bare = word.rstrip(".").lower()
    if bare in _ABBREVIATIONS:
        return True
    # Initials and dotted acronyms: "J.", "U.S", "a.m".
    return len(bare) == 1 or bool(re.fullmatch(r"(?:[a-z]\.)+[a-z]?", bare))


def _is_title_or_initial(before: str) -> bool:
    match = _WORD_BEFORE.search(before)
    bare = match.group(1).rstrip(".").lower() if match else ""
    return bare in _TITLES or (len(bare) == 1 and bare.isalpha() and bare != "i")


def _starts_sentence(after: str) -> bool:
    stripped = after.lstrip("\"'\u201c\u2018([")
    if not stripped:
        return False
    first = stripped[0]
    return first.isupper() or first.isdigit() or not first.isalpha()


def _split_block(text: str, offset: int, spans: list[Span]) -> None:
    start = 0
    for match in _BOUNDARY.finditer(text):
        cut = match.end("close")
        terminal = match.group("end")
        before = text[start:match.start("end")]
        after = text[match.end():match.end() + 3]
        if terminal == "." and _ends_with_abbreviation(before):
            # "U.S. officials" continues but "in the U.S. The next day" ends: after an
            # abbreviation only a common sentence opener ends the sentence; after a title
            # ("Mr.") or an initial nothing does.
            next_word = re.match(r"[A-Za-z]+", text[match.end():match.end() + 20])
            if _is_title_or_initial(before) or not (
                next_word and next_word.group(0) in _SENTENCE_OPENERS
            ):
                continue
        if terminal == "." and re.search(r"\d$", before) and after[:1].isdigit():
            continue
        if not _starts_sentence(text[match.end():match.end() + 2]):
            continue
        _add(text, start, cut, offset, spans)
        start = match.end()
    _add(text, start, len(text), offset, spans)


def _add(text: str, start: int, end: int, offset: int, spans: list[Span]) -> None:
    piece = text[start:end]
    stripped_left = len(piece) - len(piece.lstrip())
    piece = piece.strip()
    if piece:
        begin = offset + start + stripped_left
        spans.append(Span(piece, begin, begin + len(piece)))


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences with offsets into ``text``.

    >>> [s.text for s in split_sentences("Mr. Kim met Pompeo. They talked.")]
    ['Mr. Kim met Pompeo.', 'They talked.']
    """
    spans: list[Span] = []
    block_start = 0
    for para in _PARAGRAPH.finditer(text):
        _split_block(text[block_start:para.start()], block_start, spans)
        block_start = para.end()
    _split_block(text[block_start:], block_start, spans)
    # Single newlines inside a block: a line with no terminal punctuation (a headline or
    # dateline line) is its own sentence.
    result: list[Span] = []
    for span in spans:
        result.extend(_split_lines(text, span))
    return result


def _split_lines(text: str, span: Span) -> list[Span]:
    if "\n" not in span.text:
        return [span]
    out: list[Span] = []
    cursor = span.start
    pending_start: int | None = None
    for line in span.text.split("\n"):
        line_start = cursor
        cursor += len(line) + 1
        if pending_start is None:
            pending_start = line_start
        if line.strip() and not re.search(r"[.!?,;:\"'\u201d)]\s*$", line.strip()):
            # No terminal punctuation: headline-like, but only when the next line starts a
            # sentence; otherwise it is hard-wrapped prose and we keep joining.
            nxt = text[cursor:cursor + 2] if cursor < span.end else ""
            if not nxt or _starts_sentence(nxt):
                _add(text, pending_start, line_start + len(line), 0, out)
                pending_start = None
    if pending_start is not None:
        _add(text, pending_start, span.end, 0, out)
    return out
