"""Corporate-name matching: quality and speed, each figure beside a baseline measured in the
same run.

1. Entity quality: pairwise precision, recall and F1 of `matching.compare(level="entity")`
   on the Company, Organization and LegalEntity rows of name_bench (shared/data/name_bench,
   266 labelled pairs), against exact normalised-name matching (casefold, punctuation out,
   legal forms out, equal means the same). Goal: F1 of at least 0.90.
2. Group quality: pairwise precision, recall and F1 of `matching.cluster(level="group")`
   over all pairs of a generated set (`groupnames`), development seeds and held-out seeds
   (other brands, sector words, common words, surnames and countries), against the same
   exact baseline as a clustering. Goal on held-out: F1 of at least 0.80.
3. Speed: `cluster` on 100,000 generated names at each level (goal: under 30 s), against
   a naive all-pairs comparison, timed on a sample of pairs and extrapolated to the
   5,000,000,000 pairs of 100,000 names; printed as a ratio.
4. `mention_speed()`: megabytes of text per second through mention detection, beside one
   compiled regex alternation of the same names.

    INTERNATIONALE_TESTING=true .venv/bin/python benchmarks/archive.py

Exits non-zero when a goal is missed.
"""

import csv
import os
import random
import re
import sys
import time
from collections.abc import Iterable, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from internationale.archive import groupnames, matching  # noqa: E402

# nomenklatura's labelled name pairs (MIT; see benchmarks/data/name_bench/SOURCE.md).
NAME_BENCH = Path(
    os.environ.get("INTERNATIONALE_NAME_BENCH", ROOT / "benchmarks/data/name_bench/cases.csv")
)
SPEED_RECORDS = 100_000
GOAL_ENTITY_F1 = 0.90
GOAL_GROUP_F1 = 0.80
GOAL_SECONDS = 30.0
GOAL_MENTION_MB_PER_SECOND = 10.0
DEVELOPMENT_SEEDS = [groupnames.DEVELOPMENT_SEEDS.start + n for n in (101, 102, 103)]
HELD_OUT_SEEDS = [groupnames.HELD_OUT_SEEDS.start + n for n in (101, 102, 103)]
GROUPS_PER_SET = 800

_PUNCTUATION = re.compile(r"[^\w\s]")


def exact_key(name: str) -> str:
    """The baseline: casefold, punctuation out, legal forms out; equal keys match."""
    text = _PUNCTUATION.sub(" ", name.casefold())
    kept = [word for word in text.split() if (word,) not in matching._LEGAL_TABLE]
    kept = [word for word in kept if word not in matching._DESIGNATORS]
    return " ".join(kept) or " ".join(text.split())


def scores(pairs: Iterable[tuple[bool, bool]]) -> tuple[float, float, float]:
    true_positives = false_positives = false_negatives = 0
    for predicted, actual in pairs:
        true_positives += predicted and actual
        false_positives += predicted and not actual
        false_negatives += actual and not predicted
    precision = true_positives / (true_positives + false_positives or 1)
    recall = true_positives / (true_positives + false_negatives or 1)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def entity_quality() -> dict[str, tuple[float, float, float]]:
    with NAME_BENCH.open(encoding="utf-8") as file:
        rows = [
            row
            for row in csv.DictReader(file)
            if row["schema"] in ("Company", "Organization", "LegalEntity")
        ]
    actual = [row["is_match"] == "true" for row in rows]
    ours = [matching.compare(r["name1"], r["name2"], level="entity").match for r in rows]
    exact = [exact_key(r["name1"]) == exact_key(r["name2"]) for r in rows]
    return {
        "matching": scores(zip(ours, actual, strict=True)),
        "exact": scores(zip(exact, actual, strict=True)),
    }


def group_quality(seeds: Sequence[int]) -> dict[str, tuple[float, float, float, float]]:
    """Mean precision, recall, F1 and prevalence over the seeds' sets."""
    totals: dict[str, list[tuple[float, float, float, float]]] = {"matching": [], "exact": []}
    for seed in seeds:
        records = groupnames.generate(seed, GROUPS_PER_SET)
        truth = {r.id: r.group for r in records}
        ours = matching.cluster(((r.id, r.name, r.country) for r in records), level="group")
        exact = {r.id: exact_key(r.name) for r in records}
        for label, predicted in (("matching", ours), ("exact", exact)):
            s = groupnames.pairwise_scores(truth, predicted)
            totals[label].append((s.precision, s.recall, s.f1, s.prevalence))
    means: dict[str, tuple[float, float, float, float]] = {}
    for label, runs in totals.items():
        p, r, f, prevalence = (sum(values) / len(values) for values in zip(*runs, strict=True))
        means[label] = (p, r, f, prevalence)
    return means


def speed_records() -> list[tuple[str, str, str | None]]:
    """100,000 generated records: many groups, and three brands with 300 to 600 names."""
    records = groupnames.generate(groupnames.DEVELOPMENT_SEEDS.start + 900, 17_000, big_groups=3)
    if len(records) < SPEED_RECORDS:
        raise SystemExit(f"the generator made only {len(records)} records")
    return [(r.id, r.name, r.country) for r in records[:SPEED_RECORDS]]


def cluster_seconds(records: Sequence[tuple[str, str, str | None]], level: str) -> float:
    matching.normalize.cache_clear()
    start = time.perf_counter()
    matching.cluster(records, level=level)  # type: ignore[arg-type]
    return time.perf_counter() - start


def naive_seconds(records: Sequence[tuple[str, str, str | None]], level: str) -> float:
    """All pairs, extrapolated from 20,000 random pairs (names already normalised)."""
    rng = random.Random(7)
    sample = [(rng.choice(records), rng.choice(records)) for _ in range(20_000)]
    for a, b in sample:
        matching.normalize(a[1]), matching.normalize(b[1])
    start = time.perf_counter()
    for (_, name1, country1), (_, name2, country2) in sample:
        matching.compare(name1, name2, level=level, country1=country1, country2=country2)  # type: ignore[arg-type]
    per_pair = (time.perf_counter() - start) / len(sample)
    return per_pair * len(records) * (len(records) - 1) / 2


def mention_speed() -> dict[str, float]:
    """Mention detection over 20 MB of generated multilingual text with about 20,000 known
    names and aliases, beside one compiled regex alternation of the same names in the same
    run (`benchmarks/archive_mentions.py`, which can also be run alone)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "archive_mentions", Path(__file__).with_name("archive_mentions.py")
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: dict[str, float] = module.measure(20)
    return result


def main() -> None:
    failures = []
    entity = entity_quality()
    print("Entity level on name_bench (266 Company/Organization/LegalEntity pairs)")
    for label, (p, r, f) in entity.items():
        print(f"  {label:9} P={p:.3f} R={r:.3f} F1={f:.3f}")
    print(f"  F1 ratio to exact matching: {entity['matching'][2] / entity['exact'][2]:.2f}x")
    if entity["matching"][2] < GOAL_ENTITY_F1:
        failures.append("entity F1")

    for title, seeds in (("development", DEVELOPMENT_SEEDS), ("held-out", HELD_OUT_SEEDS)):
        group = group_quality(seeds)
        print(
            f"Group level on generated {title} sets (seeds {seeds}, {GROUPS_PER_SET} groups "
            f"each; {group['matching'][3]:.2%} of pairs are same-group)"
        )
        for label, (p, r, f, _) in group.items():
            print(f"  {label:9} P={p:.3f} R={r:.3f} F1={f:.3f}")
        print(f"  F1 ratio to exact matching: {group['matching'][2] / group['exact'][2]:.2f}x")
        if title == "held-out" and group["matching"][2] < GOAL_GROUP_F1:
            failures.append("held-out group F1")

    records = speed_records()
    print(f"Speed: cluster on {len(records):,} generated names ({os.cpu_count()} CPUs)")
    for level in matching.LEVELS:
        seconds = cluster_seconds(records, level)
        naive = naive_seconds(records, level)
        print(
            f"  {level:6} {seconds:6.1f} s (goal < {GOAL_SECONDS:.0f} s); all pairs naively "
            f"~{naive / 3600:,.0f} h; {naive / seconds:,.0f}x faster"
        )
        if seconds >= GOAL_SECONDS:
            failures.append(f"{level} cluster time")

    mentions = mention_speed()
    fast, naive = mentions["mb_per_second"], mentions["baseline_mb_per_second"]
    print(
        f"Mention detection: {fast:.1f} MB/s; one regex of all names {naive:.3f} MB/s; "
        f"{fast / naive:,.0f}x faster (goal: tens of MB/s)"
    )
    if fast < GOAL_MENTION_MB_PER_SECOND:
        failures.append("mention speed")
    if failures:
        raise SystemExit("Missed: " + ", ".join(failures))


if __name__ == "__main__":
    main()
