# ruff: noqa: RUF001, RUF002 (names and words in Cyrillic, Greek, Arabic, Bengali, Turkish)
"""Generated corporate-group name sets, for developing and checking group-level matching.

No labelled set of multinational subsidiaries is at hand, so this module makes one, seeded
and reproducible. A set holds groups with invented brands (and a few realistic patterns:
founders' surnames, a common word and a sector, two common words, acronyms) whose
subsidiaries spread over many countries, languages, scripts and legal forms:

- "Veltora Deutschland GmbH", "Veltora de México S.A. de C.V.", "Veltora (Thailand) Co.,
  Ltd.", "Grupo Veltora", "PT Veltora Indonesia Tbk", "Công ty TNHH Veltora Việt Nam",
  "ООО «Велтора Рус»", "Βελτορα Ελλάς Α.Ε.", "شركة فلتورا للتجارة ذ.م.م", "ভেলটোরা
  বাংলাদেশ লিমিটেড", "Veltora Tekstil Sanayi ve Ticaret A.Ş.";
- sector words in the country's language, cities and regions, abbreviations ("Intl",
  "Mfg"), capitals, punctuation variants, a typo in the brand now and then, and some
  subsidiaries named after a sub-brand only (which no name matcher can find: a ceiling);
- hard negatives: unrelated firms that share a common first word ("Apex Garments" and "Apex
  Logistics"), brands one or two letters apart that are different groups, distinct groups
  whose names start with the same word ("Royal Veltora", "Royal Kastim"), and a few exact
  brand collisions between unrelated firms.

Most groups are small and many firms appear once, so fewer than 1% of all pairs of records
belong to the same group, as in a real collection.

Two splits keep the check honest: seeds below `HELD_OUT_SEEDS.start` make development sets;
seeds from it make held-out sets, which draw brands from other syllables, and sector words,
common words, surnames and countries from other halves of each vocabulary. Matching was
tuned on development seeds only.

`pairwise_scores` measures a clustering against the true groups over all pairs of records.
"""

import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

Split = Literal["development", "held-out"]
DEVELOPMENT_SEEDS = range(0, 1_000_000)
HELD_OUT_SEEDS = range(1_000_000, 2_000_000)


@dataclass(frozen=True)
class Record:
    id: str
    name: str
    country: str
    group: str


@dataclass(frozen=True)
class Scores:
    precision: float
    recall: float
    f1: float
    true_pairs: int
    predicted_pairs: int
    all_pairs: int

    @property
    def prevalence(self) -> float:
        return self.true_pairs / self.all_pairs if self.all_pairs else 0.0


def split_of(seed: int) -> Split:
    return "held-out" if seed in HELD_OUT_SEEDS else "development"


def pairwise_scores(truth: Mapping[str, str], predicted: Mapping[str, str]) -> Scores:
    """Precision, recall and F1 over all pairs of records: a pair is predicted when both
    records share a cluster, and true when they share a group."""

    def pairs(count: int) -> int:
        return count * (count - 1) // 2

    both = Counter((truth[id_], predicted[id_]) for id_ in truth)
    true_pairs = sum(pairs(n) for n in Counter(truth.values()).values())
    predicted_pairs = sum(pairs(n) for n in Counter(predicted[id_] for id_ in truth).values())
    agreed = sum(pairs(n) for n in both.values())
    precision = agreed / predicted_pairs if predicted_pairs else 1.0
    recall = agreed / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(precision, recall, f1, true_pairs, predicted_pairs, pairs(len(truth)))


# Vocabularies: (development half, held-out half) --------------------------------------------

_SYLLABLES = (
    "vel tor ka sti ma ren zo lin dar ve qua nix bro tal mer ion ter sa go ra ki lo vo dra "
    "fen mor tex ban cor ul vin sel tra bel kru sen dom pla gri val zet ho nak tri mel kos "
    "vor bim ask",
    "pel nor da fi nu sol mi vek ta ro xe lu har bi zen kar po ly dex ne pra gan lis tu "
    "mon fa rek je siv ost gul bas tem wen ple dri jun kav rim hes ow zan fur lem sto dak "
    "mir tev gro",
)
_SUFFIXES = ("ora ium tex tron ix co gen", "ara ex on ica dyne is lux")
_COMMON_WORDS = (
    "apex delta summit eagle royal golden star pioneer crown liberty phoenix orion atlas "
    "falcon united general premier global pacific lotus sunrise",
    "zenith sigma crest imperial silver horizon titan beacon anchor harmony legacy compass "
    "dynamic coral cobalt prime meridian harvest vanguard spectrum",
)
_SURNAMES = (
    "hoffmann yilmaz kumar rahman garcia novak okafor tanaka petrov silva",
    "schneider demir sharma hossain lopez kowalski mensah suzuki ivanenko santos",
)
_SECTORS = (
    "Textiles Garments Logistics Foods Energy Trading Apparel Plastics Chemicals Pharma "
    "Electronics Packaging Knitwear Motors Steel Agro",
    "Fabrics Footwear Freight Beverages Power Exports Fashion Polymers Minerals Health "
    "Components Printing Denim Machinery Metals Seafood",
)
_PARENT_WORDS = "Holdings Group International Industries Corporation Enterprises"


@dataclass(frozen=True)
class _Country:
    code: str
    names: tuple[str, ...]  # ways the country is written in a company name
    demonyms: tuple[str, ...]
    cities: tuple[str, ...]
    legal_suffixes: tuple[str, ...]
    legal_prefixes: tuple[str, ...] = ()
    connector: str = ""  # "de", "do": "Veltora de México"
    leading: tuple[str, ...] = ()  # generic words that come before the brand
    sectors: tuple[str, ...] = ()  # sector words in the country's language
    script: str = ""  # "cyrillic", "greek", "arabic", "bengali" for local-script names
    local_legal: tuple[str, ...] = ()
    local_sectors: tuple[str, ...] = ()
    local_names: tuple[str, ...] = ()
    local_prefixes: tuple[str, ...] = ()


_SHARED_COUNTRIES = (
    _Country(
        "US",
        ("USA", "America", "U.S."),
        ("American",),
        ("Kentucky", "Texas", "Ohio", "Georgia", "Chicago"),
        ("Inc.", "LLC", "Corp.", "Corporation", "Co.", "L.L.C.", "Incorporated"),
    ),
    _Country(
        "GB",
        ("UK", "(U.K.)", "Britain", "United Kingdom"),
        ("British",),
        ("London", "Manchester", "Leeds"),
        ("Ltd", "Limited", "PLC", "plc", "Ltd."),
    ),
    _Country(
        "CN",
        ("China", "(China)", "(Shanghai)", "(Shenzhen)", "(Guangzhou)"),
        ("Chinese",),
        ("Shanghai", "Shenzhen", "Ningbo", "Suzhou"),
        ("Co., Ltd.", "Co. Ltd", "Limited", "Trading Co., Ltd."),
    ),
    _Country(
        "BD",
        ("Bangladesh", "(Bangladesh)", "BD"),
        ("Bangla",),
        ("Dhaka", "Chittagong", "Gazipur", "Narayanganj"),
        ("Ltd.", "Limited", "(Pvt.) Ltd.", "Private Limited"),
        sectors=("Knit Composite", "Sweaters", "Washing", "Garments", "Apparels", "Fashions"),
        script="bengali",
        local_legal=("লিমিটেড", "প্রাইভেট লিমিটেড"),
        local_sectors=("গার্মেন্টস", "টেক্সটাইল", "ফুডস"),
        local_names=("বাংলাদেশ",),
    ),
    _Country(
        "DE",
        ("Deutschland", "Germany"),
        ("Deutsche",),
        ("Hamburg", "München", "Stuttgart", "Köln", "Frankfurt"),
        ("GmbH", "AG", "GmbH & Co. KG", "Aktiengesellschaft", "SE"),
        sectors=("Logistik", "Textil", "Handel", "Vertrieb", "Technik", "Werke", "Energie"),
    ),
)

_COUNTRIES = (
    (
        _Country(
            "MX",
            ("México", "Mexico"),
            ("Mexicana",),
            ("Monterrey", "Guadalajara", "Puebla"),
            ("S.A. de C.V.", "S. de R.L. de C.V.", "SA de CV", "S.A.P.I. de C.V."),
            connector="de",
            leading=("Grupo", "Industrias", "Distribuidora", "Comercializadora"),
            sectors=("Alimentos", "Textiles", "Logística", "Servicios", "Comercial"),
        ),
        _Country(
            "TR",
            ("Türkiye", "Turkey", "Türk"),
            (),
            ("İstanbul", "Bursa", "İzmir", "Gaziantep"),
            ("A.Ş.", "Sanayi ve Ticaret A.Ş.", "Ltd. Şti.", "Tic. Ltd. Şti.", "Anonim Şirketi"),
            sectors=("Tekstil", "Gıda", "Lojistik", "Enerji", "Otomotiv", "Kimya", "Örme"),
        ),
        _Country(
            "RU",
            ("Rus", "Russia"),
            (),
            ("Moscow", "Kaluga", "Samara"),
            ("LLC", "JSC", "OOO"),
            legal_prefixes=("OOO", "AO", "PJSC"),
            script="cyrillic",
            local_legal=("ООО", "АО", "ПАО", "ЗАО"),
            local_sectors=("Логистик", "Текстиль", "Энерго", "Трейдинг", "Агро", "Сервис"),
            local_names=("Рус", "Россия"),
            local_prefixes=("Торговый дом",),
        ),
        _Country(
            "IN",
            ("India", "(India)"),
            ("Indian",),
            ("Mumbai", "Chennai", "Pune", "Tiruppur"),
            ("Pvt. Ltd.", "Private Limited", "Ltd.", "Limited"),
            sectors=("Exports", "Spinning Mills", "Industries", "Textiles"),
        ),
        _Country(
            "BR",
            ("Brasil", "do Brasil"),
            ("Brasileira",),
            ("São Paulo", "Curitiba", "Manaus"),
            ("Ltda.", "S.A.", "Ltda", "Eireli"),
            connector="do",
            leading=("Indústria e Comércio",),
            sectors=("Alimentos", "Têxtil", "Logística", "Comércio", "Energia"),
        ),
        _Country(
            "FR",
            ("France",),
            ("Française",),
            ("Lyon", "Lille", "Marseille"),
            ("SAS", "S.A.S.", "SARL", "S.A.", "SA"),
            leading=("Société",),
            sectors=("Logistique", "Distribution", "Services", "Industries"),
        ),
        _Country(
            "JP",
            ("Japan", "Nippon"),
            (),
            ("Osaka", "Nagoya", "Yokohama"),
            ("K.K.", "Co., Ltd.", "Kabushiki Kaisha", "Corporation"),
            legal_prefixes=("Kabushiki Kaisha",),
        ),
        _Country(
            "ES",
            ("España", "Iberica", "Spain"),
            ("Española",),
            ("Barcelona", "Valencia", "Madrid"),
            ("S.L.", "S.A.", "SL", "S.L.U."),
            connector="de",
            leading=("Grupo",),
            sectors=("Logística", "Textil", "Alimentación", "Servicios"),
        ),
        _Country(
            "PL",
            ("Polska", "Poland"),
            (),
            ("Łódź", "Warszawa", "Poznań"),
            ("Sp. z o.o.", "S.A.", "sp. z o.o."),
            sectors=("Logistyka", "Handel", "Tekstylia"),
        ),
        _Country(
            "ID",
            ("Indonesia",),
            (),
            ("Jakarta", "Bandung", "Surabaya"),
            ("Tbk", ""),
            legal_prefixes=("PT", "PT.", "P.T."),
            sectors=("Tekstil", "Industri", "Makmur", "Logistik"),
        ),
        _Country(
            "EG",
            ("Egypt", "Misr"),
            ("Egyptian",),
            ("Cairo", "Alexandria", "10th of Ramadan"),
            ("S.A.E.", "LLC", "Co."),
            script="arabic",
            local_legal=("ش.م.م", "ذ.م.م", "المحدودة"),
            local_sectors=("للتجارة", "للصناعات", "للخدمات", "للأغذية"),
            local_names=("مصر",),
            local_prefixes=("شركة",),
        ),
        _Country(
            "KR",
            ("Korea",),
            ("Korean",),
            ("Seoul", "Busan", "Incheon"),
            ("Co., Ltd.", "Corp.", "Inc."),
        ),
        _Country(
            "IT",
            ("Italia", "Italy"),
            ("Italiana",),
            ("Milano", "Prato", "Torino"),
            ("S.p.A.", "S.r.l.", "SpA", "Srl"),
            sectors=("Tessile", "Logistica", "Alimentari"),
        ),
        _Country(
            "NL",
            ("Nederland", "Netherlands", "Holland"),
            (),
            ("Rotterdam", "Amsterdam", "Venlo"),
            ("B.V.", "BV", "N.V."),
            sectors=("Logistiek", "Handel", "Techniek"),
        ),
        _Country(
            "ZA",
            ("South Africa", "(South Africa)", "SA"),
            (),
            ("Johannesburg", "Durban", "Cape Town"),
            ("(Pty) Ltd", "Pty Ltd", "Ltd"),
        ),
    ),
    (
        _Country(
            "VN",
            ("Việt Nam", "Vietnam", "Viet Nam"),
            (),
            ("Hà Nội", "Hồ Chí Minh", "Đà Nẵng", "Bình Dương"),
            ("Co., Ltd.", "JSC", "Company Limited"),
            legal_prefixes=("Công ty TNHH", "Công ty Cổ phần", "Tổng Công ty"),
            sectors=("Dệt May", "Thực Phẩm", "Logistics", "Thương Mại", "May Mặc"),
        ),
        _Country(
            "GR",
            ("Hellas", "Greece", "Ellas"),
            ("Hellenic",),
            ("Athens", "Thessaloniki", "Piraeus"),
            ("S.A.", "A.E.", "Ltd"),
            script="greek",
            local_legal=("Α.Ε.", "Ε.Π.Ε.", "Ι.Κ.Ε.", "Ανώνυμη Εταιρεία"),
            local_sectors=("Εμπορική", "Βιομηχανική", "Τρόφιμα", "Ενεργειακή"),
            local_names=("Ελλάς", "Ελλάδος"),
        ),
        _Country(
            "SA",
            ("Saudi Arabia", "Arabia", "KSA"),
            ("Saudi",),
            ("Riyadh", "Jeddah", "Dammam"),
            ("LLC", "Co.", "Ltd."),
            script="arabic",
            local_legal=("ذ.م.م", "المحدودة"),
            local_sectors=("للتجارة", "للخدمات", "للطاقة", "للمقاولات"),
            local_names=("السعودية",),
            local_prefixes=("شركة", "مؤسسة"),
        ),
        _Country(
            "CO",
            ("Colombia",),
            ("Colombiana",),
            ("Medellín", "Bogotá", "Cali"),
            ("S.A.S.", "S.A.", "Ltda."),
            connector="de",
            leading=("Grupo", "Confecciones", "Inversiones"),
            sectors=("Textiles", "Alimentos", "Logística", "Servicios"),
        ),
        _Country(
            "AR",
            ("Argentina",),
            ("Argentina",),
            ("Buenos Aires", "Córdoba", "Rosario"),
            ("S.A.", "S.R.L.", "S.A.I.C."),
            connector="de",
            leading=("Grupo",),
            sectors=("Alimentos", "Textil", "Logística"),
        ),
        _Country(
            "UA",
            ("Ukraine", "Ukraina"),
            (),
            ("Kyiv", "Lviv", "Kharkiv"),
            ("LLC", "PrJSC"),
            script="cyrillic",
            local_legal=("ТОВ", "ПрАТ", "ПАТ"),
            local_sectors=("Логістик", "Агро", "Енерго", "Трейд"),
            local_names=("Україна",),
        ),
        _Country(
            "KZ",
            ("Kazakhstan",),
            (),
            ("Almaty", "Astana", "Karaganda"),
            ("LLP", "JSC"),
            script="cyrillic",
            local_legal=("ТОО", "АО"),
            local_sectors=("Казахстан", "Энерджи", "Логистик", "Трейд"),
            local_names=("Казахстан",),
        ),
        _Country(
            "PK",
            ("Pakistan",),
            (),
            ("Karachi", "Lahore", "Faisalabad", "Sialkot"),
            ("(Pvt.) Ltd.", "(Private) Limited", "Ltd."),
            sectors=("Textile Mills", "Apparel", "Sports"),
        ),
        _Country(
            "TH",
            ("Thailand", "(Thailand)", "Siam"),
            ("Thai",),
            ("Bangkok", "Rayong", "Chonburi"),
            ("Co., Ltd.", "Public Company Limited", "Ltd."),
        ),
        _Country(
            "MY",
            ("Malaysia",),
            (),
            ("Penang", "Johor Bahru", "Kuala Lumpur"),
            ("Sdn. Bhd.", "Sdn Bhd", "Berhad"),
        ),
        _Country(
            "PT",
            ("Portugal",),
            ("Portuguesa",),
            ("Porto", "Braga", "Lisboa"),
            ("Lda.", "S.A.", "Unipessoal Lda."),
            connector="de",
            sectors=("Têxteis", "Confeções", "Logística"),
        ),
        _Country(
            "RO",
            ("România", "Romania"),
            (),
            ("Cluj", "Timișoara", "Iași"),
            ("S.R.L.", "S.A.", "SRL"),
        ),
        _Country(
            "MA",
            ("Maroc", "Morocco"),
            (),
            ("Casablanca", "Tanger", "Fès"),
            ("SARL", "S.A.R.L.", "SA"),
            script="arabic",
            local_legal=("ش.م.م",),
            local_sectors=("للنسيج", "للتجارة"),
            local_names=("المغرب",),
            local_prefixes=("شركة",),
        ),
        _Country(
            "KE",
            ("Kenya", "(Kenya)", "EA"),
            (),
            ("Nairobi", "Mombasa", "Athi River"),
            ("Limited", "Ltd", "EPZ Limited"),
        ),
        _Country(
            "PE",
            ("Perú", "Peru", "del Perú"),
            ("Peruana",),
            ("Lima", "Arequipa"),
            ("S.A.C.", "S.A.A.", "E.I.R.L.", "S.R.L."),
            connector="del",
            leading=("Corporación", "Textil"),
        ),
        _Country(
            "CL",
            ("Chile",),
            ("Chilena",),
            ("Santiago", "Valparaíso"),
            ("SpA", "S.A.", "Ltda."),
            connector="de",
        ),
        _Country(
            "PH",
            ("Philippines", "Phils."),
            ("Filipino",),
            ("Manila", "Cebu", "Cavite"),
            ("Inc.", "Corporation", "Corp."),
        ),
        _Country(
            "CZ",
            ("Czech", "CZ", "Česko"),
            (),
            ("Praha", "Brno", "Ostrava"),
            ("s.r.o.", "a.s.", "spol. s r.o."),
        ),
        _Country(
            "HU",
            ("Hungary", "Magyarország"),
            ("Magyar",),
            ("Budapest", "Győr", "Debrecen"),
            ("Kft.", "Zrt.", "Nyrt."),
        ),
        _Country(
            "SE",
            ("Sverige", "Sweden", "Scandinavia"),
            ("Svenska",),
            ("Göteborg", "Malmö", "Stockholm"),
            ("AB", "Aktiebolag", "(publ)"),
        ),
    ),
)
_REGION_WORDS = ("Europe", "Asia Pacific", "Americas", "EMEA", "Middle East", "Africa", "Nordic")


def _half(pair: tuple[str, str], split: Split) -> list[str]:
    return pair[0 if split == "development" else 1].split()


# Transliteration of Latin brands into other scripts (roughly as people write them) ---------

_CYRILLIC = {
    "sh": "ш",
    "ch": "ч",
    "zh": "ж",
    "kh": "х",
    "ts": "ц",
    "ya": "я",
    "yu": "ю",
    "ph": "ф",
    "th": "т",
    "ck": "к",
    "qu": "кв",
    "x": "кс",
    "w": "в",
    "j": "дж",
    "a": "а",
    "b": "б",
    "c": "к",
    "d": "д",
    "e": "е",
    "f": "ф",
    "g": "г",
    "h": "х",
    "i": "и",
    "k": "к",
    "l": "л",
    "m": "м",
    "n": "н",
    "o": "о",
    "p": "п",
    "q": "к",
    "r": "р",
    "s": "с",
    "t": "т",
    "u": "у",
    "v": "в",
    "y": "и",
    "z": "з",
}
_GREEK = {
    "th": "θ",
    "ch": "τσ",
    "sh": "σ",
    "ph": "φ",
    "ck": "κ",
    "qu": "κου",
    "b": "μπ",
    "d": "ντ",
    "g": "γκ",
    "j": "τζ",
    "a": "α",
    "c": "κ",
    "e": "ε",
    "f": "φ",
    "h": "",
    "i": "ι",
    "k": "κ",
    "l": "λ",
    "m": "μ",
    "n": "ν",
    "o": "ο",
    "p": "π",
    "q": "κ",
    "r": "ρ",
    "s": "σ",
    "t": "τ",
    "u": "ου",
    "v": "β",
    "w": "ου",
    "x": "ξ",
    "y": "ι",
    "z": "ζ",
}
_ARABIC_CONSONANTS = {
    "sh": "ش",
    "ch": "تش",
    "th": "ث",
    "kh": "خ",
    "ph": "ف",
    "ck": "ك",
    "qu": "كو",
    "b": "ب",
    "c": "ك",
    "d": "د",
    "f": "ف",
    "g": "ج",
    "h": "ه",
    "j": "ج",
    "k": "ك",
    "l": "ل",
    "m": "م",
    "n": "ن",
    "p": "ب",
    "q": "ق",
    "r": "ر",
    "s": "س",
    "t": "ت",
    "v": "ف",
    "w": "و",
    "x": "كس",
    "y": "ي",
    "z": "ز",
}
_ARABIC_VOWELS = {"a": "ا", "e": "ي", "i": "ي", "o": "و", "u": "و"}
_BENGALI_CONSONANTS = {
    "sh": "শ",
    "ch": "চ",
    "th": "থ",
    "kh": "খ",
    "ph": "ফ",
    "ck": "ক",
    "b": "ব",
    "c": "ক",
    "d": "ড",
    "f": "ফ",
    "g": "গ",
    "h": "হ",
    "j": "জ",
    "k": "ক",
    "l": "ল",
    "m": "ম",
    "n": "ন",
    "p": "প",
    "q": "ক",
    "r": "র",
    "s": "স",
    "t": "ট",
    "v": "ভ",
    "w": "ও",
    "x": "ক্স",
    "y": "য়",
    "z": "জ",
}
_BENGALI_VOWELS = {"a": "আ", "e": "এ", "i": "ই", "o": "ও", "u": "উ"}
_BENGALI_SIGNS = {"a": "া", "e": "ে", "i": "ি", "o": "ো", "u": "ু"}
_VIRAMA = "্"


def _units(word: str, table: Mapping[str, object]) -> list[str]:
    """Split a lowercase word into the keys of a transliteration table, digraphs first."""
    units = []
    i = 0
    while i < len(word):
        if word[i : i + 2] in table:
            units.append(word[i : i + 2])
            i += 2
        else:
            units.append(word[i])
            i += 1
    return units


def _to_cyrillic(word: str, rng: random.Random) -> str:
    lowered = word.lower()
    result = "".join(_CYRILLIC.get(unit, unit) for unit in _units(lowered, _CYRILLIC))
    if lowered.startswith("e") and rng.random() < 0.5:
        result = "э" + result[1:]
    return result.capitalize() if rng.random() < 0.8 else result.upper()


def _to_greek(word: str, rng: random.Random) -> str:
    result = "".join(_GREEK.get(unit, unit) for unit in _units(word.lower(), _GREEK))
    if result.endswith("σ"):
        result = result[:-1] + "ς"
    return result.capitalize() if rng.random() < 0.7 else result.upper()


def _to_arabic(word: str, rng: random.Random) -> str:
    out = []
    units = _units(word.lower(), _ARABIC_CONSONANTS)
    for index, unit in enumerate(units):
        if unit in _ARABIC_VOWELS:
            if index == 0:
                out.append("ا" if unit in "ae" else "إ" if unit == "i" else "أو")
            elif unit == "e" and rng.random() < 0.6:
                continue  # short vowels are mostly not written
            elif unit == "a" and rng.random() < 0.3:
                continue
            else:
                out.append(_ARABIC_VOWELS[unit])
        else:
            out.append(_ARABIC_CONSONANTS.get(unit, ""))
    return "".join(out)


def _to_bengali(word: str, rng: random.Random) -> str:
    out = []
    units = _units(word.lower(), _BENGALI_CONSONANTS)
    for index, unit in enumerate(units):
        if unit in _BENGALI_VOWELS:
            if index == 0 or units[index - 1] in _BENGALI_VOWELS:
                out.append(_BENGALI_VOWELS[unit])
            else:
                out.append(_BENGALI_SIGNS[unit])
            continue
        out.append(_BENGALI_CONSONANTS.get(unit, ""))
        following = units[index + 1] if index + 1 < len(units) else ""
        if following and following not in _BENGALI_VOWELS:
            out.append(_VIRAMA)
    return "".join(out)


_SCRIPTS = {
    "cyrillic": _to_cyrillic,
    "greek": _to_greek,
    "arabic": _to_arabic,
    "bengali": _to_bengali,
}


# Generation -------------------------------------------------------------------------------


@dataclass
class _Group:
    id: str
    brand: list[str]  # the words every subsidiary carries, as the group writes them
    kind: str
    sectors: list[str]
    sub_brand: str
    home: _Country


def generate(seed: int, groups: int, *, big_groups: int = 0) -> list[Record]:
    """A set of `groups` corporate groups (many of them a single firm) and their records.
    `big_groups` more groups get 300 to 600 subsidiaries each, like a large multinational.
    The seed's range chooses the vocabulary split (see `split_of`)."""
    split = split_of(seed)
    rng = random.Random(f"groupnames:{seed}")  # noqa: S311 (reproducible test data, no secret)
    countries = list(_SHARED_COUNTRIES) + list(_COUNTRIES[0 if split == "development" else 1])
    vocabulary = _Vocabulary(split, rng)
    records: list[Record] = []
    made: list[_Group] = []
    for number in range(groups + big_groups):
        group = vocabulary.group(f"g{seed}-{number}", made, countries)
        made.append(group)
        size = rng.randint(300, 600) if number >= groups else _size(rng)
        names: set[str] = set()
        for _ in range(size * 3):
            if len(names) >= size:
                break
            country = group.home if not names and rng.random() < 0.6 else rng.choice(countries)
            name = _subsidiary(group, country, vocabulary, rng)
            if name in names:
                continue
            names.add(name)
            records.append(Record(f"r{seed}-{len(records)}", name, country.code, group.id))
    rng.shuffle(records)
    return records


def _size(rng: random.Random) -> int:
    draw = rng.random()
    if draw < 0.40:
        return 1
    if draw < 0.72:
        return rng.randint(2, 4)
    if draw < 0.91:
        return rng.randint(5, 12)
    if draw < 0.985:
        return rng.randint(13, 40)
    return rng.randint(41, 120)


class _Vocabulary:
    def __init__(self, split: Split, rng: random.Random) -> None:
        self.rng = rng
        self.syllables = _half(_SYLLABLES, split)
        self.suffixes = _half(_SUFFIXES, split)
        self.common = [word.capitalize() for word in _half(_COMMON_WORDS, split)]
        self.surnames = [word.capitalize() for word in _half(_SURNAMES, split)]
        self.sectors = _half(_SECTORS, split)
        self.used: set[str] = set()

    def invented(self) -> str:
        rng = self.rng
        for _ in range(100):
            parts = rng.sample(self.syllables, rng.choice((2, 2, 3)))
            if rng.random() < 0.35:
                parts.append(rng.choice(self.suffixes))
            word = "".join(parts)
            if 4 <= len(word) <= 11 and word not in self.used:
                self.used.add(word)
                return word.capitalize()
        return "".join(rng.sample(self.syllables, 4)).capitalize()

    def group(self, id_: str, made: Sequence[_Group], countries: Sequence[_Country]) -> _Group:
        rng = self.rng
        draw = rng.random()
        sectors = rng.sample(self.sectors, rng.randint(1, 4))
        kind = "invented"
        while True:
            if draw < 0.52:
                brand = [self.invented()]
            elif draw < 0.64:
                kind = "common+sector"
                brand = [rng.choice(self.common), sectors[0]]
            elif draw < 0.71:
                kind = "common+common"
                brand = rng.sample(self.common, 2)
            elif draw < 0.77:
                kind = "common+invented"
                brand = [rng.choice(self.common), self.invented()]
            elif draw < 0.85:
                kind = "surname"
                brand = [rng.choice(self.surnames), sectors[0]]
            elif draw < 0.89:
                kind = "acronym"
                brand = ["".join(rng.choice("ABCDEFGHIKLMNPRSTVZ") for _ in range(3))]
            elif draw < 0.94 and made:
                kind = "similar"  # a different group whose brand is one or two letters off
                others = [g for g in made if g.kind == "invented"]
                brand = [_typo(rng.choice(others).brand[0], rng)] if others else [self.invented()]
            else:
                kind = "collision"  # an unrelated firm with the same compound brand
                others = [g for g in made if g.kind == "invented"]
                other = rng.choice(others) if others else None
                free = [
                    word
                    for word in self.sectors
                    if other
                    and word not in other.sectors
                    and f"{other.brand[0]} {word}".casefold() not in self.used
                ]
                if other and free:
                    brand = [other.brand[0], rng.choice(free)]
                    sectors = [brand[1]]
                else:
                    kind = "invented"
                    brand = [self.invented()]
            key = " ".join(brand).casefold()
            if key not in self.used or kind == "collision":
                self.used.add(key)
                break
            draw = rng.random()
        sub_brand = self.invented() if rng.random() < 0.15 else ""
        return _Group(id_, brand, kind, sectors, sub_brand, rng.choice(countries))


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    position = rng.randrange(1, len(word) - 1)
    operation = rng.choice(("delete", "insert", "substitute", "swap"))
    letters = "aeioulnrstkm"
    if operation == "delete":
        return word[:position] + word[position + 1 :]
    if operation == "insert":
        return word[:position] + rng.choice(letters) + word[position:]
    if operation == "substitute":
        return word[:position] + rng.choice(letters) + word[position + 1 :]
    return word[: position - 1] + word[position] + word[position - 1] + word[position + 1 :]


def _subsidiary(
    group: _Group, country: _Country, vocabulary: _Vocabulary, rng: random.Random
) -> str:
    if group.sub_brand and rng.random() < 0.04:
        return f"{group.sub_brand} {rng.choice(group.sectors)} {_legal(country, rng)}".strip()
    brand = list(group.brand)
    if rng.random() < 0.04:
        brand[0] = _typo(brand[0], rng)
    elif group.kind == "invented" and len(brand[0]) >= 6 and rng.random() < 0.03:
        cut = rng.randrange(3, len(brand[0]) - 2)  # "Vel-Tora", "Vel Tora", "VelTora"
        joiner = rng.choice(("-", " ", ""))
        brand[0] = brand[0][:cut] + joiner + brand[0][cut:].capitalize()
    if group.sub_brand and rng.random() < 0.2:
        brand.append(group.sub_brand)
    if country.script and group.kind != "acronym" and rng.random() < 0.5:
        return _local_script(brand, country, rng)
    words = [*brand]
    sectors = [word for word in group.sectors if word not in brand] or list(country.sectors)
    sector = rng.choice(sectors or group.sectors)
    if country.sectors and rng.random() < 0.5:
        sector = rng.choice(country.sectors)
    place = rng.choice(country.names)
    draw = rng.random()
    if draw < 0.16:
        words += [place]
    elif draw < 0.26 and country.connector:
        words += [country.connector, place.removeprefix("do ").removeprefix("del ")]
    elif draw < 0.34:
        words += [f"({place.strip('()')})"]
    elif draw < 0.50:
        words += [sector]
    elif draw < 0.60:
        words += [sector, place]
    elif draw < 0.66:
        words += [rng.choice(country.cities)]
    elif draw < 0.70 and country.demonyms:
        words += [rng.choice(country.demonyms)]
    elif draw < 0.76:
        words += [rng.choice(_PARENT_WORDS.split())]
    elif draw < 0.80:
        words += [rng.choice(_REGION_WORDS)]
    elif draw < 0.86 and country.leading:
        words = [rng.choice(country.leading), *words]
    if len(group.brand) == 1 and rng.random() < 0.08:
        words.insert(1, rng.choice(("Intl", "Int'l", "Mfg.", "International", "Global")))
    name = " ".join(words)
    if country.legal_prefixes and rng.random() < 0.6:
        prefix = rng.choice(country.legal_prefixes)
        name = f"{prefix} {name}"
        if rng.random() < 0.5:
            name = f"{name} {_legal(country, rng)}"
    else:
        name = f"{name} {_legal(country, rng)}"
    draw = rng.random()
    if draw < 0.22:
        name = name.upper()
    elif draw < 0.25:
        name = name.lower()
    elif draw < 0.30:
        name = name.replace(".", "")
    return " ".join(name.split())


def _legal(country: _Country, rng: random.Random) -> str:
    form = rng.choice(country.legal_suffixes)
    return form if rng.random() < 0.9 else ""


def _local_script(brand: Sequence[str], country: _Country, rng: random.Random) -> str:
    write = _SCRIPTS[country.script]
    words = [write(word, rng) for word in brand]
    draw = rng.random()
    if draw < 0.35 and country.local_names:
        words.append(rng.choice(country.local_names))
    elif draw < 0.75 and country.local_sectors:
        words.append(rng.choice(country.local_sectors))
    legal = rng.choice(country.local_legal) if country.local_legal else ""
    if country.script == "cyrillic" and rng.random() < 0.7:
        quoted = " ".join(words)
        quotes = rng.choice((("«", "»"), ('"', '"'), ("“", "”")))
        return f"{legal} {quotes[0]}{quoted}{quotes[1]}".strip()
    if country.local_prefixes and rng.random() < 0.6:
        words.insert(0, rng.choice(country.local_prefixes))
    return " ".join([*words, legal]).strip()
