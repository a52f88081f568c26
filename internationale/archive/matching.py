# ruff: noqa: RUF001, RUF002, RUF003 (names and words in Cyrillic, Greek, Arabic, Bengali, Turkish)
"""Corporate-name matching, free of Django: is this the same legal entity, or the same group?

The archive collects testimonies, wage records and supply-chain links from unions in many
countries, and must see that one corporate actor appears in several struggles. It answers at
two levels, and they are different questions, not one matcher with two thresholds:

- ``entity``: the same legal entity. "Siemens AG" = "Siemens Aktiengesellschaft" =
  "SiemensAG"; "OAO Gazprom" = "Gazprom JSC"; but "ООО «БАЙ»" ≠ "ООО «БАЙКАЛ»",
  "Banco Santander S.A." ≠ "Banco Santander México S.A.", "Deutsche Bank AG" ≠
  "Deutsche Bank GmbH", "... Trust 2005-AR16" ≠ "... Trust 2006-AR16".
- ``group``: the same corporate group. "Bridgestone Tire Co." ~ "Bridgestone de Costa Rica
  S.A." ~ "ООО «Бриджстоун СНГ»", but "Delta Air Lines" ≁ "Delta Faucet Company" and
  "General Motors" ≁ "General Mills".

Normalisation (`normalize`)
    NFKC and casefold; possessive 's and web domains (".com") dropped, "&" read as "and",
    "%" as "percent". Legal forms are found twice: by rigour's org-type table on the original
    script (it knows "Общество с ограниченной ответственностью", "Societatea cu Răspundere
    Limitată", ...; only forms longer than three letters, since short ones are also
    initials and numerals), and by a token table here, for the short forms (at the edges of
    a name only, where they are ambiguous: "SA", "AS", "AB") and for what rigour lacks (K.K.,
    A.Ş., Pvt. Ltd., Công ty TNHH, Α.Ε., ش.م.م, লিমিটেড, ...). Each form keeps its generic
    class (``llc``, ``jsc``, ``lp``...); corporate designators (company, corporation, Co.,
    Cia., شركة) are dropped without a class. Each token is folded to Latin ASCII by rigour
    (Cyrillic, Greek, Arabic, Bengali, Turkish and Vietnamese letters, accents). Runs of
    single letters become one token ("A.B.C." and "ABC"), number words become digits
    ("Forty-Four", "1st", roman "VIII" after a word), common abbreviations are expanded
    ("Int'l"). Each token gets a kind: ``number`` (any digit); ``place`` (countries, their
    names in many languages and scripts, demonyms, capitals and other places, from rigour's
    territory data plus adjectives such as "Mexicana" and "Deutsche"; each with its
    territory code, so "Türkiye" = "Turkey"); ``region`` (Europe, Asia Pacific, EMEA...);
    ``generic`` (business and sector words in about twelve languages and four scripts:
    holdings, logistics, Tekstil, Gıda, Логистика, للتجارة, গার্মেন্টস...); ``common`` (ordinary
    words and common surnames that many unrelated firms put first: Delta, Apex, General,
    Golden, Royal, Yilmaz, Kumar...); otherwise ``name``. Words in brackets are marked.

Entity level (`compare(..., level="entity")`)
    Tokens are aligned one to one: equal words or places with the same code first, then
    singular/plural, then typos (one edit for words of four letters or more, two for nine
    or more; never between two different known words such as "Gas"/"Oil", though two forms
    of one, "Agriculture"/"Agricultural", may align). The score is a weighted Dice
    coefficient of the aligned tokens: a name word weighs 1, a country 0.8, a business word
    0.6, a region or any word in brackets 0.35, so a missing "Systems" or "México" costs, a
    missing "Europe" or "(Schweiz)" less. The forms without spaces are also compared ("Good
    Will" = "Goodwill", "SiemensAG" = "Siemens AG"; one typo allowed there when the names
    split into different numbers of words), and a lone acronym may stand for the other name
    ("PLA", "People's Liberation Army"). Then penalties, each enough to undo a perfect
    match: distinctive words in another order (×0.8), numbers that differ (×0.6: "Trust
    2005-AR16" is not "Trust 2006-AR16"), places that differ (×0.8), legal forms of
    different classes (×0.8); and records from different countries (×0.9: the same name
    still matches, a near one no longer). A match is a score of at least 0.85.

Group level (`compare(..., level="group")`)
    A group is modelled by its stem, the brand, not by loosening the entity matcher. The
    stem is the first distinctive token, skipping legal forms, places, regions, business
    words and numbers, so "Toyota Motor Manufacturing Kentucky, Inc." and "Toyota Tsusho"
    both have the stem ``toyota``, and "Grupo Santander" and "Banco Santander México"
    ``santander``. When that first word is ambiguous — a ``common`` word or one a letter
    away from one, a token of one or two letters, or (in `cluster`) a word the collection
    shows to be ambiguous — the stem takes its companion too: the next word (``delta
    air`` and ``delta faucet``, ``apex garments`` and ``apex logistics``, ``general
    motors`` and ``general mills``), or the region or "Global" before it ("Pacific
    Premier"). A name with no distinctive word ("Bank of China (Hong Kong)") falls back to
    its first two words outside brackets. Stems match when equal (1.0), equal without
    spaces (0.95: "Wal-Mart", "Walmart"), a typo apart (0.85), or, for a name written in
    another script, when consonant skeletons agree (0.85: "Бриджстоун" → bridzhstoun → BRKSTN
    ← bridgestone; "بريدجستون" → brydjstwn → BRKSTN); otherwise the score is low and says
    why ("only a common word shared", "different stem"). A match is at least 0.8.

Clustering (`cluster`) and why no frequent token is dropped
    Matching pairs are joined transitively (union-find); a cluster is named by its smallest
    id. Candidate generation never discards a token for being frequent, since a brand in
    500 records is exactly what the archive exists to find; nor does it compare all pairs.

    - group: the stem is a hash key, so every record with the stem ``bridgestone`` is
      joined in one pass, whatever the block's size, without comparing pairs. Then only
      the distinct stems are compared: deletion neighbourhoods find the stems a typo away,
      and a rare stem (at most two names, or a tenth of the other's) joins its most frequent
      neighbour only, so two established brands a letter apart stay apart and no typo
      bridges them. A name in another script joins the single Latin stem whose consonant
      skeleton its stem or first words share (it moves; it does not join its first word's
      other names), and "Vel Tora" joins the stem "veltora" when another name has it. The
      collection also says which first words are ambiguous: a word in front of three or
      more distinctive words in most of its names ("Royal Veltora", "Royal Kastim"), after
      three or more, or one that never stands alone but always with one of several
      companions ("Cobalt Denim", "Cobalt Footwear", never "Cobalt Ltd").
    - entity: records with the same normal form (and country) are joined directly. Distinct
      forms are compared after two-level prefix filtering, as in All-Pairs/PPJoin
      set-similarity joins: tokens are put in one global order (name words first, then
      numbers, places, business words; rarer first); a match needs an overlap of at least
      0.85·W/1.15 of each side's weight W, so the first token two matching forms share
      lies in both prefixes (the tokens before what is left weighs less than that). Within
      that token's block, what else they share follows it, so forms whose remaining tokens
      weigh too little leave the block and the others must share a token of the prefix of
      what follows. No pair that can reach the threshold on exact tokens is lost, however
      frequent its tokens. A size filter skips pairs whose weights cannot reach the
      threshold. Typos come from deletion neighbourhoods of the distinct words (pairs with
      a word a typo apart that share another word or have no other), spacing from equal
      forms without spaces and one-edit pairs of those. Acronyms are scored by `compare`
      but not used to join clusters: across a large collection short acronyms coincide with
      the initials of unrelated names.

`compare` sees two names alone; `cluster` also uses what the whole collection shows
(ambiguous first words, rare typo variants), so on a few pairs they may differ.
"""

import gc
import json
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from itertools import pairwise
from typing import Literal

from rapidfuzz.distance import OSA, JaroWinkler
from rigour._core import territories_jsonl
from rigour.names import extract_org_types, tokenize_name
from rigour.text import ascii_text

Level = Literal["entity", "group"]
LEVELS: tuple[Level, ...] = ("entity", "group")
THRESHOLDS: dict[Level, float] = {"entity": 0.85, "group": 0.8}

NAME, COMMON, GENERIC, PLACE, REGION, NUMBER = (
    "name",
    "common",
    "generic",
    "place",
    "region",
    "number",
)

# Weights of token kinds in the entity-level score.
_WEIGHTS = {NAME: 1.0, COMMON: 1.0, NUMBER: 0.5, PLACE: 0.8, GENERIC: 0.6, REGION: 0.35}
_PENALTY_NUMBERS = 0.6
_PENALTY_LEGAL = 0.8
_PENALTY_COUNTRY = 0.9
_PENALTY_ORDER = 0.8
_PENALTY_PLACES = 0.8


@dataclass(frozen=True, slots=True)
class Normal:
    """A name prepared for matching. `tokens` are the core words in order, without legal
    forms and stopwords, folded to Latin ASCII; `kinds`, `codes` (a territory code for
    places) and `qualified` (the word stood in brackets) run parallel to them."""

    original: str
    folded: str
    tokens: tuple[str, ...]
    kinds: tuple[str, ...]
    codes: tuple[str, ...]
    qualified: tuple[bool, ...]
    legal_forms: tuple[str, ...]
    legal_classes: tuple[str, ...]
    numbers: tuple[str, ...]
    places: tuple[str, ...]
    latin: bool
    weights: tuple[float, ...]  # of each token in the entity-level score
    weight: float
    squashed: str  # the tokens without spaces: "good will" and "goodwill" agree
    compact: str  # the whole folded name without spaces, legal forms included
    singulars: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    score: float
    match: bool
    reasons: tuple[str, ...]


# Vocabularies ----------------------------------------------------------------------------
# Folded to Latin ASCII, as tokens come out of `normalize`.


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _fold_tokens(text: str) -> list[str]:
    """Tokenise, then fold each token to Latin ASCII (one token may become several, as
    Chinese characters become pinyin syllables)."""
    folded: list[str] = []
    for token in tokenize_name(text):
        ascii_token = _fold_token(token)
        if ascii_token.isalnum():
            folded.append(ascii_token)
        elif ascii_token:
            folded.extend(tokenize_name(ascii_token))
    return folded


@lru_cache(maxsize=1 << 17)
def _fold_token(token: str) -> str:
    if token.isascii():
        return token
    # Bengali anusvara is "ng" ("সামসাং", Samsung); the transliterator reads it as "m".
    folded = ascii_text(token.replace("ং", "ng")).casefold()
    return folded.replace("?", "").replace("'", "").replace("`", "")


def _folded_words(text: str) -> frozenset[str]:
    """Words written in their own script, folded the way names are."""
    return frozenset(token for word in text.split() for token in _fold_tokens(word.casefold()))


_STOPWORDS = _words(
    "the of and for de del della delle dei degli di da do dos das du des la le les el los las "
    "et und y ve an au aux zu zum al-"
)
_SINGLE_LETTER_STOPWORDS = _words("y e i a")

# Corporate designators: dropped, no legal class.
_DESIGNATORS = _words(
    "company co corp corporation corporacion corporacao incorporated cia compania companhia "
    "compagnie cie societe sociedad sociedade societa kompaniya kompania shrkt sharikat "
    "sherket firma firm establishment"
)

# Legal forms rigour's table lacks, as token sequences: compare form and generic class.
_LEGAL_TABLE: dict[tuple[str, ...], tuple[str, str]] = {
    tuple(key.split()): value
    for key, value in {
        "kk": ("kk", "jsc"),
        "kabushiki kaisha": ("kk", "jsc"),
        "kabushikigaisha": ("kk", "jsc"),
        "godo kaisha": ("gk", "llc"),
        "yugen kaisha": ("yk", "llc"),
        "as": ("as", "jsc"),
        "anonim sirketi": ("as", "jsc"),
        "asa": ("asa", "jsc"),
        "tbk": ("tbk", "jsc"),
        "persero": ("persero", "jsc"),
        "tnhh": ("tnhh", "llc"),
        "cong ty tnhh": ("tnhh", "llc"),
        "cong ty co phan": ("ctcp", "jsc"),
        "co phan": ("ctcp", "jsc"),
        "ctcp": ("ctcp", "jsc"),
        "cong ty": ("cty", ""),
        "tong cong ty": ("cty", ""),
        "pvt": ("pvt", "llc"),
        "pvt ltd": ("pvt", "llc"),
        "private": ("pvt", "llc"),
        "pte": ("pte", "llc"),
        "sdn": ("sdn", "llc"),
        "berhad": ("bhd", "jsc"),
        "pty": ("pty", "llc"),
        "sl": ("sl", "llc"),
        "slu": ("sl", "llc"),
        "s de rl": ("srl", "llc"),
        "s de rl de cv": ("srl", "llc"),
        "sapi": ("sapi", "jsc"),
        "sapi de cv": ("sapi", "jsc"),
        "sa de cv": ("sacv", "jsc"),
        "saic": ("sa", "jsc"),
        "saci": ("sa", "jsc"),
        "cv": ("cv", "lp"),
        "zrt": ("zrt", "jsc"),
        "nyrt": ("nyrt", "jsc"),
        "eirl": ("eirl", "llc"),
        "ltee": ("ltd", "llc"),
        "scarl": ("scarl", "coop"),
        "bvba": ("bvba", "llc"),
        "ae": ("ae", "jsc"),
        "anonymi etaireia": ("ae", "jsc"),
        "epe": ("epe", "llc"),
        "ike": ("ike", "llc"),
        "oe": ("oe", "lp"),
        "tov": ("tov", "llc"),
        "too": ("too", "llc"),
        "pat": ("pat", "jsc"),
        "prat": ("prat", "jsc"),
        "ooo": ("ooo", "llc"),
        "oao": ("ao", "jsc"),
        "zao": ("ao", "jsc"),
        "pao": ("ao", "jsc"),
        "ao": ("ao", "jsc"),
        "ano": ("ano", "ngo"),
        "spzoo": ("spzoo", "llc"),
        "sp zoo": ("spzoo", "llc"),
        "sp z oo": ("spzoo", "llc"),
        "gmbh": ("gmbh", "llc"),
        "ag": ("ag", "jsc"),
        "sa": ("sa", "jsc"),
        "sas": ("sas", "llc"),
        "sarl": ("sarl", "llc"),
        "srl": ("srl", "llc"),
        "spa": ("spa", "jsc"),
        "bv": ("bv", "llc"),
        "nv": ("nv", "jsc"),
        "ab": ("ab", "jsc"),
        "oy": ("oy", "llc"),
        "ltd": ("ltd", "llc"),
        "ltda": ("ltd", "llc"),
        "limited": ("ltd", "llc"),
        "llc": ("llc", "llc"),
        "inc": ("inc", "llc"),
        "plc": ("plc", "jsc"),
        "jsc": ("jsc", "jsc"),
        "pjsc": ("jsc", "jsc"),
        "ojsc": ("jsc", "jsc"),
        "cjsc": ("jsc", "jsc"),
        "lp": ("lp", "lp"),
        "llp": ("llp", "llp"),
        "pt": ("pt", ""),
        "doo": ("doo", "llc"),
        "sro": ("sro", "llc"),
        "kft": ("kft", "llc"),
        "aps": ("aps", "llc"),
        "bhd": ("bhd", "llc"),
        "se": ("se", "jsc"),
    }.items()
}
for _native, _value in {
    "ذ.م.م": ("llc", "llc"),
    "ش.م.م": ("llc", "llc"),
    "ش.م.ع": ("jsc", "jsc"),
    "ش.م.ب": ("jsc", "jsc"),
    "المحدودة": ("ltd", "llc"),
    "ذات المسؤولية المحدودة": ("llc", "llc"),
    "লিমিটেড": ("ltd", "llc"),
    "প্রাইভেট লিমিটেড": ("pvt", "llc"),
    "প্রাইভেট": ("pvt", "llc"),
    "α.ε.": ("ae", "jsc"),
    "ανώνυμη εταιρεία": ("ae", "jsc"),
    "ε.π.ε.": ("epe", "llc"),
    "ι.κ.ε.": ("ike", "llc"),
    "ο.ε.": ("oe", "lp"),
}.items():
    _LEGAL_TABLE[tuple(_fold_tokens(_native))] = _value
_DESIGNATORS = _DESIGNATORS | _folded_words("شركة مؤسسة কোম্পানি εταιρεία компания корпорация")

# Forms that are also ordinary words or initials: only at the edges of a name or next to
# another legal form.
_LEGAL_EDGE_ONLY = _words(
    "as sa ab ag ae oe sl cv kk pt se ao ip sc pat too private pte pty sdn ano oy spa sas"
)
_LEGAL_MAX = max(len(key) for key in _LEGAL_TABLE)

_ABBREVIATIONS = {
    "intl": "international",
    "int": "international",
    "natl": "national",
    "mfg": "manufacturing",
    "mfrs": "manufacturers",
    "svcs": "services",
    "svc": "service",
    "bros": "brothers",
    "inds": "industries",
    "mgmt": "management",
    "grp": "group",
    "hldgs": "holdings",
    "hldg": "holding",
    "assoc": "associates",
    "elec": "electric",
    "chem": "chemical",
    "pharm": "pharmaceutical",
    "tech": "technology",
    "techs": "technologies",
    "labs": "laboratories",
    "dept": "department",
    "organisation": "organization",
    "labour": "labor",
    "centre": "center",
    "tyre": "tire",
    "tyres": "tires",
}

# Business and sector words: a group's subsidiaries vary in these, unrelated firms share them.
_GENERIC = _words(
    # English
    "group groups holding holdings international global worldwide overseas trading traders "
    "trade import imports export exports impex imex exim enterprise enterprises industry "
    "industries industrial manufacturing manufacturers manufacturer products product services "
    "service solutions solution systems system technologies technology technical logistics "
    "logistic transport transportation shipping freight cargo express distribution "
    "distributors distributor supply supplies textiles textile garments garment apparel "
    "apparels fashion fashions knitwear knit knitting knits denim spinning mills mill dyeing "
    "washing fabrics fabric yarn yarns fibres fibers fibre fiber leather footwear shoes "
    "accessories foods food beverages beverage drinks agro agri agriculture agricultural farms "
    "farm dairy seafood seafoods fisheries poultry feeds energy power electric electrical "
    "electricals electronics electronic solar oil gas petroleum petrochemical petrochemicals "
    "chemical chemicals pharma pharmaceutical pharmaceuticals healthcare health medical life "
    "sciences biotech plastics plastic packaging paper printing rubber tires tire glass cement "
    "steel metals metal mining minerals resources construction constructions engineering "
    "engineers consulting consultants consultancy capital investment investments finance "
    "financial bank banking insurance assurance securities partners ventures venture "
    "properties property realty estate development developments developers motors motor "
    "automotive auto automobiles parts components software digital data networks network "
    "communications telecom telecommunications media entertainment retail stores store "
    "supermarkets hotels hotel resorts hospitality travel tours airlines airways aviation "
    "air marine maritime commercial commerce business management associates agency agencies "
    "brands concepts creations designs works factory factories plant machinery equipment "
    "tools instruments precision materials building buildings homes water environmental "
    "recycling waste facilities laboratories research trust fund funds asset assets wealth "
    "credit leasing rental rentals cooperative sourcing merchandising buying sales marketing "
    "wholesale operations department government ministry organization foundation institute "
    "center association union council authority bureau office brothers sons labor"
    " "
    # Spanish, Portuguese, Italian
    "grupo gruppo industrias industria industrie comercial comercializadora comercio "
    "distribuidora importadora exportadora servicios servicos soluciones solucoes tecnologia "
    "tecnologias logistica transportes textil textiles confecciones confeccoes alimentos "
    "alimenti bebidas energia construcciones construtora constructora ingenieria engenharia "
    "inversiones investimentos financiera banco seguros inmobiliaria imobiliaria desarrollos "
    "manufacturas fabrica productos produtos agricola agropecuaria minera mineracao quimica "
    "farmaceutica laboratorios hoteles calzado moda tejidos hilados plasticos empaques "
    "embalagens papel aceros metales automotriz negocios empresa empresas holding servizi "
    "tessile abbigliamento"
    " "
    # French, German, Dutch
    "groupe logistique distribution alimentaire energie ingenierie batiment immobilier banque "
    "assurances conseil fabrication production habillement confection chimie gruppe handel "
    "handels handelsgesellschaft vertrieb vertriebs logistik technik technologie systeme "
    "dienstleistungen werke werk fabrik maschinenbau bau textilien lebensmittel versicherung "
    "finanz immobilien beteiligungs beteiligungen verwaltungs verwaltung elektronik elektro "
    "automobil anlagenbau groep techniek diensten logistiek"
    " "
    # Turkish, Polish, Indonesian and Malay
    "sanayi sanayii ticaret tekstil gida lojistik enerji insaat hizmetleri hizmet otomotiv "
    "kimya ilac makina makine elektrik madencilik tarim turizm yatirim grup dis ithalat "
    "ihracat pazarlama uretim konfeksiyon giyim plastik ambalaj kagit celik mobilya yapi "
    "muhendislik bilisim teknoloji danismanlik sigorta bankasi finans grupa handlowa "
    "logistyka przemysl uslugi produkcja industri niaga perdagangan energi teknologi "
    "perusahaan"
    " "
    # Russian and Ukrainian (transliterated)
    "gruppa grupp torgovyi torgovy torgovyy dom zavod kombinat promyshlennaya promyshlennyi "
    "proizvodstvennaya logistika tekstil energo energiya servis stroi stroy invest trans neft "
    "gaz khim prom tekh tekhnologii resurs snab torg kholding eksport tsentr"
    " "
    # Greek (transliterated)
    "emboriki emporiki emporia viomichania viomichaniki trofima techniki kataskeves "
    "kataskevastiki ypiresies logistiki energeiaki ktimatiki symmetochon ependyseis omilos "
    "energeia"
    " "
    # Vietnamese (folded)
    "tap doan thuong mai dich vu san xuat xuat nhap khau det may mac thuc pham van tai dau tu "
    "xay dung cong nghiep nang luong ky thuat nghe"
    " "
    # Chinese (pinyin)
    "jituan maoyi shiye keji fazhan guoji konggu youxian gongsi gufen"
)

_GENERIC = _GENERIC | _folded_words(
    # Arabic
    "للتجارة التجارية تجارة للصناعات الصناعية صناعات للخدمات خدمات للطاقة الطاقة مجموعة "
    "المجموعة القابضة للتسويق للتوزيع للمقاولات مقاولات للنقل للأغذية الأغذية للنسيج النسيج "
    "الدولية المتحدة مصنع مصانع للاستثمار الاستثمار للتطوير للهندسة الهندسية للكيماويات "
    "للأدوية للحديد للصلب للبلاستيك للملابس الملابس للتصدير للاستيراد "
    # Bengali
    "গ্রুপ টেক্সটাইল টেক্সটাইলস গার্মেন্টস অ্যাপারেলস এপারেলস নিটওয়্যার লজিস্টিকস "
    "ইন্ডাস্ট্রিজ এনার্জি ফুডস ট্রেডিং ফ্যাশন ফ্যাশনস কম্পোজিট স্পিনিং মিলস ডেনিম ওয়াশিং "
    # Greek
    "εμπορική βιομηχανία βιομηχανική τρόφιμα ενέργεια ενεργειακή υπηρεσίες τεχνική "
    "κατασκευαστική όμιλος συμμετοχών επενδύσεις ναυτιλιακή μεταφορική "
    # Russian, Ukrainian, Kazakh
    "торговый дом завод комбинат групп группа холдинг логистик логистика логістик текстиль "
    "энерго енерго энерджи сервис трейдинг трейд агро фудс строй инвест промышленная "
    "производственная"
)

# Ordinary words many unrelated firms put first: at group level they need a companion word.
_COMMON = _words(
    "alpha beta gamma delta sigma omega apex summit peak pinnacle zenith vertex star stars sun "
    "sunrise sunshine moon sky galaxy orbit planet nova stellar comet eagle falcon hawk lion "
    "tiger panther dragon phoenix dolphin bear fox wolf horse bull royal regal imperial crown "
    "king kings queen prince empire noble elite prime premier supreme superior select classic "
    "modern smart rapid swift quick fast direct golden gold silver platinum diamond crystal "
    "pearl jade ruby emerald sapphire blue green red white black orange ocean sea river lake "
    "valley mountain hill rock stone bridge harbor harbour bay island forest oak pine cedar "
    "maple palm rose lotus lily orchid tulip spring summer autumn winter north south east west "
    "northern southern eastern western central pacific atlantic oriental continental metro "
    "metropolitan city urban new first united national general standard universal liberty "
    "victory freedom unity harmony pioneer frontier horizon vision future progress evolution "
    "innovation innovative creative dynamic fusion matrix vector quantum nexus core axis pivot "
    "focus prism spectrum echo pulse wave flow spark flash blaze fire ice snow rain storm "
    "thunder wind cloud atlas titan olympus orion apollo zeus mercury jupiter mars venus "
    "saturn neptune pegasus trident shield arrow anchor compass beacon keystone cornerstone "
    "milestone landmark heritage legacy tradition century millennium infinity eternal "
    "evergreen everest alpine sierra vista terra aqua sol luna estrella aurora polar arctic "
    "tropical paradise eden oasis harvest fresh pure natural organic eco bright brilliant shine "
    "glory grace hope faith joy happy lucky fortune prosperity success triumph champion master "
    "ace pro max plus ultra mega super hyper micro macro mini nano omni multi poly uni tri duo "
    "one best top great grand big little value quality reliable honest fair friendly family "
    "meridian equator canyon coast coastal marina port gateway link connect net web online "
    "cyber techno info logic intelligent genius wise sage oracle crest ridge acme allied "
    "american british french german indian chinese asian euro trans inter "
    "luz nueva nuevo gran grande san santa aguila leon sonne stern adler neue neu nord sud est "
    "ouest soleil etoile nouvelle jaya indah makmur sejahtera abadi utama mandiri perkasa "
    "sinar cahaya bintang mulia sentosa baru sakura fuji asahi dai shin hoa phu thanh tan anh "
    "minh hung thai"
)

# Common surnames in many countries: unrelated family firms share them ("Yilmaz Tekstil",
# "Yilmaz Gıda"), so at group level they too need a companion word.
_SURNAMES = _words(
    "smith johnson williams brown jones miller davis wilson anderson taylor thomas moore "
    "martin jackson thompson white harris clark lewis robinson walker young allen wright "
    "scott hill adams baker nelson carter mitchell roberts turner phillips campbell parker "
    "evans edwards collins stewart morris murphy cook rogers morgan cooper peterson reed "
    "bailey bell kelly howard ward cox richardson wood watson brooks bennett gray james "
    "hughes price sanders myers long ross foster "
    "muller mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann "
    "hofmann koch richter klein wolf schroder neumann schwarz zimmermann braun kruger "
    "hartmann lange werner krause lehmann "
    "garcia rodriguez martinez lopez gonzalez hernandez perez sanchez ramirez torres flores "
    "rivera gomez diaz cruz morales reyes gutierrez ortiz jimenez ruiz alvarez castillo "
    "romero vargas silva santos oliveira souza pereira costa ferreira almeida carvalho gomes "
    "martins araujo ribeiro barbosa rocha rossi russo ferrari esposito bianchi romano colombo "
    "ricci marino greco bruno gallo conti bernard dubois durand leroy moreau laurent lefebvre "
    "michel roux fournier girard "
    "yilmaz kaya demir sahin celik yildiz yildirim ozturk aydin ozdemir arslan dogan kilic "
    "aslan cetin kara koc kurt ozkan simsek "
    "ivanov smirnov kuznetsov popov vasiliev petrov sokolov mikhailov novikov fedorov "
    "morozov volkov alekseev lebedev semenov egorov pavlov kozlov stepanov nikolaev orlov "
    "melnyk shevchenko kovalenko bondarenko tkachenko kravchenko ivanenko boyko "
    "nowak novak kowalski wisniewski wojcik kowalczyk kaminski lewandowski zielinski "
    "svoboda novotny dvorak "
    "kumar singh sharma patel shah gupta verma yadav reddy das jain mehta agarwal iyer nair "
    "rao joshi mishra chopra kapoor rahman hossain hussain islam ahmed khan uddin chowdhury "
    "akter miah alam haque hasan ali mohamed mohammed hassan hussein ibrahim mahmoud abdullah "
    "wang zhang liu chen yang huang zhao zhou sun zhu guo lin luo zheng liang kim lee park "
    "choi jung kang cho yoon jang lim sato suzuki takahashi tanaka watanabe ito yamamoto "
    "nakamura kobayashi kato yoshida yamada sasaki yamaguchi matsumoto inoue kimura hayashi "
    "shimizu nguyen tran pham hoang huynh phan dang bui duong "
    "okafor okonkwo adeyemi mensah owusu boateng mwangi otieno kamau banda phiri moyo "
    "ndlovu dlamini papadopoulos pappas georgiou nikolaou jansen bakker visser smit meijer "
    "hansen johansen olsen larsen andersen nielsen pedersen johansson karlsson nilsson "
    "eriksson larsson"
)

_REGIONS: dict[str, str] = {
    phrase: "region"
    for phrase in (
        "europe european europa euro asia asian asie asien africa african afrique afrika "
        "americas latam emea apac mena nordic nordics scandinavia scandinavian benelux iberia "
        "iberica iberian gulf oceania australasia eurasia cis balkan balkans baltic baltics "
        "caribbean pacific atlantic mediterranean levant maghreb"
    ).split()
}
_REGIONS.update(
    {
        phrase: "region"
        for phrase in (
            "asia pacific",
            "middle east",
            "far east",
            "north america",
            "south america",
            "latin america",
            "central america",
            "east africa",
            "west africa",
            "southern africa",
            "south east asia",
            "southeast asia",
            "central asia",
            "east asia",
            "south asia",
            "eastern europe",
            "western europe",
            "central europe",
            "northern europe",
        )
    }
)

# Adjectives and short forms that rigour's territory names lack.
_EXTRA_PLACES: dict[str, str] = {
    **dict.fromkeys("us usa u s america american americana americano".split(), "us"),
    **dict.fromkeys("uk u k gb britain british britannia".split(), "gb"),
    **dict.fromkeys("uae emirates".split(), "ae"),
    **dict.fromkeys("mexicana mexicano mexicanos mexique".split(), "mx"),
    **dict.fromkeys("argentina argentino argentinos".split(), "ar"),
    **dict.fromkeys("brasil brasileira brasileiro brazilian".split(), "br"),
    **dict.fromkeys("chilena chileno".split(), "cl"),
    **dict.fromkeys("peruana peruano".split(), "pe"),
    **dict.fromkeys("colombiana colombiano".split(), "co"),
    **dict.fromkeys("espanola espanol espana hispania".split(), "es"),
    **dict.fromkeys("francaise francais".split(), "fr"),
    **dict.fromkeys("deutsche deutscher deutsches deutschen deutschland".split(), "de"),
    **dict.fromkeys("italiana italiano italia".split(), "it"),
    **dict.fromkeys("japan japanese nippon nihon".split(), "jp"),
    **dict.fromkeys("polska polski polskie".split(), "pl"),
    **dict.fromkeys("rus russkiy rossiya rossiia rossii".split(), "ru"),
    **dict.fromkeys("turk turkiye turkish turkey".split(), "tr"),
    **dict.fromkeys("hellas hellenic ellas ellados".split(), "gr"),
    **dict.fromkeys("nederland nederlandse holland dutch".split(), "nl"),
    **dict.fromkeys("belgique belgie".split(), "be"),
    **dict.fromkeys("schweiz suisse svizzera swiss".split(), "ch"),
    **dict.fromkeys("osterreich austria".split(), "at"),
    **dict.fromkeys("bangla banladesa bangladesh".split(), "bd"),
    **dict.fromkeys("bharat hindustan".split(), "in"),
    **dict.fromkeys("canadian canadienne".split(), "ca"),
    **dict.fromkeys("zhongguo zhonghua chinese".split(), "cn"),
    **dict.fromkeys("korean hanguk".split(), "kr"),
    **dict.fromkeys("viet nam vietnam".split(), "vn"),
    **dict.fromkeys("misr masr msr".split(), "eg"),
    **dict.fromkeys("saudi".split(), "sa"),
    **dict.fromkeys("ukraina ukrayina".split(), "ua"),
    **dict.fromkeys("kazakhstan kazahstan".split(), "kz"),
    **dict.fromkeys("prc".split(), "cn"),
    **dict.fromkeys("drc".split(), "cd"),
}
# Territory names rigour lists that are also business words or common first names.
_NOT_PLACES = _words("global international union man gaz lines life")

_NUMBER_WORDS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "first": 1,
    "second": 2,
    "third": 3,
    "fourth": 4,
    "fifth": 5,
    "sixth": 6,
    "seventh": 7,
    "eighth": 8,
    "ninth": 9,
    "tenth": 10,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fourty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_ORDINAL = re.compile(r"^(\d+)(st|nd|rd|th)$")
_ROMAN = re.compile(r"^(x{0,3})(ix|iv|v?i{0,3})$")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10}
_BRACKETS = re.compile(r"[\(\[\{]([^\)\]\}]*)[\)\]\}]?")
_POSSESSIVE = re.compile(r"(?<=\w)['’`]s\b")
_NON_WORD = re.compile(r"\W")
_DOMAIN = re.compile(r"(?<=\w)\.(?:com|net|org|io)\b")  # "Amazon.com": the brand


_COMMON = _COMMON | _SURNAMES
_KNOWN_WORDS = _GENERIC | _COMMON | frozenset(_ABBREVIATIONS.values())


@cache
def _common_neighbourhood() -> frozenset[str]:
    """Common words of five letters or more, and each of them with one letter deleted."""
    variants: set[str] = set()
    for word in _COMMON:
        if len(word) >= 5:
            variants.add(word)
            variants.update(_deletions(word))
    return frozenset(variants)


@lru_cache(maxsize=1 << 16)
def _near_common(token: str) -> bool:
    """Whether a word is one edit from a common word ("Crwon", "Sumitt")."""
    if len(token) < 5:
        return False
    neighbourhood = _common_neighbourhood()
    return (
        token in neighbourhood
        or any(variant in _COMMON for variant in _deletions(token))
        or (any(variant in neighbourhood for variant in _deletions(token)))
    )


@cache
def _places() -> dict[tuple[str, ...], str]:
    """Place phrases (token tuples) to territory codes, from rigour's territory data: names
    in many languages and scripts, capitals and other places, folded like names are."""
    places: dict[tuple[str, ...], str] = {}
    for line in territories_jsonl().splitlines():
        territory = json.loads(line)
        code = territory["code"].split("-")[0]
        forms = [territory["name"], territory.get("full_name", "")]
        forms += territory.get("names_strong", []) + territory.get("places", [])
        weak = set(territory.get("names_weak", []))
        for form in forms + sorted(weak):
            tokens = tuple(_fold_tokens(form.casefold()))
            if form in weak and len(tokens) == 1 and len(tokens[0]) < 5:
                continue  # the weak names hold odd short words ("Benn")
            if len(tokens) > 1:
                tokens = tuple(token for token in tokens if token not in _STOPWORDS)
            if not tokens or tokens[0] in _NOT_PLACES or len(tokens) > 4:
                continue
            if len(tokens) == 1 and len(tokens[0]) < 4:
                continue  # too easily an acronym; the short forms that matter are listed
            places.setdefault(tokens, code)
    for phrase, code in _EXTRA_PLACES.items():
        places[tuple(phrase.split())] = code
    for phrase, code in _REGIONS.items():
        places[tuple(phrase.split())] = code
    for word in _GENERIC | _COMMON:
        if (word,) in places and word not in _EXTRA_PLACES and word not in _REGIONS:
            del places[(word,)]
    return places


@cache
def _place_lengths() -> dict[str, int]:
    """For each first token of a place phrase, the longest phrase it starts."""
    lengths: dict[str, int] = {}
    for phrase in _places():
        lengths[phrase[0]] = max(lengths.get(phrase[0], 0), len(phrase))
    return lengths


_NOT_LATIN = re.compile(r"[^\u0000-\u024f\u1e00-\u1eff]")


def _is_latin(text: str) -> bool:
    """Whether every letter is Latin (accents and Vietnamese letters included)."""
    return text.isascii() or not any(char.isalpha() for char in _NOT_LATIN.findall(text))


# Normalisation ---------------------------------------------------------------------------


@lru_cache(maxsize=1 << 18)
def normalize(name: str) -> Normal:
    """Prepare a name for matching: legal forms out (with their classes), the rest folded to
    Latin ASCII, tokenised, numbers read, and each token given a kind."""
    text = unicodedata.normalize("NFKC", name).casefold()
    text = _DOMAIN.sub(" ", _POSSESSIVE.sub("", text))
    text = text.replace("&", " and ").replace("%", " percent ").replace("+", " and ")
    legal_forms: list[str] = []
    legal_classes: set[str] = set()
    found = extract_org_types(text)
    if found:
        generic = dict(extract_org_types(text, generic=True))
        for matched, form in found:
            if len(_NON_WORD.sub("", matched)) <= 3:
                continue  # short forms are also initials and numerals: the token table decides
            legal_forms.append(form)
            kind = generic.get(matched, "")
            if kind:
                legal_classes.add(kind)
            text = re.sub(r"(?<!\w)" + re.escape(matched) + r"(?!\w)", " ", text, count=1)
    segments: list[tuple[str, bool]] = []
    position = 0
    for bracket in _BRACKETS.finditer(text):
        segments.append((text[position : bracket.start()], False))
        segments.append((bracket.group(1), True))
        position = bracket.end()
    segments.append((text[position:], False))
    raw: list[tuple[str, bool]] = []
    for segment, inside in segments:
        raw.extend((token, inside) for token in _fold_tokens(segment))
    raw = _merge_initials(raw)
    raw = _strip_legal(raw, legal_forms, legal_classes)
    raw = [(_ABBREVIATIONS.get(token, token), inside) for token, inside in raw]
    raw = _merge_initials(_drop_stopwords(raw))
    raw = _read_numbers(raw)
    tokens, kinds, codes, qualified = _classify(raw)
    folded = " ".join(_fold_tokens(name.casefold()))
    squashed = "".join(tokens).replace(" ", "")
    # A word in brackets qualifies the name more than it names ("Deutsche Bank (Schweiz)").
    weights = tuple(
        min(_WEIGHTS[kind], _WEIGHTS[REGION]) if inside else _WEIGHTS[kind]
        for kind, inside in zip(kinds, qualified, strict=True)
    )
    return Normal(
        original=name,
        folded=folded,
        tokens=tokens,
        kinds=kinds,
        codes=codes,
        qualified=qualified,
        legal_forms=tuple(legal_forms),
        legal_classes=tuple(sorted(legal_classes)),
        numbers=tuple(sorted(t for t, k in zip(tokens, kinds, strict=True) if k == NUMBER)),
        places=tuple(sorted({code for code in codes if code and code != "region"})),
        latin=_is_latin(name),
        weights=weights,
        weight=sum(weights),
        squashed=squashed,
        compact=folded.replace(" ", ""),
        singulars=tuple(_singular(token) for token in tokens),
    )


def _strip_legal(
    raw: list[tuple[str, bool]], forms: list[str], classes: set[str]
) -> list[tuple[str, bool]]:
    tokens = [token for token, _ in raw]
    keep = [True] * len(raw)
    i = 0
    while i < len(tokens):
        for size in range(min(_LEGAL_MAX, len(tokens) - i), 0, -1):
            key = tuple(tokens[i : i + size])
            found = _LEGAL_TABLE.get(key)
            if found is None:
                continue
            if size == 1 and key[0] in _LEGAL_EDGE_ONLY:
                at_edge = i == 0 or i == len(tokens) - 1
                beside_legal = (i > 0 and not keep[i - 1]) or (
                    i + 1 < len(tokens)
                    and ((tokens[i + 1],) in _LEGAL_TABLE or tokens[i + 1] in _DESIGNATORS)
                )
                if not (at_edge or beside_legal) or len(tokens) == 1:
                    continue
            form, kind = found
            forms.append(form)
            if kind:
                classes.add(kind)
            for j in range(i, i + size):
                keep[j] = False
            i += size - 1
            break
        else:
            if tokens[i] in _DESIGNATORS and len(tokens) > 1:
                keep[i] = False
        i += 1
    kept = [item for item, flag in zip(raw, keep, strict=True) if flag]
    return kept if kept else raw


def _drop_stopwords(raw: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    result = []
    for index, (token, inside) in enumerate(raw):
        if token in _STOPWORDS and len(raw) > 1:
            continue
        if token in _SINGLE_LETTER_STOPWORDS and 0 < index < len(raw) - 1:
            before, after = raw[index - 1][0], raw[index + 1][0]
            if len(before) > 1 and len(after) > 1:
                continue
        result.append((token, inside))
    return result


def _merge_initials(raw: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    result: list[tuple[str, bool]] = []
    run: list[str] = []
    for token, inside in [*raw, ("", False)]:
        if len(token) == 1 and token.isalpha():
            run.append(token)
            continue
        if run:
            result.append(("".join(run), inside))
            run = []
        if token:
            result.append((token, inside))
    return result


def _read_numbers(raw: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """Number words, ordinals and roman numerals (after the first word) become digits;
    "forty four" and "forty 4" become 44."""
    result: list[tuple[str, bool]] = []
    after_tens = False
    for index, (token, inside) in enumerate(raw):
        value: int | None = None
        ordinal = _ORDINAL.match(token)
        if ordinal:
            value = int(ordinal.group(1))
        elif token in _NUMBER_WORDS:
            value = _NUMBER_WORDS[token]
        elif token in _TENS:
            value = _TENS[token]
        elif index > 0 and token and len(token) <= 4 and _ROMAN.match(token):
            value = _roman(token)
        elif after_tens and token.isdigit() and len(token) == 1:
            value = int(token)
        if value is None:
            result.append((token, inside))
        elif after_tens and 0 < value < 10:
            result[-1] = (str(int(result[-1][0]) + value), inside)
        else:
            result.append((str(value), inside))
        after_tens = token in _TENS
    return result


def _roman(token: str) -> int:
    total = 0
    previous = 0
    for char in reversed(token):
        value = _ROMAN_VALUES[char]
        total = total - value if value < previous else total + value
        previous = max(previous, value)
    return total


@lru_cache(maxsize=1 << 16)
def _singular(token: str) -> str:
    if len(token) > 4 and token.endswith("ies"):
        return token[:-3] + "y"
    if len(token) > 3 and token.endswith("s") and not token.endswith("ss"):
        return token[:-1]
    return token


def _classify(
    raw: list[tuple[str, bool]],
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[bool, ...]]:
    places = _places()
    lengths = _place_lengths()
    tokens: list[str] = []
    kinds: list[str] = []
    codes: list[str] = []
    qualified: list[bool] = []
    words = [token for token, _ in raw]
    i = 0
    while i < len(raw):
        token, inside = raw[i]
        if not token.isalpha() and any(char.isdigit() for char in token):
            tokens.append(token)
            kinds.append(NUMBER)
            codes.append("")
            qualified.append(inside)
            i += 1
            continue
        longest = lengths.get(token, 0)
        matched = 0
        for size in range(min(longest, len(raw) - i), 0, -1):
            code = places.get(tuple(words[i : i + size]))
            if code is not None:
                matched = size
                tokens.append(" ".join(words[i : i + size]))
                kinds.append(REGION if code == "region" else PLACE)
                codes.append(code)
                qualified.append(inside)
                break
        if matched:
            i += matched
            continue
        tokens.append(token)
        codes.append("")
        qualified.append(inside)
        if token in _GENERIC or _singular(token) in _GENERIC:
            kinds.append(GENERIC)
        elif token in _COMMON or _singular(token) in _COMMON:
            kinds.append(COMMON)
        else:
            kinds.append(NAME)
        i += 1
    return tuple(tokens), tuple(kinds), tuple(codes), tuple(qualified)


# Entity level ----------------------------------------------------------------------------


def _typo_similarity(a: str, b: str) -> float:
    """How alike two different words are as spellings of one word: 0.9 one edit apart (four
    letters or more), 0.85 two apart (nine or more); never two different known words."""
    shortest = min(len(a), len(b))
    if shortest < 4 or abs(len(a) - len(b)) > 2:
        return 0.0
    if a in _KNOWN_WORDS and b in _KNOWN_WORDS:
        # Two different known words are not a typo, but two forms of one may be
        # ("Agriculture", "Agricultural"): a long shared stem, a short ending each.
        stem = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), shortest)
        return 0.9 if stem >= 7 and max(len(a), len(b)) - stem <= 3 else 0.0
    distance = OSA.distance(a, b, score_cutoff=2)
    if distance <= 1:
        return 0.9
    if distance == 2 and shortest >= 9:
        return 0.85
    return 0.0


@dataclass(frozen=True, slots=True)
class _Alignment:
    score: float  # weighted Dice coefficient of the aligned tokens
    fuzzy: bool  # some aligned tokens are spelt differently
    reordered: bool  # distinctive words stand in another order


def _aligned_score(a: Normal, b: Normal) -> _Alignment:
    """Align the tokens one to one, best pairs first: equal words (or places with the same
    code) first, then the remaining words by how alike they are."""
    if not a.tokens or not b.tokens:
        return _Alignment(1.0 if a.tokens == b.tokens else 0.0, False, False)
    aligned: list[tuple[int, int, float]] = []
    free_a = list(range(len(a.tokens)))
    free_b = list(range(len(b.tokens)))
    for i in range(len(a.tokens)):
        token, code = a.tokens[i], a.codes[i]
        for j in free_b:
            if b.tokens[j] == token or (code and b.codes[j] == code):
                aligned.append((i, j, 1.0))
                free_a.remove(i)
                free_b.remove(j)
                break
    if free_a and free_b:
        pairs: list[tuple[float, int, int]] = []
        for i in free_a:
            kind_a, code_a, singular_a = a.kinds[i], a.codes[i], a.singulars[i]
            for j in free_b:
                if kind_a == NUMBER or b.kinds[j] == NUMBER or (code_a and b.codes[j]):
                    continue  # numbers only equal; two different places are different
                if singular_a == b.singulars[j]:
                    pairs.append((0.95, i, j))
                else:
                    similarity = _typo_similarity(a.tokens[i], b.tokens[j])
                    if similarity:
                        pairs.append((similarity, i, j))
        pairs.sort(key=lambda pair: (-pair[0], pair[1], pair[2]))
        for similarity, i, j in pairs:
            if i in free_a and j in free_b:
                aligned.append((i, j, similarity))
                free_a.remove(i)
                free_b.remove(j)
    matched = sum(similarity * (a.weights[i] + b.weights[j]) for i, j, similarity in aligned)
    fuzzy = any(similarity < 1.0 for _, _, similarity in aligned)
    distinctive = sorted(
        (i, j)
        for i, j, _ in aligned
        if a.kinds[i] in (NAME, COMMON) and b.kinds[j] in (NAME, COMMON)
    )
    reordered = any(later[1] < earlier[1] for earlier, later in pairwise(distinctive))
    return _Alignment(matched / (a.weight + b.weight), fuzzy, reordered)


def _acronym(short: Normal, long: Normal) -> bool:
    if len(short.tokens) > 3 or len(long.tokens) < 2 or len(short.squashed) > 40:
        return False
    names = [t for t, k in zip(short.tokens, short.kinds, strict=True) if k not in (PLACE, REGION)]
    if len(names) != 1 or not names[0].isalpha() or not 2 <= len(names[0]) <= 6:
        return False
    words = [t for t, k in zip(long.tokens, long.kinds, strict=True) if k not in (PLACE, REGION)]
    if len(words) < 2 or any(" " in word or not word.isalpha() for word in words):
        return False
    return "".join(word[0] for word in words) == names[0]


def _entity_similarity(
    a: Normal, b: Normal, country1: str | None, country2: str | None
) -> tuple[float, tuple[str, ...]]:
    threshold = THRESHOLDS["entity"]
    reasons: list[str] = []
    if not a.tokens and not b.tokens:
        score = 1.0 if a.compact == b.compact else 0.0
        reasons.append("same name" if score else "different names")
    else:
        alignment = _aligned_score(a, b)
        score = alignment.score
        if score == 1.0:
            reasons.append("same name")
        elif alignment.fuzzy and score >= threshold:
            reasons.append("spelling differs")
        # Words split or joined differently: compare without spaces ("Good Will",
        # "SiemensAG"), and allow one typo there when the names are long enough.
        if score < 1.0:
            for squashed_a, squashed_b in ((a.squashed, b.squashed), (a.compact, b.compact)):
                if squashed_a and squashed_a == squashed_b:
                    score = 1.0
                    reasons.append("spacing differs")
                    break
                if (
                    score < 0.9
                    and len(a.tokens) != len(b.tokens)
                    and min(len(a.squashed), len(b.squashed)) >= 5
                    and min(len(squashed_a), len(squashed_b)) >= 8
                    and OSA.distance(squashed_a, squashed_b, score_cutoff=1) <= 1
                ):
                    score = 0.9
                    reasons.append("spelling differs")
        if score < 0.9 and (_acronym(a, b) or _acronym(b, a)):
            score = 0.9
            reasons.append("acronym")
        if alignment.reordered and score >= threshold:
            score *= _PENALTY_ORDER
            reasons.append("word order differs")
        if score < threshold and reasons[-1:] != ["word order differs"]:
            reasons.append("different words")
        elif score < 1.0 and not {"spelling differs", "acronym", "spacing differs"} & set(reasons):
            reasons.append("extra words")
    if a.numbers != b.numbers:
        score *= _PENALTY_NUMBERS
        reasons.append("numbers differ")
    if a.places and b.places and not set(a.places) & set(b.places):
        score *= _PENALTY_PLACES
        reasons.append("places differ")
    if a.legal_classes and b.legal_classes and not set(a.legal_classes) & set(b.legal_classes):
        score *= _PENALTY_LEGAL
        reasons.append("legal form differs")
    if country1 and country2 and country1.strip().casefold() != country2.strip().casefold():
        score *= _PENALTY_COUNTRY
        reasons.append("countries differ")
    return score, tuple(reasons)


# Group level -----------------------------------------------------------------------------

_SKIPPED_IN_STEM = frozenset({GENERIC, PLACE, REGION, NUMBER})
# Business words that can open a brand ("Global Falcon"), unlike "Grupo" or "Textil".
_BRAND_PREFIXES = _words("global international worldwide universal world")


def _stem(normal: Normal, ambiguous: Callable[[str], bool] | None = None) -> tuple[str, ...]:
    """The brand that stands for a group: the first distinctive word, with the next word
    when the first is ambiguous; the first words of the name when nothing is distinctive."""
    tokens, kinds = normal.tokens, normal.kinds
    for index, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        if kind in _SKIPPED_IN_STEM:
            continue
        if (
            kind == NAME
            and len(token) > 2
            and not _near_common(token)
            and not (ambiguous and ambiguous(token))
        ):
            return (token,)
        if index > 0 and (kinds[index - 1] == REGION or tokens[index - 1] in _BRAND_PREFIXES):
            return (tokens[index - 1], token)  # "Pacific Premier", "Global Falcon"
        for following, following_kind in zip(tokens[index + 1 :], kinds[index + 1 :], strict=True):
            if following_kind not in (PLACE, NUMBER) and following not in _STRUCTURAL:
                return (token, following)
        return (token,)
    for token, kind in zip(tokens, kinds, strict=True):
        if kind == NUMBER and not token.isdigit() and len(token) > 1:
            return (token,)  # "3M", "7eleven"
    plain = [token for token, inside in zip(tokens, normal.qualified, strict=True) if not inside]
    return tuple((plain or list(tokens))[:2])


_SKELETON_DIGRAPHS = (
    ("dzh", "j"),
    ("dsh", "j"),
    ("tch", "ch"),
    ("sch", "sh"),
    ("dj", "j"),
    ("dg", "j"),
    ("tz", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("sh", "s"),
    ("ch", "s"),
    ("ts", "s"),
    ("ck", "k"),
    ("qu", "k"),
    ("x", "ks"),
)
_SKELETON_CLASSES = str.maketrans(
    {
        **dict.fromkeys("bp", "B"),
        **dict.fromkeys("fv", "F"),
        **dict.fromkeys("kcqgj", "K"),
        **dict.fromkeys("td", "T"),
        **dict.fromkeys("sz", "S"),
        "m": "M",
        "n": "N",
        "l": "L",
        "r": "R",
        **dict.fromkeys("aeiouy", "."),
        **dict.fromkeys("wh", ""),
    }
)


@lru_cache(maxsize=1 << 16)
def _skeleton(text: str) -> str:
    """Consonant classes of a word, vowels dropped: what survives transliteration into and
    back out of Cyrillic, Greek, Arabic or Bengali ("bridgestone", "bridzhstoun",
    "brydjstwn" all give BRKSTN)."""
    text = "".join(char for char in text if char.isalpha())
    for digraph, replacement in _SKELETON_DIGRAPHS:
        text = text.replace(digraph, replacement)
    # Vowels become separators, so "toyota" keeps both its t's and "hoffmann" one f.
    text = text.translate(_SKELETON_CLASSES)
    return "".join(
        char
        for index, char in enumerate(text)
        if char != "." and (index == 0 or char != text[index - 1])
    )


def _typo_distance_allowed(a: str, b: str) -> int:
    shortest = min(len(a), len(b))
    if shortest >= 9:
        return 2
    if shortest >= 5:
        return 1
    return 0


def _stems_similarity(
    a: Normal, b: Normal, stem_a: tuple[str, ...], stem_b: tuple[str, ...]
) -> tuple[float, tuple[str, ...]]:
    if not stem_a or not stem_b:
        same = a.compact == b.compact
        return (1.0, ("same name",)) if same else (0.0, ("no name",))
    if stem_a == stem_b:
        return 1.0, ("same stem",)
    key_a, key_b = "".join(stem_a).replace(" ", ""), "".join(stem_b).replace(" ", "")
    if key_a == key_b or _joined(a) == key_b or _joined(b) == key_a:
        return 0.95, ("same stem", "spacing differs")
    allowed = _typo_distance_allowed(key_a, key_b)
    if (
        allowed
        and len(stem_a) == len(stem_b)
        and not any(char.isdigit() for char in key_a + key_b)
        and not (stem_a[0] != stem_b[0] and stem_a[0] in _KNOWN_WORDS and stem_b[0] in _KNOWN_WORDS)
        and OSA.distance(key_a, key_b, score_cutoff=allowed) <= allowed
    ):
        return 0.85, ("similar stem",)
    if a.latin != b.latin:
        other, other_stem, latin_key = (a, stem_a, key_b) if b.latin else (b, stem_b, key_a)
        if any(_transliterated(key, latin_key) for key, _ in _script_keys(other, other_stem)):
            return 0.85, ("transliterated stem",)
    if stem_a[0] == stem_b[0]:
        return 0.5, ("only a common word shared",)
    similarity = JaroWinkler.similarity(key_a, key_b)
    return round(0.6 * similarity, 4), ("different stem",)


def _joined(normal: Normal) -> str:
    """The first two distinctive words written as one ("Vel Tora", "Vel-Tora": "veltora"),
    or nothing."""
    for index in range(len(normal.tokens) - 1):
        if normal.kinds[index] in _SKIPPED_IN_STEM:
            continue
        if normal.kinds[index + 1] in (NAME, COMMON):
            return normal.tokens[index] + normal.tokens[index + 1]
        break
    return ""


def _script_keys(normal: Normal, stem: tuple[str, ...]) -> list[tuple[str, int]]:
    """Keys, with their number of words, under which a name written in another script can
    meet its Latin form: its stem, its first two words, and its second word alone (a
    transliterated common or business word is not recognised as one)."""
    keys = [("".join(stem).replace(" ", ""), len(stem))]
    words = [
        token
        for token, kind, inside in zip(normal.tokens, normal.kinds, normal.qualified, strict=True)
        if kind not in (PLACE, NUMBER) and not inside
    ]
    if len(words) >= 2:
        keys.append(((words[0] + words[1]).replace(" ", ""), 2))
        keys.append((words[1].replace(" ", ""), 1))
    return keys


def _transliterated(key_a: str, key_b: str) -> bool:
    """Whether two stems, one of them transliterated from another script, agree: consonant
    skeletons equal, or one consonant apart when long; and the letters are alike enough."""
    skeleton_a, skeleton_b = _skeleton(key_a), _skeleton(key_b)
    shortest = min(len(skeleton_a), len(skeleton_b))
    if shortest < 2:
        return False
    if skeleton_a != skeleton_b and (
        shortest < 4 or OSA.distance(skeleton_a, skeleton_b, score_cutoff=1) > 1
    ):
        return False
    if skeleton_a == skeleton_b and shortest >= 4:
        return True
    return JaroWinkler.similarity(key_a, key_b) >= (0.6 if shortest >= 4 else 0.75)


# Public API -------------------------------------------------------------------------------


def compare(
    name1: str,
    name2: str,
    *,
    level: Level,
    country1: str | None = None,
    country2: str | None = None,
) -> Comparison:
    """How likely two names stand for the same legal entity (`level="entity"`) or belong to
    the same corporate group (`level="group"`). Symmetric; a name compared with itself
    scores 1."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if (name2, country2 or "") < (name1, country1 or ""):
        name1, name2, country1, country2 = name2, name1, country2, country1
    a, b = normalize(name1), normalize(name2)
    if level == "entity":
        score, reasons = _entity_similarity(a, b, country1, country2)
    else:
        score, reasons = _stems_similarity(a, b, _stem(a), _stem(b))
    score = round(min(1.0, max(0.0, score)), 4)
    return Comparison(score=score, match=score >= THRESHOLDS[level], reasons=reasons)


def cluster(records: Iterable[tuple[str, str, str | None]], *, level: Level) -> dict[str, str]:
    """Map each record id to its cluster's id (the smallest id in it), joining records
    whose names match at `level`, transitively. Records are (id, name, country)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    items = [(str(id_), name, country or None) for id_, name, country in records]
    # Millions of short-lived tuples: the cyclic garbage collector would walk the whole
    # heap again and again while none of them can form a cycle.
    collecting = gc.isenabled()
    gc.disable()
    try:
        groups = _cluster_entities(items) if level == "entity" else _cluster_groups(items)
        return _label(items, groups)
    finally:
        if collecting:
            gc.enable()


class _UnionFind:
    def __init__(self, size: int) -> None:
        self.parent = list(range(size))

    def find(self, item: int) -> int:
        parent = self.parent
        root = item
        while parent[root] != root:
            root = parent[root]
        while parent[item] != root:
            parent[item], item = root, parent[item]
        return root

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self.parent[max(root_a, root_b)] = min(root_a, root_b)


def _label(items: Sequence[tuple[str, str, str | None]], roots: Sequence[int]) -> dict[str, str]:
    smallest: dict[int, str] = {}
    for (id_, _, _), root in zip(items, roots, strict=True):
        if root not in smallest or id_ < smallest[root]:
            smallest[root] = id_
    return {id_: smallest[root] for (id_, _, _), root in zip(items, roots, strict=True)}


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _neighbourhood(word: str) -> set[str]:
    """The word with up to as many letters deleted as a typo may change in it (one from
    four letters, two from nine): two words a typo apart share one of these."""
    variants = {word} | _deletions(word)
    if len(word) >= 9:
        variants |= {shorter for variant in _deletions(word) for shorter in _deletions(variant)}
    return variants


def _one_edit_pairs(strings: Sequence[tuple[int, str]]) -> Iterable[tuple[int, int]]:
    """Pairs of (node, string) one edit apart, by halves: an edit leaves either the first
    half of the longer string's split or the second half unchanged."""
    prefixes: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    suffixes: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for node, text in strings:
        half = len(text) // 2
        prefixes[(len(text), text[:half])].append((node, text))
        suffixes[(len(text), text[half:])].append((node, text))
    for node, text in strings:
        length = len(text)
        for other_length in (length - 1, length, length + 1):
            half = other_length // 2
            found = prefixes.get((other_length, text[:half]), [])
            found = found + suffixes.get((other_length, text[length - (other_length - half) :]), [])
            for other, other_text in found:
                if other < node and OSA.distance(text, other_text, score_cutoff=1) <= 1:
                    yield other, node


# Entity clustering ----


_KIND_ORDER = {NAME: 0, COMMON: 0, NUMBER: 1, PLACE: 2, GENERIC: 3, REGION: 4}


def _cluster_entities(items: Sequence[tuple[str, str, str | None]]) -> list[int]:
    threshold = THRESHOLDS["entity"]
    node_of: dict[tuple[object, ...], int] = {}
    nodes: list[tuple[Normal, str | None]] = []
    record_nodes: list[int] = []
    for _, name, country in items:
        normal = normalize(name)
        country_key = country.strip().casefold() if country else None
        signature: tuple[object, ...] = (normal.tokens, normal.codes, normal.legal_classes)
        if not normal.tokens:
            signature = (normal.compact, normal.legal_classes)
        node = node_of.setdefault((*signature, country_key), len(nodes))
        if node == len(nodes):
            nodes.append((normal, country))
        record_nodes.append(node)

    union = _UnionFind(len(nodes))
    weights = [normal.weight for normal, _ in nodes]
    seen: set[int] = set()
    size = len(nodes)

    def check(first: int, second: int, *, size_filter: bool) -> None:
        low, high = (first, second) if first < second else (second, first)
        pair = low * size + high
        if low == high or pair in seen:
            return
        seen.add(pair)
        if size_filter:
            lighter, heavier = sorted((weights[low], weights[high]))
            if 2 * lighter < threshold * (lighter + heavier):
                return  # even a perfect overlap could not reach the threshold
        if union.find(low) == union.find(high):
            return
        (normal_a, country_a), (normal_b, country_b) = nodes[low], nodes[high]
        if _entity_similarity(normal_a, normal_b, country_a, country_b)[0] >= threshold:
            union.union(low, high)

    for first, second in _exact_token_candidates(nodes, threshold):
        check(first, second, size_filter=True)
    for members in _other_candidates(nodes):
        for position, first in enumerate(members):
            for second in members[position + 1 :]:
                check(first, second, size_filter=False)
    compact = [
        (node, normal.compact)
        for node, (normal, _) in enumerate(nodes)
        if len(normal.squashed) >= 5 and len(normal.compact) >= 8
    ]
    for first, second in _one_edit_pairs(compact):
        if len(nodes[first][0].tokens) != len(nodes[second][0].tokens):
            check(first, second, size_filter=False)
    for first, second in _typo_candidates(nodes):
        check(first, second, size_filter=False)
    return [union.find(node) for node in record_nodes]


def _items(normal: Normal) -> list[tuple[str, str]]:
    """Tokens as prefix filtering counts them: a place by its territory code (so "Türkiye"
    meets "Turkey"), a repeated word numbered."""
    items: list[tuple[str, str]] = []
    seen: Counter[str] = Counter()
    for token, kind, code in zip(normal.tokens, normal.kinds, normal.codes, strict=True):
        item = "@" + code if kind == PLACE and code else token
        seen[item] += 1
        items.append((item if seen[item] == 1 else f"{item}#{seen[item]}", kind))
    return items


def _exact_token_candidates(
    nodes: Sequence[tuple[Normal, str | None]], threshold: float
) -> Iterable[tuple[int, int]]:
    """Pairs that can reach the threshold on exact tokens, by two-level prefix filtering.

    Tokens are put in one global order (name words before numbers, places and business
    words; rarer first). A pair's overlap must be at least `threshold * W / (2 - threshold)`
    of each side's weight W, so the first token they share in that order lies in each side's
    prefix: the tokens before what is left weighs less than that. Within the block of that
    first shared token c, what else they share comes after c, so a side whose tokens after
    c weigh too little is left out of the block, and the others must share a token from the
    prefix of what follows c (unless c alone is enough for them)."""
    frequency: Counter[str] = Counter()
    ordered: list[list[tuple[tuple[int, int, str], str, float]]] = []
    for normal, _ in nodes:
        items = _items(normal)
        frequency.update(item for item, _ in items)
        ordered.append(
            [
                ((_KIND_ORDER[kind], 0, item), item, weight)
                for (item, kind), weight in zip(items, normal.weights, strict=True)
            ]
        )
    blocks: dict[str, list[tuple[int, int, float]]] = defaultdict(list)
    for node, entries in enumerate(ordered):
        entries = sorted(
            ((order[0], frequency[item], item), item, weight) for order, item, weight in entries
        )
        ordered[node] = entries
        total = sum(weight for _, _, weight in entries)
        needed = threshold * total / (2 - threshold)
        remaining = total
        for position, (_, item, weight) in enumerate(entries):
            if remaining < needed - 1e-9:
                break
            blocks[item].append((node, position, needed))
            remaining -= weight
    for members in blocks.values():
        if len(members) < 2:
            continue
        wildcards: list[int] = []
        everyone: list[int] = []
        sub_blocks: dict[str, list[int]] = defaultdict(list)
        for node, position, needed in members:
            entries = ordered[node]
            still = needed - entries[position][2]
            after = entries[position + 1 :]
            remaining = sum(weight for _, _, weight in after)
            if remaining < still - 1e-9:
                continue  # cannot reach the threshold with this as the first shared token
            everyone.append(node)
            if still <= 1e-9:
                wildcards.append(node)
                continue
            for _, item, weight in after:
                if remaining < still - 1e-9:
                    break
                sub_blocks[item].append(node)
                remaining -= weight
        for node in wildcards:
            for other in everyone:
                yield node, other
        for sub in sub_blocks.values():
            for index, first in enumerate(sub):
                for second in sub[index + 1 :]:
                    yield first, second


def _other_candidates(nodes: Sequence[tuple[Normal, str | None]]) -> Iterable[list[int]]:
    """Blocks of names equal once spaces are taken out: the tokens ("Good Will", "Goodwill")
    or the whole name with legal forms ("SiemensAG", "Siemens AG")."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for node, (normal, _) in enumerate(nodes):
        if normal.squashed:
            blocks["s:" + normal.squashed].append(node)
        blocks["c:" + normal.compact].append(node)
    return (members for members in blocks.values() if len(members) > 1)


def _typo_candidates(
    nodes: Sequence[tuple[Normal, str | None]],
) -> Iterable[tuple[int, int]]:
    """Pairs of names with words one or two typos apart (found through deletion
    neighbourhoods of the distinct words) that share another word, or have no other word."""
    holders: dict[str, list[int]] = defaultdict(list)
    solo: dict[str, set[int]] = defaultdict(set)
    index: dict[str, set[int]] = defaultdict(set)
    items_of: list[set[str]] = []
    for node, (normal, _) in enumerate(nodes):
        items = {item for item, _ in _items(normal)}
        items_of.append(items)
        for item in items:
            index[item].add(node)
        for token, kind in zip(normal.tokens, normal.kinds, strict=True):
            if kind not in (NUMBER, PLACE, REGION) and len(token) >= 4:
                holders[token].append(node)
                if len(items) == 1:
                    solo[token].add(node)
    neighbourhood: dict[str, list[str]] = defaultdict(list)
    for token in holders:
        for variant in _neighbourhood(token):
            neighbourhood[variant].append(token)
    for token in holders:
        partners: set[str] = set()
        for variant in _neighbourhood(token):
            partners.update(neighbourhood.get(variant, ()))
        for partner in partners:
            if partner <= token or not _typo_similarity(token, partner):
                continue
            fewer, more = sorted((token, partner), key=lambda t: (len(holders[t]), t))
            more_holders = set(holders[more])
            for node in holders[fewer]:
                others = items_of[node] - {fewer}
                if not others:
                    yield from ((node, other) for other in solo[more])
                    continue
                for item in others:
                    sharing = index[item]
                    if len(sharing) < len(more_holders):
                        yield from ((node, other) for other in sharing if other in more_holders)
                    else:
                        yield from ((node, other) for other in more_holders if other in sharing)


# Group clustering ----


# Words a group puts after its brand for its parent or its reach, not to name a business.
_STRUCTURAL = _words(
    "group groups holding holdings international global worldwide overseas enterprises grupo "
    "gruppe groupe gruppo"
)


@dataclass
class _StemStatistics:
    """What the collection shows about the words that come first in names."""

    anchored: Counter[str]  # names in which the word comes first
    followers: dict[str, Counter[str]]  # the word after it (None: nothing but places)
    name_followers: dict[str, set[str]]  # distinctive words after it
    leaders: dict[str, set[str]]  # distinctive words before it, where it comes second

    def ambiguous(self, token: str) -> bool:
        """A first word that does not name a group on its own: it stands before several
        distinctive words in most of its names ("Royal Veltora", "Royal Kastim"), or after
        several ("Golden Apex", "Blue Apex"), or it never stands alone but always with one of
        several companions ("Cobalt Denim", "Cobalt Footwear", never "Cobalt Ltd")."""
        anchored = self.anchored[token]
        names = self.name_followers.get(token, set())
        followers = self.followers.get(token, Counter())
        if len(names) >= 3 and 2 * sum(followers[name] for name in names) >= anchored:
            return True
        if len(self.leaders.get(token, ())) >= 3:
            return True
        if anchored < 4 or followers[""] * 10 > anchored:
            return False
        families: Counter[str] = Counter()
        for word, count in followers.items():
            if word:
                families[word[:5]] += count  # "Logistics", "Logistik": one companion
        return sum(1 for count in families.values() if count >= 2) >= 2


def _statistics(normals: Iterable[Normal]) -> _StemStatistics:
    anchored: Counter[str] = Counter()
    followers: dict[str, Counter[str]] = defaultdict(Counter)
    name_followers: dict[str, set[str]] = defaultdict(set)
    leaders: dict[str, set[str]] = defaultdict(set)
    for normal in normals:
        words = [
            (token, kind)
            for token, kind in zip(normal.tokens, normal.kinds, strict=True)
            if kind not in (PLACE, REGION, NUMBER)
        ]
        for index, (token, kind) in enumerate(words):
            if kind == GENERIC:
                continue
            anchored[token] += 1
            rest = [(t, k) for t, k in words[index + 1 :] if t not in _STRUCTURAL]
            follower, follower_kind = rest[0] if rest else ("", "")
            followers[token][follower] += 1
            if follower_kind in (NAME, COMMON):
                name_followers[token].add(follower)
                leaders[follower].add(token)
            break
    return _StemStatistics(anchored, followers, name_followers, leaders)


def _cluster_groups(items: Sequence[tuple[str, str, str | None]]) -> list[int]:
    distinct = list(dict.fromkeys(name for _, name, _ in items))
    normals = {name: normalize(name) for name in distinct}
    statistics = _statistics(normals.values())
    ambiguous_cache: dict[str, bool] = {}

    def ambiguous(token: str) -> bool:
        if token not in ambiguous_cache:
            ambiguous_cache[token] = statistics.ambiguous(token)
        return ambiguous_cache[token]

    key_of_name: dict[str, str] = {}
    stems: dict[str, tuple[str, ...]] = {}
    for name, normal in normals.items():
        stem = _stem(normal, ambiguous)
        key = "".join(stem).replace(" ", "") if stem else "\x00" + normal.folded
        key_of_name[name] = key
        stems.setdefault(key, stem)

    # Spacing: "Vel Tora" joins the stem "veltora" when another name has it (the name moves;
    # its own first word "vel" is not joined to anything through it).
    for name, normal in normals.items():
        joined = _joined(normal)
        if joined and joined != key_of_name[name] and joined in stems:
            key_of_name[name] = joined

    # Another script: a name written in Cyrillic, Greek, Arabic or Bengali joins the Latin
    # stem whose consonant skeleton its stem or first two words share (each name on its own:
    # two transliterated names with the same first word may belong to different groups).
    latin_counts: Counter[str] = Counter(
        key_of_name[name] for _, name, _ in items if normals[name].latin
    )
    by_skeleton: dict[str, set[str]] = defaultdict(set)
    for key in latin_counts:
        if not key.startswith("\x00"):
            skeleton = _skeleton(key)
            by_skeleton[skeleton].add(key)
            if len(skeleton) >= 4:
                for variant in _deletions(skeleton):
                    by_skeleton[variant].add(key)
    for name, normal in normals.items():
        if normal.latin or key_of_name[name].startswith("\x00"):
            continue
        best: tuple[int, float, int, str] | None = None
        for key, length in _script_keys(normal, stems[key_of_name[name]]):
            skeleton = _skeleton(key)
            variants = {skeleton} | (_deletions(skeleton) if len(skeleton) >= 4 else set())
            for variant in variants:
                for candidate in by_skeleton.get(variant, ()):
                    if _transliterated(key, candidate):
                        rank = (
                            len(stems[candidate]) == length,
                            JaroWinkler.similarity(key, candidate),
                            latin_counts[candidate],
                            candidate,
                        )
                        if best is None or rank > best:
                            best = (int(rank[0]), rank[1], rank[2], rank[3])
        if best is not None:
            key_of_name[name] = best[3]

    counts: Counter[str] = Counter(key_of_name[name] for _, name, _ in items)
    keys = list(counts)
    position = {key: i for i, key in enumerate(keys)}
    union = _UnionFind(len(keys))

    # One typo apart: deletion neighbourhoods of the distinct stems. A rare stem joins its
    # most frequent neighbour only, so it never bridges two established brands.
    neighbourhood: dict[str, list[int]] = defaultdict(list)
    for i, key in enumerate(keys):
        if len(key) >= 5 and not key.startswith("\x00"):
            for variant in _neighbourhood(key):
                neighbourhood[variant].append(i)
    for i, key in enumerate(keys):
        if len(key) < 5 or key.startswith("\x00"):
            continue
        candidates: set[int] = set()
        for variant in _neighbourhood(key):
            candidates.update(neighbourhood.get(variant, ()))
        closest: tuple[int, str] | None = None
        for j in candidates:
            other = keys[j]
            if (
                j != i
                and _typo_link(key, other, stems, counts[key], counts[other])
                and (closest is None or (counts[other], other) > closest)
            ):
                closest = (counts[other], other)
        if closest is not None:
            union.union(i, position[closest[1]])

    roots = {key: union.find(position[key]) for key in keys}
    return [roots[key_of_name[name]] for _, name, _ in items]


def _typo_link(
    key_a: str, key_b: str, stems: dict[str, tuple[str, ...]], count_a: int, count_b: int
) -> bool:
    """Whether stem `key_a` is a rare misspelling of the more frequent stem `key_b`."""
    stem_a, stem_b = stems[key_a], stems[key_b]
    if len(stem_a) != len(stem_b) or any(char.isdigit() for char in key_a + key_b):
        return False
    if stem_a[0] != stem_b[0] and stem_a[0] in _KNOWN_WORDS and stem_b[0] in _KNOWN_WORDS:
        return False
    allowed = _typo_distance_allowed(key_a, key_b)
    if not allowed or OSA.distance(key_a, key_b, score_cutoff=allowed) > allowed:
        return False
    return count_a <= count_b and (count_a <= 2 or count_a * 10 <= count_b)
