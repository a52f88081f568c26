"""Corporate-name matching: normalisation, scores at the entity and group levels, clustering,
and the quality floors on name_bench and on a held-out generated group set."""

import csv
import os
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from internationale.archive import groupnames
from internationale.archive.matching import THRESHOLDS, cluster, compare, normalize

# nomenklatura's labelled name pairs (MIT; see benchmarks/data/name_bench/SOURCE.md).
NAME_BENCH = Path(
    os.environ.get(
        "INTERNATIONALE_NAME_BENCH",
        Path(__file__).resolve().parents[3] / "benchmarks/data/name_bench/cases.csv",
    )
)

SAMPLES = [
    "Siemens AG",
    "Siemens Aktiengesellschaft",
    "SiemensAG",
    "OAO Gazprom",
    "ПАО «Газпром»",
    'ООО "БАЙ"',
    'ООО "БАЙКАЛ"',
    "Banco Santander México S.A.",
    "Bridgestone de Costa Rica S.A.",
    "Bridgestone Tire Co.",
    "ООО «Бриджстоун СНГ»",
    "شركة بريدجستون مصر ذ.م.م",
    "ব্রিজস্টোন বাংলাদেশ লিমিটেড",
    "Μπριτζστόουν Ελλάς Α.Ε.",
    "Bridgestone Türkiye Lastik Sanayi ve Ticaret A.Ş.",
    "Công ty TNHH Bridgestone Việt Nam",
    "Delta Air Lines, Inc.",
    "Delta Faucet Company",
    "Wells Fargo Mortgage Backed Securities Trust 2005-AR16",
    "Procter & Gamble Co.",
    "",
    "Ltd",
    "3M Deutschland GmbH",
    "Bank of China (Hong Kong) Limited",
]


def match(a: str, b: str, level: str) -> bool:
    return compare(a, b, level=level).match  # type: ignore[arg-type]


# Normalisation ----------------------------------------------------------------------------


def test_it_takes_out_legal_forms_in_many_languages_and_keeps_their_class() -> None:
    cases = {
        "Siemens Aktiengesellschaft": ("siemens", "jsc"),
        "Volkswagen Gesellschaft mit beschränkter Haftung": ("volkswagen", "llc"),
        "Acme S.A. de C.V.": ("acme", "jsc"),
        "Acme Sp. z o.o.": ("acme", "llc"),
        'ООО "Байкал"': ("baikal", "llc"),
        "Anadolu Tekstil Sanayi ve Ticaret A.Ş.": ("anadolu", "jsc"),
        "Kabushiki Kaisha Tanaka": ("tanaka", "jsc"),
        "Acme K.K.": ("acme", "jsc"),
        "Acme Pvt. Ltd.": ("acme", "llc"),
        "Lloyds Banking Group Public Limited Company": ("lloyds", "jsc"),
        "Acme Σύμβουλοι Α.Ε.": ("acme", "jsc"),
        "شركة أكمي ذ.م.م": ("akmy", "llc"),
        "Societatea cu Răspundere Limitată PRO TRAFFIC": ("pro", "llc"),
    }
    for name, (first, kind) in cases.items():
        normal = normalize(name)
        assert normal.tokens[0] == first, name
        assert kind in normal.legal_classes, name
    assert normalize("Công ty TNHH Bridgestone Việt Nam").tokens == ("bridgestone", "viet nam")
    assert normalize("Bowne Global Solutions II, Inc.").numbers == ("2",)  # not a legal form


def test_it_folds_scripts_and_accents_to_the_same_latin_tokens() -> None:
    assert normalize("Газпром").tokens == normalize("Gazprom").tokens == ("gazprom",)
    assert normalize("Société Générale S.A.").tokens == normalize("SOCIETE GENERALE SA").tokens
    assert normalize("İstanbul Gıda").tokens == ("istanbul", "gida")
    assert normalize("Δέλτα Ελλάς").tokens == ("delta", "ellas")
    assert normalize("Δέλτα Ελλάς").places == ("gr",)
    assert not normalize("Газпром").latin
    assert normalize("Türk Telekom").latin


def test_it_reads_ampersands_initials_possessives_and_numbers() -> None:
    assert normalize("Procter & Gamble").tokens == normalize("Procter and Gamble").tokens
    assert normalize("AT&T Inc.").tokens == normalize("AT and T Inc.").tokens
    assert normalize("A.B.C. Company").tokens == normalize("ABC Co.").tokens == ("abc",)
    assert normalize("Deutsche Bank's AG").tokens == normalize("Deutsche Bank AG").tokens
    assert normalize("Brigade Forty-Four").numbers == normalize("Brigade 44").numbers == ("44",)
    assert normalize("1st International Bank").numbers == ("1",)
    assert normalize("Carlyle Partners VIII L.P.").numbers == ("8",)


def test_it_tells_the_kind_of_each_word() -> None:
    normal = normalize("Apex Garments (Bangladesh) Ltd")
    assert dict(zip(normal.tokens, normal.kinds, strict=True)) == {
        "apex": "common",
        "garments": "generic",
        "bangladesh": "place",
    }
    assert normal.qualified == (False, False, True)
    assert normalize("Veltora Asia Pacific").kinds == ("name", "region")


# Scores -------------------------------------------------------------------------------------


@settings(max_examples=60, deadline=None)
@given(
    st.sampled_from(SAMPLES) | st.text(max_size=30),
    st.sampled_from(SAMPLES) | st.text(max_size=30),
    st.sampled_from(["entity", "group"]),
)
def test_it_scores_symmetrically_and_a_name_with_itself_as_one(a: str, b: str, level: str) -> None:
    forward = compare(a, b, level=level)  # type: ignore[arg-type]
    backward = compare(b, a, level=level)  # type: ignore[arg-type]
    assert forward == backward
    assert 0.0 <= forward.score <= 1.0
    assert forward.match == (forward.score >= THRESHOLDS[level])  # type: ignore[index]
    assert compare(a, a, level=level).score == 1.0  # type: ignore[arg-type]


def test_it_matches_the_same_legal_entity() -> None:
    assert match("Siemens AG", "Siemens Aktiengesellschaft", "entity")
    assert match("Siemens Aktiengeselschaft", "Siemens AG", "entity")
    assert match("SiemensAG", "Siemens AG", "entity")
    assert match("OAO Gazprom", "Gazprom JSC", "entity")
    assert match("ПАО «Газпром»", "Gazprom PJSC", "entity")
    assert match("CRISTALORD LIMITED", "CRYSTALORD LTD", "entity")
    assert match("Good Will Company", "Goodwill Company", "entity")
    assert match("PLA", "People's Liberation Army", "entity")
    comparison = compare("Wallmart Inc.", "Walmart Inc.", level="entity")
    assert comparison.match
    assert "spelling differs" in comparison.reasons


def test_it_keeps_different_legal_entities_apart_and_says_why() -> None:
    assert not match('ООО "БАЙ"', 'ООО "БАЙКАЛ"', "entity")
    assert not match("Banco Santander S.A.", "Banco Santander México S.A.", "entity")
    legal = compare("Deutsche Bank AG", "Deutsche Bank GmbH", level="entity")
    assert not legal.match
    assert "legal form differs" in legal.reasons
    numbers = compare(
        "Wells Fargo Mortgage Backed Securities Trust 2005-AR16",
        "Wells Fargo Mortgage Backed Securities Trust 2006-AR16",
        level="entity",
    )
    assert not numbers.match
    assert "numbers differ" in numbers.reasons
    assert not match("Saudi Arabian Gas Company", "Saudi Arabian Oil Company", "entity")
    assert not match("CRYSTALORD SYSTEMS LIMITED", "CRYSTALORD LTD", "entity")
    assert not match("Government of Estonia", "Government of Ethiopia", "entity")
    order = compare("Summit Phoenix Ltd", "Phoenix Summit Ltd", level="entity")
    assert not order.match
    assert "word order differs" in order.reasons


def test_it_weighs_different_countries_at_the_entity_level_only() -> None:
    same = compare("Acme Logistics Ltd", "Acme Logistics Ltd", level="entity")
    apart = compare(
        "Acme Logistics Ltd", "Acme Logistics Ltd", level="entity", country1="GB", country2="IN"
    )
    assert same.score == 1.0
    assert apart.score < 1.0
    assert "countries differ" in apart.reasons
    assert compare("Acmee Logistics Ltd", "Acme Logistics Ltd", level="entity").match
    assert not compare(
        "Acmee Logistics Ltd", "Acme Logistics Ltd", level="entity", country1="GB", country2="IN"
    ).match
    assert compare("Veltora GmbH", "Veltora Ltd", level="group", country1="DE", country2="GB").match


def test_it_matches_a_group_by_its_brand_across_countries_scripts_and_sectors() -> None:
    assert match("Bridgestone Tire Co.", "Bridgestone de Costa Rica S.A.", "group")
    assert match(
        "Bridgestone (Ireland) Ltd", "Bridgestone Türkiye Lastik Sanayi ve Ticaret A.Ş.", "group"
    )
    assert match("Toyota Motor Manufacturing Kentucky, Inc.", "Toyota Tsusho Corporation", "group")
    assert match("Bridgestone Tire Co.", "ООО «Бриджстоун СНГ»", "group")
    assert match("Bridgestone Tire Co.", "شركة بريدجستون مصر ذ.م.م", "group")
    assert match("Samsung Electronics", "সামসাং ইলেকট্রনিক্স বাংলাদেশ লিমিটেড", "group")
    assert match("Grupo Bimbo S.A.B. de C.V.", "Bimbo Bakeries USA, Inc.", "group")
    assert match("Bridgestone Tire Co.", "Bridgstone Americas", "group")  # a typo
    assert match("Apex Garments Ltd", "Apex Garments (Bangladesh) Ltd", "group")


def test_it_keeps_firms_that_only_share_a_common_word_apart() -> None:
    delta = compare("Delta Air Lines", "Delta Faucet Company", level="group")
    assert not delta.match
    assert "only a common word shared" in delta.reasons
    assert not match("Apex Garments Ltd", "Apex Logistics GmbH", "group")
    assert not match("General Motors", "General Mills", "group")
    assert not match("Yilmaz Tekstil A.Ş.", "Yilmaz Gıda Sanayi A.Ş.", "group")
    assert not match("Deutsche Bank AG", "Deutsche Telekom AG", "group")
    assert not match("Siemens AG", "Volkswagen AG", "group")


# Clustering -----------------------------------------------------------------------------------


def test_it_clusters_transitively_and_names_a_cluster_by_its_smallest_id() -> None:
    records = [
        ("c", "Veltora Logistics GmbH", "DE"),
        ("b", "Veltora Logistics (India) Pvt. Ltd.", "IN"),
        ("a", "Veltora Logistik Polska Sp. z o.o.", "PL"),
        ("d", "Kastigen Foods", None),
    ]
    groups = cluster(records, level="group")
    assert groups == {"a": "a", "b": "a", "c": "a", "d": "d"}
    # Entity level: 1 ~ 2 and 2 ~ 3, though 1 and 3 are two typos apart.
    chain = [("1", "Kastigen Ltd", None), ("2", "Kastigem Ltd", None), ("3", "Kastigam Ltd", None)]
    assert match("Kastigen Ltd", "Kastigem Ltd", "entity")
    assert match("Kastigem Ltd", "Kastigam Ltd", "entity")
    assert not match("Kastigen Ltd", "Kastigam Ltd", "entity")
    assert set(cluster(chain, level="entity").values()) == {"1"}


def test_it_keeps_every_record_of_a_brand_that_appears_500_times() -> None:
    countries = [
        "Deutschland GmbH",
        "(India) Pvt. Ltd.",
        "de México S.A. de C.V.",
        "Polska Sp. z o.o.",
    ]
    sectors = ["Logistics", "Textiles", "Foods", "Energy", "Trading", "Services", "Holdings"]
    records = [
        (f"v{i:03d}", f"Veltora {sectors[i % 7]} {i} {countries[i % 4]}", None) for i in range(500)
    ]
    records += [(f"x{i:03d}", f"Firm{i} {sectors[i % 7]} Ltd", None) for i in range(300)]
    records += [("v900", "ВЕЛТОРА РУС", None), ("v901", "Veltra Logistics Ltd", None)]
    groups = cluster(records, level="group")
    assert len({groups[id_] for id_, _, _ in records if id_.startswith("v")}) == 1
    assert len({groups[id_] for id_, _, _ in records if id_.startswith("x")}) == 300
    # At the entity level the pair that matches is found among 500 names sharing the brand.
    assert records[4][1] == "Veltora Trading 4 Deutschland GmbH"
    records.append(("w1", "VELTORA TRADNG 4 (DEUTSCHLAND) G.M.B.H.", None))
    entities = cluster(records, level="entity")
    assert entities["w1"] == entities["v004"]
    assert len(set(entities.values())) == len(records) - 1


# Quality floors -------------------------------------------------------------------------------


def test_it_reaches_f1_of_at_least_0_90_on_name_bench_companies() -> None:
    assert NAME_BENCH.is_file(), f"name_bench is missing: {NAME_BENCH}"
    with NAME_BENCH.open(encoding="utf-8") as file:
        rows = [
            row
            for row in csv.DictReader(file)
            if row["schema"] in ("Company", "Organization", "LegalEntity")
        ]
    assert len(rows) == 266
    true_positives = false_positives = false_negatives = 0
    for row in rows:
        predicted = match(row["name1"], row["name2"], "entity")
        actual = row["is_match"] == "true"
        true_positives += predicted and actual
        false_positives += predicted and not actual
        false_negatives += actual and not predicted
    precision = true_positives / (true_positives + false_positives)
    recall = true_positives / (true_positives + false_negatives)
    assert 2 * precision * recall / (precision + recall) >= 0.90


def test_it_reaches_f1_of_at_least_0_80_on_a_held_out_group_set() -> None:
    seed = groupnames.HELD_OUT_SEEDS.start + 17
    assert groupnames.split_of(seed) == "held-out"
    records = groupnames.generate(seed, 800)
    predicted = cluster(((r.id, r.name, r.country) for r in records), level="group")
    scores = groupnames.pairwise_scores({r.id: r.group for r in records}, predicted)
    assert scores.prevalence < 0.01
    assert scores.f1 >= 0.80, scores


def test_it_generates_the_same_set_from_the_same_seed_and_other_words_when_held_out() -> None:
    assert groupnames.generate(3, 20) == groupnames.generate(3, 20)
    development = groupnames.generate(5, 200)
    held_out = groupnames.generate(groupnames.HELD_OUT_SEEDS.start + 5, 200)
    words = {
        token
        for records in (development,)
        for record in records
        for token in normalize(record.name).tokens
    }
    held_out_words = {t for record in held_out for t in normalize(record.name).tokens}
    assert len(words & held_out_words) < 0.2 * len(held_out_words)
    assert {r.country for r in held_out} - {r.country for r in development}


def test_it_scores_pairs_over_all_records() -> None:
    truth = {"a": "g1", "b": "g1", "c": "g2", "d": "g2"}
    scores = groupnames.pairwise_scores(truth, {"a": "1", "b": "1", "c": "1", "d": "4"})
    assert (scores.true_pairs, scores.predicted_pairs, scores.all_pairs) == (2, 3, 6)
    assert scores.precision == pytest.approx(1 / 3)
    assert scores.recall == pytest.approx(1 / 2)
