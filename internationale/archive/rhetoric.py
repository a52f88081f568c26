# ruff: noqa: RUF002 (punctuation and letters of other scripts in the documentation)
"""Recurring rhetoric, free of Django: near-duplicate passages across testimonies, their
translations and relay transcripts, grouped.

Management scripts against unions recur from one country to the next ("the company is like
a family", "a union will only take your money", "if you sign, the factory will close").
`recurring` cuts every `Document` into sentence-like passages, finds the passages that are
near-duplicates of one another, joins them transitively and reports each group whose
passages come from at least two distinct origins. A testimony and its own translation share
an origin, so they never make a recurrence by themselves; but the English translation of a
Turkish testimony that repeats an English testimony's sentence does, and that is how
translations make the same script visible across languages.

Passages (`passages`)
    A passage ends at a line break, at "!", "?", "…" and runs of them, at the Arabic
    question mark and full stop (؟ ۔), the Devanagari and Bengali dandas (। ॥), the CJK
    full stops and marks (。！？｡), the Greek question mark, and the Armenian, Ethiopic,
    Myanmar and Khmer full stops; at ";" too in Greek. A "." ends one unless a letter or
    digit follows at once ("3.5", "e.g") or it closes a common abbreviation or an initial
    ("Mr.", "J."). Closing quotes and brackets right after the end belong to the passage. In
    Thai and Lao, which write spaces between clauses rather than words, whitespace ends a
    passage too. Each span is stripped of surrounding whitespace (and invisible format
    characters such as the byte order mark), list bullets, and quotes that have no partner
    inside it (so `"We are a family."` reads `We are a family.` but `He said "go."` keeps
    its quotes); spans without a letter or digit are dropped.

Normal form
    NFKC and casefold; diacritics dropped from Latin letters ("é", "ş", "ã" read "e", "s",
    "a"; the dotless ı reads "i", so Turkish I/ı/İ/i agree) and from wherever the generic
    combining marks stand; Arabic vowel marks, hamza marks and the tatweel, and Hebrew
    points are dropped too, while the signs that make other scripts' letters (Bengali and
    Devanagari vowel signs) are kept. Punctuation, symbols and apostrophes read as spaces,
    invisible format characters vanish. Words are what whitespace separates, except that
    scripts written without spaces (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan) are cut
    into single characters; two such characters count as one word.

Similarity
    Each passage becomes the set of its shingles: word bigrams, which for scripts without
    spaces are character bigrams (a one-word passage: that word). Two passages match when
    the Dice coefficient of their shingle sets, 2|A∩B| / (|A|+|B|), is at least `threshold`
    (default 0.55). When both passages are short (fewer than `SHORT_WORDS` = 12 words), one
    changed or inflected word costs two of few bigrams, so there a pair also matches when
    its character-level similarity (rapidfuzz's normalised Indel similarity of the two
    normal forms) is at least `CHAR_THRESHOLD` (0.85; `threshold` if that is higher) and
    the shingle Dice is at least half of `threshold`. Passages of fewer than `min_words`
    words (default 5) are ignored: too short to be a script rather than a commonplace.

    The defaults group paraphrases with a few words changed, "The company is like a family
    to all of us." and "This company is like one big family to all of us" (Dice 0.63), or
    "If you sign, the factory will close." and "If you sign the factory will be closed."
    (0.77), while sentences that share common words only, "The company pays us late every
    month." and "The company is like a family to us." (Dice 0.15, characters 0.57), stay
    apart. Sentences with one slot changed in a common frame ("I have worked in this
    factory for ten years." / "... in this warehouse for two years.", Dice 0.5, characters
    0.82) also stay apart. Short passages with several small changes, "We work twelve hours
    a day without a break." and "We work twelve hours every day with no break." (Dice 0.38),
    are grouped by the character check (0.86).

Candidates, and why no frequent shingle is dropped
    Comparing all pairs is out of the question, and so is ignoring frequent shingles: a
    script that recurs in five hundred testimonies is made only of frequent shingles, and
    it is exactly what the page exists to show. Instead:

    - passages with the same normal form are joined directly, without comparison;
    - the distinct normal forms are compared after prefix filtering, as in the All-Pairs
      and PPJoin set-similarity joins. Shingles are put in one global order, rarest
      first, and forms are taken from the fewest shingles to the most. A form of n
      shingles needs an overlap of at least f(n + m)/2 with a partner of m shingles, f
      being `threshold` (half of it between two short forms); so it is indexed under its
      first n - ceil(f·n) + 1 shingles, as every later partner has m >= n, and looks up
      its first n - o + 1, o being the least overlap any partner could need. Two forms that
      can match then share a shingle of both prefixes: the rarest shingles do the work and
      the most frequent stay out of most prefixes, yet none is excluded. A size filter
      skips pairs whose sizes cannot reach the bound, and a positional filter skips a pair
      when what follows the first shingle they share is too little to reach it. No pair
      that can reach the threshold is lost this way, however frequent its shingles;
    - candidates already in the same group (union-find) are not compared again;
    - a posting list that grows past `POSTING_CAP` (256) entries is compacted to at most
      `GROUP_SAMPLE` (16) entries per group found so far. The shingle stays indexed and
      every group keeps up to sixteen members in its list; only the surplus members of
      large groups leave. A group's members are near-duplicates of one another, so a
      passage that matches none of the sixteen rarely matches another, and one that
      matches any joins the whole group. Without this, a script repeated in thousands of
      slightly different forms would cost a comparison with each of them for each of them
      (3,000 variants of one sentence: 0.4 s instead of 1.9 s, the same group).

    Forms are processed in an order fixed by their sizes and normal forms, so the result
    depends neither on the order of the documents nor on Python's hash seed. 20,000
    passages of ordinary text take one to two seconds.

Result
    A `Recurrence` holds its passages sorted by (origin, source, start) and the number of
    distinct origins (at least two). Recurrences come most origins first, then most
    passages, then by their first passage.
"""

import functools
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from rapidfuzz.distance import Indel

DEFAULT_THRESHOLD = 0.55
DEFAULT_MIN_WORDS = 5
SHORT_WORDS = 12
CHAR_THRESHOLD = 0.85
POSTING_CAP = 256
GROUP_SAMPLE = 16

_EPSILON = 1e-9


@dataclass(frozen=True)
class Document:
    """A text of the archive: `source` names it ("testimony:3", "translation:7",
    "transcript:12"); `origin` names the original item it belongs to (a translation of
    testimony 3 has the origin "testimony:3")."""

    source: str
    origin: str
    language: str
    text: str


@dataclass(frozen=True)
class Passage:
    """A sentence-like span of a document: `text` is the document's `text[start:end]`."""

    source: str
    origin: str
    language: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Recurrence:
    """Near-duplicate passages from at least two origins, sorted by (origin, source,
    start)."""

    passages: tuple[Passage, ...]
    origins: int


# Splitting.

_TERMINATORS = frozenset(
    "!?"
    "\N{HORIZONTAL ELLIPSIS}"
    "\N{DOUBLE EXCLAMATION MARK}\N{DOUBLE QUESTION MARK}\N{QUESTION EXCLAMATION MARK}"
    "\N{EXCLAMATION QUESTION MARK}\N{INTERROBANG}"
    "\N{ARABIC QUESTION MARK}\N{ARABIC FULL STOP}"
    "\N{DEVANAGARI DANDA}\N{DEVANAGARI DOUBLE DANDA}"
    "\N{IDEOGRAPHIC FULL STOP}\N{FULLWIDTH EXCLAMATION MARK}\N{FULLWIDTH QUESTION MARK}"
    "\N{HALFWIDTH IDEOGRAPHIC FULL STOP}"
    "\N{GREEK QUESTION MARK}\N{ARMENIAN FULL STOP}\N{ETHIOPIC FULL STOP}"
    "\N{MYANMAR SIGN SECTION}\N{KHMER SIGN KHAN}"
)
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\N{LINE SEPARATOR}\N{PARAGRAPH SEPARATOR}")
_QUOTES = frozenset(
    "\"'`"
    "\N{LEFT DOUBLE QUOTATION MARK}\N{RIGHT DOUBLE QUOTATION MARK}"
    "\N{DOUBLE LOW-9 QUOTATION MARK}\N{DOUBLE HIGH-REVERSED-9 QUOTATION MARK}"
    "\N{LEFT SINGLE QUOTATION MARK}\N{RIGHT SINGLE QUOTATION MARK}"
    "\N{SINGLE LOW-9 QUOTATION MARK}\N{SINGLE HIGH-REVERSED-9 QUOTATION MARK}"
    "\N{LEFT-POINTING DOUBLE ANGLE QUOTATION MARK}\N{RIGHT-POINTING DOUBLE ANGLE QUOTATION MARK}"
    "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}"
    "\N{LEFT CORNER BRACKET}\N{RIGHT CORNER BRACKET}"
    "\N{LEFT WHITE CORNER BRACKET}\N{RIGHT WHITE CORNER BRACKET}"
    "\N{REVERSED DOUBLE PRIME QUOTATION MARK}\N{DOUBLE PRIME QUOTATION MARK}"
    "\N{LOW DOUBLE PRIME QUOTATION MARK}"
    "\N{FULLWIDTH QUOTATION MARK}\N{FULLWIDTH APOSTROPHE}"
)
_APOSTROPHES = frozenset("'\N{RIGHT SINGLE QUOTATION MARK}")
_CLOSERS = (
    _QUOTES
    | frozenset(")]}")
    | frozenset(
        "\N{FULLWIDTH RIGHT PARENTHESIS}\N{RIGHT TORTOISE SHELL BRACKET}"
        "\N{RIGHT BLACK LENTICULAR BRACKET}\N{RIGHT ANGLE BRACKET}\N{RIGHT DOUBLE ANGLE BRACKET}"
    )
)
_BULLETS = frozenset("-*\N{EN DASH}\N{EM DASH}\N{BULLET}\N{MIDDLE DOT}")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st sr sra srta jr no nr vs e.g i.e cf approx dept p pp ca".split()
)
_ABBREVIATION_BEFORE = re.compile(r"([^\W\d_](?:[^\W\d_]|\.)*)\Z")
_SPACE_SEPARATES_CLAUSES = frozenset({"th", "lo"})


def passages(text: str, language: str) -> list[tuple[int, int]]:
    """The sentence-like spans of `text`, as (start, end) offsets, in order; see the module
    documentation for where a passage ends and what is stripped around it."""
    primary = re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]
    space_ends = primary in _SPACE_SEPARATES_CLAUSES
    terminators = _TERMINATORS | {";"} if primary == "el" else _TERMINATORS
    boundary = _boundaries(terminators, space_ends=space_ends)
    spans: list[tuple[int, int]] = []
    length = len(text)
    start = 0
    found = boundary.search(text)
    while found is not None:
        index = found.start()
        char = text[index]
        if char in _LINE_BREAKS or (space_ends and char.isspace()):
            _add_span(text, start, index, spans)
            start = index + 1
            found = boundary.search(text, start)
            continue
        if char == "." and not _full_stop(text, index):
            found = boundary.search(text, index + 1)
            continue
        end = index + 1
        while end < length and (text[end] in terminators or text[end] == "."):
            end += 1
        while end < length and text[end] in _CLOSERS:
            end += 1
        _add_span(text, start, end, spans)
        start = end
        found = boundary.search(text, start)
    _add_span(text, start, length, spans)
    return spans


@functools.cache
def _boundaries(terminators: frozenset[str], *, space_ends: bool) -> re.Pattern[str]:
    characters = "".join(sorted(terminators | _LINE_BREAKS | {"."}))
    spaces = r"\s" if space_ends else ""
    return re.compile(f"[{re.escape(characters)}{spaces}]")


def _full_stop(text: str, index: int) -> bool:
    following = text[index + 1 : index + 2]
    if following.isalnum():
        return False
    word = _ABBREVIATION_BEFORE.search(text, max(0, index - 12), index)
    if word is None:
        return True
    before = word.group(1)
    if word.start() > 0 and text[word.start() - 1].isalnum():
        return True
    if len(before) == 1 and before.isupper():
        return False
    return before.casefold() not in _ABBREVIATIONS


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    start, end = _trim(text, start, end)
    if any(char.isalnum() for char in text[start:end]):
        spans.append((start, end))


def _is_quote(text: str, index: int) -> bool:
    char = text[index]
    if char not in _QUOTES:
        return False
    if char in _APOSTROPHES and 0 < index < len(text) - 1:
        return not (text[index - 1].isalnum() and text[index + 1].isalnum())
    return True


def _blank(char: str) -> bool:
    return char.isspace() or unicodedata.category(char) == "Cf"


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while True:
        while start < end and _blank(text[start]):
            start += 1
        while end > start and _blank(text[end - 1]):
            end -= 1
        if start >= end:
            return start, end
        if text[start] in _BULLETS and start + 1 < end and text[start + 1].isspace():
            start += 1
            continue
        leading = _is_quote(text, start)
        trailing = end - 1 > start and _is_quote(text, end - 1)
        if not (leading or trailing):
            return start, end
        if any(_is_quote(text, inner) for inner in range(start + 1, end - 1)):
            return start, end
        if leading:
            start += 1
        if trailing:
            end -= 1


# Normal form.

_NO_SPACE_RANGES = (
    "\u0e00-\u0eff"  # Thai, Lao
    "\u0f00-\u0fff"  # Tibetan
    "\u1000-\u109f"  # Myanmar
    "\u1780-\u17ff"  # Khmer
    "\u3040-\u30ff\u31f0-\u31ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\U00020000-\U0003134f"  # Han, supplementary planes
)
_UNITS = re.compile(f"[{_NO_SPACE_RANGES}]|[^{_NO_SPACE_RANGES}]+")
_NO_SPACE = re.compile(f"[{_NO_SPACE_RANGES}]")
_LETTER_FOLDS = {
    "\N{LATIN SMALL LETTER DOTLESS I}": "i",
    "\N{LATIN SMALL LETTER O WITH STROKE}": "o",
    "\N{LATIN SMALL LETTER D WITH STROKE}": "d",
    "\N{LATIN SMALL LETTER L WITH STROKE}": "l",
    "\N{LATIN SMALL LETTER H WITH STROKE}": "h",
    "\N{LATIN SMALL LETTER AE}": "ae",
    "\N{LATIN SMALL LIGATURE OE}": "oe",
    "\N{ARABIC LETTER ALEF MAKSURA}": "\N{ARABIC LETTER YEH}",
    "\N{ARABIC LETTER TEH MARBUTA}": "\N{ARABIC LETTER HEH}",
}


def _dropped_mark(char: str) -> bool:
    code = ord(char)
    return (
        0x0300 <= code <= 0x036F  # combining diacritical marks
        or 0x1AB0 <= code <= 0x1AFF
        or 0x1DC0 <= code <= 0x1DFF
        or 0x20D0 <= code <= 0x20FF
        or 0xFE20 <= code <= 0xFE2F
        or 0x064B <= code <= 0x065F  # Arabic vowel and hamza marks
        or code in (0x0670, 0x0640)  # superscript alef, tatweel
        or (0x0591 <= code <= 0x05C7 and unicodedata.category(char) == "Mn")  # Hebrew points
    )


class _Folds(dict[int, str]):
    """The folding of each character, computed once, for `str.translate`."""

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _fold_char(char)
        self[code] = folded
        return folded


def _fold_char(char: str) -> str:
    if char in _LETTER_FOLDS:
        return _LETTER_FOLDS[char]
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    if category[0] in "PSZC":
        return " "
    if _dropped_mark(char):
        return ""
    decomposed = unicodedata.normalize("NFD", char)
    if len(decomposed) > 1 and any(_dropped_mark(part) for part in decomposed):
        return "".join(part for part in decomposed if not _dropped_mark(part))
    return char


_FOLDS = _Folds()


@dataclass(frozen=True, slots=True)
class _Normal:
    text: str
    words: int
    shingles: frozenset[str]


def _normalise(text: str) -> _Normal:
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_FOLDS)
    tokens = folded.split()
    units: list[str] = []
    half_words = 0
    for token in tokens:
        if _NO_SPACE.search(token) is None:
            units.append(token)
            half_words += 2
        else:
            for unit in _UNITS.findall(token):
                units.append(unit)
                half_words += 1 if len(unit) == 1 and _NO_SPACE.match(unit) else 2
    if len(units) < 2:
        shingles = frozenset(units)
    else:
        shingles = frozenset(f"{first} {second}" for first, second in pairwise(units))
    return _Normal(" ".join(tokens), (half_words + 1) // 2, shingles)


# Grouping.


class _Groups:
    """Union-find over indices; the smaller index is the root, so the result does not
    depend on the order of the unions."""

    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, first: int, second: int) -> None:
        first, second = self.find(first), self.find(second)
        if first != second:
            self.parent[max(first, second)] = min(first, second)


def _required_overlap(floor: float, size: int, other: int) -> int:
    return math.ceil(floor * (size + other) / 2 - _EPSILON)


def recurring(
    documents: Iterable[Document],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    min_words: int = DEFAULT_MIN_WORDS,
) -> list[Recurrence]:
    """Groups of near-duplicate passages from at least two origins, most origins first, then
    most passages, then by first passage. `threshold` is the shingle Dice coefficient two
    passages need (in (0, 1]); passages of fewer than `min_words` words are ignored. See the
    module documentation for the method."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must be in (0, 1], not {threshold}")
    if min_words < 1:
        raise ValueError(f"min_words must be at least 1, not {min_words}")

    members: dict[str, list[Passage]] = defaultdict(list)
    normals: dict[str, _Normal] = {}
    for document in documents:
        for start, end in passages(document.text, document.language):
            text = document.text[start:end]
            normal = _normalise(text)
            if normal.words < min_words or not normal.shingles:
                continue
            normals.setdefault(normal.text, normal)
            members[normal.text].append(
                Passage(document.source, document.origin, document.language, start, end, text)
            )

    forms = [normals[key] for key in sorted(normals)]
    groups = _join(forms, threshold=threshold)

    grouped: dict[int, list[Passage]] = defaultdict(list)
    for index, form in enumerate(forms):
        grouped[groups.find(index)].extend(members[form.text])
    recurrences = []
    for found in grouped.values():
        origins = len({passage.origin for passage in found})
        if origins >= 2:
            found.sort(key=_passage_key)
            recurrences.append(Recurrence(tuple(found), origins))
    recurrences.sort(
        key=lambda recurrence: (
            -recurrence.origins,
            -len(recurrence.passages),
            _passage_key(recurrence.passages[0]),
        )
    )
    return recurrences


def _passage_key(passage: Passage) -> tuple[str, str, int, int]:
    return (passage.origin, passage.source, passage.start, passage.end)


def _join(forms: list[_Normal], *, threshold: float) -> _Groups:
    """Union-find over `forms` joining every pair that matches (see the module
    documentation), found by prefix filtering over an inverted index."""
    floor_short = threshold / 2
    frequency = Counter(shingle for form in forms for shingle in form.shingles)
    rank = {
        shingle: position
        for position, shingle in enumerate(sorted(sorted(frequency), key=frequency.__getitem__))
    }
    ordered = [sorted(map(rank.__getitem__, form.shingles)) for form in forms]
    sets = [frozenset(tokens) for tokens in ordered]
    sizes = [len(tokens) for tokens in ordered]
    short = [form.words < SHORT_WORDS for form in forms]
    min_size = min(sizes, default=1)

    groups = _Groups(len(forms))
    index: dict[int, list[tuple[int, int]]] = defaultdict(list)
    limits: dict[int, int] = {}
    find = groups.find
    for item in sorted(range(len(forms)), key=sizes.__getitem__):
        tokens = ordered[item]
        size = sizes[item]
        item_short = short[item]
        floor = floor_short if item_short else threshold
        smallest = max(min_size, math.ceil(floor * size / (2 - floor) - _EPSILON))
        probe = size - _required_overlap(floor, size, smallest) + 1
        seen: set[int] = set()
        for position in range(max(1, min(size, probe))):
            for other, other_position in index.get(tokens[position], ()):
                if other in seen:
                    continue
                seen.add(other)
                other_size = sizes[other]
                both_short = item_short and short[other]
                needed = (floor_short if both_short else threshold) * (size + other_size) / 2
                bound = 1 + min(size - position - 1, other_size - other_position - 1)
                if bound < needed - _EPSILON or find(other) == find(item):
                    continue
                if _match(
                    forms[item], forms[other], sets[item], sets[other], both_short, threshold
                ):
                    groups.union(item, other)
        indexed = size - math.ceil(floor * size - _EPSILON) + 1
        for position in range(max(1, min(size, indexed))):
            token = tokens[position]
            postings = index[token]
            postings.append((item, position))
            if len(postings) > limits.get(token, POSTING_CAP):
                postings[:] = _compact(postings, groups)
                limits[token] = max(POSTING_CAP, 2 * len(postings))
    return groups


def _match(
    first: _Normal,
    second: _Normal,
    first_set: frozenset[int],
    second_set: frozenset[int],
    both_short: bool,
    threshold: float,
) -> bool:
    dice = 2 * len(first_set & second_set) / (len(first_set) + len(second_set))
    if dice >= threshold - _EPSILON:
        return True
    if not both_short or dice < threshold / 2 - _EPSILON:
        return False
    cutoff = max(CHAR_THRESHOLD, threshold)
    return Indel.normalized_similarity(first.text, second.text, score_cutoff=cutoff) >= cutoff


def _compact(postings: list[tuple[int, int]], groups: _Groups) -> list[tuple[int, int]]:
    kept: Counter[int] = Counter()
    compacted: list[tuple[int, int]] = []
    for posting in postings:
        root = groups.find(posting[0])
        if kept[root] < GROUP_SAMPLE:
            kept[root] += 1
            compacted.append(posting)
    return compacted
