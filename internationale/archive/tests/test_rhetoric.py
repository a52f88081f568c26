"""Recurring rhetoric: sentence-like passages in many scripts, near-duplicates grouped across
origins (and through translations), never within one origin alone, deterministic, and fast
enough for a whole archive."""

import random
import subprocess
import sys
import textwrap
from itertools import accumulate
from pathlib import Path

import pytest

from internationale.archive import rhetoric
from internationale.archive.rhetoric import (
    Document,
    Passage,
    Recurrence,
    passages,
    recurring,
)


def make_testimony(number: int, text: str, language: str = "en") -> Document:
    return Document(f"testimony:{number}", f"testimony:{number}", language, text)


def make_translation(number: int, of: int, text: str, language: str = "en") -> Document:
    return Document(f"translation:{number}", f"testimony:{of}", language, text)


def split(text: str, language: str) -> list[str]:
    return [text[start:end] for start, end in passages(text, language)]


def texts(recurrence: Recurrence) -> list[tuple[str, str]]:
    return [(passage.source, passage.text) for passage in recurrence.passages]


def assert_offsets(documents: list[Document], recurrences: list[Recurrence]) -> None:
    by_source = {document.source: document for document in documents}
    for recurrence in recurrences:
        for passage in recurrence.passages:
            document = by_source[passage.source]
            assert document.text[passage.start : passage.end] == passage.text
            assert (passage.origin, passage.language) == (document.origin, document.language)


# Passages.


def test_it_splits_english_at_full_stops_but_not_inside_numbers_or_after_abbreviations() -> None:
    text = "Mr. Demir paid us 3.5 lira an hour. Was that fair?! No… We said it, e.g. at meetings."
    assert split(text, "en") == [
        "Mr. Demir paid us 3.5 lira an hour.",
        "Was that fair?!",
        "No…",
        "We said it, e.g. at meetings.",
    ]


def test_it_splits_arabic_at_its_question_mark_and_full_stops() -> None:
    text = "قال المدير إن الشركة عائلة واحدة؟ لم نصدقه. النقابة ستأخذ أموالكم فقط!"
    assert split(text, "ar") == [
        "قال المدير إن الشركة عائلة واحدة؟",
        "لم نصدقه.",
        "النقابة ستأخذ أموالكم فقط!",
    ]
    assert split("یونین صرف آپ کا پیسہ لے گی۔ ہم نے انکار کیا۔", "ur") == [
        "یونین صرف آپ کا پیسہ لے گی۔",
        "ہم نے انکار کیا۔",
    ]


def test_it_splits_bengali_at_the_danda() -> None:
    text = "ম্যানেজার বলল ইউনিয়ন শুধু তোমাদের টাকা নেবে। আমরা বিশ্বাস করিনি। কারখানা কি বন্ধ হবে?"
    assert split(text, "bn") == [
        "ম্যানেজার বলল ইউনিয়ন শুধু তোমাদের টাকা নেবে।",
        "আমরা বিশ্বাস করিনি।",
        "কারখানা কি বন্ধ হবে?",
    ]


def test_it_splits_cjk_greek_thai_and_line_breaks() -> None:
    assert split("经理说公司就像一个大家庭。工会只会拿走你的钱！我们不信？", "zh") == [
        "经理说公司就像一个大家庭。",
        "工会只会拿走你的钱！",
        "我们不信？",
    ]
    assert split("Τι θα κάνετε; Η εταιρεία είναι οικογένεια.", "el") == [
        "Τι θα κάνετε;",
        "Η εταιρεία είναι οικογένεια.",
    ]
    assert split("บริษัทเหมือนครอบครัว สหภาพจะเอาเงินของคุณ", "th") == [
        "บริษัทเหมือนครอบครัว",
        "สหภาพจะเอาเงินของคุณ",
    ]
    assert split("first line without a stop\r\nsecond line\n\n- a bullet", "en") == [
        "first line without a stop",
        "second line",
        "a bullet",
    ]


def test_it_strips_surrounding_whitespace_and_unpaired_quotes_only() -> None:
    text = (
        '  "The company is like a family." He said "sign here." '
        '"We are one family," they said. «Fermeremos a fábrica»\n'
        "\u201cThe union is a business. It wants your money.\u201d"
    )
    assert split(text, "en") == [
        "The company is like a family.",
        'He said "sign here."',
        '"We are one family," they said.',
        "Fermeremos a fábrica",
        "The union is a business.",
        "It wants your money.",
    ]
    assert split("\u300c工会只会拿走你的钱。\u300d", "zh") == ["工会只会拿走你的钱。"]


def test_it_returns_offsets_into_the_original_text() -> None:
    text = "\ufeff  «Ο σύλλογος θα σας πάρει τα χρήματα.»  \n\t'Sign, and we close.' ؟؟ ...  "
    spans = passages(text, "el")
    assert spans == sorted(spans)
    for start, end in spans:
        piece = text[start:end]
        assert piece == piece.strip()
        assert piece[0] not in "«'\""
        assert piece[-1] not in "»'\""
    assert [text[start:end] for start, end in spans] == [
        "Ο σύλλογος θα σας πάρει τα χρήματα.",
        "Sign, and we close.",
    ]


# Recurrences.


def test_it_groups_a_paraphrase_with_a_few_words_changed() -> None:
    documents = [
        make_testimony(1, "We asked for a raise. The company is like a family to all of us."),
        make_testimony(2, "This company is like one big family to all of us"),
    ]
    [recurrence] = recurring(documents)
    assert recurrence.origins == 2
    assert texts(recurrence) == [
        ("testimony:1", "The company is like a family to all of us."),
        ("testimony:2", "This company is like one big family to all of us"),
    ]
    assert_offsets(documents, [recurrence])


def test_it_keeps_apart_sentences_that_share_only_common_words() -> None:
    documents = [
        make_testimony(1, "The company pays us late every month."),
        make_testimony(2, "The company is like a family to us."),
    ]
    assert recurring(documents) == []


def test_it_keeps_apart_one_frame_with_another_slot_filled() -> None:
    documents = [
        make_testimony(1, "I have worked in this factory for ten years."),
        make_testimony(2, "I have worked in this warehouse for two years."),
    ]
    assert recurring(documents) == []


def test_it_checks_characters_for_short_passages_with_several_words_changed() -> None:
    documents = [
        make_testimony(1, "We work twelve hours a day without a break."),
        make_testimony(2, "We work twelve hours every day with no break."),
    ]
    [recurrence] = recurring(documents)
    assert recurrence.origins == 2


def test_it_groups_nothing_but_equal_normal_forms_at_threshold_one() -> None:
    documents = [
        make_testimony(1, "We work twelve hours a day without a break."),
        make_testimony(2, "We work twelve hours every day with no break."),
        make_testimony(3, "WE WORK TWELVE HOURS EVERY DAY, WITH NO BREAK!"),
    ]
    [recurrence] = recurring(documents, threshold=1)
    assert [passage.source for passage in recurrence.passages] == ["testimony:2", "testimony:3"]


def test_it_ignores_case_accents_and_punctuation() -> None:
    documents = [
        make_testimony(1, "O SINDICATO SÓ VAI LEVAR O SEU DINHEIRO!", "pt"),
        make_testimony(2, "o sindicato so vai levar o seu dinheiro", "pt"),
        make_testimony(3, "İşten atılırsınız, sendika size yardım edemez.", "tr"),
        make_testimony(4, "ISTEN ATILIRSINIZ — SENDIKA SIZE YARDIM EDEMEZ", "tr"),
        make_testimony(5, "النقابة سَتَأْخُذُ أموالَكم فقط ولن تفعل شيئا", "ar"),
        make_testimony(6, "النقابة ستاخذ اموالكم فقط ولن تفعل شيئا", "ar"),
    ]
    recurrences = recurring(documents)
    assert [[passage.source for passage in r.passages] for r in recurrences] == [
        ["testimony:1", "testimony:2"],
        ["testimony:3", "testimony:4"],
        ["testimony:5", "testimony:6"],
    ]


def test_it_does_not_report_passages_from_one_origin_only() -> None:
    documents = [
        make_testimony(3, "If you sign the card, the factory will close. We signed anyway."),
        # A relay transcript of the same testimony, and a sentence said twice in it.
        Document(
            "transcript:12",
            "testimony:3",
            "en",
            "If you sign that card the factory will close. If you sign, the factory will close.",
        ),
        make_testimony(4, "We organised the night shift first."),
    ]
    assert recurring(documents) == []


def test_it_reports_a_script_made_visible_across_languages_by_a_translation() -> None:
    documents = [
        make_testimony(5, "Müdür dedi ki: bu şirket hepimiz için bir aile gibidir.", "tr"),
        make_translation(
            9, of=5, text="The manager said: this company is like a family for all of us."
        ),
        make_testimony(1, "The company is like a family for all of us, they repeat every day."),
    ]
    [recurrence] = recurring(documents)
    assert recurrence.origins == 2
    assert texts(recurrence) == [
        ("testimony:1", "The company is like a family for all of us, they repeat every day."),
        ("translation:9", "The manager said: this company is like a family for all of us."),
    ]
    assert [passage.origin for passage in recurrence.passages] == ["testimony:1", "testimony:5"]
    assert_offsets(documents, [recurrence])


def test_it_compares_scripts_without_spaces_by_characters() -> None:
    documents = [
        make_testimony(1, "经理说：公司就像一个大家庭。我们不信。", "zh"),
        make_testimony(2, "公司就像我们的一个大家庭！", "zh"),
        make_testimony(3, "工会只会拿走你们的钱。", "zh"),
    ]
    [recurrence] = recurring(documents)
    assert texts(recurrence) == [
        ("testimony:1", "经理说：公司就像一个大家庭。"),
        ("testimony:2", "公司就像我们的一个大家庭！"),
    ]


def test_it_ignores_passages_shorter_than_min_words() -> None:
    documents = [make_testimony(number, "Sign here now. We refused.") for number in range(5)]
    assert recurring(documents) == []
    [recurrence] = recurring(documents, min_words=3)
    assert recurrence.origins == 5
    assert [passage.text for passage in recurrence.passages] == ["Sign here now."] * 5


def test_it_joins_near_duplicates_transitively() -> None:
    first = make_testimony(1, "A union will only take your money and give you nothing back.")
    middle = make_testimony(2, "The union will only take your money and give nothing back to you.")
    last = make_testimony(
        3, "The union will just take your money and give nothing back to you at all."
    )
    assert recurring([first, last]) == []
    [recurrence] = recurring([first, middle, last])
    assert recurrence.origins == 3


def test_it_sorts_by_origins_then_passages_then_first_passage() -> None:
    family = "The company is like a family to all of us here."
    close = "If you sign the card the factory will close next month."
    money = "A union will only take your money and give nothing back."
    documents = [
        make_testimony(1, f"{close} {money}"),
        make_testimony(2, f"{close} {close}"),
        make_testimony(3, f"{family} {money}"),
        make_testimony(4, f"{family} {money}"),
        make_testimony(5, family),
    ]
    recurrences = recurring(documents)
    assert [(r.origins, len(r.passages), r.passages[0].text) for r in recurrences] == [
        (3, 3, money),
        (3, 3, family),
        (2, 3, close),
    ]
    assert recurrences[0].passages[0] == Passage("testimony:1", "testimony:1", "en", 56, 112, money)


def test_it_rejects_a_threshold_outside_zero_to_one() -> None:
    with pytest.raises(ValueError, match="threshold"):
        recurring([], threshold=0)
    with pytest.raises(ValueError, match="threshold"):
        recurring([], threshold=1.5)
    with pytest.raises(ValueError, match="min_words"):
        recurring([], min_words=0)


# Scale and determinism.

SCRIPTS = (
    "the company is like a family to all of us who work here",
    "a union will only take your money and give you nothing back",
    "if you sign the card the factory will close before next month",
)


def synthetic_archive(seed: int, passages_wanted: int = 20_000) -> list[Document]:
    """Testimonies of ten sentences drawn from a Zipfian vocabulary, a few of them variants
    of the three scripts, each variant with up to two words replaced."""
    rng = random.Random(seed)
    words = [f"w{number}" for number in range(5_000)]
    cumulative = list(accumulate(1 / rank for rank in range(1, len(words) + 1)))
    documents = []
    for number in range(passages_wanted // 10):
        sentences = []
        for _ in range(10):
            if rng.random() < 0.03:
                tokens = rng.choice(SCRIPTS).split()
                for _ in range(rng.randint(0, 2)):
                    tokens[rng.randrange(len(tokens))] = rng.choice(words[:50])
            else:
                tokens = rng.choices(words, cum_weights=cumulative, k=rng.randint(3, 25))
            sentences.append(" ".join(tokens).capitalize() + rng.choice(".!?"))
        documents.append(make_testimony(number, " ".join(sentences)))
    return documents


def script_of(text: str) -> str | None:
    """The script a synthetic sentence is a variant of: ten of its twelve words in place."""
    words = text.casefold().rstrip(".!?").split()
    for script in SCRIPTS:
        if sum(a == b for a, b in zip(words, script.split(), strict=False)) >= 10:
            return script
    return None


def test_it_groups_twenty_thousand_passages() -> None:
    documents = synthetic_archive(seed=1)
    spans = [(d, start, end) for d in documents for start, end in passages(d.text, d.language)]
    assert len(spans) == 20_000
    planted = {(d.source, start) for d, start, end in spans if script_of(d.text[start:end])}

    recurrences = recurring(documents)

    top = recurrences[:3]
    assert {(p.source, p.start) for r in top for p in r.passages} == planted
    assert [len({script_of(p.text) for p in r.passages}) for r in top] == [1, 1, 1]
    assert {script_of(r.passages[0].text) for r in top} == set(SCRIPTS)
    assert all(r.origins > 100 for r in top)
    assert all(r.origins < 10 for r in recurrences[3:])
    assert_offsets(documents, recurrences)


def test_it_keeps_a_script_in_thousands_of_variants_in_one_group(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    rng = random.Random(5)
    script = "a union will only take your money and give you nothing back in return".split()
    fillers = [f"w{number}" for number in range(300)]
    documents = []
    for number in range(3_000):
        tokens = script[:]
        for _ in range(rng.randint(0, 3)):
            tokens[rng.randrange(len(tokens))] = rng.choice(fillers)
        documents.append(make_testimony(number, " ".join(tokens).capitalize() + "."))
    compacted = recurring(documents)
    assert compacted[0].origins > 2_900
    monkeypatch.setattr(rhetoric, "POSTING_CAP", len(documents))
    assert recurring(documents) == compacted


def test_it_gives_the_same_result_whatever_the_order_of_the_documents() -> None:
    documents = synthetic_archive(seed=2, passages_wanted=3_000)
    shuffled = documents[:]
    random.Random(3).shuffle(shuffled)
    assert recurring(shuffled) == recurring(documents) != []
    assert recurring(list(reversed(documents))) == recurring(documents)


def test_it_gives_the_same_result_under_any_hash_seed() -> None:
    program = textwrap.dedent(
        """
        from internationale.archive.rhetoric import recurring
        from internationale.archive.tests.test_rhetoric import synthetic_archive
        print(repr(recurring(synthetic_archive(seed=4, passages_wanted=3_000))))
        """
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", program],
            env={"PYTHONHASHSEED": seed, "INTERNATIONALE_TESTING": "true"},
            cwd=Path(__file__).resolve().parents[3],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert "Recurrence(" in outputs.pop()
