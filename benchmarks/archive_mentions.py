"""Mention finding: megabytes of text per second through `archive.mentions.MentionIndex.find`,
against a naive baseline timed in the same run on the same text.

The corpus is generated (the same every run): documents of 2 to 20 KB in English,
Portuguese, Spanish, French, Turkish, Arabic and Bengali, sentences drawn from everyday
words, with a mention of one of about 8,000 entities every few hundred bytes, written as
found in the wild (upper case, hyphenated, possessive, Arabic with an attached prefix, common
words in lower case). The entities carry about 20,000 names and aliases: companies and unions
in Latin, Arabic, Cyrillic and Bengali script, people, acronyms, and one-word names that are
common words ("Apex", "Delta", "Union"). Throughput counts the UTF-8 bytes of the documents
over the seconds `find` takes on all of them, each with its language, after the index is
built (build time is printed, not counted).

The baseline is what one writes first: one compiled regular expression, an alternation of
every name (escaped, longest first) between \\b, case-insensitive. It matches far less
(no accents, punctuation or offsets to fold, no rules) and is still slow, because the engine
tries the alternatives one by one at each word; it is timed on the first documents of the
same corpus, for about two seconds, and its rate taken from those. For scale the script also
prints a floor: a bare automaton of the case-folded names between spaces, run over the
case-folded documents with its hits counted, which is all `find` does less its folding,
offsets, boundaries across punctuation and rules.

Goal: tens of megabytes per second on one core of the development machine.

    make bench   (.venv/bin/python benchmarks/archive_mentions.py [--megabytes 50])

`measure(megabytes)` returns {"mb_per_second", "baseline_mb_per_second"}; another script can
load this file with importlib.util.spec_from_file_location and call it.
"""

import argparse
import random
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from internationale.archive.mentions import MentionIndex, Name  # noqa: E402

SEED = 2_024
ENTITIES = 8_000
BASELINE_SECONDS = 2.0
MENTION_EVERY_SENTENCES = 4

WORDS = {
    "en": """the workers at harbour went on strike for better wages and safer shifts trucks
        wait days gate agency pays by container we met after night shift decided to stop
        together monday our union asked company about contracts drivers warehouse overtime
        was not paid they said management would answer next week families came with food
        solidarity from port across border sent letters translated into many languages
        apex of crisis general assembly voted delta river star of evening first meeting
        new rules global supply chain national strike committee""",
    "pt": """os trabalhadores do porto entraram em greve por salários melhores e turnos mais
        seguros caminhões esperam dias no portão agência paga por contêiner nós nos
        reunimos depois do turno da noite decidimos parar juntos na segunda sindicato
        perguntou empresa sobre contratos motoristas armazém horas extras não foram pagas
        disseram gerência responderia próxima semana famílias trouxeram comida
        solidariedade estrela da manhã união geral assembleia votou""",
    "es": """los trabajadores del puerto fueron a la huelga por mejores salarios y turnos más
        seguros camiones esperan días en la puerta agencia paga por contenedor nos
        reunimos después del turno de noche decidimos parar juntos el lunes sindicato
        preguntó empresa sobre contratos conductores almacén horas extra no fueron pagadas
        dijeron gerencia respondería próxima semana familias trajeron comida solidaridad
        estrella de la tarde unión general asamblea votó""",
    "fr": """les travailleurs du port se sont mis en grève pour de meilleurs salaires et des
        équipes plus sûres camions attendent jours à la porte agence paie par conteneur
        nous nous sommes réunis après équipe de nuit avons décidé arrêter ensemble lundi
        syndicat a demandé entreprise contrats chauffeurs entrepôt heures supplémentaires
        pas payées ont dit direction répondrait semaine prochaine familles ont apporté
        nourriture solidarité étoile du soir union générale assemblée a voté""",
    "tr": """liman işçileri daha iyi ücret ve güvenli vardiya için greve çıktı kamyonlar
        kapıda günlerce bekliyor ajans konteyner başına ödüyor gece vardiyasından sonra
        toplandık pazartesi birlikte durmaya karar verdik sendika şirkete sözleşmeleri
        sordu şoförler depo fazla mesai ödenmedi yönetim gelecek hafta cevap verecek dedi
        aileler yemek getirdi dayanışma akşam yıldızı genel birlik kurul oy verdi""",  # noqa: RUF001
    "ar": """عمال الميناء أضربوا من أجل أجور أفضل وورديات أكثر أمانا الشاحنات تنتظر أياما
        عند البوابة الوكالة تدفع حسب الحاوية اجتمعنا بعد الوردية الليلية وقررنا التوقف معا
        يوم الاثنين النقابة سألت الشركة عن العقود السائقون المستودع ساعات إضافية لم تدفع
        قالوا إن الإدارة سترد الأسبوع المقبل العائلات أحضرت الطعام تضامن نجم المساء الاتحاد
        العام الجمعية صوتت""",
    "bn": """বন্দরের শ্রমিকরা ভালো মজুরি এবং নিরাপদ শিফটের জন্য ধর্মঘট করেছে ট্রাকগুলো
        গেটে দিনের পর দিন অপেক্ষা করে এজেন্সি কন্টেইনার প্রতি টাকা দেয় রাতের শিফটের পরে
        আমরা মিলিত হয়েছিলাম সোমবার একসাথে থামার সিদ্ধান্ত নিয়েছি ইউনিয়ন কোম্পানিকে চুক্তি
        সম্পর্কে জিজ্ঞাসা করেছে চালক গুদাম ওভারটাইম দেওয়া হয়নি ব্যবস্থাপনা আগামী সপ্তাহে
        উত্তর দেবে পরিবারগুলো খাবার এনেছে সংহতি""",
}
SHARES = {"en": 30, "pt": 15, "es": 15, "fr": 10, "tr": 10, "ar": 10, "bn": 10}
FULL_STOP = {"ar": ".", "bn": "।"}
LATIN_SYLLABLES = (
    "kor va ne lo gis tra ma del sun ber ti qua ran sol mar vel din pe ro sa lu ca"
    " to mé zá ño çi ğa şe ün"
).split()
ARABIC_SYLLABLES = "كو رفا نو سا مي لا دي بر تا قو حا زي فو".split()
CYRILLIC_SYLLABLES = "ко рва не ло ги ста ма дел сун бер ти".split()  # noqa: RUF001
BENGALI_SYLLABLES = "কো র্ভা নে লো গি স্তা মা দে ল সু বা য়া".split()
SUFFIXES = "Logistics Holdings Shipping Textiles Ltda S.A. GmbH Ltd Group Freight".split()
UNION_WORDS = "Dockworkers Drivers Garment Warehouse Port Textile Transport".split()
FIRST_NAMES = "Ana João María José Fatma Mehmet Amina Rahim Nadia Pierre Chloé Ayşe".split()
COMMON_NAMES = (
    "Apex Delta General Union Star Summit Horizon Crown Eagle Estrela Yıldız"  # noqa: RUF001
).split()


@dataclass(frozen=True)
class Corpus:
    names: list[Name]
    documents: list[tuple[str, str]]  # (language, text)
    megabytes: float


def pseudo_word(generator: random.Random, syllables: list[str], count: int) -> str:
    return "".join(generator.choice(syllables) for _ in range(count))


def entity_names(generator: random.Random) -> list[Name]:
    """About 20,000 names and aliases of ENTITIES entities, in several scripts."""
    names: list[Name] = []
    for number in range(ENTITIES):
        entity = f"entity-{number}"
        kind = generator.random()
        if kind < 0.55:  # a company, with a short form, sometimes an acronym
            first = pseudo_word(generator, LATIN_SYLLABLES, 3).capitalize()
            second = pseudo_word(generator, LATIN_SYLLABLES, 2).capitalize()
            suffix = generator.choice(SUFFIXES)
            names += [
                Name(entity, f"{first} {second} {suffix}"),
                Name(entity, f"{first} {second}"),
                Name(entity, f"{first}-{second}".upper()),
            ]
            if generator.random() < 0.1:
                names.append(Name(entity, (first[0] + second[0] + suffix[0]).upper()))
        elif kind < 0.7:  # a union
            word = generator.choice(UNION_WORDS)
            place = pseudo_word(generator, LATIN_SYLLABLES, 3).capitalize()
            names += [Name(entity, f"{place} {word} Union"), Name(entity, f"{place} Union")]
        elif kind < 0.8:  # a person
            first = generator.choice(FIRST_NAMES)
            last = pseudo_word(generator, LATIN_SYLLABLES, 3).capitalize()
            names += [Name(entity, f"{first} {last}"), Name(entity, last)]
        elif kind < 0.9:  # an Arabic company, and its name in Latin letters
            word = pseudo_word(generator, ARABIC_SYLLABLES, 3)
            names += [
                Name(entity, f"شركة {word}", "ar"),
                Name(entity, word, "ar"),
                Name(entity, pseudo_word(generator, LATIN_SYLLABLES, 3).capitalize()),
            ]
        elif kind < 0.95:  # a Russian company
            word = pseudo_word(generator, CYRILLIC_SYLLABLES, 3).capitalize()
            names += [Name(entity, f"{word} Трейд", "ru"), Name(entity, word, "ru")]
        elif kind < 0.995:  # a Bangladeshi garment factory
            word = pseudo_word(generator, BENGALI_SYLLABLES, 3)
            names += [Name(entity, f"{word} গার্মেন্টস", "bn"), Name(entity, word, "bn")]
        else:  # a one-word name that is also a common word
            names.append(Name(entity, generator.choice(COMMON_NAMES)))
    return names


def surface(generator: random.Random, name: Name, language: str) -> str:
    """The name as a text might write it."""
    text = name.text
    roll = generator.random()
    if roll < 0.1:
        return text.upper()
    if roll < 0.2:
        return text.lower()
    if roll < 0.25:
        return text.replace(" ", "-")
    if roll < 0.3 and language == "en":
        return text + "'s"
    if roll < 0.4 and language == "ar":
        return "و" + text
    return text


def sentences(generator: random.Random, language: str, count: int) -> list[str]:
    """Sentences of everyday words, the first of each list the most frequent (Zipf's law);
    one in MENTION_EVERY_SENTENCES holds a slot for a mention."""
    words = WORDS[language].split()
    weights = [1 / rank for rank in range(1, len(words) + 1)]
    stop = FULL_STOP.get(language, ".")
    pool = []
    for number in range(count):
        chosen = generator.choices(words, weights, k=generator.randint(6, 18))
        if number % MENTION_EVERY_SENTENCES == 0:
            chosen.insert(generator.randint(0, len(chosen)), "{}")
        if len(chosen) > 8:
            chosen[4] += ","
        sentence = " ".join(chosen)
        pool.append(sentence[0].upper() + sentence[1:] + stop)
    return pool


def build_corpus(megabytes: float) -> Corpus:
    generator = random.Random(SEED)
    names = entity_names(generator)
    pools = {language: sentences(generator, language, 3_000) for language in SHARES}
    languages = [language for language, share in SHARES.items() for _ in range(share)]
    documents: list[tuple[str, str]] = []
    size = 0
    while size < megabytes * 1_000_000:
        language = generator.choice(languages)
        target = generator.randint(2_000, 20_000)
        paragraphs, length = [], 0
        while length < target:
            paragraph = " ".join(generator.choices(pools[language], k=generator.randint(3, 8)))
            pieces = paragraph.split("{}")
            for slot in range(1, len(pieces)):
                mention = surface(generator, generator.choice(names), language)
                pieces[slot] = mention + pieces[slot]
            paragraph = "".join(pieces)
            paragraphs.append(paragraph)
            length += len(paragraph.encode())
        text = "\n\n".join(paragraphs)
        documents.append((language, text))
        size += len(text.encode())
    return Corpus(names=names, documents=documents, megabytes=size / 1_000_000)


def bare_seconds(corpus: Corpus) -> float:
    """Seconds for a bare automaton of the case-folded names over the case-folded text."""
    import ahocorasick

    automaton = ahocorasick.Automaton()
    for name in corpus.names:
        automaton.add_word(f" {name.text.casefold()} ", name.entity)
    automaton.make_automaton()
    started = time.perf_counter()
    for _, text in corpus.documents:
        sum(1 for _ in automaton.iter(f" {text.casefold()} "))
    return time.perf_counter() - started


def naive_pattern(names: list[Name]) -> re.Pattern[str]:
    alternatives = sorted({name.text for name in names}, key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(map(re.escape, alternatives)) + r")\b", re.IGNORECASE)


def run(megabytes: float) -> dict[str, float]:
    corpus = build_corpus(megabytes)
    started = time.perf_counter()
    index = MentionIndex(corpus.names)
    index.find("warm the tables up")
    build_seconds = time.perf_counter() - started

    found = 0
    started = time.perf_counter()
    for language, text in corpus.documents:
        found += len(index.find(text, language=language))
    seconds = time.perf_counter() - started
    floor_seconds = bare_seconds(corpus)

    started = time.perf_counter()
    pattern = naive_pattern(corpus.names)
    compile_seconds = time.perf_counter() - started
    baseline_bytes = 0
    started = time.perf_counter()
    for _, text in corpus.documents:
        sum(1 for _ in pattern.finditer(text))
        baseline_bytes += len(text.encode())
        if time.perf_counter() - started > BASELINE_SECONDS:
            break
    baseline_seconds = time.perf_counter() - started
    return {
        "mb_per_second": corpus.megabytes / seconds,
        "baseline_mb_per_second": baseline_bytes / 1_000_000 / baseline_seconds,
        "megabytes": corpus.megabytes,
        "documents": len(corpus.documents),
        "names": len(corpus.names),
        "mentions": found,
        "build_seconds": build_seconds,
        "baseline_compile_seconds": compile_seconds,
        "baseline_megabytes": baseline_bytes / 1_000_000,
        "floor_mb_per_second": corpus.megabytes / floor_seconds,
    }


def measure(megabytes: int = 20) -> dict[str, float]:
    """Megabytes of text per second through `find`, and through the naive baseline."""
    result = run(megabytes)
    return {key: result[key] for key in ("mb_per_second", "baseline_mb_per_second")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=float, default=50)
    result = run(parser.parse_args().megabytes)
    print(
        f"archive mentions: {result['megabytes']:.1f} MB in {result['documents']:.0f}"
        f" documents, {result['names']:.0f} names, {result['mentions']:.0f} mentions found;"
        f" index built in {result['build_seconds']:.2f} s"
    )
    print(
        f"  find: {result['mb_per_second']:.1f} MB/s; naive regex: "
        f"{result['baseline_mb_per_second']:.3f} MB/s (on {result['baseline_megabytes']:.2f}"
        f" MB, compiled in {result['baseline_compile_seconds']:.2f} s);"
        f" {result['mb_per_second'] / result['baseline_mb_per_second']:.0f}× the baseline"
    )
    print(
        f"  floor (a bare automaton over case-folded text): {result['floor_mb_per_second']:.1f}"
        f" MB/s; find runs at {result['mb_per_second'] / result['floor_mb_per_second']:.0%}"
        " of it"
    )


if __name__ == "__main__":
    main()
