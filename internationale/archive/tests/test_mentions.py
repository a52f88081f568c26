"""Mentions: variants found at their exact original offsets, whole words only, the
leftmost-longest choice, the rules for short and common names, other scripts, and any text
at all against a character-by-character reference (Hypothesis)."""

import random
import unicodedata

from hypothesis import example, given
from hypothesis import strategies as st

from internationale.archive.mentions import Mention, MentionIndex, Name, fold, fold_char


def found(index: MentionIndex, text: str, language: str | None = None) -> list[tuple]:
    """(entity, matched text) for each mention, after checking its offsets."""
    mentions = index.find(text, language=language)
    for mention in mentions:
        assert text[mention.start : mention.end] == mention.text
    return [(mention.entity, mention.text) for mention in mentions]


def test_it_finds_case_accent_and_punctuation_variants_at_their_original_offsets() -> None:
    index = MentionIndex([Name("corvane", "Corvane Logistics"), Name("sao", "São Tomé Docas")])
    surfaces = [
        ("corvane", "Corvane Logistics"),
        ("corvane", "CORVANE  LOGISTICS"),
        ("corvane", "corvane-logistics"),
        ("corvane", "Corvane\u2013Logistics"),
        ("corvane", "ＣＯＲＶＡＮＥ Logistics"),
        ("sao", "SAO TOME DOCAS"),
        ("sao", "sa\u0303o tome\u0301 docas"),
        ("sao", "São\nTomé\tDocas"),
    ]
    text = "; ".join(surface for _, surface in surfaces) + "."
    expected = []
    for entity, surface in surfaces:
        start = text.index(surface)
        name = "Corvane Logistics" if entity == "corvane" else "São Tomé Docas"
        expected.append(Mention(entity, start, start + len(surface), surface, name))
    assert index.find(text) == expected
    assert expected[-1].start == 130


def test_it_folds_apostrophes_hyphens_and_spaces_of_every_kind_alike() -> None:
    index = MentionIndex([Name("obrien", "O'Brien Haulage")])
    for text in ("O’Brien Haulage", "O`Brien Haulage", "OʼBrien\u00a0Haulage", "O Brien-Haulage"):
        assert found(index, f"Ask {text}.") == [("obrien", text)]
    assert fold("O’Brien\tHAULAGE!") == "o brien haulage"


def test_it_does_not_match_across_punctuation_that_ends_a_name() -> None:
    index = MentionIndex([Name("port", "Port Union"), Name("apex", "Apex Delta")])
    assert found(index, "the port. Union members; port, union; Port (Union); Port 😀 Union") == []
    assert found(index, "Apex, Delta and «Apex» Delta: apex.delta") == []
    assert found(index, "Port\nUnion, Port – Union, Port/Union, Port_Union, Port & Union") == [
        ("port", "Port\nUnion"),
        ("port", "Port – Union"),
        ("port", "Port/Union"),
        ("port", "Port_Union"),
        ("port", "Port & Union"),
    ]


def test_it_allows_the_punctuation_a_name_is_written_with() -> None:
    index = MentionIndex(
        [
            Name("inc", "Corvane, Inc."),
            Name("sa", "Delta Têxtil S.A."),
            Name("plain", "Apex Freight Inc."),
        ]
    )
    assert found(index, "Corvane, Inc. and Corvane Inc sued") == [
        ("inc", "Corvane, Inc"),
        ("inc", "Corvane Inc"),
    ]
    assert found(index, "DELTA TEXTIL S.A., Delta Têxtil SA, Delta Têxtil S. A.") == [
        ("sa", "DELTA TEXTIL S.A"),
        ("sa", "Delta Têxtil SA"),
        ("sa", "Delta Têxtil S. A"),
    ]
    assert found(index, "Apex Freight, Inc.") == []


def test_it_matches_whole_words_only() -> None:
    index = MentionIndex([Name("apex", "Apex Freight"), Name("corvane", "Corvane")])
    assert found(index, "Apexa Freight, Apex Freighters, 2Apex Freight, Corvanes") == []
    assert found(index, "Corvane2 and the_Corvane and xCorvane") == [("corvane", "Corvane")]
    assert found(index, "(Apex Freight), «Corvane».") == [
        ("apex", "Apex Freight"),
        ("corvane", "Corvane"),
    ]


def test_it_allows_a_possessive_or_a_suffix_after_an_apostrophe() -> None:
    index = MentionIndex([Name("corvane", "Corvane")])
    assert found(index, "Corvane's trucks, Corvane’s drivers, Corvane'in işçileri") == [
        ("corvane", "Corvane"),
        ("corvane", "Corvane"),
        ("corvane", "Corvane"),
    ]


def test_it_maps_offsets_back_past_characters_that_change_length() -> None:
    index = MentionIndex([Name("corvane", "Corvane")])
    for before in (
        "Straße ",  # ß folds to two characters
        "İstanbul ",  # İ casefolds to i + a combining dot, which is dropped
        "ﬁnance ",  # a ligature folds to two characters
        "😀 ",  # one code point outside the BMP
        "👩\u200d🔧 ",  # a zero-width joiner folds to nothing
        "cafe\u0301 ",  # a combining accent folds to nothing
        "co\u00adop ",  # a soft hyphen folds to nothing
        "ǅ ½ ﷺ ",  # a title-case digraph, a fraction, an Arabic ligature of many words
        "a ,  - \u200d  ;\t\n",  # separators squeezed to one
    ):
        text = before * 3 + "Corvane" + " ß"
        start = len(before) * 3
        assert index.find(text) == [Mention("corvane", start, start + 7, "Corvane", "Corvane")]


def test_it_maps_offsets_inside_a_match_that_changes_length() -> None:
    index = MentionIndex([Name("strasse", "Strasse Union"), Name("fi", "Fine Arts Guild")])
    text = "ß Straße   Union, STRASSE UNION, ﬁne arts guild, Fine Arts Guild\u0301!"
    assert found(index, text) == [
        ("strasse", "Straße   Union"),
        ("strasse", "STRASSE UNION"),
        ("fi", "ﬁne arts guild"),
        ("fi", "Fine Arts Guild\u0301"),
    ]


def test_it_does_not_match_part_of_one_original_character() -> None:
    # "⑴" folds to " 1 ", so "1 Line" and "Line 1" would begin or end inside it.
    index = MentionIndex([Name("line", "1 Line"), Name("one", "Line 1")])
    assert found(index, "⑴ Line, Line ⑴") == []
    assert found(index, "⑴ Line 1") == [("one", "Line 1")]


def test_it_prefers_the_longest_match_at_the_leftmost_position() -> None:
    index = MentionIndex(
        [
            Name("corvane", "Corvane"),
            Name("corvane-logistics", "Corvane Logistics"),
            Name("logistics-workers", "Logistics Workers Union"),
            Name("workers", "Workers Union"),
        ]
    )
    assert found(index, "Corvane Logistics Workers Union") == [
        ("corvane-logistics", "Corvane Logistics"),
        ("workers", "Workers Union"),
    ]
    assert found(index, "Corvane Logistic Workers Union") == [
        ("corvane", "Corvane"),
        ("workers", "Workers Union"),
    ]
    assert found(index, "Logistics Workers Union of Corvane") == [
        ("logistics-workers", "Logistics Workers Union"),
        ("corvane", "Corvane"),
    ]


def test_it_reports_every_entity_that_shares_a_name_once() -> None:
    index = MentionIndex(
        [
            Name("apex-uk", "Apex Freight"),
            Name("apex-br", "Apex Freight"),
            Name("apex-br", "APEX-FREIGHT"),
            Name("apex-br", "Apex Freight Ltda"),
        ]
    )
    assert index.find("Apex Freight") == [
        Mention("apex-uk", 0, 12, "Apex Freight", "Apex Freight"),
        Mention("apex-br", 0, 12, "Apex Freight", "Apex Freight"),
    ]
    assert found(index, "APEX FREIGHT LTDA") == [("apex-br", "APEX FREIGHT LTDA")]


def test_it_matches_short_names_only_in_their_written_case() -> None:
    index = MentionIndex(
        [Name("un", "UN"), Name("abc", "ABC"), Name("3m", "3M"), Name("oxy", "Oxy")]
    )
    assert found(index, "un Un uN abc Abc 3m oxy OXY fun UNION") == []
    assert found(index, "the UN, ABC and 3M; Oxy's plant") == [
        ("un", "UN"),
        ("abc", "ABC"),
        ("3m", "3M"),
        ("oxy", "Oxy"),
    ]
    assert found(index, "a ÚN resolution") == [("un", "ÚN")]


def test_it_needs_common_word_names_capitalised_in_the_texts_language() -> None:
    index = MentionIndex(
        [
            Name("apex", "Apex"),
            Name("star", "Estrela"),
            Name("union", "Union"),
            Name("union-lines", "Union Lines"),
            Name("corvane", "Corvane"),
        ],
        common_words={"pt-BR": ["Corvane"]},
    )
    assert found(index, "the apex of the crisis", "en") == []
    assert found(index, "Apex workers met; APEX WORKERS WALK OUT", "en") == [
        ("apex", "Apex"),
        ("apex", "APEX"),
    ]
    # "Estrela" is a common word in Portuguese, not in English.
    assert found(index, "a estrela da manhã; a Estrela Transportes", "pt") == [("star", "Estrela")]
    assert found(index, "they call it estrela", "en") == [("star", "estrela")]
    # Multi-word names are never common.
    assert found(index, "union lines and the union", "en") == [("union-lines", "union lines")]
    # Words added for a language, whatever its code's region or case.
    assert found(index, "corvane e Corvane", "PT") == [("corvane", "Corvane")]
    assert found(index, "corvane and Corvane", "en") == [
        ("corvane", "corvane"),
        ("corvane", "Corvane"),
    ]
    # A text in an unknown language: common in any list.
    assert found(index, "the apex, a estrela, corvane; Apex") == [("apex", "Apex")]


def test_it_uses_the_alias_language_when_the_text_language_is_unknown() -> None:
    index = MentionIndex(
        [Name("estrella", "Estrella", language="es"), Name("star", "Estrela", language="en")]
    )
    assert found(index, "la estrella y la estrela") == [("star", "estrela")]
    assert found(index, "la Estrella y la estrela") == [
        ("estrella", "Estrella"),
        ("star", "estrela"),
    ]
    assert found(index, "la estrella y la estrela", "pt") == [("estrella", "estrella")]


def test_it_finds_arabic_names_behind_attached_prefixes() -> None:
    index = MentionIndex(
        [Name("corvane", "كورفان"), Name("company", "الشركة الوطنية للنقل"), Name("x", "Corvane")]
    )
    text = "عمال كورفان وكورفان بكورفان لكورفان فكورفان الكورفان وبكورفان بالكورفان"
    assert [mention.text for mention in index.find(text, language="ar")] == ["كورفان"] * 8
    assert found(index, "كورفانات كورفانية مكورفان ووكورفان") == []
    assert found(index, "اضراب بالشركة الوطنية للنقل وللشركة الوطنية للنقل") == [
        ("company", "الشركة الوطنية للنقل"),
        ("company", "لشركة الوطنية للنقل"),
    ]
    # Prefixes belong to Arabic: not in a text declared Persian, and not before Latin names.
    assert found(index, "وكورفان", "fa") == []
    assert found(index, "كورفان", "fa") == [("corvane", "كورفان")]
    assert found(index, "وCorvane") == []


def test_it_ignores_arabic_vowel_marks_hamza_and_tatweel() -> None:
    index = MentionIndex([Name("ahmad", "أحمد السيد")])
    assert found(index, "قال احمد السيّد وأَحْمَد الســيد") == [
        ("ahmad", "احمد السيّد"),
        ("ahmad", "أَحْمَد الســيد"),
    ]


def test_it_finds_cyrillic_names() -> None:
    index = MentionIndex([Name("sever", "Северсталь"), Name("yolka", "Ёлка Трейд")])
    assert found(index, "Рабочие СЕВЕРСТАЛЬ и северсталь, елка трейд.") == [
        ("sever", "СЕВЕРСТАЛЬ"),
        ("sever", "северсталь"),
        ("yolka", "елка трейд"),
    ]
    assert found(index, "Северстали") == []


def test_it_finds_bengali_names_precomposed_or_decomposed() -> None:
    # য় written as one code point (U+09DF) and as two (U+09AF U+09BC); ো likewise.
    index = MentionIndex([Name("union", "শ্রমিক ঐক্য"), Name("doya", "দয়াল গার্মেন্টস")])
    decomposed = "দ\u09af\u09bcাল গার্মেন্টস"
    precomposed = "দ\u09dfাল গার্মেন্টস"
    text = f"ঢাকায় শ্রমিক ঐক্য এবং {decomposed}, {precomposed}।"
    assert found(index, text, "bn") == [
        ("union", "শ্রমিক ঐক্য"),
        ("doya", decomposed),
        ("doya", precomposed),
    ]
    assert found(index, "শ্রমিক ঐক্যের") == []
    assert fold("\u09cb") == fold("\u09c7\u09be")


def test_it_finds_nothing_with_an_empty_index() -> None:
    assert MentionIndex([]).find("Corvane Logistics") == []
    index = MentionIndex([Name("dash", " -- "), Name("corvane", "Corvane")])
    assert index.find("") == []
    assert found(index, " -- Corvane -- ") == [("corvane", "Corvane")]


def test_it_builds_and_finds_with_ten_thousand_names() -> None:
    generator = random.Random(10_000)
    syllables = ["kor", "va", "ne", "lo", "gis", "tra", "ma", "del", "sun", "ber", "ti", "qua"]
    names = sorted(
        {
            " ".join(
                "".join(generator.choice(syllables) for _ in range(3)).capitalize()
                for _ in range(generator.randint(1, 3))
            )
            for _ in range(12_000)
        }
    )[:10_000]
    index = MentionIndex(Name(f"e{number}", name) for number, name in enumerate(names))
    chosen = generator.sample(range(len(names)), 300)
    text = "".join(f"The workers of {names[number].upper()} met, " for number in chosen)
    mentions = index.find(text)
    assert len(mentions) == len(chosen)
    for mention, number in zip(mentions, chosen, strict=True):
        assert (mention.entity, mention.text) == (f"e{number}", names[number].upper())
        assert fold(mention.name) == fold(mention.text)


def test_it_folds_each_character_into_at_most_a_few() -> None:
    assert fold_char("ß") == "ss"
    assert fold_char("İ") == "i"
    assert fold_char("ı") == "i"
    assert fold_char("ﬁ") == "fi"
    assert fold_char("\u0301") == ""
    assert fold_char("\u200d") == ""
    assert fold_char("’") == " "
    assert fold_char("😀") == " "
    assert fold_char("٣") == "3"
    assert fold_char("Ｋ") == "k"


# A reference: fold character by character, keep where each folded character came from, and
# look for every name everywhere.

POOL = [
    "Corvane",
    "Corvane Logistics",
    "Logistics Group",
    "Straße Union",
    "Finance Hall",
    "Ёлка",
    "كورفان",
    "দয়াল",
    "Apexa Works",
    "Delta Textil S.A.",
]


def ends_a_name(char: str) -> bool:
    """Punctuation and symbols other than those that may join the words of a name."""
    joining = "'‘’‛`´′&/·\u02b9\u02bb\u02bc\u02bd\u200b"
    selector = "\ufe00" <= char <= "\ufe0f" or "\U000e0100" <= char <= "\U000e01ef"
    category = unicodedata.category(char)
    return (
        fold_char(char) == " "
        and char not in joining
        and not selector
        and category not in {"Zs", "Zl", "Zp", "Cc", "Pd", "Pc"}
    )


def patterns(name: Name) -> list[tuple[str, str]]:
    """The folded name between spaces, with and without full stops, behind each prefix."""
    found = []
    for key in {fold(name.text), fold(name.text.replace(".", ""))} - {""}:
        prefixes = [""]
        if "\u0600" <= key[0] <= "\u06ff":
            prefixes += "و ف ب ل ك وب ول فب فل وك فك ال وال بال فال كال".split()
        found += [(f" {prefix}{key} ", prefix) for prefix in prefixes]
    return found


def reference(names: list[Name], text: str) -> list[Mention]:
    folded: list[str] = []
    origin: list[int] = []  # the original index of each folded character
    first: list[bool] = []  # whether it is the first of its character's folded form
    last: list[bool] = []
    for position, char in enumerate(text):
        form = fold_char(char)
        for offset, part in enumerate(form):
            if part == " " and folded and folded[-1] == " ":
                continue
            folded.append(part)
            origin.append(position)
            first.append(offset == 0)
            last.append(offset == len(form) - 1)
    padded = " " + "".join(folded) + " "
    candidates = []
    for name in names:
        for pattern, prefix in patterns(name):
            at = padded.find(pattern)
            while at >= 0:
                # In `folded` (one shorter than `padded`), the name's first and last.
                begin, finish = at + len(prefix), at + len(pattern) - 3
                if first[begin] and last[finish]:
                    end = origin[finish] + 1
                    while end < len(text) and fold_char(text[end]) == "":
                        end += 1
                    between = {char for char in text[origin[begin] : end] if ends_a_name(char)}
                    if between <= {char for char in name.text if ends_a_name(char)}:
                        candidates.append((origin[begin], end, name))
                at = padded.find(pattern, at + 1)
    candidates.sort(key=lambda candidate: (candidate[0], -candidate[1]))
    mentions: list[Mention] = []
    taken = -1
    for start, end, name in candidates:
        kept = mentions and (mentions[-1].start, mentions[-1].end) == (start, end)
        if start >= taken or kept:
            if not any((m.start, m.end, m.entity) == (start, end, name.entity) for m in mentions):
                mentions.append(Mention(name.entity, start, end, text[start:end], name.text))
            taken = max(taken, end)
    return mentions


FRAGMENTS = st.sampled_from(
    [
        " ",
        "  ",
        ", ",
        ".",
        " (",
        "-",
        "'s ",
        "x",
        "ß",
        "İ",
        "ﬁ",
        "e\u0301",
        "\u0301",
        "\u200d",
        "\u00ad",
        "😀",
        "❤️",
        "ো",
        "\u09bc",
        "و",
        "ﷺ",
        "\n",
    ]
)
SURFACES = st.sampled_from(POOL).flatmap(
    lambda name: st.sampled_from(
        [
            name,
            name.upper(),
            name.lower(),
            name.replace(" ", "-"),
            name.replace(" ", " \u200d "),
            name.replace("ss", "ß").replace("Fi", "ﬁ"),
            name.replace("e", "e\u0301"),
            name.replace("ي", "ي\u064e"),
            name.replace("\u09df", "\u09af\u09bc"),
        ]
    )
)


@given(
    names=st.lists(st.sampled_from(POOL), min_size=1, unique=True),
    pieces=st.lists(st.one_of(FRAGMENTS, SURFACES), max_size=30),
)
@example(names=["Corvane", "Corvane Logistics"], pieces=["Corvane", " ", "Corvane Logistics"])
@example(names=["Straße Union"], pieces=["ß", "Straße Union", "\u0301", "😀", "STRASSE-UNION"])
def test_it_agrees_with_a_character_by_character_reference(
    names: list[str], pieces: list[str]
) -> None:
    entries = [Name(f"e{number}", name) for number, name in enumerate(names)]
    entries.append(Name("twin", names[0]))
    text = "".join(pieces)
    assert MentionIndex(entries).find(text) == reference(entries, text)
