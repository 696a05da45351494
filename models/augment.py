"""Synthetic training pairs that teach the small NLI model what fact-checkers need.

* ``contradict(hypothesis, premise)``: a minimal edit of an entailed hypothesis that makes
  it false given the premise (a changed number, date, weekday, name, negation, antonym or
  quantifier), as FEVER-Symmetric and COVID-Fact build refuted twins.
* ``entailed_copy(sentence)``: a sentence, or its leading clause, as an entailed claim.
* ``rephrase(hypothesis, premise)``: the twin of ``contradict``, an edit that keeps the
  claim true (a synonym, "until" for "to" between times, a count written another way,
  "also" or a trailing time left out).
* Neutral pairs: a claim against another sentence of the same source (on topic, not
  deciding) or against evidence of another item (off topic).

Every edit checks the premise so that the new value is not already stated there.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

from verify.consistency import IRREGULAR_PAST

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
NUMBER_WORDS = ["two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
                "dozen", "hundred", "thousand", "million", "billion"]

ANTONYMS = dict(
    pair
    for a, b in [
        ("increase", "decrease"), ("increased", "decreased"), ("increases", "decreases"),
        ("rise", "fall"), ("rose", "fell"), ("rises", "falls"), ("rising", "falling"),
        ("more", "less"), ("higher", "lower"), ("above", "below"), ("before", "after"),
        ("won", "lost"), ("win", "lose"), ("first", "last"), ("largest", "smallest"),
        ("largest", "smallest"), ("biggest", "smallest"), ("north", "south"),
        ("east", "west"), ("northern", "southern"), ("eastern", "western"),
        ("warmer", "cooler"), ("warming", "cooling"), ("accepted", "rejected"),
        ("approved", "rejected"), ("agreed", "refused"), ("allowed", "banned"),
        ("opened", "closed"), ("started", "ended"), ("began", "ended"), ("early", "late"),
        ("earlier", "later"), ("gained", "lost"), ("strengthened", "weakened"),
        ("supported", "opposed"), ("supports", "opposes"), ("men", "women"),
        ("male", "female"), ("young", "old"), ("positive", "negative"), ("high", "low"),
        ("cheap", "expensive"), ("safe", "dangerous"), ("effective", "ineffective"),
        ("succeeded", "failed"), ("arrived", "left"), ("joined", "left"),
        ("went ahead", "was called off"), ("confirmed", "denied"), ("true", "false"),
        ("majority", "minority"), ("public", "private"), ("domestic", "foreign"),
        ("reduces", "increases"), ("reduced", "increased"), ("prevents", "causes"),
    ]
    for pair in ((a, b), (b, a))
)
QUANTIFIERS = {"all": "no", "every": "no", "always": "never", "never": "always",
               "most": "few", "many": "few", "none": "all", "everyone": "no one",
               "only": "not only", "more than": "less than", "less than": "more than",
               "at least": "at most", "no": "some"}
AUXILIARIES = ["is", "was", "are", "were", "has", "have", "had", "can", "will", "would",
               "could", "should", "does", "did", "do", "may", "must"]

_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?)(?![\w])")
_NAME = re.compile(r"(?<!^)(?<![.!?]\s)\b([A-Z][a-z]+(?:\s[A-Z][a-z]+)*)\b")


def _word_pattern(word: str) -> re.Pattern:
    return re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)


def _keep_case(original: str, replacement: str) -> str:
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _in(text: str, value: str) -> bool:
    return _word_pattern(value).search(text) is not None


def edit_number(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    matches = list(_NUMBER.finditer(hypothesis))
    rng.shuffle(matches)
    for match in matches:
        raw = match.group(1)
        value = float(raw.replace(",", ""))
        if 1800 <= value <= 2100 and raw.isdigit():
            candidates = [value + d for d in (-10, -3, -2, -1, 1, 2, 5)]
        elif value == 0:
            candidates = [1, 5, 10]
        else:
            candidates = [value * f for f in (0.5, 2, 3, 10, 0.1)] + [value + 1, value - 1]
        rng.shuffle(candidates)
        for new in candidates:
            if new <= 0 or new == value:
                continue
            text = (f"{new:,.0f}" if "," in raw else f"{new:.0f}") if float(new).is_integer() \
                else f"{new:.1f}"
            if not _in(premise, text):
                return hypothesis[:match.start(1)] + text + hypothesis[match.end(1):]
    return None


def _swap_from_list(hypothesis: str, premise: str, options: list[str],
                    rng: random.Random) -> str | None:
    for word in options:
        match = _word_pattern(word).search(hypothesis)
        if match:
            choices = [o for o in options if o != word and not _in(premise, o)]
            if not choices:
                return None
            new = _keep_case(match.group(0), rng.choice(choices))
            return hypothesis[:match.start()] + new + hypothesis[match.end():]
    return None


def edit_month(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    return _swap_from_list(hypothesis, premise, MONTHS, rng)


def edit_weekday(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    return _swap_from_list(hypothesis, premise, WEEKDAYS, rng)


def edit_antonym(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    words = list(ANTONYMS)
    rng.shuffle(words)
    for word in words:
        match = _word_pattern(word).search(hypothesis)
        if match and not _in(premise, ANTONYMS[word]):
            new = _keep_case(match.group(0), ANTONYMS[word])
            return hypothesis[:match.start()] + new + hypothesis[match.end():]
    return None


def edit_quantifier(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    for word, new in QUANTIFIERS.items():
        match = _word_pattern(word).search(hypothesis)
        if match:
            return hypothesis[:match.start()] + _keep_case(match.group(0), new) + \
                hypothesis[match.end():]
    return None


def _base_form(past: str) -> str | None:
    lower = past.lower()
    if lower in IRREGULAR_PAST:
        return IRREGULAR_PAST[lower]
    if not lower.endswith("ed") or len(lower) < 5:
        return None
    if lower.endswith("ied"):
        return lower[:-3] + "y"
    stem = lower[:-2]
    if len(stem) > 2 and stem[-1] == stem[-2] and stem[-1] not in "lsz":
        return stem[:-1]  # "planned" -> "plan"
    if stem.endswith(("at", "iz", "iv", "uc", "ag", "ac", "ur", "ir", "as", "ot", "il",
                      "in", "ar", "ov", "os", "ns", "rg", "dg", "rc", "ng", "bl", "ag")):
        return stem + "e"  # "agreed" handled below, "announced" -> "announce"
    return stem


def edit_negation(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    # Remove an existing negation first: "did not meet" -> "met" is as useful as the reverse.
    removal = re.search(r"\b(\w+) not\b|\b(\w+)n't\b", hypothesis)
    if removal and rng.random() < 0.5:
        aux = removal.group(1) or removal.group(2)
        if aux.lower() in {"did", "does", "do"}:
            return None
        return hypothesis[:removal.start()] + aux + hypothesis[removal.end():]
    for aux in AUXILIARIES:
        match = re.search(rf"\b{aux}\b(?! not)", hypothesis)
        if match:
            return hypothesis[:match.end()] + " not" + hypothesis[match.end():]
    for match in re.finditer(r"\b([a-z]+)\b", hypothesis):
        word = match.group(1)
        if match.start() == 0:
            continue
        base = _base_form(word) if (word in IRREGULAR_PAST or word.endswith("ed")) else None
        if base:
            if word == "agreed":
                base = "agree"
            return hypothesis[:match.start()] + "did not " + base + hypothesis[match.end():]
    return None


def edit_name(hypothesis: str, premise: str, rng: random.Random,
              name_pool: list[str]) -> str | None:
    matches = [m for m in _NAME.finditer(hypothesis) if m.start() > 0]
    rng.shuffle(matches)
    for match in matches:
        name = match.group(1)
        if name in MONTHS or name in WEEKDAYS:
            continue
        size = len(name.split())
        for _ in range(8):
            other = rng.choice(name_pool)
            if len(other.split()) == size and other != name and not _in(premise, other) \
                    and not _in(hypothesis, other):
                return hypothesis[:match.start(1)] + other + hypothesis[match.end(1):]
    return None


EDITS: dict[str, Callable] = {
    "number": edit_number,
    "month": edit_month,
    "weekday": edit_weekday,
    "negation": edit_negation,
    "antonym": edit_antonym,
    "quantifier": edit_quantifier,
}


def contradict(hypothesis: str, premise: str, rng: random.Random,
               name_pool: list[str]) -> tuple[str, str] | None:
    """A minimally edited, contradicted twin of ``hypothesis`` and the edit's kind."""
    kinds = list(EDITS) + ["name", "name"]
    rng.shuffle(kinds)
    for kind in kinds:
        if kind == "name":
            edited = edit_name(hypothesis, premise, rng, name_pool) if name_pool else None
        else:
            edited = EDITS[kind](hypothesis, premise, rng)
        if edited and edited != hypothesis:
            return edited, kind
    return None


def entailed_copy(sentence: str, rng: random.Random) -> str | None:
    """The sentence itself, or its leading clause, as a claim it entails."""
    words = sentence.split()
    if not 6 <= len(words) <= 45:
        return None
    if rng.random() < 0.5:
        # Cut at a comma after the first few words: "X did Y, officials said" -> "X did Y."
        comma = sentence.find(", ", len(" ".join(words[:6])))
        if comma > 0:
            return sentence[:comma].rstrip() + "."
    return sentence


def collect_names(texts: list[str], limit: int = 5000) -> list[str]:
    """Capitalised names (not sentence-initial) to draw replacement names from."""
    names: set[str] = set()
    for text in texts:
        for match in _NAME.finditer(text):
            if match.start() > 0 and match.group(1) not in MONTHS + WEEKDAYS:
                names.add(match.group(1))
        if len(names) >= limit:
            break
    return sorted(names)


# Details a claim can add that its premise never mentions. The probe in
# bench/unmentioned_detail.py uses other phrases and held-out premises, so it still
# measures generalisation, not recall of these lists.
_DETAIL_PLACES = ["Toulouse", "Manitoba", "the Philippines", "Glasgow", "Porto Alegre",
                  "Osaka", "a suburb of Denver", "the Black Forest", "Cape Town", "Tasmania",
                  "Rotterdam", "southern Chile", "Dhaka", "the Scottish Highlands"]
_DETAIL_PLACE_FRAMES = ["in {}", "near {}", "while in {}", "at a meeting in {}"]
_DETAIL_NUMBER_FRAMES = ["over {} weeks", "in front of {} people", "over {} years",
                         "for a fee of {} euros", "with a team of {}"]
_DETAIL_PERSON_FRAMES = ["according to {}", "together with {}", "as {} later recalled",
                         "in a report by {}"]


def _detail_phrase(kind: str, rng: random.Random, name_pool: list[str]) -> str:
    if kind == "place":
        return rng.choice(_DETAIL_PLACE_FRAMES).format(rng.choice(_DETAIL_PLACES))
    if kind == "date":
        year = rng.randint(1950, 2023)
        day = rng.randint(1, 28)
        month = rng.choice(MONTHS)
        return rng.choice([f"in {month} {year}", f"on {month} {day}, {year}",
                           f"in {year}", f"on {day} {month}"])
    if kind == "weekday":
        return rng.choice(["on {}", "early on {}", "late on {}"]).format(
            rng.choice(WEEKDAYS))
    if kind == "number":
        return rng.choice(_DETAIL_NUMBER_FRAMES).format(rng.randint(3, 950))
    return rng.choice(_DETAIL_PERSON_FRAMES).format(rng.choice(name_pool))


DETAIL_KINDS = ("place", "date", "weekday", "number", "person")


def added_detail(hypothesis: str, premise: str, rng: random.Random,
                 name_pool: list[str]) -> tuple[str, str] | None:
    """``hypothesis`` with one detail (place, date, weekday, number, person) its premise
    never mentions, and the detail's kind: NOT ENOUGH INFO, never a contradiction."""
    claim = hypothesis.strip().rstrip(".").rstrip()
    if not 3 <= len(claim.split()) <= 40 or not claim[:1].isalpha():
        return None
    kinds = list(DETAIL_KINDS) if name_pool else list(DETAIL_KINDS[:-1])
    rng.shuffle(kinds)
    for kind in kinds:
        phrase = _detail_phrase(kind, rng, name_pool)
        values = re.findall(r"[A-Z][a-z]+|\d+", phrase)
        if any(_in(premise, value) for value in values):
            continue  # the premise mentions it: adding it would not be new
        return f"{claim} {phrase}.", kind
    return None


# Meaning-preserving edits: the twins of the contradicting edits above. Without them the
# only entailed synthetic claims are verbatim copies, and a small model learns "any edit is
# a contradiction": the bundled model calls "Trams run from 5 a.m. until midnight" against
# "... to midnight" a contradiction (0.86). Each edit here keeps the claim true given the
# premise, so the model has to learn which edits change a fact and which do not.
_SYNONYMS = [  # either way round
    ("began", "started"),
    ("bought", "purchased"), ("buy", "purchase"), ("buys", "purchases"),
    ("almost", "nearly"),
    ("largest", "biggest"), ("because of", "due to"), ("children", "kids"),
    ("helped", "assisted"),
    ("the United States", "the US"), ("the United Kingdom", "the UK"),
    ("per cent", "percent"), ("people", "individuals"), ("received", "got"),
    ("died", "passed away"),
]
_ONE_WAY = [  # the reverse is not always the same ("talk about" is not "talk roughly")
    ("approximately", "about"), ("roughly", "about"), ("as well as", "and"),
    ("in order to", "to"), ("following", "after"), ("said", "stated"),
]
# Not "rose"/"increased" or "fell"/"dropped": "rose to fame", "fell ill" are no quantities.
_SYNONYM_OF = dict([pair for a, b in _SYNONYMS for pair in ((a, b), (b, a))] + _ONE_WAY)
# Capitalised words before a count that open a sentence, not a name ("The 3 men").
_OPENING_WORDS = frozenset("The All Some About Over Only In On At For By Of With Nearly "
                           "Almost Just Around".split())
_SMALL_NUMBERS = ["one", "two", "three", "four", "five", "six", "seven", "eight", "nine",
                  "ten"]
# Words under which dropping a modifier stops being safe ("no new cases" is not "no cases").
_DOWNWARD = re.compile(r"\b(?:no|not|never|none|nobody|nothing|without|few|only|neither|"
                       r"nor|less|fewer|cannot|unless)\b|n't\b", re.IGNORECASE)
_TRAILING_DETAIL = re.compile(
    r"\s(?:on (?:" + "|".join(WEEKDAYS) + r")|in (?:" + "|".join(MONTHS) + r")(?: \d{4})?"
    r"|in \d{4}|last (?:week|month|year)|this (?:week|month|year))(?=[.,;]?\s*$)")


def _as_written(word: str) -> re.Pattern:
    """``word`` as a common word: lower case, or capitalised at the start of the text only
    ("Rose" inside a sentence is a name, not the past of "rise")."""
    head = re.escape(word[0].upper()) if word[0].islower() else re.escape(word[0])
    return re.compile(rf"(?:^{head}|(?<![\w-]){re.escape(word[0])}){re.escape(word[1:])}"
                      r"(?![\w'\u2019-])")  # not "children's" -> "kids's"


def rephrase_synonym(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    """A word or phrase swapped for one that means the same ("began" -> "started"). Words
    that are also nouns ("the start", "TV shows") are not in the lists."""
    found = [(m, word) for word in _SYNONYM_OF for m in [_as_written(word).search(hypothesis)]
             if m]
    if not found:
        return None
    match, word = rng.choice(found)
    return hypothesis[:match.start()] + _keep_case(match.group(0), _SYNONYM_OF[word]) + \
        hypothesis[match.end():]


_TIME_POINT = (r"(?:\d{1,2}(?:[:.]\d{2})?\s?(?:a\.m\.|p\.m\.|am|pm)|midnight|noon|dawn|dusk|"
               r"(?:" + "|".join(WEEKDAYS + MONTHS) + r")(?: \d{1,2})?(?:,? \d{4})?|"
               r"(?:1[5-9]|20)\d{2})")


def rephrase_range(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    """"from X to Y" as "from X until Y" (or back) when X and Y are points in time
    ("from 5 a.m. to midnight", "from 1979 to 1983"); never a change of value or place
    ("rose from 100 to 700", "from Leamington Spa to London")."""
    match = re.search(rf"\bfrom {_TIME_POINT} (to|until|till) {_TIME_POINT}\b", hypothesis)
    if not match:
        return None
    new = "until" if match.group(1) != "until" else "to"
    return hypothesis[:match.start(1)] + new + hypothesis[match.end(1):]


def rephrase_number(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    """The same number written another way: "9" <-> "nine", "1,500" <-> "1500",
    "40 percent" <-> "40%", "$5 million" -> "5 million dollars"."""
    options = []
    for match in re.finditer(r"(?<![\w.,$/+\u2013-])(\d)(?![\w.,%/+\u2013-])", hypothesis):
        digit = int(match.group(1))
        before = hypothesis[:match.start()].split()[-1:] or [""]
        after = hypothesis[match.end():].split()[:1] or [""]
        # Not in a time ("5 pm"), a date ("born 1 June", "August 6") or a name ("CO 2",
        # "Spider-Man 2"): only a count in running text.
        if 1 <= digit <= 9 and not re.match(r"\s*(?:am|pm|a\.m|p\.m|:)",
                                            hypothesis[match.end():]) \
                and before[0].strip("(,") not in MONTHS and after[0].strip(",.") not in MONTHS \
                and (not any(ch.isupper() for ch in before[0])  # "CO 2", "iPhone 4"
                     or before[0] in _OPENING_WORDS):
            options.append((match.start(), match.end(), _SMALL_NUMBERS[digit - 1]))
    for index, word in enumerate(_SMALL_NUMBERS[1:], start=2):
        for match in _as_written(word).finditer(hypothesis):  # not "The Three Musketeers"
            options.append((match.start(), match.end(), str(index)))
    for match in re.finditer(r"(?<![\w.,])(\d{1,3}),(\d{3})(?![\d,])", hypothesis):
        options.append((match.start(), match.end(), match.group(1) + match.group(2)))
    for match in re.finditer(r"(\d+(?:\.\d+)?) (?:percent|per cent)\b", hypothesis):
        options.append((match.start(), match.end(), match.group(1) + "%"))
    for match in re.finditer(r"\$(\d+(?:\.\d+)?) (million|billion)\b", hypothesis):
        options.append((match.start(), match.end(),
                        f"{match.group(1)} {match.group(2)} dollars"))
    if not options:
        return None
    start, end, new = rng.choice(options)
    return hypothesis[:start] + new + hypothesis[end:]


def drop_detail(hypothesis: str, premise: str, rng: random.Random) -> str | None:
    """A detail left out, which makes the claim more general and still entailed: "also",
    or a trailing time ("... on Tuesday", "... in 2019"). Never under a negation or a
    downward word ("no cases were reported on Tuesday"). (Adjectives are not dropped: "a
    new airport was built" entails "an airport was built", but "young adults like it" does
    not entail "adults like it".)"""
    if _DOWNWARD.search(hypothesis):
        return None
    options = [m for m in re.finditer(r"(?<![\w-])also (?=[a-z])", hypothesis)
               if m.start() > 0]
    trailing = _TRAILING_DETAIL.search(hypothesis)
    if trailing:
        options.append(trailing)
    if not options:
        return None
    match = rng.choice(options)
    return re.sub(r"\s{2,}", " ", hypothesis[:match.start()] + hypothesis[match.end():]
                  ).replace(" .", ".").replace(" ,", ",")


REPHRASINGS: dict[str, Callable] = {
    "synonym": rephrase_synonym,
    "range": rephrase_range,
    "number-format": rephrase_number,
    "drop-detail": drop_detail,
}


def rephrase(hypothesis: str, premise: str, rng: random.Random) -> tuple[str, str] | None:
    """A meaning-preserving rewording of an entailed ``hypothesis`` and the edit's kind:
    still SUPPORTED by ``premise``. None when no edit applies."""
    kinds = list(REPHRASINGS)
    rng.shuffle(kinds)
    for kind in kinds:
        edited = REPHRASINGS[kind](hypothesis, premise, rng)
        if edited and edited != hypothesis:
            return edited, kind
    return None
