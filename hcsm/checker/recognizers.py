"""Presidio recognizers for what clinicians' posts contain and Presidio's defaults miss.

Each recognizer is a list of compiled patterns; a pattern may mark the identifying part with a
group named ``id`` (so "MRN 00482913" reports only the number). Patterns run on the normalised
text (see ``text.py``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import tldextract
from faker.providers.person.en_GB import Provider as GBNames
from faker.providers.person.en_US import Provider as USNames
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer

_TLD = tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)  # bundled list; no network


class OfflineEmailRecognizer(EmailRecognizer):
    """Presidio's email recognizer validates the domain with ``tldextract.extract``, whose
    default fetches the public suffix list from the internet on first use. This one uses the
    list bundled with tldextract instead."""

    def validate_result(self, pattern_text: str) -> bool:
        return _TLD(pattern_text).fqdn != ""


@dataclass(frozen=True)
class Rx:
    regex: re.Pattern[str]
    score: float


def rx(pattern: str, score: float, flags: int = re.IGNORECASE) -> Rx:
    return Rx(re.compile(pattern, flags), score)


class RegexRecognizer(EntityRecognizer):
    def __init__(self, entity: str, patterns: list[Rx], name: str) -> None:
        self.patterns = patterns
        super().__init__(supported_entities=[entity], name=name, supported_language="en")

    def load(self) -> None:  # nothing to load
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts: object) -> list:  # type: ignore[override]
        entity = self.supported_entities[0]
        results = []
        for pattern in self.patterns:
            for match in pattern.regex.finditer(text):
                group = "id" if "id" in pattern.regex.groupindex and match.group("id") else 0
                start, end = match.span(group)
                if end > start:
                    results.append(RecognizerResult(entity, start, end, pattern.score))
        return results


WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
NUMERIC_DATE = r"\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})"
WORD_DATE = (
    rf"{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?"
)
AGE_90 = r"(?:9\s?\d|1\s?[01]\s?\d)"
AGE_UNIT = (
    r"(?:\s*(?:-|\s)?\s*(?:y\s?/\s?o|y\.?\s?o\.?|yo|yrs?\.?(?:[- ]old)?|years?[- ](?:old|young)"
    r"|-?year-old|-?yr-old|-?yo)\b)"
)

MRN = RegexRecognizer(
    "MRN",
    [
        rx(
            r"\b(?:mrn|mr\s?#|medical\s+record(?:\s+(?:number|no\.?|#))?|chart\s*(?:number|no\.?|#))"
            r"\s*[:#]?\s*(?P<id>[a-z]{0,3}[\d][\d -]{3,14}\d)\b",
            0.95,
        ),
    ],
    "HcsmMrnRecognizer",
)
HEALTH_PLAN = RegexRecognizer(
    "HEALTH_PLAN",
    [
        rx(
            r"\b(?:member|subscriber|policy|insurance|medicaid|medicare|plan)\s*(?:id|#|number|no\.?)"
            r"\s*[:#]?\s*(?P<id>[a-z0-9][a-z0-9-]{5,19})\b",
            0.9,
        )
    ],
    "HcsmHealthPlanRecognizer",
)
ACCOUNT = RegexRecognizer(
    "ACCOUNT",
    [
        rx(
            r"\b(?:acct|account|rx|prescription|invoice|claim)\s*(?:#|number|no\.?)?\s*[:#]?\s*"
            r"(?P<id>(?:[a-z]{1,5}-?)?\d{5,12})\b",
            0.85,
        )
    ],
    "HcsmAccountRecognizer",
)
SSN = RegexRecognizer(
    "SSN",
    [
        rx(
            r"\b(?:ssn|social\s+security(?:\s+(?:number|no\.?|#))?)\s*[:#]?\s*"
            r"(?P<id>\d{3}[- ]?\d{2}[- ]?\d{4})\b",
            0.95,
        ),
        rx(r"(?<![\d-])\d{3}-\d{2}-\d{4}(?![\d-])", 0.6),
        rx(
            r"\b(?:ssn|social\s+security(?:\s+number)?)\s+(?:ending(?:\s+in)?|last\s+(?:4|four)"
            r"(?:\s+digits)?)\s*[:#]?\s*(?P<id>\d{4})\b",
            0.9,
        ),
    ],
    "HcsmSsnRecognizer",
)
PHONE = RegexRecognizer(
    "PHONE",
    [
        rx(r"(?<![\w-])(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}(?![\w-])", 0.7),
        rx(r"(?<!\w)(?:\d\s){9}\d(?!\w)", 0.6),
    ],
    "HcsmPhoneRecognizer",
)
AGE = RegexRecognizer(
    "AGE",
    [
        rx(rf"(?<![\d.,$])(?P<id>{AGE_90}{AGE_UNIT})", 0.9),
        rx(
            rf"\b(?:age[ds]?|aged|turn(?:ed|s|ing)|(?:she|he|they)(?:'s|\s+is|\s+are|\s+was)|is\s+now)\s*[:]?\s*(?P<id>{AGE_90})(?![\d.,%])",
            0.85,
        ),
        rx(rf"(?<![\d.,$])(?P<id>{AGE_90})\s*(?:today|years?\s+young)\b", 0.7),
        rx(rf"(?-i:[A-Z][a-z]+)\s*\((?P<id>{AGE_90})\)", 0.85),
    ],
    "HcsmAgeRecognizer",
)
ROOM = RegexRecognizer(
    "ROOM",
    [
        rx(
            r"\b(?:(?:icu|ccu|picu|nicu|trauma|er|ed)\s+)?(?:room|rm\.?|bed|bay|cubicle|stretcher|"
            r"suite)\s*#?\s*\d{1,4}[a-z]?\b(?:\s*(?:bed|-)\s*\d{1,2}[a-z]?\b)?",
            0.8,
        ),
        rx(r"\b(?:icu|ccu|picu|nicu)\s+\d{1,3}\b", 0.7),
        rx(r"(?<![\w-])\d{3}-[a-d]\b", 0.5),
    ],
    "HcsmRoomRecognizer",
)
HANDLE = RegexRecognizer(
    "HANDLE",
    [rx(r"(?<![\w.@])@[a-z0-9_](?:[a-z0-9_.]{0,28}[a-z0-9_])?\b", 0.6)],
    "HcsmHandleRecognizer",
)
NAME_PATTERNS = RegexRecognizer(
    "NAME",
    [
        # Name hashtags: #PrayForJake, #TeamSarah, #TylerStrong, #JusticeForAmy
        rx(r"#(?:prayfor|praying4|prayersfor|teamlove|team|justicefor|love4|for)[a-z]{2,}\b", 0.8),
        rx(r"#[a-z]{2,}(?:strong|fights|warrior|army|journey)\b", 0.75),
        # Honorific and a family name, in any case: "Mrs. Alvarez", "mrs garcia", "Mr. O'Brien"
        rx(
            r"\b(?:mr|mrs|ms|miss|mx|mister)\b\.?\s*(?P<id>[a-z][a-z'’-]+(?:\s+(?-i:[A-Z][a-z'’-]+))?)",
            0.85,
        ),
        # "my pt danny", "patient named Marcus Webb", "pt DW"
        rx(
            r"\b(?:my\s+)?(?:pt|patient)\s+(?:named\s+|called\s+)?"
            r"(?P<id>(?!(?:in|with|was|is|who|from|and|had|has|today|said|says|just|came|asked|"
            r"keeps|went|got|of|on|at|to|the|a|an|for|care|safety|portal|named|called|room|bed|"
            r"here|there|after|before|again|still|had|will|would|can|could|did|does|i|we|he|she|"
            r"they|it|s)\b)[a-z][a-z'’-]{1,20}(?:\s+(?-i:[A-Z][a-z'’-]+))?)\b",
            0.75,
        ),
        # Spaced-out names: "M a r i a   L o p e z"
        rx(
            r"(?<!\w)(?-i:[A-Z])(?:\s[a-zA-Z]){3,}(?:\s{2,}(?-i:[A-Z])(?:\s[a-zA-Z]){2,})?(?!\w)",
            0.7,
        ),
        # Initials of a patient: "Pt DW", "patient J.K."
        rx(r"\b(?:pt|patient)\s+(?P<id>(?-i:[A-Z]\.?[A-Z]\.?))(?!\w)", 0.7),
    ],
    "HcsmNameRecognizer",
)
DATE = RegexRecognizer(
    "DATE",
    [
        # Dates of birth and other dates tied to the person: always identifiers
        rx(
            rf"\b(?:dob|d\.o\.b\.|date\s+of\s+birth|born|birthday)\b\s*(?:of|on|is|was|:)?\s*"
            rf"(?P<id>{NUMERIC_DATE}|{WORD_DATE})",
            0.95,
        ),
        rx(rf"(?<![\d/.-])(?P<id>{NUMERIC_DATE})(?![\d/.-])", 0.6),
        rx(rf"\b(?P<id>{WORD_DATE})\b", 0.5),
        # Patient-tied days: "admitted Tuesday", "we lost Saturday night", "seen last friday"
        rx(
            rf"\b(?:admitted|discharged|seen|saw|came\s+in|lost|died|passed\s+away|delivered|"
            rf"coded|operated|transferred|presented)\b[^.!?\n]{{0,30}}?\b(?P<id>(?:last\s+|this\s+|on\s+)?"
            rf"(?:{WEEKDAY}(?:\s+(?:night|morning|evening|afternoon))?|yesterday|today|tonight|"
            rf"this\s+morning|last\s+night|{NUMERIC_DATE}|{WORD_DATE}))\b",
            0.75,
        ),
        # Time since an event in the patient's care: "3 weeks after her MVC"
        rx(
            r"\b(?P<id>\d+\s+(?:days?|weeks?|months?|years?)\s+(?:after|since|post)\s+"
            r"(?:her|his|their|the|my)\s+[a-z-]+)",
            0.6,
        ),
        rx(rf"\b(?P<id>(?:last|this\s+past)\s+{WEEKDAY}(?:\s+night)?)\b", 0.55),
    ],
    "HcsmDateRecognizer",
)

LOCATION_PATTERNS = RegexRecognizer(
    "LOCATION",
    [
        # Street addresses: "118 Willow Street", "42 Birch Lane"
        rx(
            r"\b\d{1,5}\s+(?-i:[A-Z][a-z]+)(?:\s+(?-i:[A-Z][a-z]+)){0,2}\s+(?:street|st|avenue|ave|"
            r"road|rd|lane|ln|drive|dr|boulevard|blvd|court|ct|way|place|pl|terrace|circle|pike)\b\.?",
            0.85,
        ),
        # Named streets, homes and neighbourhoods: "Maple Ave", "Pinecrest Manor"
        rx(
            r"(?-i:\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\s+(?:Street|Avenue|Ave|Road|Lane|Drive|Court|"
            r"Manor|Acres|Gardens|Village|Heights|Grove|Hospice|Terrace|Estates|Commons|Park|"
            r"Nursing\s+Home|Assisted\s+Living|Memory\s+Care)\b)",
            0.6,
        ),
        rx(r"\b(?:route|rte|highway|hwy|interstate)\s*-?\s*\d{1,3}\b|\bI-\d{1,3}\b", 0.6),
        rx(r"\bzip(?:\s*code)?\s*[:#]?\s*(?P<id>\d{5}(?:-\d{4})?)\b", 0.9),
    ],
    "HcsmLocationRecognizer",
)

# First names that are also ordinary words, months or titles: never a name on their own.
NOT_FIRST_NAMES = frozenset(
    [
        "will",
        "may",
        "june",
        "april",
        "august",
        "mark",
        "bill",
        "grace",
        "hope",
        "joy",
        "faith",
        "rose",
        "dawn",
        "art",
        "sunny",
        "summer",
        "page",
        "chase",
        "hunter",
        "major",
        "king",
        "prince",
        "jan",
        "don",
        "ray",
        "guy",
        "sky",
        "rich",
        "drew",
        "bud",
        "buck",
        "lane",
        "dale",
        "glen",
        "miles",
        "cliff",
        "rod",
        "pat",
        "sue",
        "ted",
        "gene",
        "van",
        "sandy",
        "rusty",
        "penny",
        "ruby",
        "amber",
        "crystal",
        "jade",
        "pearl",
        "iris",
        "holly",
        "ivy",
        "heather",
        "daisy",
        "lily",
        "violet",
        "olive",
        "ginger",
        "candy",
        "misty",
        "stormy",
        "autumn",
        "winter",
        "paris",
        "london",
        "brooklyn",
        "dallas",
        "austin",
        "jordan",
        "carter",
        "mason",
        "cooper",
        "taylor",
        "parker",
        "tucker",
        "porter",
        "baker",
        "cook",
        "hall",
        "bell",
        "young",
        "long",
        "best",
        "love",
        "blue",
        "gray",
        "grey",
        "north",
        "west",
        "east",
        "south",
        "star",
        "gay",
        "frank",
        "earnest",
        "christian",
        "kelly",
        "kim",
        "lee",
        "max",
        "jack",
        "bob",
        "nick",
        "rob",
        "jimmy",
    ]
)
FIRST_NAMES = (
    frozenset(n.lower() for n in [*USNames.first_names, *GBNames.first_names]) - NOT_FIRST_NAMES
)


NOT_NAME_POS = frozenset({"VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "ADV", "INTJ"})


class FirstNameRecognizer(EntityRecognizer):
    """A first name on its own ("Harold in bed 14"), which the small spaCy model often misses:
    a capitalised word from Faker's English first-name lists that the tagger does not call a
    verb, pronoun or the like (the small tagger often calls a name at the start of a sentence a
    noun). Without the model, the first word of a sentence is skipped."""

    def __init__(self) -> None:
        super().__init__(supported_entities=["NAME"], name="HcsmFirstNameRecognizer")

    def load(self) -> None:
        return None

    def analyze(self, text: str, entities: list[str], nlp_artifacts) -> list:  # type: ignore[no-untyped-def, override]
        doc = getattr(nlp_artifacts, "tokens", None)
        if doc is None:
            return []
        tagged = doc.has_annotation("TAG")
        results = []
        for token in doc:
            word = token.text
            if len(word) < 3 or not word[0].isupper() or word.lower() not in FIRST_NAMES:
                continue
            if tagged and token.pos_ in NOT_NAME_POS or token.is_stop:
                continue
            if not tagged and (token.is_sent_start or token.i == 0):
                continue
            end = token.idx + len(word)
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if (
                nxt is not None
                and nxt.text[:1].isupper()
                and nxt.text.isalpha()
                and (not tagged or nxt.pos_ in {"PROPN", "NOUN"})
            ):
                end = nxt.idx + len(nxt.text)
            results.append(RecognizerResult("NAME", token.idx, end, 0.6))
        return results


CUSTOM_RECOGNIZERS = [
    MRN,
    HEALTH_PLAN,
    ACCOUNT,
    SSN,
    PHONE,
    AGE,
    ROOM,
    HANDLE,
    NAME_PATTERNS,
    DATE,
    LOCATION_PATTERNS,
    FirstNameRecognizer(),
]
