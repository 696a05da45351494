"""Explicit slot checks between a claim and an evidence sentence, aligned on predicates.

NLI models are weakest exactly where fact-checkers need them: numbers, dates, names and
negation. A sentence of news holds several predicates ("Nauert said Pompeo did not meet
Kim, but he handed over a letter"), so comparing slots across whole sentences confuses a
negation, a number or a name of one predicate with another's. Here both texts are parsed
(spaCy's dependency parse), cut into clauses (a predicate with the words it governs, less
its nested clauses), and each clause of the claim is aligned with the evidence clause of the
same predicate (same lemma) that shares most of its words, or, for values only, a clause of
another verb that shares three quarters of them ("came second with 15,905 votes" /
"finished second with 19,905 votes"). Only aligned clauses are compared: negation and
quantifiers on the same predicate, numbers with their units, dates, years, weekdays and
names in the clause. A slot the aligned clause does not fill is missing, not mismatched.
An opposite word followed by the claim's next words ("open to pedestrians" / "closed to
pedestrians") is checked across the sentence. Each mismatch quotes the aligned words
("claim says July 14; source says July 12").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

MONTHS = ("january february march april may june july august september october november "
          "december").split()
_MONTH_ABBR = {m[:3]: m for m in MONTHS} | {"sept": "september"}
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
                "dozen": 12, "hundred": 100}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "bn": 1e9,
          "m": 1e6}
_CURRENCY = {"$": "dollar", "\u00a3": "pound", "\u20ac": "euro"}
_STOP = frozenset(
    "a an the of in on at to for from by with and or but as is are was were be been being has "
    "have had do does did it its this that these those he she they them his her their we our "
    "you your i me my not no never n't also than then there here which who whom whose what "
    "when where why how said says say will would can could may might shall should must about "
    "over under after before into out up down off more most less least very just only".split())
_NEGATION = re.compile(r"\b(not|never|no longer|no one|nobody|none|cannot|without)\b|n't\b",
                       re.IGNORECASE)
_QUANTIFIER_CLASSES = {
    "universal": re.compile(r"\b(all|every|each|everyone|always|entire)\b", re.IGNORECASE),
    "partial": re.compile(r"\b(some|one of|several|few|part of|most|many|sometimes)\b",
                          re.IGNORECASE),
    "none": re.compile(r"\b(none|no one|nobody|never)\b", re.IGNORECASE),
}
_NUMBER = re.compile(
    r"(?:([$\u00a3\u20ac])\s*)?"  # a currency sign is the unit: "$48 million"
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:-|\u2013|to)\s*(\d+))?"
    r"(?:\s*(thousand|million|billion|trillion|bn|m)\b)?"
    r"(?:(?:[\s-]+|(?=%))(%|percent|per cent|[a-z]+))?",
    re.IGNORECASE)
# Tokenised text (FEVER, PTB) writes "1,000" as "1 , 000" and "3.5" as "3 . 5".
_SPLIT_THOUSANDS = re.compile(r"(?<=\d) , (?=\d{3}\b)")
_SPLIT_DECIMAL = re.compile(r"(?<=\d) \. (?=\d)")
# "no deaths" counts as zero deaths; only ever compared with a number of the same unit.
_WORD_NUMBER = re.compile(r"\b(" + "|".join([*NUMBER_WORDS, "no"]) + r")\b(?:[\s-]+([a-z]+))?",
                          re.IGNORECASE)
_DATE = re.compile(r"\b(" + "|".join(MONTHS + list(_MONTH_ABBR)) +
                   r")\.?\s+(\d{1,2})(?:st|nd|rd|th)?\b", re.IGNORECASE)
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
_NAME = re.compile(r"\b([A-Z][a-z]+(?:[ -][A-Z][a-z]+)*)\b")


# Words whose opposite in the same phrase flips a claim ("voted for the motion" against
# "voted against the motion", "closed to pedestrians" against "open to pedestrians").
_OPPOSITES: dict[str, tuple[str, ...]] = {}
for _a, _b in [("for", "against"), ("open", "closed"), ("opened", "closed"),
               ("increase", "decrease"), ("increased", "decreased"), ("rose", "fell"),
               ("rise", "fall"), ("higher", "lower"), ("stronger", "weaker"),
               ("stronger", "lower"), ("more", "less"), ("more", "fewer"), ("above", "below"),
               ("before", "after"), ("won", "lost"), ("approved", "rejected"),
               ("accepted", "rejected"), ("supported", "opposed"), ("allowed", "banned"),
               ("gained", "lost"), ("largest", "smallest"), ("first", "last"),
               ("north", "south"), ("east", "west"), ("early", "late"), ("earlier", "later"),
               ("safe", "unsafe"), ("legal", "illegal"), ("public", "private"),
               ("majority", "minority"), ("confirmed", "denied"), ("succeeded", "failed")]:
    _OPPOSITES[_a] = _OPPOSITES.get(_a, ()) + (_b,)
    _OPPOSITES[_b] = _OPPOSITES.get(_b, ()) + (_a,)


def _opposite_phrase(claim: str, sentence: str) -> tuple[str, str] | None:
    """(claim phrase, source phrase) when the source says the opposite word in the same
    phrase: the word swapped for its opposite, followed by the claim's next words."""
    words = re.findall(r"[A-Za-z0-9'-]+", claim.lower())
    source_words = re.findall(r"[A-Za-z0-9'-]+", sentence.lower())
    source_text = " " + " ".join(source_words) + " "
    claim_text = " " + " ".join(words) + " "
    for i, word in enumerate(words):
        if word not in _OPPOSITES:
            continue
        # The longest shared continuation of three, then two words.
        for size in (3, 2):
            following = words[i + 1:i + 1 + size]
            if len(following) < size:
                continue
            for opposite in _OPPOSITES[word]:
                phrase = " ".join([opposite, *following])
                own = " ".join([word, *following])
                # The source must say the opposite and not also say what the claim says.
                if f" {phrase} " in source_text and f" {phrase} " not in claim_text \
                        and f" {own} " not in source_text:
                    return own, phrase
    return None


@dataclass(frozen=True)
class Mismatch:
    kind: str  # number, date, weekday, year, name, negation, quantifier
    claim_value: str
    source_value: str
    explanation: str


@dataclass(frozen=True)
class ConsistencyResult:
    """Slot comparison of a claim with one evidence sentence."""

    alignment: float  # share of the claim's content words found in the sentence
    aligned: bool
    mismatches: tuple[Mismatch, ...] = field(default_factory=tuple)
    # Whether a clause of the sentence states a predicate of the claim (same lemma) with
    # most of its argument words: the sentence makes the same kind of statement.
    same_predicate: bool = False
    # Whether the sentence states the claim's own words in the claim's order (a pronoun
    # may stand for its opening words), with no negation or hedge among them that the
    # claim lacks (_restates): it says what the claim says, so it cannot contradict it.
    restated: bool = False

    @property
    def contradicts(self) -> bool:
        return self.aligned and bool(self.mismatches)


IRREGULAR_PAST = {"met": "meet", "said": "say", "won": "win", "made": "make", "took": "take",
                  "gave": "give", "went": "go", "held": "hold", "told": "tell",
                  "found": "find", "left": "leave", "began": "begin", "became": "become",
                  "led": "lead", "wrote": "write", "built": "build", "sold": "sell",
                  "bought": "buy", "spent": "spend", "knew": "know", "saw": "see",
                  "came": "come", "ran": "run", "grew": "grow", "paid": "pay",
                  "sent": "send", "brought": "bring", "kept": "keep", "lost": "lose",
                  "rose": "rise", "fell": "fall", "shook": "shake", "spoke": "speak"}


def _stem(word: str) -> str:
    """A crude stem that maps a verb's forms together: "take", "takes", "taking" and "took"
    all give "tak" (a final "e" is dropped after the suffix, so "take" meets "tak-es")."""
    word = word.lower()
    word = IRREGULAR_PAST.get(word, word)
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not (
                suffix == "s" and word.endswith("ss")):  # "press" is not a plural
            word = word[: -len(suffix)]
            break
    return word[:-1] if word.endswith("e") and len(word) > 3 else word


def content_words(text: str) -> set[str]:
    """Lower-cased, crudely stemmed words that carry meaning (no numbers, their scale
    words, or dates)."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]+", text)
    return {_stem(w) for w in words if w.lower() not in _STOP and w.lower() not in MONTHS
            and w.lower() not in WEEKDAYS and w.lower() not in NUMBER_WORDS
            and w.lower() not in _SCALE}  # "417million": the scale is part of the number


def alignment_score(claim: str, sentence: str) -> float:
    claim_words = content_words(claim)
    if not claim_words:
        return 0.0
    return len(claim_words & content_words(sentence)) / len(claim_words)


def numbers_in(text: str) -> list[tuple[float, str, str]]:
    """(value, unit word, surface) for every number in ``text`` (years excluded)."""
    out = []
    text = _SPLIT_DECIMAL.sub(".", _SPLIT_THOUSANDS.sub(",", text))
    for match in _NUMBER.finditer(text):
        currency, raw, upper, scale, unit = match.groups()
        value = float(raw.replace(",", ""))
        if not upper and not scale and not currency and _YEAR.fullmatch(raw):
            continue
        if upper and not currency and not unit and "-" in match.group(0):
            continue  # "7-2" is a score or a vote, not an amount
        if re.fullmatch(r"\d{1,2}", raw) and re.search(
                r"(" + "|".join(MONTHS) + r")\.?\s*$", text[:match.start()], re.IGNORECASE):
            continue  # the day of a date
        if scale and scale.lower() == "m" and not currency:
            unit, scale = "m", None  # "5 m" is metres; "\u00a35m" is five million pounds
        if scale:
            value *= _SCALE[scale.lower()]
        surface = match.group(0).strip()
        unit_word = (unit or "").lower()
        if unit_word in _STOP or unit_word in MONTHS:
            unit_word = ""
            surface = " ".join(x for x in ((currency or "") + raw +
                                           (f"-{upper}" if upper else ""), scale) if x)
        if unit_word in {"per cent", "%"}:
            unit_word = "percent"
        if currency:  # "$48 million" and "48 million dollars" are the same unit
            unit_word = _CURRENCY[currency]
        if upper:
            value = value * 1000 + float(upper)  # a range keeps both ends in one key
        out.append((value, _stem(unit_word) if unit_word else "", surface))
    for match in _WORD_NUMBER.finditer(text):
        unit = (match.group(2) or "").lower()
        unit = "" if unit in _STOP else _stem(unit)
        word = match.group(1).lower()
        if word == "no" and not unit:
            continue
        out.append((float(NUMBER_WORDS.get(word, 0)), unit, match.group(0)))
    return out


def _dates(text: str) -> list[tuple[str, str]]:
    out = []
    for match in _DATE.finditer(text):
        month = match.group(1).lower().rstrip(".")
        month = _MONTH_ABBR.get(month[:4] if month.startswith("sept") else month[:3], month)
        out.append((f"{month} {int(match.group(2))}", match.group(0)))
    return out


def _years(text: str) -> list[str]:
    """Years, with short range ends completed: "1950-53" gives 1950 and 1953."""
    years = []
    for match in re.finditer(r"\b(1[5-9]\d\d|20\d\d)(?:\s*[-\u2013/]\s*(\d{2,4}))?\b", text):
        years.append(match.group(1))
        end = match.group(2)
        if end:
            years.append(match.group(1)[: 4 - len(end)] + end if len(end) < 4 else end)
    return years


def _weekdays(text: str) -> list[str]:
    return re.findall(r"\b(" + "|".join(WEEKDAYS) + r")\b", text, re.IGNORECASE)


def names_in(text: str) -> set[str]:
    names = set()
    for match in _NAME.finditer(text):
        words = match.group(1).split()
        # A capitalised month or weekday before a name is a date, not part of the name.
        while words and (words[0].lower() in MONTHS or words[0].lower() in WEEKDAYS):
            words = words[1:]
        if match.start() == 0 or not words:
            continue
        names.add(" ".join(words))
    return names


def _same_shape(name: str, candidates: list[str]) -> str | None:
    """A candidate that could stand in the same role: shares a word, or is a lone word
    against a lone word."""
    words = set(name.lower().split())
    for candidate in candidates:
        other = set(candidate.lower().split())
        # "Korean" and "North Korean" name the same thing, one more precisely.
        if words & other and not (words <= other or other <= words):
            return candidate
    lone = [c for c in candidates if " " not in c]
    if " " not in name and len(lone) == 1:
        return lone[0]
    return None


def _quantifier_mismatch(claim: str, sentence: str) -> Mismatch | None:
    """The claim quantifies one way ("all") and the sentence, not saying that, another
    ("some", "none")."""
    for first, pattern in _QUANTIFIER_CLASSES.items():
        claim_q = pattern.search(claim)
        if not claim_q or pattern.search(sentence):
            continue
        for second, other in _QUANTIFIER_CLASSES.items():
            source_q = other.search(sentence) if second != first else None
            if source_q:
                said, found = claim_q.group(0), source_q.group(0)
                return Mismatch("quantifier", said, found,
                                f"claim says \"{said}\"; source says \"{found}\"")
    return None


# Dependency labels that start a clause of their own inside a sentence.
_CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "conj",
                          "parataxis", "pcomp", "csubj", "csubjpass"})
_NEGATING_WORDS = frozenset({"never", "nobody", "nothing", "none", "neither", "nor"})
# Predicates too light to identify a statement on their own.
_LIGHT_LEMMAS = frozenset(map(_stem, ("be", "have", "do", "say", "tell", "add")))


@dataclass(frozen=True)
class Clause:
    """A predicate and the words it governs, less its nested clauses."""

    lemma: str
    negated: bool
    words: frozenset[str]  # stemmed content words of the arguments (predicate excluded)
    text: str  # the clause's words in order, for the slot extractors and explanations
    subject_words: frozenset[str] = frozenset()  # content words of its subject
    pronoun_subject: bool = False  # "It was founded in 1889": the subject is unresolved


def _is_predicate(token: Any) -> bool:
    if token.dep_ not in _CLAUSE_DEPS:
        return False
    if token.pos_ in {"VERB", "AUX"}:
        return True
    # A conjunct verb tagged as a noun ("X and is director") is rare; nouns in a list are
    # arguments, not clauses.
    return token.dep_ == "ROOT"


def _negated(predicate: Any) -> bool:
    """Whether the predicate itself is negated: "not"/"never" on it, or a "no"/"none"
    argument ("gave no details"), counted so that a double negation cancels."""
    count = 0
    # "no debate, which is the main factor": the relative pronoun stands for a negated noun.
    if predicate.dep_ == "relcl" and any(
            c.dep_ in {"nsubj", "nsubjpass"} and c.lower_ in {"which", "who", "that"}
            for c in predicate.children) and any(
            g.dep_ == "det" and g.lower_ == "no" for g in predicate.head.children):
        count += 1
    for child in predicate.children:
        lower = child.lower_
        if child.dep_ == "neg" or (child.dep_ == "advmod" and lower in _NEGATING_WORDS):
            count += 1
        elif child.dep_ in {"nsubj", "nsubjpass", "dobj", "attr", "pobj", "dative"}:
            if lower in _NEGATING_WORDS or any(
                    g.dep_ == "det" and g.lower_ == "no" for g in child.children):
                count += 1
    return count % 2 == 1


def clauses(doc: Any) -> list[Clause]:
    """The clauses of a parsed text (a spaCy ``Doc``), in order."""
    predicates = [t for t in doc if _is_predicate(t)]
    heads = {t.i for t in predicates}
    out = []
    for predicate in predicates:
        tokens = []
        stack = [predicate]
        while stack:
            token = stack.pop()
            tokens.append(token)
            stack.extend(c for c in token.children if c.i not in heads)
        # A relative clause is about the noun it hangs on ("Stewart, who played..."), and a
        # conjunct verb shares its first verb's subject ("X played and is director").
        borrowed = []
        if predicate.dep_ in {"relcl", "acl"}:
            borrowed = list(predicate.head.subtree) if predicate.head.dep_ != "ROOT" else \
                [predicate.head]
            borrowed = [t for t in borrowed if t.i not in {x.i for x in predicate.subtree}]
        elif predicate.dep_ in {"conj", "xcomp"} and predicate.head.i in heads:
            borrowed = [c for c in predicate.head.children
                        if c.dep_ in {"nsubj", "nsubjpass"}]
            borrowed = [t for c in borrowed for t in c.subtree]
        tokens.sort(key=lambda t: t.i)
        text = "".join(t.text_with_ws for t in tokens).strip()
        words = content_words(" ".join(t.text for t in tokens + borrowed if t.i != predicate.i))
        subjects = [c for c in predicate.children if c.dep_ in {"nsubj", "nsubjpass"}]
        subject_words = content_words(" ".join(t.text for c in subjects for t in c.subtree))
        pronoun = bool(subjects) and all(c.pos_ == "PRON" for c in subjects) and not borrowed
        out.append(Clause(_stem(predicate.lemma_), _negated(predicate), frozenset(words),
                          text, frozenset(subject_words), pronoun))
    return out


# Share of a claim clause's argument words that a clause with another predicate must
# share to count as stating the same thing in other words ("came second with 15,905
# votes" / "finished second with 19,905 votes").
PARAPHRASE_OVERLAP = 0.75


def _overlap(claim_clause: Clause, clause: Clause) -> float:
    """Share of the claim clause's argument words in ``clause``. An evidence clause whose
    subject is an unresolved pronoun ("It was founded in 1889") is compared without the
    claim's subject words: the pronoun may well stand for them."""
    wanted = claim_clause.words
    if clause.pronoun_subject and wanted - claim_clause.subject_words:
        wanted = wanted - claim_clause.subject_words
    return len(wanted & clause.words) / len(wanted)


def _aligned(claim_clause: Clause, evidence: Sequence[Clause], min_overlap: float
             ) -> list[tuple[Clause, float, bool]]:
    """The evidence clauses aligned with a claim clause, best first: (clause, share of the
    claim clause's argument words it has, whether its predicate is the same lemma). The
    same predicate needs ``min_overlap`` of the words, another predicate
    :data:`PARAPHRASE_OVERLAP`. A clause with no argument words ("you shouldn't say no")
    cannot be aligned with anything."""
    if not claim_clause.words:
        return []
    found = []
    for clause in evidence:
        same = clause.lemma == claim_clause.lemma
        overlap = _overlap(claim_clause, clause)
        if same and overlap >= min_overlap:
            found.append((clause, overlap, same))
        # Another verb is the same statement only when several words say so: one shared
        # word ("immigrants could grow to…" / "immigrant population could reach…") is not.
        elif not same and overlap >= max(min_overlap, PARAPHRASE_OVERLAP) and \
                len(claim_clause.words & clause.words) >= 2:
            found.append((clause, overlap, same))
    return sorted(found, key=lambda item: (-item[2], -item[1]))


def _slot_mismatches(claim: str, sentence: str, around: str, *, quantifiers: bool = True
                     ) -> list[Mismatch]:
    """Mismatched numbers, dates, years, weekdays, names and quantifiers between two
    aligned texts (a claim clause and the evidence clause it aligns with)."""
    mismatches: list[Mismatch] = []
    claim_numbers, source_numbers = numbers_in(claim), numbers_in(sentence)
    # The claim's value stated anywhere around, for the same thing, is no mismatch; a "3"
    # in "Phase 3 trial" says nothing about "three deaths".
    around_values = {(v, u) for v, u, _ in numbers_in(around)}
    for value, unit, surface in claim_numbers:
        if (value, unit) in around_values or (value, "") in around_values:
            continue
        same_unit = [s for v, u, s in source_numbers if u == unit and v != value]
        if same_unit:
            mismatches.append(Mismatch("number", surface, same_unit[0],
                                       f"claim says {surface}; source says {same_unit[0]}"))
            break

    claim_dates = _dates(claim)
    around_dates = {d for d, _ in _dates(around)}
    source_dates = _dates(sentence)
    for key, surface in claim_dates:
        if key not in around_dates and source_dates:
            mismatches.append(Mismatch("date", surface, source_dates[0][1],
                                       f"claim says {surface}; source says {source_dates[0][1]}"))
            break

    for extract, kind in ((_weekdays, "weekday"), (_years, "year")):
        claim_values = {m.lower() for m in extract(claim)}
        missing = sorted(claim_values - {m.lower() for m in extract(around)})
        source_values = extract(sentence)
        if missing and source_values:
            said = missing[0].title()
            mismatches.append(Mismatch(kind, said, source_values[0],
                                       f"claim says {said}; source says {source_values[0]}"))

    # Names: against a name of the same shape in the aligned clause ("Southgate
    # Engineering" for "Northgate Engineering", "Porto" for "Lisbon"); a name that only
    # adds or drops words ("Korean" / "North Korean") is the same name.
    around_text = around.lower()
    missing_names = [n for n in sorted(names_in(claim)) if n.lower() not in around_text]
    extra = [n for n in sorted(names_in(sentence)) if n.lower() not in claim.lower()]
    for name in missing_names:
        rival = _same_shape(name, extra)
        if rival:
            mismatches.append(Mismatch("name", name, rival,
                                       f"claim names {name}; source names {rival}"))
            break

    quantifier = _quantifier_mismatch(claim, sentence) if quantifiers else None
    if quantifier:
        mismatches.append(quantifier)
    return mismatches


# Words a restatement may drop: articles and the auxiliaries and copulas a claim adds or
# loses ("Kim, a party official," -> "Kim is a party official.").
_FILLER = frozenset("a an the is are was were be been being am has have had do does did".split())
# Words that change what the words around them assert: a sentence that has one of them
# among the claim's words, where the claim does not, does not restate it ("Kim is a
# former spy" for "Kim is a spy"; "did not meet" for "met").
_BLOCKERS = frozenset("not n't never no nobody none nothing cannot without neither nor former "
                      "ex alleged allegedly reportedly supposedly fake false nearly almost "
                      "hardly barely if unless whether deny denies denied rumoured rumored "
                      "might may could would".split())
_BLOCKER_STEMS = frozenset(_stem(word) for word in _BLOCKERS)
_PRONOUN_WORDS = ("he", "she", "they", "it", "his", "her", "its", "their")
# Just before the claim's words, what puts them in doubt ("denied Pompeo met Kim", "not
# clear whether ..."); "no softening, although she ..." does not.
_FRAME_BLOCKER_STEMS = frozenset(_stem(word) for word in (
    "not n't never deny denies denied if unless whether alleged allegedly reportedly "
    "supposedly rumoured rumored".split()))
_WORD = re.compile(r"n't|\d[\d,.]*\d|\d|[A-Za-z]+(?:['\u2019]s)?")


def _word_sequence(text: str) -> list[str]:
    """The words of ``text`` as a restatement compares them: lower-cased, crudely stemmed,
    a possessive's "'s" and thousands' commas dropped, fillers left out."""
    out = []
    for word in _WORD.findall(text):
        word = word.lower().replace("\u2019", "'")
        word = word[:-2] if word.endswith("'s") else word
        if word and word not in _FILLER:
            out.append(word.replace(",", "") if word[0].isdigit() else _stem(word))
    return out


def _in_order(wanted: list[str], words: list[str], start: int) -> list[int] | None:
    """Where each of ``wanted`` first occurs in ``words`` after the one before, the first
    at ``start`` (where ``wanted[0]`` is); None if one does not."""
    positions = [start]
    for word in wanted[1:]:
        try:
            positions.append(words.index(word, positions[-1] + 1))
        except ValueError:
            return None
    return positions


def _restates(claim: str, sentence: str, *, min_words: int = 3) -> bool:
    """Whether ``sentence`` holds the words of ``claim`` (less articles and auxiliaries,
    crudely stemmed) in the same order, with no blocker among them, or in the three words
    before them, that the claim lacks: "Stewart, who played in a record 133 Tests for
    England and ..." restates "Stewart played in a record 133 Tests for England." whatever
    the rest of the sentence says; "Nauert denied Pompeo met Kim" does not restate
    "Pompeo met Kim"."""
    wanted = _word_sequence(claim)
    words = _word_sequence(sentence)
    if len(wanted) < min_words:
        return False
    # "Nauert would not explain ..." for "she would not explain ...", "The mission's
    # investigator is ..." for "Its investigator is ...": the sentence says it of a
    # pronoun, which may be the claim's opening words; the model cannot know what the
    # pronoun means, so its contradiction is no evidence either.
    readings = [wanted] + [[pronoun] + wanted[cut:] for cut in range(1, min(4, len(wanted)))
                           for pronoun in _PRONOUN_WORDS]
    claim_blockers = sorted(w for w in wanted if w in _BLOCKER_STEMS)
    for reading in readings:
        for start in (i for i, word in enumerate(words) if word == reading[0]):
            positions = _in_order(reading, words, start)
            if positions is None:
                continue
            before = words[max(0, positions[0] - 3):positions[0]]
            between = words[positions[0]:positions[-1] + 1]
            if sorted(w for w in between if w in _BLOCKER_STEMS) == claim_blockers and \
                    not any(w in _FRAME_BLOCKER_STEMS for w in before):
                return True
    return False


def _opposite_mismatch(claim: str, sentence: str) -> Mismatch | None:
    opposite = _opposite_phrase(claim, sentence)
    if not opposite:
        return None
    return Mismatch("opposite", opposite[0], opposite[1],
                    f"claim says \"{opposite[0]}\"; source says \"{opposite[1]}\"")


class SlotChecker:
    """Compares a claim with evidence sentences, clause by aligned clause.

    Args:
        nlp: a loaded spaCy pipeline with a parser, or a callable that returns one (the
            claim splitter's, so one pipeline serves both); loaded on first use.
        min_alignment: share of the claim's content words the sentence must contain for
            any slot to be compared.
        min_clause_overlap: share of a claim clause's argument words its aligned evidence
            clause must contain.
    """

    def __init__(self, nlp: Any = None, *, min_alignment: float = 0.5,
                 min_clause_overlap: float = 0.5) -> None:
        self._nlp_source = nlp
        self._nlp: Any = None
        self.min_alignment = min_alignment
        self.min_clause_overlap = min_clause_overlap
        self._cache: dict[str, list[Clause]] = {}

    def warm_up(self) -> None:
        """Load the spaCy pipeline. Safe to call twice."""
        if self._nlp is not None:
            return
        source = self._nlp_source
        if source is None:
            from .claims import _load_spacy

            source = _load_spacy()
        self._nlp = source() if callable(source) and not hasattr(source, "pipe") else source

    def prepare(self, texts: Sequence[str]) -> None:
        """Parse ``texts`` in one batch (faster than one by one); results are cached."""
        self.warm_up()
        todo = list(dict.fromkeys(t for t in texts if t not in self._cache))
        for text, doc in zip(todo, self._nlp.pipe(todo, batch_size=64)):
            self._cache[text] = clauses(doc)

    def clear(self) -> None:
        """Forget cached parses (the engine calls this after each article)."""
        self._cache.clear()

    def clauses(self, text: str) -> list[Clause]:
        """The clauses of ``text``, from the cache or parsed now."""
        found = self._cache.get(text)
        if found is None:
            self.warm_up()
            found = self._cache[text] = clauses(self._nlp(text))
        return found

    @staticmethod
    def _clause_mismatches(claim_clause: Clause, source_clause: Clause, overlap: float,
                           around: str, same_predicate: bool) -> list[Mismatch]:
        found = _slot_mismatches(claim_clause.text, source_clause.text, around,
                                 quantifiers=same_predicate)
        # Negation only on the same predicate (another verb may be an antonym: "did not
        # win" / "lost"); a light one ("is", "said") needs more shared words to be the
        # same statement before its negation counts.
        if same_predicate and claim_clause.negated != source_clause.negated and (
                claim_clause.lemma not in _LIGHT_LEMMAS or overlap >= 0.75):
            quoted = f"\"{source_clause.text}\""
            found.append(Mismatch(
                "negation", "negated" if claim_clause.negated else "affirmed",
                "negated" if source_clause.negated else "affirmed",
                ("claim denies what the source states: " if claim_clause.negated else
                 "claim states what the source denies: ") + quoted))
        return found

    def check(self, claim: str, sentence: str, *, passage: str | None = None
              ) -> ConsistencyResult:
        """Compare the slots of ``claim`` with ``sentence`` (``passage``: the text around
        it, where a claim's value stated elsewhere clears a mismatch)."""
        score = alignment_score(claim, sentence)
        if score < self.min_alignment:
            return ConsistencyResult(score, False)
        around = passage or sentence
        evidence_clauses = self.clauses(sentence)
        mismatches: list[Mismatch] = []
        same_predicate = False
        for claim_clause in self.clauses(claim):
            # No aligned clause: the evidence does not state this predicate, so its slots
            # are missing, not wrong.
            aligned = _aligned(claim_clause, evidence_clauses, self.min_clause_overlap)
            same_predicate = same_predicate or any(same for _, _, same in aligned)
            conflicts = [self._clause_mismatches(claim_clause, clause, overlap, around, same)
                         for clause, overlap, same in aligned]
            # A conflict counts only when no clause aligned as well agrees: "if it doesn't
            # look good ... if it does look good" states both.
            best = aligned[0][1] if aligned else 0.0
            if conflicts and all(found for found, (_, overlap, _) in zip(conflicts, aligned)
                                 if overlap >= best):
                mismatches.extend(conflicts[0])
                break
        # An opposite word followed by the claim's own next words ("open to pedestrians"
        # for "closed to pedestrians") is specific enough to trust across the sentence,
        # even when the predicates differ ("will remain open" / "will be closed").
        if not mismatches:
            opposite = _opposite_mismatch(claim, sentence)
            if opposite:
                mismatches.append(opposite)
        return ConsistencyResult(score, True, tuple(mismatches), same_predicate,
                                 restated=not mismatches and _restates(claim, sentence))
