"""Explicit slot checks between a claim and an evidence sentence.

NLI models are weakest exactly where fact-checkers need them: numbers, dates, names and
negation. This module aligns a claim with an evidence sentence (content-word overlap) and,
only when they are about the same thing, compares those slots. Each mismatch carries a
plain explanation ("claim says July 14; source says July 12").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MONTHS = ("january february march april may june july august september october november "
          "december").split()
_MONTH_ABBR = {m[:3]: m for m in MONTHS} | {"sept": "september"}
WEEKDAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "twenty": 20,
                "dozen": 12, "hundred": 100}
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
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
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?:\s*(?:-|\u2013|to)\s*(\d+))?"
    r"(?:\s+(thousand|million|billion|trillion))?(?:[\s-]+(%|percent|per cent|[a-z]+))?",
    re.IGNORECASE)
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
    word = word.lower()
    if word in IRREGULAR_PAST:
        return IRREGULAR_PAST[word]
    for suffix in ("ing", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def content_words(text: str) -> set[str]:
    """Lower-cased, crudely stemmed words that carry meaning (no numbers or dates)."""
    words = re.findall(r"[A-Za-z][A-Za-z'-]+", text)
    return {_stem(w) for w in words if w.lower() not in _STOP and w.lower() not in MONTHS
            and w.lower() not in WEEKDAYS and w.lower() not in NUMBER_WORDS}


def alignment_score(claim: str, sentence: str) -> float:
    claim_words = content_words(claim)
    if not claim_words:
        return 0.0
    return len(claim_words & content_words(sentence)) / len(claim_words)


def _numbers(text: str) -> list[tuple[float, str, str]]:
    """(value, unit word, surface) for every number in ``text`` (years excluded)."""
    out = []
    for match in _NUMBER.finditer(text):
        raw, upper, scale, unit = match.groups()
        value = float(raw.replace(",", ""))
        if not upper and not scale and _YEAR.fullmatch(raw):
            continue
        if re.fullmatch(r"\d{1,2}", raw) and re.search(
                r"(" + "|".join(MONTHS) + r")\.?\s*$", text[:match.start()], re.IGNORECASE):
            continue  # the day of a date
        if scale:
            value *= _SCALE[scale.lower()]
        surface = match.group(0).strip()
        unit_word = (unit or "").lower()
        if unit_word in _STOP or unit_word in MONTHS:
            unit_word = ""
            surface = " ".join(x for x in (raw + (f"-{upper}" if upper else ""), scale) if x)
        if unit_word == "per cent":
            unit_word = "percent"
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


def _names(text: str) -> set[str]:
    names = set()
    for match in _NAME.finditer(text):
        name = match.group(1)
        if match.start() == 0 or name.lower() in MONTHS or name.lower() in WEEKDAYS:
            continue
        names.add(name)
    return names


def _same_shape(name: str, candidates: list[str]) -> str | None:
    """A candidate that could stand in the same role: shares a word, or is a lone word
    against a lone word."""
    words = set(name.lower().split())
    for candidate in candidates:
        other = set(candidate.lower().split())
        if words & other and words != other:
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


def check(claim: str, sentence: str, *, min_alignment: float = 0.5,
          passage: str | None = None) -> ConsistencyResult:
    """Compare the slots of ``claim`` with ``sentence`` (``passage``: the text around it).

    A value counts as a mismatch only when the sentence states a value of the same kind in
    the same role (same unit word for numbers) and the claim's value is nowhere in the
    passage: a different date elsewhere in the source is not a contradiction.
    """
    score = alignment_score(claim, sentence)
    aligned = score >= min_alignment
    if not aligned:
        return ConsistencyResult(score, False)
    around = passage or sentence
    mismatches: list[Mismatch] = []

    claim_numbers, source_numbers = _numbers(claim), _numbers(sentence)
    # The claim's value stated anywhere around, for the same thing, is no mismatch; a "3"
    # in "Phase 3 trial" says nothing about "three deaths".
    around_values = {(v, u) for v, u, _ in _numbers(around)}
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

    # Names: only for near-copies, where a swapped name is the edit rather than new detail,
    # and only against a name of the same shape ("Southgate Engineering" for "Northgate
    # Engineering", "Porto" for "Lisbon"), never against any other name in the sentence.
    if score >= 0.7:
        around_text = around.lower()
        missing_names = [n for n in sorted(_names(claim)) if n.lower() not in around_text]
        extra = [n for n in sorted(_names(sentence)) if n.lower() not in claim.lower()]
        for name in missing_names:
            rival = _same_shape(name, extra)
            if rival:
                mismatches.append(Mismatch("name", name, rival,
                                           f"claim names {name}; source names {rival}"))
                break

    opposite = _opposite_phrase(claim, sentence) if score >= 0.5 else None
    if opposite:
        mismatches.append(Mismatch("opposite", opposite[0], opposite[1],
                                   f"claim says \"{opposite[0]}\"; source says "
                                   f"\"{opposite[1]}\""))

    claim_negated = bool(_NEGATION.search(claim))
    source_negated = bool(_NEGATION.search(sentence))
    if claim_negated != source_negated and score >= 0.6:
        if claim_negated:
            text = "claim denies what the source states"
        else:
            text = "claim states what the source denies"
        mismatches.append(Mismatch("negation", "negated" if claim_negated else "affirmed",
                                   "negated" if source_negated else "affirmed", text))

    quantifier = _quantifier_mismatch(claim, sentence)
    if quantifier:
        mismatches.append(quantifier)
    return ConsistencyResult(score, True, tuple(mismatches))
