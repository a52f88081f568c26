"""WebVTT: the file `write` makes, what `read` accepts and refuses, and the round trip."""

import re
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from internationale.relay import webvtt
from internationale.relay.speech import Segment


def test_it_formats_timestamps_with_hours_minutes_seconds_and_milliseconds() -> None:
    assert webvtt.timestamp(0) == "00:00:00.000"
    assert webvtt.timestamp(1) == "00:00:00.001"
    assert webvtt.timestamp(61_234) == "00:01:01.234"
    assert webvtt.timestamp(3_599_999) == "00:59:59.999"
    assert webvtt.timestamp(3_600_000) == "01:00:00.000"
    assert webvtt.timestamp(100 * 3_600_000 + 5) == "100:00:00.005"
    with pytest.raises(ValueError, match="negative"):
        webvtt.timestamp(-1)
    with pytest.raises(TypeError):
        webvtt.timestamp(1.5)  # type: ignore[arg-type]


def test_it_writes_a_numbered_cue_per_segment() -> None:
    text = webvtt.write([(0, 2_500, "Solidarity forever"), (2_500, 65_000, "¡Huelga general!")])
    assert text == (
        "WEBVTT\n"
        "\n"
        "1\n"
        "00:00:00.000 --> 00:00:02.500\n"
        "Solidarity forever\n"
        "\n"
        "2\n"
        "00:00:02.500 --> 00:01:05.000\n"
        "¡Huelga general!\n"
    )


def test_it_writes_an_empty_file_as_just_the_header() -> None:
    assert webvtt.write([]) == "WEBVTT\n"
    assert webvtt.read(webvtt.write([])) == []


def test_it_writes_segments_from_a_transcription() -> None:
    @dataclass(frozen=True)
    class Line:
        start_ms: int
        end_ms: int
        text: str

    expected = [(1_000, 2_000, "one"), (2_000, 3_000, "two")]
    assert (
        webvtt.read(webvtt.write([Segment(1_000, 2_000, " one "), Line(2_000, 3_000, "two")]))
        == expected
    )


def test_it_escapes_markup_so_text_stays_text() -> None:
    text = webvtt.write([(0, 1_000, "wages < rent & <b>bosses</b> --> out")])
    assert "wages &lt; rent &amp; &lt;b&gt;bosses&lt;/b&gt; --&gt; out" in text
    assert text.count("-->") == 1


def test_it_keeps_line_breaks_but_never_a_blank_line_inside_a_cue() -> None:
    text = webvtt.write([(0, 1_000, "first line\r\n\n   \nsecond line\r\rthird  ")])
    assert "first line\nsecond line\nthird\n" in text
    assert "\n\n\n" not in text
    assert webvtt.read(text) == [(0, 1_000, "first line\nsecond line\nthird")]


def test_it_writes_right_to_left_text_unchanged() -> None:
    arabic = "العمال متحدون"
    assert webvtt.read(webvtt.write([(0, 1_000, arabic)])) == [(0, 1_000, arabic)]


def test_it_refuses_a_cue_that_ends_before_it_starts_or_a_negative_time() -> None:
    with pytest.raises(ValueError, match="cue 2: ends"):
        webvtt.write([(0, 1, "a"), (2_000, 1_999, "b")])
    with pytest.raises(ValueError, match="cue 1: negative"):
        webvtt.write([(-1, 1, "a")])
    with pytest.raises(ValueError, match="negative"):
        webvtt.write([(0, -5, "a")])


def test_it_reads_what_browsers_read() -> None:
    text = (
        "\ufeffWEBVTT - Harbour strike, day 3\r\n"
        "Kind: captions\r\n"
        "\r\n"
        "STYLE\r\n"
        "::cue { color: yellow }\r\n"
        "\r\n"
        "NOTE recorded at the gate\r\n"
        "by the strike committee\r\n"
        "\r\n"
        "00:01.000 --> 00:03.500 align:start position:10%\r\n"
        "<v Ana>We are <i>all</i> here</v>\r\n"
        "\r\n"
        "NOTE\r\n"
        "\r\n"
        "intro-2\r\n"
        "01:02:03.004-->01:02:04.000\r\n"
        "Fish &amp; chips &lt;3 &gt; caviar&nbsp;&#x41;\r\n"
        "second line\r\n"
        "\r\n"
        "\r\n"
        "3\n"
        "00:10.000 --> 00:10.000\n"
        "\n"
    )
    assert webvtt.read(text) == [
        (1_000, 3_500, "We are all here"),
        (3_723_004, 3_724_000, "Fish & chips <3 > caviar\u00a0A\nsecond line"),
        (10_000, 10_000, ""),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"line 1: .*WEBVTT"),
        ("WEBVTTX\n", r"line 1: .*WEBVTT"),
        ("1\n00:00.000 --> 00:01.000\nhi\n", r"line 1: .*WEBVTT"),
        ("WEBVTT\n00:00.000 --> 00:01.000\nhi\n", r"line 2: .*header"),
        ("WEBVTT\n\n1\nhello\n", r"line 4: expected cue timings"),
        ("WEBVTT\n\njust text\n", r"line 4: expected cue timings"),
        ("WEBVTT\n\n1\n", r"line 4: expected cue timings"),
        ("WEBVTT\n\n00:00.000 --> \n", r"line 3: '' is not a timestamp"),
        ("WEBVTT\n\n0:00.000 --> 00:01.000\n", r"line 3: '0:00.000' is not a timestamp"),
        ("WEBVTT\n\n00:00.00 --> 00:01.000\n", r"line 3: '00:00.00' is not a timestamp"),
        ("WEBVTT\n\n00:00,000 --> 00:01.000\n", r"line 3: .* is not a timestamp"),
        ("WEBVTT\n\n123:00.000 --> 124:00.000\n", r"line 3: .* is not a timestamp"),
        ("WEBVTT\n\n00:00.000 --> 00:01.000align:start\n", r"line 3: .* is not a timestamp"),
        ("WEBVTT\n\n00:60.000 --> 01:01.000\n", r"line 3: .* past 59"),
        ("WEBVTT\n\n00:00:00.000 --> 00:60:00.000\n", r"line 3: .* past 59"),
        ("WEBVTT\n\n\n00:02.000 --> 00:01.000\n", r"line 4: the cue ends before it starts"),
        (
            "WEBVTT\n\n00:00.000 --> 00:01.000\na\n00:01.000 --> 00:02.000\nb\n",
            r"line 5: '-->' in cue text",
        ),
        ("WEBVTT\n\nNOTE\nfine\nnot --> fine\n", r"line 5: '-->' in a NOTE block"),
    ],
)
def test_it_refuses_malformed_input_naming_the_line(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        webvtt.read(text)


# -- the round trip --------------------------------------------------------------------

_pieces = st.sampled_from(
    [
        *("<", ">", "&", "&amp;", "&lt;", "-->", "--", "\n", "\r\n", "\r", " ", "\t", "\0"),
        *("NOTE", "WEBVTT", "00:00:01.000 --> 00:00:02.000", "<b>", "&#x41;", "1"),
        *("العمال", "مرحبا", "ক্রমিক", "greve", "¡Huelga!", "\u00a0", "\u2028", "\u200f"),
    ]
)
_texts = st.one_of(st.text(), st.lists(st.one_of(_pieces, st.text(max_size=3))).map("".join))
_segments = st.lists(
    st.tuples(st.integers(0, 10**9), st.integers(0, 10**7), _texts).map(
        lambda s: (s[0], s[0] + s[1], s[2])
    ),
    max_size=8,
)


@given(_segments)
def test_it_reads_back_what_it_writes(segments: list[tuple[int, int, str]]) -> None:
    normalized = [(start, end, webvtt.normalize_text(text)) for start, end, text in segments]
    written = webvtt.write(segments)
    assert webvtt.read(written) == normalized
    assert webvtt.write(normalized) == written


@given(_segments)
def test_it_never_lets_text_end_a_cue_or_pass_for_markup(
    segments: list[tuple[int, int, str]],
) -> None:
    written = webvtt.write(segments)
    assert written.count("-->") == len(segments)
    assert "<" not in written
    assert ">" not in written.replace(" --> ", "")
    blocks = written.removesuffix("\n").split("\n\n")
    assert len(blocks) == len(segments) + 1
    for number, block in enumerate(blocks[1:], start=1):
        identifier, timings, *_text = block.split("\n")
        assert identifier == str(number)
        assert re.fullmatch(r"\d{2,}:\d\d:\d\d\.\d{3} --> \d{2,}:\d\d:\d\d\.\d{3}", timings)


@given(_texts)
def test_it_normalizes_text_once_and_for_all(text: str) -> None:
    normalized = webvtt.normalize_text(text)
    assert webvtt.normalize_text(normalized) == normalized
    assert "\r" not in normalized
    assert "\0" not in normalized
    assert all(line.strip() == line and line for line in normalized.split("\n") if normalized)
