"""Mentions of known entities in the archive's texts, free of Django: every name and alias
matched at once, at whole-word boundaries, with offsets into the original text.

An index is built once from all the names and aliases of the known entities
(`MentionIndex(names)`); `find(text, language=...)` then returns the mentions in one text.
Matching happens on a folded form of the text (`fold`), in which:

- letters are case-folded and compatibility-decomposed (NFKD), so "CORVANE", "Corvane" and
  "Corvane" in full-width letters agree, "ß" reads "ss" and "ﬁ" reads "fi";
- combining diacritics are dropped wherever they occur (Latin, Greek and Cyrillic: "é" and
  "e" + U+0301 read "e", "İ" reads "i", and "й" and "ё" lose their marks too), as are Arabic
  and Hebrew vowel marks and the tatweel; the dotless i (U+0131) reads "i", and in Arabic
  alef maksura reads yeh and teh marbuta reads heh (hamza carriers lose their hamza through
  NFKD). Script-specific signs (Bengali vowel signs, for example) are kept: they change the
  word;
- every character that is not a letter, digit or mark (spaces, punctuation, hyphens,
  apostrophes of every kind, symbols, emoji) reads as a space, runs of them as one space,
  and invisible format characters (soft hyphen, zero-width joiners) vanish; so
  "Corvane  Logistics", "Corvane-Logistics" and "Corvane – Logistics" agree.

Between the words of a name only spaces, line breaks, hyphens and dashes, underscores,
apostrophes, "&", "/" and the middle dot may stand in the text; any other punctuation or
symbol there ("the port. Union members", "Apex, Delta", "Corvane (Logistics)") is allowed
only when the name is written with it: "Corvane, Inc." is found as written and as "Corvane
Inc", but "Corvane Inc." is not found in "Corvane, Inc.". A name written with full stops is
also found without them ("Corvane S.A." as "CORVANE SA").

A name matches where its folded form stands between two spaces of the folded text (or its
ends), so a mention is always a whole word or words: "Apex" is not found in "Apexa" nor
"Apex2"; it is found in "Apex," and, since an apostrophe separates words, in "Apex's" and
"Apex'in" (Turkish writes the suffixes of proper nouns after an apostrophe).

In a text that is Arabic or of unknown language, a name in Arabic script is also found
behind the attached prefixes و ف ب ل ك and ال, and their usual pairs (وب، ول، فب، فل، وك،
فك، وال، بال، فال، كال); before a name that begins with ال, ل-prefixes drop the alef
("للشركة"). The mention then covers the name without its prefix.

Offsets (`Mention.start`, `Mention.end`) are indices into the original `str` (code points, as
Python slices them): folding may change lengths ("ß" → "ss", a combining mark → nothing),
and each end of a match is mapped back through those changes; a match that would begin or
end inside one original character ("1 Line" in "⑴ Line", as "⑴" reads "(1)") is dropped.

Where matches overlap the leftmost wins, and at one position the longest ("Corvane
Logistics" over "Corvane"); when several entities share the folded name, each is reported
for the same span, once per entity.

Two rules keep short and common names from flooding the results:

- a name of at most three letters or digits ("UN", "ABC", "3M") matches only with the case it
  is written with: "UN" is found in "the UN said", not in "un" or "Un";
- a one-word name that is a common word in the text's language (`COMMON_WORDS`, small
  built-in lists for en, pt, es, fr, tr and ar, plus the index's `common_words`) matches
  only when capitalised in the text: its first cased letter is upper case. "Apex" is found
  in "Apex workers" and not in "the apex of the crisis". ALL-CAPS text passes this test,
  deliberately: in a headline or a shouted testimony ("APEX WORKERS WALK OUT") case says
  nothing, and missing every mention there is worse than a rare "THE APEX OF THE CRISIS";
  likewise a common name at the start of a sentence is taken. A common name in a script
  without case (Arabic) is never found in a text of a language in which it is common: give
  such entities a longer alias. When the text's language is not given, a name is common if
  the alias's own `language` lists it, or, for an alias without a language, if any list
  does. Names of more than one word are never common.

`Name.language` says which language an alias is written for; it decides only which common
words apply when the text's language is unknown, and never keeps an alias from matching.
Scripts written without spaces between words (Chinese, Japanese, Thai) are out of scope.

Speed: folding is one `str.translate` over a table computed once per process (for the
Basic and Supplementary Multilingual Planes, and the tags and variation selectors of plane
14); inside `find` separators fold to "|", and each separator but the last of several in a
row becomes a space, which keeps the text's length. Matching is one pass of an Aho-Corasick
automaton (pyahocorasick) that skips those spaces and whose patterns carry the separators
on either side of each name, so only whole-word hits ever reach Python. Offsets need a map
only past the rare characters whose folded form is not one character long, and it is built
from those characters alone, never character by character.
"""

import re
import unicodedata
from bisect import bisect_right
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import NamedTuple

import ahocorasick


@dataclass(frozen=True)
class Name:
    """A name or alias of an entity; `language` is the language it is written for, if any."""

    entity: str
    text: str
    language: str | None = None


@dataclass(frozen=True)
class Mention:
    """`text` is `original[start:end]`; `name` is the name or alias that matched it."""

    entity: str
    start: int
    end: int
    text: str
    name: str


# The built-in common words: function words, and the everyday nouns and adjectives that
# organisations take as names. `common_words` adds to them.
COMMON_WORDS: Mapping[str, frozenset[str]] = {
    language: frozenset(words.split())
    for language, words in {
        "en": """a an and are as at be but by for from he her his i in is it its me my no not
            of on or our she so that the their them they this to us was we were with you
            your all any new first one best good great top united union general national
            international global world star sun moon delta apex summit peak crown eagle
            phoenix pioneer vision horizon future hope progress alliance solidarity liberty
            freedom victory light life home work workers people power energy service services
            family friends trust care express direct prime premier royal central standard
            target shell apple amazon oracle next gap bridge harbour port anchor atlas""",
        "pt": """a o as os um uma uns umas e de do da dos das em no na nos nas por para com
            que se ao aos à às é ser seu sua mais mas ou nem novo nova geral união unido
            unida nacional internacional global mundo estrela sol lua delta ápice cume
            coroa águia fénix pioneiro visão horizonte futuro esperança progresso aliança
            solidariedade liberdade vitória luz vida casa lar trabalho trabalhadores povo
            força energia serviço serviços família confiança expresso central porto
            ponte""",
        "es": """el la los las un una unos unas y e o u de del en por para con que se al a
            es ser su sus más pero nuevo nueva general unión unido unida nacional
            internacional global mundo estrella sol luna delta ápice cumbre corona águila
            fénix pionero visión horizonte futuro esperanza progreso alianza solidaridad
            libertad victoria luz vida casa hogar trabajo trabajadores pueblo fuerza energía
            servicio servicios familia confianza expreso central puerto puente""",
        "fr": """le la les l un une des du de d et ou en au aux à dans par pour avec que qui
            se sur est être son sa ses plus mais nouveau nouvelle général générale union uni
            unie national nationale international internationale global monde étoile soleil
            lune delta apex sommet couronne aigle phénix pionnier vision horizon avenir
            espoir progrès alliance solidarité liberté victoire lumière vie maison travail
            travailleurs peuple force énergie service services famille confiance express
            central centrale port pont""",
        "tr": """ve ile bir bu şu o da de ki için gibi daha çok en ama veya ya mi mı mu mü
            yeni genel birlik birleşik ulusal uluslararası küresel dünya yıldız güneş ay
            delta zirve taç kartal anka öncü vizyon ufuk gelecek umut ilerleme ittifak
            dayanışma özgürlük zafer ışık hayat yaşam ev iş işçi işçiler halk güç enerji
            hizmet aile güven ekspres merkez liman köprü""",  # noqa: RUF001 (Turkish)
        "ar": """في من على إلى عن مع و أو ثم هذا هذه ذلك تلك التي الذي كل بعض قد لا ما لم لن
            جديد الجديد عام العام اتحاد الاتحاد وطني الوطني دولي الدولي عالم العالم نجم النجم
            شمس الشمس قمر القمر أمل الأمل تقدم التقدم تحالف التحالف تضامن التضامن حرية الحرية
            نصر النصر نور النور حياة الحياة بيت البيت عمل العمل عمال العمال شعب الشعب قوة
            القوة طاقة الطاقة خدمة الخدمات أسرة الأسرة ثقة الثقة مستقبل المستقبل ميناء
            الميناء جسر الجسر""",
    }.items()
}

# Marks that fold to nothing wherever they stand: the combining diacritics shared by Latin,
# Greek and Cyrillic, Cyrillic titlos, Hebrew points, and Arabic vowel and Quranic marks.
_DROPPED_MARK_BLOCKS = (
    (0x0300, 0x036F),
    (0x0483, 0x0489),
    (0x0591, 0x05C7),
    (0x0610, 0x061A),
    (0x064B, 0x065F),
    (0x0670, 0x0670),
    (0x06D6, 0x06ED),
    (0x08D3, 0x08FF),
    (0x1AB0, 0x1AFF),
    (0x1DC0, 0x1DFF),
    (0x20D0, 0x20FF),
    (0xFE20, 0xFE2F),
)
_LETTER_FOLDS = {
    "\N{LATIN SMALL LETTER DOTLESS I}": "i",
    "\N{ARABIC LETTER ALEF MAKSURA}": "\N{ARABIC LETTER YEH}",
    "\N{ARABIC LETTER TEH MARBUTA}": "\N{ARABIC LETTER HEH}",
    "\N{ARABIC TATWEEL}": "",
}
# Modifier letters written as apostrophes, the zero-width space, which separates words, and
# the variation selectors that follow emoji.
_SEPARATORS = frozenset(
    "\u02b9\u02bb\u02bc\u02bd\u200b"
    + "".join(map(chr, [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]))
)
# The table covers the BMP, the SMP (emoji, mathematical letters) and the tags and variation
# selectors of plane 14; `str.translate` leaves any other character as it is.
_TABLE_PLANES = (range(0x20000), range(0xE0000, 0xE01F0))
_ARABIC_PREFIXES = ("و", "ف", "ب", "ل", "ك", "وب", "ول", "فب", "فل", "وك", "فك")
_ARABIC_ARTICLE_PREFIXES = ("ال", "وال", "بال", "فال", "كال")
_ARABIC_ELIDING_PREFIXES = ("ل", "ول", "فل")  # before ال, which loses its alef: ل + الـ = لل
# Inside the index, separators fold to "|" rather than a space: the automaton skips white
# space, and the spaces that `find` puts in place of all but the last of several separators
# in a row keep the text's length (so no map is needed for them) while the automaton reads
# one separator.
_SEPARATOR = "|"
_SEPARATOR_RUNS = re.compile(r"\|\|+")
_REPEATED_SEPARATOR = re.compile(r"\|(?=\|)")
_SHORT = 3
_NOTHING: frozenset[str] = frozenset()
# Separators that may stand between the words of a name: spaces and line breaks, hyphens and
# dashes, underscores, apostrophes, "&", "/" and the middle dot. Any other punctuation or
# symbol ("port. Union", "Apex, Delta", "Corvane (Logistics)") ends a name, unless the name
# itself is written with it.
_JOINING_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Pd", "Pc"})
_JOINING = frozenset("'\u2018\u2019\u201b`\u00b4\u2032&/\u00b7") | _SEPARATORS


def _is_dropped_mark(char: str) -> bool:
    code = ord(char)
    return unicodedata.category(char)[0] == "M" and any(
        low <= code <= high for low, high in _DROPPED_MARK_BLOCKS
    )


def _fold_part(char: str) -> str:
    if char in _SEPARATORS:
        return " "
    category = unicodedata.category(char)
    if category == "Cf" or _is_dropped_mark(char):
        return ""
    if category[0] not in "LNM":
        return " "
    if category == "Nd":
        return str(unicodedata.decimal(char))
    return _LETTER_FOLDS.get(char, char)


def fold_char(char: str) -> str:
    """The folded form of one character: empty, one character, or a few (see the module's
    docstring); `fold` applies it to every character and squeezes runs of spaces."""
    if not any(ord(char) in plane for plane in _TABLE_PLANES):
        return char  # CJK ideographs, private use and unassigned code points
    result = _fold_whole(char)
    if ord(char) > 0xFFFF and len(result) != 1:
        # Outside the BMP every character folds to exactly one, so that a regular expression
        # over the BMP alone finds every place where folding changes lengths.
        return char if unicodedata.category(char)[0] in "LN" else " "
    return result


def _fold_whole(char: str) -> str:
    category = unicodedata.category(char)
    if category[0] not in "LNM" or category == "Nd" or char in _SEPARATORS:
        return _fold_part(char)
    if 0xAC00 <= ord(char) <= 0xD7A3:
        return char  # Hangul syllables stay whole: as jamo, every one would grow
    decomposed = unicodedata.normalize("NFKD", char)
    folded = unicodedata.normalize("NFKD", decomposed.casefold())
    return "".join(_fold_part(part) for part in folded)


@dataclass(frozen=True)
class _Tables:
    translation: dict[int, int | str]  # for `str.translate`; separators read _SEPARATOR
    irregular: re.Pattern[str]  # each character whose folded form is not one long
    lengths: dict[str, int]  # and that form's length
    punctuation: frozenset[str]  # separators that may not stand inside a name


@cache
def _tables() -> _Tables:
    """Computed once per process, in about a tenth of a second."""
    translation: dict[int, int | str] = {}
    lengths: dict[str, int] = {}
    punctuation: list[int] = []
    for plane in _TABLE_PLANES:
        for code in plane:
            char = chr(code)
            folded = fold_char(char)
            if len(folded) == 1:
                translation[code] = ord(folded.replace(" ", _SEPARATOR))
            else:
                translation[code] = folded.replace(" ", _SEPARATOR)
                lengths[char] = len(folded)
            if folded == " " and not _joins(char):
                punctuation.append(code)
    return _Tables(
        translation=translation,
        irregular=re.compile(_character_class(sorted(ord(char) for char in lengths))),
        lengths=lengths,
        punctuation=frozenset(map(chr, punctuation)),
    )


def _joins(char: str) -> bool:
    return char in _JOINING or unicodedata.category(char) in _JOINING_CATEGORIES


def _character_class(codes: list[int]) -> str:
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    parts = (
        re.escape(chr(low)) if low == high else f"{re.escape(chr(low))}-{re.escape(chr(high))}"
        for low, high in ranges
    )
    return "[" + "".join(parts) + "]"


def fold(text: str) -> str:
    """The form in which names are matched (see the module's docstring), without spaces at
    either end."""
    return _key(text).replace(_SEPARATOR, " ")


def _key(text: str) -> str:
    """`fold(text)`, with "|" for each space: the form names take in the automaton."""
    folded = text.translate(_tables().translation)
    return _SEPARATOR_RUNS.sub(_SEPARATOR, folded).strip(_SEPARATOR)


def _language(code: str | None) -> str | None:
    """The primary subtag, in lower case ("pt-BR" reads "pt"); None when empty."""
    if not code:
        return None
    return code.replace("_", "-").split("-")[0].lower() or None


def _is_arabic(char: str) -> bool:
    code = ord(char)
    return 0x0600 <= code <= 0x06FF or 0x0750 <= code <= 0x077F or 0x08A0 <= code <= 0x08FF


def _capitalised(surface: str) -> bool:
    """Whether the first cased letter is upper case (and there is one)."""
    for char in surface:
        if char.isupper():
            return True
        if char.islower():
            return False
    return False


def _same_case(surface: str, name: str) -> bool:
    """Whether the letters of the surface are cased as the name's, one for one."""
    return [char.isupper() for char in surface if char.isalpha()] == [
        char.isupper() for char in name if char.isalpha()
    ]


@dataclass(frozen=True, slots=True)
class _Alias:
    entity: str
    name: str
    language: str | None
    short: bool
    common_in: frozenset[str]
    punctuation: frozenset[str]  # what the name is written with, which it may be found with

    def accepts(self, surface: str, language: str | None, punctuation: frozenset[str]) -> bool:
        """Whether the rules let the name match the original `surface`, of a text in
        `language`, with `punctuation` between its words."""
        if not punctuation <= self.punctuation:
            return False
        if self.short and not _same_case(surface, self.name):
            return False
        if self.common_in:
            if language is not None:
                common = language in self.common_in
            elif self.language is not None:
                common = self.language in self.common_in
            else:
                common = True
            if common and not _capitalised(surface):
                return False
        return True


class _Pattern(NamedTuple):
    """What one automaton key stands for: aliases whose folded name is the last `length`
    characters before the closing separator, behind an Arabic prefix when `prefixed`. A
    tuple, unpacked in `find`'s inner loop."""

    length: int
    prefixed: bool
    aliases: tuple[_Alias, ...]
    words: bool  # whether the name has more than one word (and so may span punctuation)
    ruled: bool  # whether the rules for short or common names apply to any alias


class _Offsets:
    """Maps a position in the folded text back to one in the original, past the characters
    whose folded form is not one character long; `of(text)` is None for a text without any
    (most texts), where positions are the same."""

    def __init__(self, starts: list[int], ends: list[int], shifts: list[int]) -> None:
        self._starts = starts  # folded index where each one's form begins
        self._ends = ends  # and ends
        self._shifts = shifts  # folded index less original index, just after it

    @classmethod
    def of(cls, text: str) -> "_Offsets | None":
        tables = _tables()
        if text.isascii() or tables.irregular.search(text) is None:
            return None
        starts: list[int] = []
        ends: list[int] = []
        shifts: list[int] = []
        shift = 0
        for match in tables.irregular.finditer(text):
            start = match.start() + shift
            length = tables.lengths[match.group()]
            shift += length - 1
            starts.append(start)
            ends.append(start + length)
            shifts.append(shift)
        return cls(starts, ends, shifts)

    def original(self, folded: int) -> int | None:
        """The original position; None when it falls inside the folded form of one original
        character. Characters that fold to nothing go with the one before them."""
        index = bisect_right(self._ends, folded)
        if index < len(self._starts) and self._starts[index] < folded:
            return None
        return folded - (self._shifts[index - 1] if index else 0)


def _start(squeezed: str, end: int, length: int) -> int:
    """Where the `length` characters before `end` that are not spaces begin."""
    start = end
    while length:
        start -= 1
        if squeezed[start] != " ":
            length -= 1
    return start


class MentionIndex:
    """All names and aliases, ready to find their mentions in any number of texts.

    `common_words` adds words, by language code ("en", "pt-BR" reads "pt"), to the built-in
    `COMMON_WORDS`. Names that fold to nothing (only punctuation or symbols) are ignored.
    An index is read-only once built and may be shared between threads.
    """

    def __init__(
        self,
        names: Iterable[Name],
        *,
        common_words: Mapping[str, Collection[str]] | None = None,
    ) -> None:
        common = self._common_words(common_words or {})
        groups: dict[tuple[str, int, bool], list[_Alias]] = {}
        punctuation = _tables().punctuation
        for name in names:
            # "S.A." is also found as "SA".
            keys = {_key(name.text), _key(name.text.replace(".", ""))} - {""}
            for key in keys:
                alias = _Alias(
                    entity=name.entity,
                    name=name.text,
                    language=_language(name.language),
                    short=sum(char.isalnum() for char in name.text) <= _SHORT,
                    common_in=frozenset(
                        code
                        for code, words in common.items()
                        if _SEPARATOR not in key and key in words
                    ),
                    punctuation=punctuation.intersection(name.text),
                )
                for pattern, length, prefixed in self._patterns(key):
                    groups.setdefault((pattern, length, prefixed), []).append(alias)
        by_pattern: dict[str, list[_Pattern]] = {}
        for (pattern, length, prefixed), aliases in groups.items():
            by_pattern.setdefault(pattern, []).append(
                _Pattern(
                    length=length,
                    prefixed=prefixed,
                    aliases=tuple(aliases),
                    words=_SEPARATOR in pattern.strip(_SEPARATOR),
                    ruled=any(alias.short or alias.common_in for alias in aliases),
                )
            )
        self._automaton: ahocorasick.Automaton | None = None
        if by_pattern:
            self._automaton = ahocorasick.Automaton()
            for pattern, patterns in by_pattern.items():
                self._automaton.add_word(pattern, tuple(patterns))
            self._automaton.make_automaton()

    @staticmethod
    def _common_words(extra: Mapping[str, Collection[str]]) -> dict[str, frozenset[str]]:
        merged: dict[str, set[str]] = {}
        for source in (COMMON_WORDS, extra):
            for code, words in source.items():
                language = _language(code)
                if language is not None:
                    merged.setdefault(language, set()).update(_key(word) for word in words)
        return {code: frozenset(words) for code, words in merged.items()}

    @staticmethod
    def _patterns(key: str) -> list[tuple[str, int, bool]]:
        """Automaton keys for a folded name: the name between separators, and behind each
        Arabic prefix when it is written in Arabic script; with the name's length."""
        patterns = [(f"|{key}|", len(key), False)]
        if _is_arabic(key[0]):
            prefixes: tuple[str, ...] = _ARABIC_PREFIXES
            if key.startswith("ال"):
                patterns.extend(
                    (f"|{prefix}{key[1:]}|", len(key) - 1, True)
                    for prefix in _ARABIC_ELIDING_PREFIXES
                )
            else:
                prefixes += _ARABIC_ARTICLE_PREFIXES
            patterns.extend((f"|{prefix}{key}|", len(key), True) for prefix in prefixes)
        return patterns

    def find(self, text: str, *, language: str | None = None) -> list[Mention]:
        """The mentions in `text`, left to right, without overlaps; `language` is the
        text's language code, when known (it decides which words are common and whether
        Arabic prefixes apply)."""
        if self._automaton is None or not text:
            return []
        tables = _tables()
        # Separators around the text, and a space for each separator but the last in a row:
        # as long as the folded text, and read by the automaton as one separator.
        squeezed = _REPEATED_SEPARATOR.sub(" ", f"|{text.translate(tables.translation)}|")
        code = _language(language)
        arabic_prefixes = code is None or code == "ar"
        offsets = _Offsets.of(text)
        punctuation = tables.punctuation
        # (start, -stop, order, aliases): sorted, leftmost first, then longest, then found.
        candidates: list[tuple[int, int, int, tuple[_Alias, ...]]] = []
        for end, patterns in self._automaton.iter(squeezed, ignore_white_space=True):
            # `end` is the separator after the name, maybe after spaces standing for others.
            while squeezed[end - 1] == " ":
                end -= 1
            for length, prefixed, aliases, words, ruled in patterns:
                if prefixed and not arabic_prefixes:
                    continue
                begin = end - length
                if words and squeezed.find(" ", begin, end) >= 0:
                    begin = _start(squeezed, end, length)
                # The squeezed text has one separator more at the front than the folded.
                if offsets is None:
                    start, stop = begin - 1, end - 1
                else:
                    mapped = offsets.original(begin - 1), offsets.original(end - 1)
                    if mapped[0] is None or mapped[1] is None:
                        continue
                    start, stop = mapped
                if words or ruled:
                    surface = text[start:stop]
                    between = punctuation.intersection(surface) if words else _NOTHING
                    if between or ruled:
                        aliases = tuple(
                            alias for alias in aliases if alias.accepts(surface, code, between)
                        )
                if aliases:
                    candidates.append((start, -stop, len(candidates), aliases))
        candidates.sort()
        mentions: list[Mention] = []
        taken_until = -1
        span = (-1, -1)
        reported: set[str] = set()
        for start, negative_stop, _, aliases in candidates:
            stop = -negative_stop
            if (start, stop) != span:
                if start < taken_until:
                    continue
                span, taken_until, reported = (start, stop), stop, set()
            for alias in aliases:
                if alias.entity not in reported:
                    reported.add(alias.entity)
                    mentions.append(
                        Mention(alias.entity, start, stop, text[start:stop], alias.name)
                    )
        return mentions
