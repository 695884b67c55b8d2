"""Presidio recognizers for what clinicians' posts contain and Presidio's defaults miss.

Each recognizer is a list of compiled patterns; a pattern may mark the identifying part with a
group named ``id`` (so "MRN 00482913" reports only the number). Patterns run on the normalised
text (see ``text.py``).
"""

from __future__ import annotations

import calendar
import datetime
import functools
import importlib
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

import tldextract
from django.conf import settings
from faker.providers.person.en_GB import Provider as GBNames
from faker.providers.person.en_US import Provider as USNames
from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.predefined_recognizers import EmailRecognizer
from spacy.lang.en.stop_words import STOP_WORDS

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
    # Called with the reported text; a match it refuses is dropped.
    validate: Callable[[str], bool] | None = None
    # Searched in the text just before the match; a match it finds there is dropped ("sats 94").
    not_after: re.Pattern[str] | None = None


def rx(
    pattern: str,
    score: float,
    flags: int = re.IGNORECASE,
    validate: Callable[[str], bool] | None = None,
    not_after: re.Pattern[str] | None = None,
) -> Rx:
    return Rx(re.compile(pattern, flags), score, validate, not_after)


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
                if pattern.validate is not None and not pattern.validate(text[start:end]):
                    continue
                if pattern.not_after is not None and pattern.not_after.search(
                    text[max(0, start - 40) : start]
                ):
                    continue
                if end > start:
                    results.append(RecognizerResult(entity, start, end, pattern.score))
        return results


WEEKDAY = r"(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?"
MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
NUMERIC_DATE = r"(?:\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})|(?:19|20)\d{2}-\d{1,2}-\d{1,2})"
WORD_DATE = (
    rf"{MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{MONTH}(?:\s+\d{{4}})?"
    rf"|(?:the\s+)?\d{{1,2}}(?:st|nd|rd|th)\s+of\s+{MONTH}(?:,?\s+\d{{4}})?"
)
MONTH_DAY = r"(?:1[0-2]|0?[1-9])/(?:3[01]|[12]\d|0?[1-9])(?![/\d])"  # "11/20", after an event only
HOLIDAY = (
    r"(?:thanksgiving(?:\s+day)?|christmas(?:\s+(?:eve|day))?|easter(?:\s+sunday)?|halloween|"
    r"new\s+year'?s(?:\s+(?:eve|day))?|(?:the\s+)?fourth\s+of\s+july|july\s+4th|"
    r"valentine'?s\s+day|mother'?s\s+day|father'?s\s+day|memorial\s+day|labor\s+day)"
)
AGE_90 = r"(?:9\s?\d|1\s?[01]\s?\d)"
_UNITS = r"one|two|three|four|five|six|seven|eight|nine"
AGE_90_WORDS = (
    rf"(?:ninety(?:[- ]?(?:{_UNITS}))?|(?:a|one)[- ]hundred(?:[- ](?:and[- ])?(?:{_UNITS}|ten))?)"
)
_ORDINALS = r"first|second|third|fourth|fifth|sixth|seventh|eighth|ninth"
AGE_90_ORDINAL_WORDS = (
    rf"(?:ninetieth|ninety[- ](?:{_ORDINALS})|(?:one[- ])?hundredth|"
    rf"(?:a|one)[- ]hundred[- ](?:and[- ])?(?:{_ORDINALS}|tenth))"
)
AGE_90_ORDINAL = r"(?:9\d|1[01]\d)(?:st|nd|rd|th)"  # "95th", "101st"
# After an ordinal, what makes it something else's: "Mercy's 100th anniversary", "her 95th
# percentile"
NOT_AN_ORDINAL_AGE = (
    r"(?!\s*(?:anniversary|annual|year|percentile|street|st\b|ave|floor|day|patient|"
    r"baby|birth|delivery|time|game|class))"
)
AGE_UNIT = (
    r"(?:\s*(?:-|\s)?\s*(?:y\s?/\s?o|y\.?\s?o\.?|yo|yrs?\.?(?:[- ]old)?|years?[- ](?:old|young)"
    r"|-?year-old|-?yr-old|-?yo)\b)"
)

CAP_NAME = r"(?-i:[A-Z][a-z'’-]+|[A-Z][a-z]*[A-Z][a-z]+)"  # "Ana", "O'Brien", "McKay", "DeShawn"
# Someone an age is said of: "grandpa's 98", "who is 99"
PERSON_WORD = (
    r"who|she|he|they|patient|pt|resident|lady|gentleman|gent|man|woman|guy|gal|mom|mother|mum|"
    r"dad|father|grandma|grandmother|grandpa|grandfather|granny|gran|nana|nonna|nonno|papa|"
    r"mama|momma|mommy|mamá|grandmama|gogo|baba|abuelita|abuelito|lola|lolo|oma|opa|"
    r"abuela|abuelo|aunt|auntie|uncle|husband|wife|neighbou?r|veteran|sister|brother|friend|"
    r"meemaw|mamaw|papaw|peepaw|gramps|grandad|granddad|yiayia|papou|bubbe|zayde|babcia|dziadek"
)
# After a number, a unit that makes it a measurement, not an age: "is 95 degrees", "is 92%"
NOT_A_UNIT = (
    r"(?!\s*(?:%|percent|mph|degrees|°|mg|mcg|ml|units?|lbs?|kg|pounds|minutes?|mins?|hours?|"
    r"hrs?|days?|weeks?|months?|beds?|rooms?|patients?|people|staff|nurses|calls|miles|km|bpm|/|"
    # the aggregate Safe Harbor allows: "90 or older", "90+", "90 and over"
    r"\+|or\s+(?:older|over|above|more)|and\s+(?:older|over|up|above))|[.,]\d)"
)
# What an age after a number and "year-old" may be of that is not a person: "our 94-year-old
# east wing", "a 100-year-old tradition"
NOT_A_BUILDING = (
    r"(?!(?<=old)\s+(?:(?:east|west|north|south|old|new|main|original|historic|little|family|"
    r"stone|brick|wooden|beloved)\s+)?(?:wing|building|hall|hospital|church|chapel|barn|bridge|clinic|"
    r"campus|tradition|company|institution|organi[sz]ation|practice|school|tree|oak|brand|"
    r"newspaper|business|bakery|theat(?:er|re)|landmark|structure|facility|pharmacy|"
    r"foundation|mission|recipe|piano|house)s?\b)"
)
# A measurement, a score or a place number just before: "sats 94", "BP 150/90, 92", "bus 96"
MEASURE_BEFORE = re.compile(
    r"\b(?:sats?(?!\s+(?:with|down|beside|by|next|in|on|up|there)\b)|spo2|o2|oxygen|pulse|hr|heart\s+rate|bp|pressure|temps?|temperature|fever|"
    r"glucose|sugars?|bg|scored?|scores|weight|weighs|lbs?|kg|bpm|a1c|iq|gpa|grade|mph|speed|"
    r"rate|level|count|percent|vitals?|rr|resp\w*|map|ef|lvef|census|wait(?![,!?])|queue|line)\b[^.!?\n]{0,25}$"
    r"|\b(?:number|no\.|room|rm|bed|bay|bus|route|exit|page|chapter|unit|floor|apt|suite|"
    r"highway|hwy|interstate)\s*#?\s*[,:]?\s*$"
    # and an age supposed of anyone: "if you're 90 and still saying 'I hear fine'"
    r"|\b(?:if|when|once|until)\s+(?:you['’]re|you\s+are|you\s+turn|you\s+reach|you\s+get\s+to)"
    r"\s*$",
    re.IGNORECASE,
)


def _birth_year_over_89(year: str) -> bool:
    return 1900 <= int(year) <= datetime.datetime.now(tz=datetime.UTC).year - 90


def _lifespan_over_89(value: str) -> bool:
    born, died = (int(year) for year in re.findall(r"\d{4}", value))
    return 90 <= died - born <= 120


DIGIT_WORD = r"zero|oh|one|two|three|four|five|six|seven|eight|nine"
YEARS_ONLY = re.compile(r"(?:(?:19|20)\d\d(?:[\s-]+(?:(?:19|20)\d\d|\d\d))*)")


def _not_years(value: str) -> bool:
    """ "2024-2025", "2023-24", "2019 2024": years or a range of them, not an identifier."""
    return not YEARS_ONLY.fullmatch(value.strip())


def _id_digits(value: str) -> bool:
    return sum(c.isdigit() for c in value) >= 6 and _not_years(value)


MRN = RegexRecognizer(
    "MRN",
    [
        rx(
            r"\b(?:mrns?|mr\s?#|med(?:ical)?\s+rec(?:ord)?s?(?:\s+(?:numbers?|no\.?|#))?|"
            r"chart\s*(?:number|no\.?|#))(?:\s+(?:shows|showed|reads|listed))?"
            r"(?:\s+(?:is|was|are|were|as))?\s*[:#]?\s*"
            # one number, or a list of them ("MRNs 7730415 and 7730591")
            r"(?P<id>[a-z]{0,3}-?\d[\d -]{3,14}\d"
            r"(?:\s*(?:,|and|&)\s*[a-z]{0,3}-?\d[\d-]{3,14}\d)*)\b",
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
            r"(?:\s+(?:is|was))?\s*[:#]?\s*(?P<id>(?:[a-z]{2,4}\s)?(?=[a-z-]*\d)[a-z0-9][a-z0-9-]{5,19})\b",
            0.9,
        ),
        # "policy PLC-2231-0098-7", "medicare 1EG4TE5MK72": no "number" word, a long id
        rx(
            r"\b(?:policy|medicaid|medicare|subscriber|member)\s+(?P<id>(?=(?:[a-z-]*\d){6})"
            r"[a-z0-9][a-z0-9-]{6,19})\b",
            0.85,
            validate=_not_years,
        ),
        # Groups with spaces: "member ZGH 447 190 33", "member id W22 9144 80"
        rx(
            r"\b(?:member|subscriber|policy|medicaid|medicare)(?:\s*(?:id|#|number|no\.?))?"
            r"(?:\s+(?:is|was))?\s*[:#]?\s*(?P<id>(?:[a-z]{1,4}\s?)?\d{2,5}(?:\s\d{2,5}){1,4})(?![\w-])",
            0.85,
            validate=_id_digits,
        ),
    ],
    "HcsmHealthPlanRecognizer",
)
ACCOUNT_ID = (
    r"(?:(?:[a-z]{1,5}-?)?\d{5,12}|#?\d{2,4}(?:-\d{2,10}){1,3}|"
    r"[a-z]{1,5}-\d{2,4}(?:-\d{2,10}){1,3})"
)
ACCOUNT = RegexRecognizer(
    "ACCOUNT",
    [
        rx(
            r"\b(?:acct|acc|account|rx|prescription|invoice|claim|prior\s+auth(?:orization)?|"
            r"(?:pa|auth(?:orization)?)\s+(?:ref(?:erence)?|#))\s*(?:#|number|no\.?|ref(?:erence)?)?"
            r"(?:\s+(?:is|was))?\s*[:#]?\s*"
            # one number, or a list of them ("INV-8830192 and INV-8830207")
            rf"(?P<id>{ACCOUNT_ID}(?:\s*(?:,|and|&)\s*{ACCOUNT_ID})*)\b",
            0.85,
            validate=_not_years,
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
        rx(r"(?<![\d-])\d(?: \d){2} ?- ?\d ?\d ?- ?\d(?: \d){3}(?![\d-])", 0.6),  # spaced
        # Masked but for the last four: "xxx-xx-5512", "***-**-5512"
        rx(r"(?<![\w*-])(?:x{3}|\*{3})[- ]?(?:x{2}|\*{2})[- ]?\d{4}(?![\d-])", 0.85),
        rx(
            r"\b(?:ssn|social\s+security(?:\s+number)?)\s+(?:ending(?:\s+in)?|last\s+(?:4|four)"
            r"(?:\s+digits)?)\s*[:#]?\s*(?P<id>\d{4})\b",
            0.9,
        ),
        # "read Mr. Dang's SSN out loud, ending in 4417"
        rx(
            r"\b(?:ssns?|social\s+security(?:\s+numbers?)?)\b[^.!?\d]{0,40}?\bend(?:ing|ed|s)"
            r"(?:\s+in)?\s*[:#]?\s*(?P<id>\d{4})\b",
            0.85,
        ),
        # "her social, 078 05 1120": "social" alone before a 3-2-4 number
        rx(r"\bsocial\b[^\d\n]{0,12}?(?P<id>\d{3}[- ]\d{2}[- ]\d{4})(?!\d)", 0.9),
        rx(
            r"\blast\s+(?:4|four)(?:\s+digits)?\s+of\s+(?:my|her|his|their|your|the)\s+"
            r"(?:ssn|social(?:\s+security(?:\s+number)?)?)\s*[:#,]?\s*(?:is\s+)?(?P<id>\d{4})\b",
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
        # A letter O typed for a zero: "555-2O1-3310"
        rx(
            r"(?<![\w-])\(?[\dOo]{3}\)?[\s.-]?[\dOo]{3}[\s.-][\dOo]{4}(?![\w-])",
            0.6,
            validate=lambda v: "o" in v.lower() and sum(c.isdigit() for c in v) >= 7,
        ),
        # Digits spaced out with the dash kept: "5 5 5 - 0 1 2 3", "6 1 4 - 5 5 5 - 0 1 3 9"
        rx(r"(?<![\w-])(?:\d\s){2}\d\s?-\s?(?:(?:\d\s){2}\d\s?-\s?)?(?:\d\s){3}\d(?![\w-])", 0.6),
        # International: "+44 7700 900123", "+27 82 555 0147", "+353 96 555 0142"
        rx(
            r"(?<![\w+])\+\d{1,3}(?:[\s.-]?\(?\d{1,4}\)?){1,2}(?:[\s.-]?\d{3,4}){1,3}(?![\w-])",
            0.7,
            validate=lambda v: 9 <= sum(c.isdigit() for c in v) <= 15,
        ),
        # Seven digits, the area code left out: "555-0162"; with a space after a contact word
        rx(r"(?<![\w$.,/-])\d{3}-\d{4}(?![\w-]|\.\d)", 0.5),
        rx(
            r"\b(?:call|text|phone|cell|reach\s+(?:him|her|them|me|us)|at)\s+(?P<id>\d{3}\s\d{4})(?![\w-]|\.\d)",
            0.6,
        ),
        # Digits and words mixed: "614-five five five-0139"
        rx(
            rf"(?<!\w)\d{{3}}[\s.-](?:(?:{DIGIT_WORD})[\s-]){{2}}(?:{DIGIT_WORD})[\s.-]\d{{4}}(?!\w)",
            0.7,
        ),
        # Spelled out: "five five five, eight one two, four four zero nine"; seven digits after
        # a contact word ("call my brother at five five five, zero one six two")
        rx(rf"\b(?:{DIGIT_WORD})(?:[\s,.-]+(?:{DIGIT_WORD})){{9}}\b", 0.7),
        rx(
            rf"\b(?:call|text|at|number|cell|phone)\s+(?P<id>(?:{DIGIT_WORD})(?:[\s,.-]+"
            rf"(?:{DIGIT_WORD})){{6}})\b",
            0.6,
        ),
    ],
    "HcsmPhoneRecognizer",
)
AGE = RegexRecognizer(
    "AGE",
    [
        rx(rf"(?<![\d.,$])(?P<id>{AGE_90}{AGE_UNIT}){NOT_A_BUILDING}", 0.9),
        rx(
            rf"\b(?:age[ds]?|aged|turn(?:ed|s|ing)|(?:she|he|they)(?:'s|\s+is|\s+are|\s+was)|is\s+now)\s*[:]?\s*(?P<id>{AGE_90})(?!\d|[.,]\d|\s*%)",
            0.85,
        ),
        # "Grandpa Lou is 98 and ...", "Mr. Delacroix, 92, who died": a name, then the age
        rx(
            rf"(?-i:\b[A-Z][a-z'’-]+),?\s+(?:is|was)\s+(?P<id>{AGE_90})\b"
            r"(?=\s*(?:[,.!?;:)]|and\b|today\b|now\b|going\s+on\b|$))",
            0.8,
        ),
        # "Nonna, 97.", "grandma, 93, came in": a word, then the age between commas
        rx(
            rf"(?:\b[a-z][a-z'’-]+|\)|\b[a-z]\.|\b(?:mr|mrs|ms|miss)\.?\s+[a-z]),\s+"
            rf"(?P<id>{AGE_90}|{AGE_90_WORDS})\s*(?=[,.;!?)]|\s+(?:and|who|is|was|with|now|"
            r"still|today|came|went|in|on|from|has|had)\b)",
            0.8,
            not_after=MEASURE_BEFORE,
        ),
        # "At 96, she still walks", "at ninety-four he outran us"
        rx(
            rf"\bat\s+(?P<id>{AGE_90}|{AGE_90_WORDS})(?=\s*[,.!?]|\s*$|\s+(?:she|he|they|and\s+still|"
            r"your|my|our|his|her|with)\b)",
            0.85,
            not_after=MEASURE_BEFORE,
        ),
        # "grandpa's 98", "Mr. Lopez who is 99", "mom just turned 91": a person, then the age
        rx(
            rf"\b(?:{PERSON_WORD})(?:['’]s|\s+(?:is|was|just\s+turned|turned|turns|will\s+be))"
            rf"(?:\s+(?:now|only|almost|nearly))?\s+(?P<id>{AGE_90})\b{NOT_A_UNIT}",
            0.85,
            not_after=MEASURE_BEFORE,
        ),
        # "shes 91", "hes ninety one": a pronoun and its verb written as one word
        rx(
            rf"\b(?:shes|hes|she['’]s|he['’]s)\s+(?:now\s+|only\s+|almost\s+)?"
            rf"(?P<id>{AGE_90_WORDS}|{AGE_90})\b{NOT_A_UNIT}",
            0.85,
            not_after=MEASURE_BEFORE,
        ),
        # "the lady in bed 3 is 95 and asked for coffee", "94 and still sharp"
        rx(
            rf"(?:\b(?:is|was)\s+)?(?<![\d.,$])(?P<id>{AGE_90})\s+(?:and\s+(?:still|she|he|they|"
            r"just|has|had|asked|asks|loves|refuses|wants|walks|lives|sharp)|but\s+(?:still|"
            r"she|he|they))\b",
            0.8,
            not_after=MEASURE_BEFORE,
        ),
        # A birth year that makes the person 90 or older: "born in 1931", "DOB 1932"
        rx(
            rf"\b(?:born|b\.|dob)\s*(?:in\s+|on\s+|:\s*)?(?:{MONTH}\.?\s+(?:\d{{1,2}}"
            r"(?:st|nd|rd|th)?,?\s+)?)?(?P<id>19\d\d)\b",
            0.85,
            validate=_birth_year_over_89,
        ),
        # Age hashtags: "#94andfabulous", "#100yearsyoung", "#turning100", "#RuthAt100"
        rx(
            r"#(?:turning|turns|happy|[a-z]*at)(?P<id>(?:9\d|1[01]\d))(?:th|st|nd|rd)?(?![\d])"
            r"(?!days|k\b|percent|miles?)",
            0.8,
        ),
        rx(
            r"#(?P<id>(?:9\d|1[01]\d))(?:th|st|nd|rd)?(?:and[a-z]+|years?young|years?old|years?strong|strong|yo|birthday|bday)\b",
            0.8,
        ),
        # "her 100th today", "his 95th on Sunday"
        rx(
            r"\b(?:her|his|their)\s+(?P<id>(?:9\d|1[01]\d)(?:st|nd|rd|th))\b(?=\s*(?:birthday|"
            r"bday|b-day|today|yesterday|tomorrow|this|last|next|on|at|with|is|was|[.,!?]|$))",
            0.8,
        ),
        rx(
            rf"(?<![\d.,$])(?P<id>{AGE_90}|\b{AGE_90_WORDS})\s*(?:today|years?\s+young)\b",
            0.7,
        ),
        # "her husband (95) at the bedside", "his wife (90)"
        rx(rf"\b(?:{PERSON_WORD})\s*\((?P<id>{AGE_90}|{AGE_90_WORDS})\s*[!?.]*\)", 0.85),
        # "Dot(95)", "Mrs. K (94)", "Florence G. (103)"
        rx(
            rf"(?-i:[A-Z][a-z]+|\b[A-Z]\.?)\s*\((?P<id>{AGE_90}|{AGE_90_WORDS})\s*[!?.]*\)",
            0.85,
        ),
        # "walter haynes is 101 and got discharged": an age, then what the person did
        rx(
            rf"\b(?:is|was)\s+(?P<id>{AGE_90})\s+and\s+(?!(?:older|over|up|above|under|below|"
            r"counting|rising|climbing|dropping|falling)\b)[a-z]",
            0.8,
            not_after=MEASURE_BEFORE,
        ),
        # In Spanish, said of someone: "Señora Ibarra, noventa y dos años", "cumplió 97 años"
        # (not "Celebramos 100 años de servicio")
        rx(
            r"(?:\b(?:cumpli[oó]|cumple|tiene|ten[ií]a|de|con|a\s+los)\s+|[,(]\s*)(?P<id>(?:noventa(?:\s+y\s+(?:uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve))?|"
            r"cien|ciento\s+(?:uno|dos|tres|cuatro|cinco|seis|siete|ocho|nueve|diez)|9\d|1[01]\d)"
            r"\s+años)\b(?!\s+de\b)",
            0.85,
        ),
        # A person "at" an age: "your mother at 93 is actively dying", "grandpa at 101"
        rx(
            rf"\b(?:{PERSON_WORD})(?:\s+{CAP_NAME})?\s+at\s+(?P<id>{AGE_90}|{AGE_90_WORDS})\b"
            rf"{NOT_A_UNIT}",
            0.8,
            not_after=MEASURE_BEFORE,
        ),
        # Between commas after a date of birth: "DOB 3/3/34, 92, full code"
        rx(rf"\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}},\s*(?P<id>{AGE_90}),(?!\s*\d)", 0.8),
        # "100 years and still sharper than all of us"; "#turning100", "#finally101"
        rx(
            rf"(?<![\d.,$#])(?P<id>{AGE_90}\s+years?)\s+(?:and\s+still|of\s+(?:sass|spunk|stories))\b",
            0.8,
        ),
        rx(
            rf"#(?:turning|turned|turns|aged?|just|finally|officially|happy)(?P<id>{AGE_90})(?!\d)",
            0.8,
        ),
        # Between commas after a room: "grandpa joe from room 22, 93, passed Sunday"
        rx(
            rf"\b(?:room|rm\.?|bed)\s*#?\d{{1,4}}[a-z]?,\s*(?P<id>{AGE_90}|{AGE_90_WORDS}),"
            r"(?!\s*\d)",
            0.8,
        ),
        # In parentheses after a name: "Mr. Abernathy (ninety-three, he says)", "Mrs. K (93!!)"
        rx(rf"\(\s*(?P<id>{AGE_90_WORDS})\s*[,)!]", 0.8),
        rx(rf"\(\s*(?P<id>{AGE_90})\s*!", 0.8),
        # In words: "ninety-four-year-old", "she is ninety-seven", "turned one hundred"
        rx(rf"\b(?P<id>{AGE_90_WORDS}{AGE_UNIT})", 0.9),
        rx(
            rf"\b(?:age[ds]?|aged|turn(?:ed|s|ing)|(?:she|he|they)(?:'s|\s+is|\s+are|\s+was)|"
            rf"is\s+now|is|(?:will|['’]ll)\s+be)\s+(?P<id>{AGE_90_WORDS})\b"
            r"(?=\s*(?:[,.!?;:)]|and\b|today\b|years?\b|now\b|this\b|on\b|in\b|next\b|tomorrow\b|"
            r"tmrw\b|tmr\b|tonight\b|soon\b|"
            r"last\b|yesterday\b|at\b|with\b|but\b|$))",
            0.85,
        ),
        # An age opening a sentence about the person: "Ninety-three and she corrected me",
        # "Ninety-six. Still farming."; and "102 years of wisdom"
        rx(
            rf"(?:^|[.!?]\s+|[\"“]|\.\s+)(?P<id>{AGE_90_WORDS}|{AGE_90})(?=\s*(?:and\b(?!\s+(?:counting|rising|climbing|up|over|older|more)\b)|[.!]|,\s+(?:still|she|he|dnr|sharp|never|always)\b))",
            0.8,
        ),
        rx(
            rf"(?<![\d.,$])(?P<id>{AGE_90})\s+years?\s+(?:of\s+(?:wisdom|life)|on\s+(?:this|earth))\b",
            0.8,
        ),
        # "at the age of 96", "Happy 95th Grandpa!", "in his 97th year"
        rx(rf"\bat\s+(?:the\s+)?age\s+of\s+(?P<id>{AGE_90}|{AGE_90_WORDS})\b{NOT_A_UNIT}", 0.85),
        rx(
            rf"\bhappy\s+(?P<id>{AGE_90_ORDINAL})\s*[,!]*\s+(?:to\s+)?"
            rf"(?:{PERSON_WORD}|mr|mrs|ms|miss)\b",
            0.8,
        ),
        rx(rf"\bin\s+(?:her|his|their)\s+(?P<id>{AGE_90_ORDINAL})\s+year\b", 0.8),
        # "Nana's 90th in the hospital", "grandpa's 101st"
        rx(
            rf"\b(?:{PERSON_WORD})['’]s\s+(?P<id>{AGE_90_ORDINAL})\b{NOT_AN_ORDINAL_AGE}",
            0.8,
        ),
        # "her 100th birthday"
        rx(
            r"\b(?P<id>(?:9\d|1[01]\d)(?:st|nd|rd|th)\s+birthday)\b(?!\s+(?:to|of|for)\s+(?:our|the)\s+"
            r"(?:hospital|clinic|center|centre|unit|building|foundation|program|school|church))",
            0.85,
        ),
        # In words: "a happy ninety-fifth birthday", "her hundredth"
        rx(
            rf"\b(?P<id>{AGE_90_ORDINAL_WORDS})\s+(?:birthday|bday|b-day)\b",
            0.85,
        ),
        rx(
            rf"(?:\b(?:her|his|their)|\w['’]s)\s+(?P<id>{AGE_90_ORDINAL_WORDS})\b"
            r"(?!\s+(?:anniversary|annual|year|percentile))",
            0.8,
        ),
        # "pt 94 y, DOB 1932"
        rx(r"\b(?:pt|patient)\s+(?P<id>(?:9\d|1[01]\d)\s?y)\b(?![\w/.])", 0.8),
        # Clinical shorthand: "Pt 92M", "a 94 F with", "my 92F", "93y F"; not "a fever of 104F"
        rx(
            r"(?:\b(?:pt|patient|a|an|my|our|this|the|your)\s+(?:(?:nicest|sweetest|cutest|"
            r"feisty|spry|lovely|sweet|little|tiny|frail|stubborn|new)\s+)?|^|[.,;:(\"“']\s*|"
            r"\b(?:room|rm|bed|bay)\s*#?\d{1,4}[a-z]?\s+)"
            r"(?P<id>(?:9\d|1[01]\d)\s?(?:y\s?)?(?-i:[MF]))\b"
            r"(?!\s*(?:fever|temp|degrees|°))",
            0.8,
            not_after=MEASURE_BEFORE,
        ),
        # A birth year in short, and a life's span of 90 years or more: "born in '28",
        # "Eleanor Dempsey (1929-2026)"
        rx(
            r"\b(?:born|b\.)\s+(?:in\s+)?['’](?P<id>[0-3]\d)\b",
            0.8,
            validate=lambda year: _birth_year_over_89(f"19{year}"),
        ),
        rx(r"\((?P<id>19\d\d\s*-\s*(?:19|20)\d\d)\)", 0.8, validate=_lifespan_over_89),
        # In other languages: "９６歳", "95 tuổi", "九十三岁", "a quatre-vingt-quinze ans",
        # "91 na siya", "wird morgen 92"
        rx(rf"(?<![\d.,$])(?P<id>{AGE_90}\s*(?:tuổi|歳|岁|歲))", 0.85),
        rx(r"(?P<id>(?:九十[一二三四五六七八九]?|一百[零一二三四五六七八九十]*)\s*[岁歲])", 0.85),
        rx(
            r"\ba\s+(?P<id>(?:9\d|1[01]\d|quatre-vingt-(?:dix|onze|douze|treize|quatorze|"
            r"quinze|seize|dix-sept|dix-huit|dix-neuf)|cent)\s+ans)\b",
            0.85,
        ),
        rx(rf"(?<![\d.,$])(?P<id>{AGE_90})\s+na\s+(?:siya|sya|po)\b", 0.85),
    ],
    "HcsmAgeRecognizer",
)
# Looser forms of an age, counted only in a post clearly about a patient: "passed peacefully at
# 96 on the hospice unit", "Miss Opal's 102nd 🎉", "🎉 ninety-one and recovering"
AGE_IN_CONTEXT = RegexRecognizer(
    "AGE",
    [
        rx(
            rf"\bat\s+(?:a\s+(?:ripe|young|spry|feisty|grand|tender)\s+(?:old\s+)?)?"
            rf"(?P<id>{AGE_90}|{AGE_90_WORDS})\b{NOT_A_UNIT}"
            r"(?!\s*(?::|am\b|pm\b|o['’]clock|seconds?|secs?|cents|feet|ft\b|"
            r"(?-i:[A-Z])[a-z]+\s+(?:st|street|ave|avenue|rd|road|blvd|dr|drive|lane|ln|way|"
            r"pl|place|ct|court)\b))",
            0.45,
            not_after=MEASURE_BEFORE,
        ),
        rx(
            rf"(?:\b(?:her|his|their|happy)|\w['’]s)\s+(?P<id>{AGE_90_ORDINAL})\b"
            rf"{NOT_AN_ORDINAL_AGE}",
            0.45,
        ),
        rx(rf"(?<![\w-])(?P<id>{AGE_90_WORDS})\b{NOT_A_UNIT}(?=\s+and\s+[a-z])", 0.45),
        rx(
            rf"(?<![\w.,$/#:-])(?P<id>{AGE_90})\s+and\s+(?!(?:older|over|up|above|under|below|"
            r"counting|rising|climbing|dropping|falling|more|beyond|change)\b)[a-z]",
            0.45,
            not_after=MEASURE_BEFORE,
        ),
        rx(
            r"\bI['’]?m\s+(?:now\s+)?(?P<id>9\d|1[01]\d)\b(?![.,]\d)"
            rf"{NOT_A_UNIT}(?=\s*(?:and\b|,|\.|!|years?\b))",
            0.45,
        ),
    ],
    "HcsmAgeInContextRecognizer",
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
        rx(r"\b(?:trauma|resus|triage|isolation)\s+(?:room\s+|bay\s+)?\d{1,2}\b", 0.7),
        rx(r"(?<![\w-])\d{3}-[a-d]\b", 0.5),
    ],
    "HcsmRoomRecognizer",
)
US_STATE_NAMES = (
    r"alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|florida|georgia|"
    r"hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|"
    r"massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|"
    r"new\s+hampshire|new\s+jersey|new\s+mexico|new\s+york|north\s+carolina|north\s+dakota|"
    r"ohio|oklahoma|oregon|pennsylvania|rhode\s+island|south\s+carolina|south\s+dakota|"
    r"tennessee|texas|utah|vermont|virginia|washington|west\s+virginia|wisconsin|wyoming|"
    r"dc|[a-z]{2}"
)
CAR_COLOUR = (
    r"(?:red|blue|silver|black|white|gr[ae]y|green|tan|gold|maroon|beige|brown|orange|yellow|"
    r"purple)"
)
# A plate: capital letters and digits in one or two groups ("7KXM-204", "HJK 3390")
PLATE = r"(?-i:[A-Z0-9]{1,4}(?:[ -]?[A-Z0-9]{1,5})?)"


def _plate(value: str) -> bool:
    """At least two digits and one letter in the plate itself (not "tag 10 friends")."""
    plate = re.split(r"(?i)(?:plates?|tags?)\s*(?:#|no\.?|number)?\s*[:#]?\s*", value)[-1]
    return sum(c.isdigit() for c in plate) >= 2 and any(c.isalpha() for c in plate)


def _car_plate(value: str) -> bool:
    """After a car's colour: two letters or more and three digits or more ("LKT-4482"; not
    "12 HRS")."""
    return sum(c.isdigit() for c in value) >= 3 and sum(c.isalpha() for c in value) >= 2


VEHICLE = RegexRecognizer(
    "VEHICLE",
    [
        # "plate 7KXM-204", "ohio plate HJK 3390", "license plate: ABC1234", "tag # 4RT-221"
        rx(
            rf"\b(?:(?:{US_STATE_NAMES})\s+)?(?:(?:licen[cs]e|number|reg(?:istration)?)\s+)?"
            rf"(?:plates?|tags?)\s*(?:#|no\.?|number)?\s*[:#]?\s*{PLATE}(?![\w-])",
            0.85,
            validate=_plate,
        ),
        # a car by its colour, and a plate after it: "the blue pickup LKT-4482", "red civic
        # (KLM-2290)", "silver Camry BHT 4420", "blue Tacoma 8JKM221"
        rx(
            rf"\b{CAR_COLOUR}\s+(?:[A-Za-z-]+\s+){{1,3}}?\(?"
            r"(?P<id>(?-i:[A-Z0-9]{2,4}[ -]?[A-Z0-9]{2,5}))(?![\w-])",
            0.7,
            validate=_car_plate,
        ),
        # A VIN: 17 characters, no I, O or Q, after "VIN"
        rx(r"\bvin\s*(?:#|no\.?|number)?\s*[:#]?\s*(?P<id>[a-hj-npr-z0-9]{17})\b", 0.95),
    ],
    "HcsmVehicleRecognizer",
)
# "ayo.oduya at gmail dot com", "j.doe [at] mail [dot] org": an address written to dodge
# scrapers is still an address
SPELLED_EMAIL = RegexRecognizer(
    "EMAIL_ADDRESS",
    [
        rx(
            r"\b[a-z0-9][a-z0-9._+-]{1,40}(?:\s+at\s+|\s*(?:\[at\]|\(at\))\s*)[a-z0-9-]{2,30}"
            # the dot spelled, bracketed, or a plain dot with no space ("colonoscopy at 45. It's"
            # is a sentence)
            r"(?:\s+dot\s+|\s*(?:\[dot\]|\(dot\))\s*|\.)(?:com|org|net|edu|gov|[a-z]{2})\b",
            0.8,
        )
    ],
    "HcsmSpelledEmailRecognizer",
)
HANDLE = RegexRecognizer(
    "HANDLE",
    [
        rx(r"(?<![\w.@])@[a-z0-9_](?:[a-z0-9_.-]{0,28}[a-z0-9_])?\b", 0.6),
        # Reddit; not a dose rate ("10 u/hour", "40 u/day")
        rx(
            r"(?<![\w/])(?<!\d\s)u/(?!(?:hours?|hr|day|dose|kg|min|week|wk|ml|h|d)\b)[a-z0-9_-]{3,20}\b",
            0.6,
        ),
    ],
    "HcsmHandleRecognizer",
)


def _first_word(value: str) -> str:
    word = value.split()[0].strip("'’-") if value.split() else ""
    return "" if word.lower() in STOP_WORDS or word.lower() in NOT_NAME_WORDS else word


def _honorific_name(value: str) -> bool:
    """After Mr./Mrs./Ms.: any word that is not a pronoun or the like ("miss your" is not)."""
    return bool(_first_word(value))


def _patient_name(value: str) -> bool:
    """After "pt"/"patient": a capitalised word, or a lower-case first name ("my pt danny")."""
    word = _first_word(value)
    if re.fullmatch(r"(?i)i['’](?:ve|m|d|ll)", word):
        return False  # "the sweetest pt I've had"
    return bool(word) and (word[0].isupper() or is_first_name(word))


def plural_of_word(word: str) -> bool:
    """The plural of a word of the English dictionary ("wins")."""
    return word.endswith("s") and word[:-1] in english_words()


def _unlisted_name(value: str) -> bool:
    """A first name, or a word the English dictionary does not know ("Tomasz", "Deshawn");
    without the model's dictionary, first names only."""
    word = _first_word(value)
    if not word:
        return False
    words = english_words()
    lower = word.lower()
    return is_first_name(word) or (
        bool(words)
        and lower not in words
        and not (word.islower() and plural_of_word(lower))  # "little wins"
    )


def _name_before_room(value: str) -> bool:
    """Capitalised and a name or unknown word ("Deshawn"), or a lower-case first name
    ("sophia in bed 12"); not an abbreviation in capitals ("s/p hip ORIF in bed 7")."""
    word = value.split()[0] if value.split() else value
    if len(word) > 1 and word.isupper():
        return False
    if value[:1].isupper():
        return _unlisted_name(value)
    word = _first_word(value)
    return bool(word) and is_first_name(word)


def _initial_name(value: str) -> bool:
    """ "T. Okonkwo": the family name is not an English word ("J. Smith" is left to the model)."""
    family = value.split(".", 1)[1].strip()
    words = english_words()
    return bool(words) and family.lower() not in words and family.lower() not in STOP_WORDS


def _spaced_first_name(value: str) -> bool:
    """Letters spaced out to dodge a search ("m a r v i n", "d o t t i e"): a first name, or a
    word of five letters or more the English dictionary does not know."""
    word = value.replace(" ", "")
    words = english_words()
    return is_first_name(word) or len(word) >= 5 and bool(words) and word not in words


def _unknown_word(value: str) -> bool:
    """A word of five letters or more the English dictionary does not know, and not a unit's
    shorthand for a diagnosis ("bed 2 kowalski is a fall risk"; not "bed 3 nstemi was")."""
    words = english_words()
    return (
        bool(words)
        and len(value) >= 5
        and value.isalpha()
        and value.lower() not in words
        and value.lower() not in CLINICAL_SHORTHAND
    )


CAPITAL_ABBREVIATIONS = frozenset(
    ["usa", "icu", "nicu", "picu", "ccu", "mrn", "dob", "ems", "ama", "dnr", "copd", "chf", "pacu"]
    + ["stat", "prn", "npo", "asap", "fyi", "omg", "lol", "rsvp", "hipaa", "covid", "cpr", "bls"]
)
CLINICAL_SHORTHAND = frozenset(
    ["nstemi", "stemi", "afib", "aflutter", "vtach", "vfib", "copd", "chf", "dka", "hhns"]
    + ["tachy", "brady", "septic", "postop", "preop", "intox", "etoh", "psych", "detox"]
)


def _lower_first_name(value: str) -> bool:
    """After a lower-case "miss": a first name only ("miss dorothy"; not "miss you")."""
    word = _first_word(value)
    return bool(word) and word.islower() and is_first_name(word)


def _kin_name(value: str) -> bool:
    """After a family word: a first name even where it is an English word too ("my mom Deb",
    "grandma Hope")."""
    word = _first_word(value)
    return _unlisted_name(value) or (bool(word) and word.lower() in ambiguous_first_names())


def _spaced_name(value: str) -> bool:
    """Letters spaced out to dodge a filter: "m o r r i s", "S.U.M.M.E.R" is a first name."""
    return _known_first_name("".join(re.split(r"[\s.]", value)))


def _known_first_name(value: str) -> bool:
    """A first name of the lists, or one that is an English word too ("Sunny", "summer")."""
    word = _first_word(value).lower()
    return bool(word) and (is_first_name(word) or word in ambiguous_first_names())


def _name_in_capitals(value: str) -> bool:
    """ "LEONARD PRICE": a first name, then a family name; or two words no dictionary or name
    list knows ("CHUKWUEMEKA ONYEKACHI"); not letters like "HIPAA ALERT" or "NICU GRAD"."""
    words = [w.strip("'’-").lower() for w in value.split() if not w.startswith('"')]
    known = english_words()
    if not known or len(words) != 2 or any(w in STOP_WORDS for w in words):
        return False
    first, last = words
    if is_first_name(first):
        # a family name, and not a plain word after it ("EARL GREY" is tea, "PRICE" a name)
        return last not in NOT_NAME_WORDS and (
            last not in known or last in ambiguous_first_names() or is_first_name(last)
        )
    return all(len(w) >= 4 and w not in known for w in words)


def _title_name(value: str) -> bool:
    """After a title ("Rev. Johnson", "Sgt. Morales"): a capitalised name, a family name too."""
    word = _first_word(value)
    return value[:1].isupper() and (
        _kin_name(value) or bool(word) and word.lower() in faker_last_names()
    )


def _capitalised_name(value: str) -> bool:
    return value[:1].isupper() and _unlisted_name(value)


NAME_WORD = r"[a-z][a-z'’-]{1,20}"
FAMILY_WORD = (
    r"(?:neighbou?r|roommate|coworker|co-worker|classmate|client|"
    r"grandma|grandpa|granny|grandmother|grandfather|nana|nanna|papa|pop-?pop|gramps|"
    r"aunt(?:ie)?|uncle|cousin|mom|mum|dad|mother|father|son|daughter|husband|wife|brother|"
    r"sister|niece|nephew|grandson|granddaughter|baby|lil|little|sweet|kiddo|tiny\s+human|"
    r"gogo|abuelo|abuela|abuelita|abuelito|baba|babushka|bubbe|zayde|nonna|nonno|lola|lolo|"
    r"tita|tito|tia|tio|tía|tío|oma|opa|yiayia|papou|dida|nani|dadi|dada|mamaw|papaw|"
    r"meemaw|peepaw|pop\s+pop|mama|don|doña|señora|señor|"
    r"friend|bestie|bff|hubby|boyfriend|girlfriend|fianc[eé]e?)"
)
NAME_PATTERNS = RegexRecognizer(
    "NAME",
    [
        # Name hashtags: #PrayForJake, #TeamSarah, #TylerStrong, #JusticeForAmy
        rx(
            r"#(?:prayfor|praying4|prayersfor|teamlove|team|justicefor|love4|for|fightlike|"
            r"stronglike|bravelike|standwith|hopefor|miraclefor|miracle4|grandma|grandpa|nana|"
            r"papa|abuela|abuelo|abuelita|abuelito|nonna|nonno)[a-z]{2,}\b",
            0.8,
        ),
        rx(r"#[a-z]{2,}(?:strong|fights|warrior|army|journey)\b", 0.75),
        # Honorific and a family name, in any case: "Mrs. Alvarez", "mrs garcia", "Mr. O'Brien";
        # "Miss" only capitalised ("we will miss you" is not a title)
        rx(
            r"(?:\b(?:mr|mrs|ms|mx|mister)\b|(?-i:\bMiss\b|\bMISS\b))\.?\s*"
            rf"(?P<id>{NAME_WORD}(?:\s+{CAP_NAME})?)",
            0.85,
            validate=_honorific_name,
        ),
        # Other titles before a capitalised family name: "Sgt. Morales", "Rev. Adeyemi"
        rx(
            r"\b(?:sgt|sergeant|cpl|corporal|capt|captain|col|colonel|lt|lieutenant|pvt|private|"
            r"maj|rev|reverend|pastor|deacon|officer|judge|sister|brother|father|coach)\.?\s+"
            rf"(?P<id>{CAP_NAME}(?:\s+{CAP_NAME})?)",
            0.7,
            validate=_title_name,
        ),
        # A family word or endearment before a capitalised name: "Grandpa Lou", "my aunt
        # Bernadette", "baby Ava", "lil jaylen" (lower case only when it is a first name)
        rx(
            rf"\b{FAMILY_WORD}\s+(?P<id>{CAP_NAME}(?:\s+{CAP_NAME})?)",
            0.7,
            validate=_kin_name,
        ),
        # ... and in a post written in capitals: "MY GRANDPA EARL IS 97"
        rx(
            rf"(?-i:\b(?=[A-Z]{{2}})){FAMILY_WORD}\s+(?P<id>(?-i:[A-Z]{{3,}}))\b",
            0.7,
            validate=lambda value: value.isupper() and is_first_name(value),
        ),
        # A name in capitals inside a post in lower case: "update on LEONARD PRICE: chemo
        # round 4 done", 'our brother CHUKWUEMEKA "EMEKA" ONYEKACHI needs a kidney'
        rx(
            r"(?-i:(?<![\w'’])(?P<id>[A-Z][A-Z'’-]{2,}(?:\s+\"[A-Z]+\")?\s+[A-Z][A-Z'’-]{2,})"
            r"(?![\w'’])(?=[^a-z]{0,4}[a-z]))",
            0.6,
            validate=_name_in_capitals,
        ),
        # A name before the bed it is in: "Patience in bay 2 is doing great"
        rx(
            rf"(?P<id>{CAP_NAME})\s+(?:in|from|over\s+in)\s+(?:bed|bay|room|rm)\s*#?\d",
            0.7,
            validate=_kin_name,
        ),
        # Letters spaced out: "pray for my grandpa m o r r i s"
        rx(r"(?<![\w-])(?P<id>(?:[a-z] ){3,}[a-z])(?![\w-])", 0.7, validate=_spaced_name),
        rx(r"(?<![\w.-])(?P<id>(?:[a-z]\.){3,}[a-z])\.?(?![\w-])", 0.7, validate=_spaced_name),
        # A child or patient by their relative: "austin's mom here", "Sunny's mom asked me"
        rx(
            rf"(?<![\w@#])(?P<id>{CAP_NAME}|[a-z]{{3,}})['’]s\s+(?:mom|mum|dad|mother|father|"
            r"parents|grandma|grandpa|nana|wife|husband|daughter|son)\b",
            0.7,
            validate=_known_first_name,
        ),
        # A name with a young age between commas: "Chase, 16, who came in on the 3rd"
        rx(
            rf"(?P<id>{CAP_NAME}),\s*\d{{1,3}}\s*,\s*(?:who|is|was|has|had|came|went|got)\b",
            0.7,
            validate=_kin_name,
        ),
        # A name with an age in parentheses: "Dot(95) told me", "Edwin Marsh (94)"
        rx(
            rf"(?P<id>{CAP_NAME}(?:\s+{CAP_NAME})?)\s*\(\s*(?:1[01]\d|[2-9]\d)\s*[!?.]*\)",
            0.7,
            validate=_kin_name,
        ),
        rx(rf"\b(?:lil|little|baby)\s+(?P<id>{NAME_WORD})\b", 0.7, validate=_unlisted_name),
        # "my mom yolanda", "her mom kelly said cards are welcome": a relative's first name
        rx(
            r"(?-i:\b(?:my|her|his|our|their|your)\s+(?:mom|mum|dad|wife|husband|son|daughter|"
            r"sister|brother|grandma|grandpa|nana|aunt|uncle|cousin)\s+(?P<id>[a-z]{3,})\b)",
            0.7,
            validate=_lower_first_name,
        ),
        # "my pt danny", "patient named Marcus Webb", "pt DW"
        rx(
            r"\b(?:my\s+)?(?:pt|patient)\s+(?:named\s+|called\s+)?"
            rf"(?P<id>{NAME_WORD}(?:\s+{CAP_NAME})?)\b",
            0.75,
            validate=_patient_name,
        ),
        # A name just before a room or bed: "Deshawn from bed 11", "Jürgen in room 3"
        rx(
            rf"(?P<id>(?:{CAP_NAME}|{NAME_WORD})(?:\s+{CAP_NAME})?)\s+(?:in|from|at)\s+(?:the\s+)?"
            r"(?:(?:icu|ccu|picu|nicu|er|ed)\s+)?(?:room|rm\.?|bed|bay|cubicle)\s*#?\s*\d",
            0.7,
            validate=_name_before_room,
        ),
        # A name after a bed or room number, in a unit's shorthand: "bed 2 kowalski is a fall
        # risk", "rm 12 Deshawn asked for juice"
        rx(
            r"\b(?:bed|rm\.?|room|bay)\s*#?\s*\d{1,4}[a-z]?\s*[:,-]?\s+"
            rf"(?P<id>{CAP_NAME}|(?-i:{NAME_WORD}))\b",
            0.6,
            validate=_name_before_room,
        ),
        rx(
            rf"\b(?:bed|rm\.?|room|bay)\s*#?\s*\d{{1,4}}[a-z]?\s*[:,-]?\s+(?P<id>(?-i:{NAME_WORD}))"
            r"(?=\s+(?:is|was|has|had|keeps|wants|asked|needs)\b)",
            0.6,
            validate=_unknown_word,
        ),
        # The name given to a newborn: "they named her Juniper Rose", "named him Theo"
        rx(
            rf"\bnamed\s+(?:her|him|them|the\s+baby)\s+(?P<id>{CAP_NAME}(?:\s+{CAP_NAME})?)",
            0.7,
            validate=lambda v: bool(_first_word(v)),
        ),
        # A name just before a bed number, or before a bare room number in a unit's shorthand:
        # "Okonkwo bed 8 refusing his lovenox", "Kowalczyk in 12 wants pudding"
        rx(
            rf"(?P<id>{CAP_NAME})\s+(?:bed|rm\.?|room|bay)\s*#?\s*\d",
            0.6,
            validate=_unlisted_name,
        ),
        rx(
            rf"(?P<id>{CAP_NAME})\s+in\s+\d{{1,3}}[a-z]?\b(?!\s*(?:%|years?|yrs?|days?|weeks?|"
            r"wks?|months?|hours?|hrs?|mins?|minutes?|seconds?|am|pm|mg|ml|lbs?|kg|and|to|or|of|"
            r"out|-|/|:|,|\.\d))",
            0.6,
            validate=_unlisted_name,
        ),
        # A name with a possessive before a relative or the patient's care: "Ngozi's mom",
        # "Mr. Osei's claim"
        rx(
            rf"(?P<id>{CAP_NAME}(?:\s+{CAP_NAME})?)['’]s\s+(?:mom|mum|dad|mother|father|family|parents?|wife|"
            r"husband|son|daughter|grandson|granddaughter|sister|brother|caregiver|"
            r"emergency\s+contact|labs?|meds|medications?|surgery|chemo|scan|biopsy|"
            r"prescription|refill|chart|records?|potassium|insulin|room|bed)\b",
            0.7,
            validate=_capitalised_name,
        ),
        # Spaced-out names: "M a r i a   L o p e z"
        rx(
            r"(?<!\w)(?-i:[A-Z])(?:\s[a-zA-Z]){3,}(?:\s{2,}(?-i:[A-Z])(?:\s[a-zA-Z]){2,})?(?!\w)",
            0.7,
        ),
        # "her mom kelly", "miss dorothy", "replying to Sandra M:"
        rx(
            # (an emoji or two may stand between: "my wife 💕kelly💕")
            rf"\b(?:her|his|their|my)\s+{FAMILY_WORD}\s+(?:[^\w\s]{{1,4}}\s?)?(?P<id>{NAME_WORD})\b",
            0.7,
            validate=_name_before_room,
        ),
        rx(rf"(?-i:\bmiss)\s+(?P<id>{NAME_WORD})\b", 0.7, validate=_lower_first_name),
        rx(
            r"^\s*(?:replying|reply)\s+to\s+(?P<id>(?-i:[A-Z][a-z'’-]+)(?:\s(?-i:[A-Z][a-z'’-]+|[A-Z]\.?))?)"
            r"\s*:",
            0.7,
        ),
        # A title and an initial: "Miss P", "Mrs. K", "Mr. T.", "mrs. h" (in lower case, not
        # "miss a")
        rx(r"(?-i:\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s[A-Z]\.?)(?![\w'])", 0.7),
        rx(r"\b(?:mr|mrs|ms|mx)\.?\s[a-z]\.?(?![\w'])", 0.7),
        # Initials of a patient or client: "Pt DW", "patient J.K.", "my client J.R."
        rx(r"\b(?:pt|patient|client|resident)\s+(?P<id>(?-i:[A-Z]\.?[A-Z]\.?))(?!\w)", 0.7),
        # "his name is terry", "her name was Dolores"
        rx(
            rf"\b(?:his|her|their|the\s+(?:patient|pt)['’]s)\s+name\s+(?:is|was)\s+(?P<id>{NAME_WORD})\b",
            0.75,
            validate=_patient_name,
        ),
        # A name after words said to or of one person: "praying for aaliyah", "RIP Dolores",
        # "welcome home, Marcus", "get well soon jayden" (lower case only when a first name)
        rx(
            r"\b(?:pray(?:ing|ers?)?\s+(?:for|4)|prayers?\s+(?:to|with)|thoughts\s+(?:with|for)|"
            r"rip|r\.i\.p\.?|rest\s+easy|fly\s+high|get\s+well(?:\s+soon)?|welcome\s+home|"
            r"happy\s+(?:discharge|birthday|bday|gotcha)(?:\s+day)?|we\s+(?:love|miss)\s+you|"
            r"keep\s+fighting|you\s+got\s+this)\s*,?\s+"
            rf"(?P<id>{NAME_WORD}(?:\s+{CAP_NAME})?)\b",
            0.7,
            validate=_name_before_room,
        ),
        # An initial and a family name: "T. Okonkwo", "Rx for J. Alvarez"
        rx(
            r"(?-i:(?<![&\w])[A-Z]\.\s?[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b", 0.6, validate=_initial_name
        ),
        # A list entry, family name first: "Whitaker, R."; on a tracker board in capitals,
        # "SMITH, J"
        rx(
            r"(?-i:(?<![\w/])[A-Z]{3,},\s?[A-Z]\b)(?![\w.])",
            0.6,
            validate=lambda v: (
                v.split(",")[0].lower() not in CAPITAL_ABBREVIATIONS
                and v.split(",")[1].strip() not in {"I", "A"}
            ),  # "a UTI, I can call in..."
        ),
        rx(r"(?-i:\b[A-Z][a-z]{2,},\s(?:[A-Z]\.|[A-HJ-Z]\b))(?!\w)", 0.6, validate=_unlisted_name),
        # Spaced-out lower-case first names: "m a r i s s a"
        rx(r"(?<![\w.])[a-z](?:\s[a-z]){3,}(?![\w.])", 0.7, validate=_spaced_first_name),
    ],
    "HcsmNameRecognizer",
)


class TokenNameRecognizer(EntityRecognizer):
    """A recognizer of NAME that loads nothing; subclasses set ``recognizer_name``."""

    recognizer_name = ""

    def __init__(self) -> None:
        super().__init__(supported_entities=["NAME"], name=self.recognizer_name)

    def load(self) -> None:
        return None


class NameHashtagRecognizer(TokenNameRecognizer):
    """A camel-case hashtag with a first name in it: "#JorgeRuns", "#HopeForNgozi". Hashtags
    whose words are all ordinary ("#NursesWeek") are not names."""

    HASHTAG = re.compile(r"(?<![\w#])#([A-Za-z][A-Za-z0-9]{3,40})\b")
    PART = re.compile(r"[A-Z][a-z]+|[a-z]+|[A-Z]+(?![a-z])|\d+")

    recognizer_name = "HcsmNameHashtagRecognizer"

    def analyze(self, text: str, entities: list[str], nlp_artifacts: object) -> list:  # type: ignore[override]
        results = []
        for match in self.HASHTAG.finditer(text):
            parts = self.PART.findall(match.group(1))
            if len(parts) < 2:
                continue
            names = [
                p
                for p in parts
                if p[0].isupper()
                and len(p) > 2
                and is_first_name(p)
                and p.lower() not in NOT_NAME_WORDS
            ]
            if names:
                results.append(RecognizerResult("NAME", match.start(), match.end(), 0.7))
        return results


DATE = RegexRecognizer(
    "DATE",
    [
        # Dates of birth and other dates tied to the person: always identifiers
        rx(
            rf"\b(?:dob|d\.o\.b\.|date\s+of\s+birth|born|birthday)\b\s*(?:of|on|is|was|:)?\s*"
            rf"(?P<id>{NUMERIC_DATE}|{WORD_DATE})",
            0.95,
        ),
        # "born at St. Brigid, at 12:04am on November 26"
        rx(rf"\bborn\b[^!?\n]{{0,40}}?\bon\s+(?P<id>{NUMERIC_DATE}|{WORD_DATE})", 0.9),
        rx(rf"(?<![\d/.-])(?P<id>{NUMERIC_DATE})(?![\d/.-])", 0.6),
        rx(rf"\b(?P<id>{WORD_DATE})\b", 0.5),
        # Patient-tied days: "admitted Tuesday", "we lost Saturday night", "seen last friday"
        rx(
            rf"\b(?:admitted|discharged|seen|saw|came\s+in|lost|died|passed(?:\s+away|\s+on)?|delivered|"
            rf"coded|operated|transferred|presented)\b[^.!?\n]{{0,30}}?\b(?P<id>(?:last\s+|this\s+|on\s+)?"
            rf"(?:{WEEKDAY}(?:\s+(?:night|morning|evening|afternoon))?|yesterday|today|tonight|"
            rf"this\s+morning|last\s+night|{NUMERIC_DATE}|{WORD_DATE}|{HOLIDAY}|{MONTH_DAY}))\b",
            0.75,
        ),
        # Time since an event in the patient's care: "3 weeks after her MVC"
        rx(
            r"\b(?P<id>\d+\s+(?:days?|weeks?|months?|years?)\s+(?:after|since|post)\s+"
            r"(?:her|his|their|the|my)\s+[a-z-]+)",
            0.6,
        ),
        rx(rf"\b(?P<id>(?:last|this\s+past)\s+{WEEKDAY}(?:\s+night)?)\b", 0.55),
        # An anniversary of an event: "2 yrs ago today", "a year ago this week"
        rx(
            r"\b(?P<id>(?:\d+|an?|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|"
            r"forty|fifty)\s+(?:days?|weeks?|months?|years?|yrs?)\s+ago\s+(?:today|tonight|this\s+week))\b",
            0.5,  # counts only in a post clearly about a patient
        ),
    ],
    "HcsmDateRecognizer",
)

# Its own entity name, so that Presidio does not drop a pattern's place inside the language
# model's ("the Lakeview Road") as a duplicate: the rules treat the two differently.
LOCATION_PATTERNS = RegexRecognizer(
    "PLACE",
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
        # Facilities a patient is in: "Riverside Medical Center", "Hospice of the Valley",
        # "St. Luke's", "Children's of Omaha"
        rx(
            r"(?-i:\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}\s+(?:Medical\s+Center|Hospital|Health\s+"
            r"Center|Rehab(?:ilitation)?\s+Center|Care\s+Center|Senior\s+Living|Cancer\s+Center)\b"
            r"|\bHospice\s+of\s+(?:the\s+)?[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?"
            r"|\bSt\.?\s+[A-Z][a-z]+['’]s\b|\bChildren['’]s\s+(?:of\s+)?[A-Z][a-z]+)",
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
# Short forms that Faker's lists lack and that are not English words.
NICKNAMES = frozenset(
    [
        "jess",
        "gabe",
        "ned",
        "vic",
        "walt",
        "gus",
        "ernie",
        "marty",
        "manny",
        "sal",
        "vinny",
        "freddie",
        "stevie",
        "jojo",
        "trish",
    ]
)
FIRST_NAMES = (
    frozenset(n.lower() for n in [*USNames.first_names, *GBNames.first_names, *NICKNAMES])
    - NOT_FIRST_NAMES
)
# Faker's first-name lists of other Latin-script locales, for patients who are not called
# Mary or John ("Tomasz", "Ngozi", "Aarav", "Siobhan"). Many of them are English words too
# ("Hope", "Mercy", "Patience"), so only names that are not in the English dictionary count.
OTHER_NAME_LOCALES = [
    "en",  # Faker's long English list (the SSA's names): "Jaxon", "Aiden", "Kazuko"
    "en_IE",
    "en_IN",
    "en_KE",
    "en_NG",
    "en_NZ",
    "en_PK",
    "es_ES",
    "es_MX",
    "pt_BR",
    "pt_PT",
    "de_DE",
    "fr_FR",
    "it_IT",
    "pl_PL",
    "nl_NL",
    "sv_SE",
    "da_DK",
    "no_NO",
    "fi_FI",
    "cs_CZ",
    "hr_HR",
    "hu_HU",
    "ro_RO",
    "tr_TR",
    "id_ID",
    "vi_VN",
    "ga_IE",
    "ig_NG",
    "yo_NG",
    "ha_NG",
    "sw",
    "zu_ZA",
    "tw_GH",
]
# Words that come before or stand for a person without being a name.
NOT_NAME_WORDS = frozenset(
    [
        "siya",  # Tagalog "she/he" in a code-switched post
        "qs",  # "general Qs only"
        # games and a procedure that read as names
        "uno",
        "jenga",
        "yahtzee",
        "whipple",
        # companies that open sentences as people do ("Pfizer announced")
        "pfizer",
        "moderna",
        "merck",
        "novartis",
        "medtronic",
        "abbvie",
        "genentech",
        "epic",
        "cerner",
        "mom",
        "mum",
        "dad",
        "mother",
        "father",
        "grandma",
        "grandpa",
        "granny",
        "nana",
        "papa",
        "baby",
        "sir",
        "maam",
        "ma'am",
        "honey",
        "nurse",
        "doctor",
        "doc",
        "patient",
        "pt",
        "family",
        "friend",
        "everyone",
        "someone",
        "anyone",
        "nobody",
        "guy",
        "lady",
        "man",
        "woman",
        "kid",
        "boy",
        "girl",
        "son",
        "daughter",
        "husband",
        "wife",
        "brother",
        "sister",
        "aunt",
        "uncle",
        "cousin",
        "team",
        "hospital",
        "clinic",
        "unit",
        "kiddo",
        "buddy",
        "bud",
        "champ",
        "sweetie",
        "cutie",
        "instagram",
        "facebook",
        "tiktok",
        "twitter",
        "youtube",
        "snapchat",
        "whatsapp",
        "linkedin",
        "zoom",
        "facetime",
        "google",
        "iphone",
        "fitbit",
        "narcan",
        "gofundme",
        "caringbridge",
        "covid",
        # payment apps and games posts name, and pronouns with their verb
        "venmo",
        "cashapp",
        "zelle",
        "paypal",
        "pokemon",
        "pokémon",
        "he's",
        "she's",
        "he’s",
        "she’s",
    ]
)


def _latin_name(name: str) -> bool:
    return name.isalpha() and all(c.isascii() or "LATIN" in unicodedata.name(c, "") for c in name)


@functools.cache
def english_words() -> frozenset[str]:
    """The English dictionary of the installed spaCy model's lemmatizer (WordNet's lemma
    index, about 83,000 words), read from the package on disk; empty without the model."""
    import spacy
    from spacy.lookups import Lookups

    model = settings.HCSM_CHECKER_SPACY_MODEL
    if not spacy.util.is_package(model):
        return frozenset()
    paths = sorted(spacy.util.get_package_path(model).glob("*/lemmatizer/lookups"))
    if not paths:
        return frozenset()
    lookups = Lookups().from_disk(paths[0])
    if "lemma_index" not in lookups.tables:
        return frozenset()
    return frozenset(w for words in lookups.get_table("lemma_index").values() for w in words)


@functools.cache
def more_first_names() -> frozenset[str]:
    """First names of the other locales that are not English words (none without the model:
    nothing to tell "Hope" the name from "hope" the word)."""
    words = english_words()
    if not words:
        return frozenset()
    names = faker_first_names(OTHER_NAME_LOCALES)
    return frozenset(names - words - FIRST_NAMES - NOT_FIRST_NAMES - NOT_NAME_WORDS)


def _faker_names(locales: list[str], attrs: tuple[str, ...]) -> set[str]:
    """Faker's names of these locales and lists in Latin letters, three letters or more, lower
    case."""
    names: set[str] = set()
    for locale in locales:
        provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        for attr in attrs:
            value = getattr(provider, attr, None) or ()
            names.update(n.lower() for n in value if len(n) > 2 and _latin_name(n))
    return names


def faker_first_names(locales: list[str]) -> set[str]:
    return _faker_names(locales, ("first_names", "first_names_male", "first_names_female"))


@functools.cache
def faker_last_names() -> frozenset[str]:
    """Faker's English family names ("Johnson", "Brown")."""
    return frozenset(_faker_names(["en", "en_US", "en_GB"], ("last_names",)))


def is_first_name(word: str) -> bool:
    word = word.lower()
    return word in FIRST_NAMES or word in more_first_names()


MONTHS_AND_DAYS = frozenset(
    [m.lower() for m in calendar.month_name[1:]] + [d.lower() for d in calendar.day_name]
)


@functools.cache
def ambiguous_first_names() -> frozenset[str]:
    """First names that are English words too ("Lily", "Mason", "Dale", "Ruby"): a name only
    where the tagger calls the capitalised word a proper noun inside a sentence (none without
    the model)."""
    words = english_words()
    if not words:
        return frozenset()
    listed = faker_first_names(["en", "en_US", "en_GB"])
    return frozenset(
        ((listed & words) | NOT_FIRST_NAMES) - MONTHS_AND_DAYS - NOT_NAME_WORDS - NEVER_NAMES
    )


# Words of the name lists that a hospital's posts capitalise for other reasons: units ("7
# East"), titles, places, colours, virtues, and words of headings ("Best", "Love").
NEVER_NAMES = frozenset(
    [
        "north",
        "south",
        "east",
        "west",
        "star",
        "best",
        "long",
        "young",
        "love",
        "blue",
        "gray",
        "grey",
        "king",
        "prince",
        "major",
        "hall",
        "bell",
        "cook",
        "baker",
        "porter",
        "page",
        "will",
        "may",
        "mark",
        "bill",
        "chase",
        "lane",
        "van",
        "gay",
        "frank",
        "earnest",
        "christian",
        "sky",
        "winter",
        "autumn",
        "summer",
        "paris",
        "london",
        "dallas",
        "brooklyn",
        "hope",
        "faith",
        "grace",
        "joy",
        "mercy",
        "patience",
        "charity",
    ]
)


NOT_NAME_POS = frozenset({"VERB", "AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "ADV", "INTJ"})


class FirstNameRecognizer(TokenNameRecognizer):
    """A first name on its own ("Harold in bed 14"), which the small spaCy model often misses:
    a capitalised word from Faker's English first-name lists that the tagger does not call a
    verb, pronoun or the like (the small tagger often calls a name at the start of a sentence a
    noun). Without the model, the first word of a sentence is skipped."""

    recognizer_name = "HcsmFirstNameRecognizer"

    def analyze(self, text: str, entities: list[str], nlp_artifacts) -> list:  # type: ignore[no-untyped-def, override]
        doc = getattr(nlp_artifacts, "tokens", None)
        if doc is None:
            return []
        tagged = doc.has_annotation("TAG")
        more = more_first_names()
        results = []
        for token in doc:
            word = token.text
            if len(word) < 3 or not word[0].isupper() or word.isupper():
                continue  # "NED" (no evidence of disease) is not Ned
            if word.lower() not in FIRST_NAMES and not (
                word.lower() in more and tagged and token.pos_ == "PROPN"
            ):
                continue  # a name of another locale only where the tagger says proper noun
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


class InSentenceNameRecognizer(TokenNameRecognizer):
    """A guess at a name (score 0.45) from a word the tagger calls a proper noun inside a
    sentence; subclasses say which words. The rules count it only in a post that is clearly
    about a patient."""

    SENTENCE_BREAK = frozenset({".", "!", "?", "#", "@", '"', "“"})

    def ready(self) -> bool:
        raise NotImplementedError

    def keeps(self, token) -> bool:  # type: ignore[no-untyped-def]
        raise NotImplementedError

    def analyze(self, text: str, entities: list[str], nlp_artifacts) -> list:  # type: ignore[no-untyped-def, override]
        doc = getattr(nlp_artifacts, "tokens", None)
        if doc is None or not self.ready() or not doc.has_annotation("TAG"):
            return []
        return [
            RecognizerResult("NAME", token.idx, token.idx + len(token.text), 0.45)
            for token in doc
            if token.pos_ == "PROPN"
            and (
                token.i > 0
                and doc[token.i - 1].text not in self.SENTENCE_BREAK
                or self.subject_opening_a_sentence(doc, token)
            )
            and self.keeps(token)
        ]

    def subject_opening_a_sentence(self, doc, token) -> bool:  # type: ignore[no-untyped-def]
        """A word opening a sentence is a name only for some subclasses ("Chidi extubated")."""
        return False


class ProperNounRecognizer(InSentenceNameRecognizer):
    """A capitalised word the tagger calls a proper noun and the English dictionary does not
    know, inside a sentence ("Watching Priyanka take her baby home"): most often a name the
    lists and the small model miss. Place names the model recognises, drug names and
    all-capital abbreviations are left out."""

    NOT_PEOPLE = frozenset({"GPE", "LOC", "FAC", "NORP", "PRODUCT", "EVENT", "LAW", "LANGUAGE"})

    recognizer_name = "HcsmProperNounRecognizer"

    def ready(self) -> bool:
        return bool(english_words())

    def subject_opening_a_sentence(self, doc, token) -> bool:  # type: ignore[no-untyped-def]
        """An unknown word opening a sentence and followed by a verb, adverbs aside ("PICU day
        9. Chidi extubated this morning", "Priyanka finally goes home"), not the first word of
        the post, which the tagger calls a proper noun too often."""
        following = [t for t in doc[token.i + 1 : token.i + 4] if t.pos_ != "ADV"]  # "finally"
        return (
            token.i > 0
            and doc[token.i - 1].text in {".", "!", "?"}
            and token.ent_type_ != "ORG"  # "Pfizer announced"
            and bool(following)
            and following[0].pos_ == "VERB"
        )

    def keeps(self, token) -> bool:  # type: ignore[no-untyped-def]
        word = token.text
        words = english_words()
        return not (
            len(word) < 3
            or not word.isalpha()
            or not word[0].isupper()
            or word.isupper()
            or token.is_stop
            or word.lower() in words
            or token.lemma_.lower() in words  # "Kids", "Users": plurals of words
            or word.lower().rstrip("s") in words
            or word.lower() in NOT_NAME_WORDS
            or token.ent_type_ in self.NOT_PEOPLE
        )


class AmbiguousNameRecognizer(InSentenceNameRecognizer):
    """A first name that is also an English word ("Mom says Mason was curious", "give Lily
    5 ml"), capitalised inside a sentence where the tagger calls it a proper noun."""

    recognizer_name = "HcsmAmbiguousNameRecognizer"
    SENTENCE_BREAK = InSentenceNameRecognizer.SENTENCE_BREAK | {":"}

    def ready(self) -> bool:
        return bool(ambiguous_first_names())

    def keeps(self, token) -> bool:  # type: ignore[no-untyped-def]
        return (
            token.text.istitle()
            and token.text.lower() in ambiguous_first_names()
            and not token.is_sent_start
        )


CLOSED_CLASSES = frozenset({"AUX", "ADP", "DET", "PRON", "CCONJ", "SCONJ", "PART", "NUM"})


class LowerFirstNameRecognizer(TokenNameRecognizer):
    """A first name written in lower case ("shoutout to gladys (96yo)", "last chemo for maria
    g"): a word of four letters or more from the English first-name lists that the dictionary
    does not know (or that the tagger calls a proper noun) and that is not a closed-class word,
    with a one-letter initial after it if there is one. The rules count it only in a post
    clearly about a patient."""

    recognizer_name = "HcsmLowerFirstNameRecognizer"
    KIN = frozenset(
        [
            "grandma",
            "grandpa",
            "granny",
            "nana",
            "nanna",
            "gran",
            "gramps",
            "papa",
            "mama",
            "mom",
            "mum",
            "dad",
            "aunt",
            "auntie",
            "uncle",
            "miss",
            "mrs",
            "mr",
            "ms",
            "sister",
            "brother",
            "cousin",
            "abuela",
            "abuelo",
            "lola",
            "lolo",
            "nonna",
            "nonno",
            "oma",
            "opa",
            "meemaw",
            "mamaw",
            "papaw",
            "baba",
            "bubbe",
        ]
    )

    def analyze(self, text: str, entities: list[str], nlp_artifacts) -> list:  # type: ignore[no-untyped-def, override]
        doc = getattr(nlp_artifacts, "tokens", None)
        words = english_words()
        if doc is None or not words or not doc.has_annotation("TAG"):
            return []
        results = []
        for token in doc:
            word = token.text
            # after a family word a name may be a word too: "grandma hazel", "miss faith"
            kin = token.i > 0 and doc[token.i - 1].text.lower() in self.KIN
            if (
                len(word) < (3 if kin else 4)
                or not word.isalpha()
                or not word.islower()
                or not is_first_name(word)
                or word in words
                and token.pos_ != "PROPN"  # "maria" is a word, but not here
                and not kin
                or word in NOT_FIRST_NAMES
                or token.is_stop
                or token.pos_ in CLOSED_CLASSES
                or token.lemma_.lower() != word
                and token.lemma_.lower() in words  # "hung"
                or (token.i > 0 and doc[token.i - 1].text in {"#", "@"})
            ):
                continue
            end = token.idx + len(word)
            nxt = doc[token.i + 1] if token.i + 1 < len(doc) else None
            if nxt is not None and len(nxt.text) == 1 and nxt.text.isalpha():
                end = nxt.idx + 1  # "maria g"
            results.append(RecognizerResult("NAME", token.idx, end, 0.45))
        return results


# A family name before "family": "the whole Asante family", "the Okonjo twins"; counted only in
# a post clearly about a patient ("welcome to the Geisinger family" is an employer)
FAMILY_NAME = RegexRecognizer(
    "NAME",
    [
        rx(
            rf"\bthe\s+(?:whole\s+|entire\s+)?(?P<id>{CAP_NAME}(?:-{CAP_NAME})?)\s+"
            r"(?:family|twins|triplets|kids|household)\b",
            0.7,
            validate=_capitalised_name,
        )
    ],
    "HcsmFamilyNameRecognizer",
)

# Initials with their dots that are not a person's: degrees, times, places, Latin
NOT_INITIALS = frozenset(
    ["am", "pm", "us", "uk", "dc", "la", "nj", "ny", "md", "do", "rn", "np", "pa", "dds", "dmd"]
    + ["od", "ms", "ma", "ba", "bs", "bsn", "msn", "er", "ed", "or", "iv", "ie", "eg", "nb"]
    + ["ps", "aka", "rip", "asap", "eta", "fyi", "usa", "un", "eu", "tv", "dj", "vip", "po"]
    + ["pr", "mri", "ct", "ok", "cpr", "gi", "ob", "em", "bid", "tid", "qid", "prn", "qhs", "hs"]
    + ["qd", "qod", "npo", "ac", "pc", "sl", "im", "sq", "lpn", "cna", "pt", "ot", "rt", "icu"]
    + ["nyc", "yo", "sp", "hx", "dx", "rx", "tx", "fx", "sx", "cc", "wc"]
)


def _initials(value: str) -> bool:
    return value.replace(".", "").replace(" ", "").lower() not in NOT_INITIALS


# A patient's initials: "Rounding on J.R. this am", "m.b. came back", "for L.M." (counted only
# where the post is clearly about a patient)
INITIALS = RegexRecognizer(
    "NAME",
    [rx(r"(?<![\w.&/])[a-z]\.\s?[a-z]\.(?:\s?[a-z]\.)?(?![\w]|\.\w)", 0.5, validate=_initials)],
    "HcsmInitialsRecognizer",
)

CUSTOM_RECOGNIZERS = [
    MRN,
    HEALTH_PLAN,
    ACCOUNT,
    SSN,
    PHONE,
    AGE,
    AGE_IN_CONTEXT,
    ROOM,
    VEHICLE,
    SPELLED_EMAIL,
    HANDLE,
    NAME_PATTERNS,
    INITIALS,
    FAMILY_NAME,
    NameHashtagRecognizer(),
    DATE,
    LOCATION_PATTERNS,
    FirstNameRecognizer(),
    ProperNounRecognizer(),
    AmbiguousNameRecognizer(),
    LowerFirstNameRecognizer(),
]
