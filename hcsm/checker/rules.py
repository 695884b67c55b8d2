"""The rules of the professionalism check. ``settings.HCSM_CHECKER_RULES`` lists them; each is
a class with ``code`` and ``check(draft) -> list[Finding]``.

``Draft`` carries the normalised text (offsets map back to what was typed) and the author.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pycountry
from django.conf import settings
from django.utils.module_loading import import_string

from .engine import hcsm_engine
from .findings import KINDS, Author, Category, Finding, Severity
from .recognizers import (
    CAR_COLOUR,
    FIRST_NAMES,
    MEASURE_BEFORE,
    MONTH,
    NOT_A_UNIT,
    NOT_FIRST_NAMES,
    NOT_NAME_WORDS,
    STOP_WORDS,
    WEEKDAY,
    ambiguous_first_names,
    english_words,
    is_first_name,
    plural_of_word,
)
from .text import NormalizedText


@dataclass(frozen=True)
class Draft:
    text: NormalizedText
    author: Author
    # Findings of each rule class on this draft, so that a rule another rule asks (the PHI rule
    # asks the advice rule) runs once per check; it lives as long as the draft.
    memo: dict[type, list[Finding]] = field(default_factory=dict, compare=False, repr=False)


class Rule:
    code = ""

    def check(self, draft: Draft) -> list[Finding]:
        raise NotImplementedError

    def findings(self, draft: Draft) -> list[Finding]:
        """``check``, once per draft and rule class."""
        if type(self) not in draft.memo:
            draft.memo[type(self)] = self.check(draft)
        return list(draft.memo[type(self)])


# PHI --------------------------------------------------------------------------------------

# Signs that a post is about a patient. Strong signs make every identifier count; weak ones
# (a unit, a clinic, a family member) make names, handles and contact details count, but not
# the language model's relative dates and place names ("Monday", "Springfield").
STRONG_PATIENT_CONTEXT = re.compile(
    # a room or bed with its number ("room 412"), not the break room or the ICU team's bay
    # patients, but not the services for all of them ("patient portal messages", "patient
    # experience")
    r"\b(?:my\s+pt|pts?|"
    # ... and not patients in general ("2 visitors per patient", "keeping our patients safe")
    r"(?<!\bour\s)(?<!\ball\s)(?<!\bper\s)(?<!\bevery\s)(?<!\bfor\s)(?<!\bmany\s)"
    r"(?<!\bmost\s)(?<!\bsome\s)(?<!\bnew\s)(?<!\bother\s)(?<!\beach\s)"
    r"patients?(?!['’]?\s+(?:portals?|experience|education|safety|"
    r"satisfaction|advoca\w+|advisory|services|navigat\w+|access|parking|financial|relations|"
    r"and\s+visitors|&\s+visitors|family\s+advisory|first\b))|mrs?\b|ms\b|miss|"
    r"(?<!conference\s)(?<!meeting\s)(?<!training\s)(?<!call\sroom\s)"
    r"(?<!class\s)(?:bed|room|rm|bay)s?\s*#?\s*\d+[a-z]?(?!\s+(?:in|of|at)\s+(?:our|the)\s+"
    r"(?:new\s+)?(?:[\w'’-]+\s+){0,3}(?:outpatient|sleep|annex|building|clinic|infusion|wing|cent(?:er|re)|lab|hall|"
    r"hotel))|admitted|admission|"
    r"discharged?|diagnos\w*|icu|ccu|picu|nicu|code|coded|surgery|post-?op|chemo|stent|bypass|"
    r"scans?|biopsy|transplant|dialysis|mrn|dob|y/?o|yo|passed\s+away|hospice|kiddo|"
    r"went\s+home|going\s+home|goes\s+home|head(?:ed|ing)\s+home|home\s+today|delivered|"
    r"gunshot|victim|x-?ray|ambulance|"
    r"extubated|intubated|nursing\s+home|memory\s+care|assisted\s+living|"
    # lab results, not a cath lab or a sim lab opening
    r"(?<!cath\s)(?<!sim\s)(?<!skills\s)(?<!new\s)(?<!research\s)labs?|"
    r"(?:knee|hip|shoulder|valve|joint)\s+replacement|"
    # one person's care or death (illnesses alone are weak signs: education names them too)
    r"overdosed?|(?:on|off)\s+the\s+vent(?:ilator)?|amputation|amputee|fractured|stitched\s+up|"
    r"broken\s+(?:hip|arm|leg|ankle|wrist|neck|back|bones?)|dressing\s+change|died|"
    r"we\s+lost(?!\s+(?:the\s+)?(?:power|wifi|internet|signal|track|game|match|to))|"
    r"rip|rest\s+easy|rest\s+in\s+peace|passed\s+(?:peacefully|on)|emergency\s+contact|hearing\s+aids?|copay|prior\s+auth|"
    r"step-?down|discharge\s+papers|caregiver|caringbridge|gofundme|"
    # a therapist's or social worker's client, and care that only one person gets
    r"(?:my|a|our|the)\s+client(?:['’]s)?|trach|g-?tube|feeding\s+tube|caring\s+for|"
    # a patient who keeps coming back, in ED slang
    r"frequent\s+flyer|(?:prayfor|prayersfor|fightlike|stronglike|bravelike|rip)\w+|"
    # "came off ECMO", "off the vent"
    r"ecmo|came\s+off\s+(?:the\s+)?(?:vent\w*|oxygen|o2|bipap|cpap|pressors)|"
    # a chart's shorthand and operations one person has: "POD 2" (not the ED's "Pod 2"), "s/p",
    # "hx", "CABG"
    r"(?-i:POD)\s*#?\d|s/p|hx|cabg|tavr|orif|surgeries|"
    # a birth date ("born March 2, 1941", "born 11.02.2026"), a death remembered ("happy heavenly
    # birthday"), a case presented ("presented with sudden vision loss")
    r"born\s+(?:on\s+)?(?:\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d)|"
    r"heavenly\s+birthday|angelversary|(?:presented|presenting|presents)\s+(?:to\s+\w+\s+)?with|"
    r"interesting\s+case|case\s+of\s+the\s+(?:day|week)|"
    # the operating room: "before going back to the OR"
    r"(?:to|in|from|into|out\s+of)\s+the\s+(?-i:OR))\b",
    re.IGNORECASE,
)
WEAK_PATIENT_CONTEXT = re.compile(
    r"\b(?:ed|er|trauma|cancer|hospital|unit|floor|clinic|ward|shift|visited|saw|seen|family|"
    r"daughter|son|wife|husband|grandma|grandpa|aunt|uncle|grandson|granddaughter|grandmother|"
    r"grandfather|niece|nephew|gogo|abuelo|abuela|nonna|nonno|baba|babushka|bubbe|lola|lolo|"
    r"prescription|refill|meds|insurance|"
    r"billing|chart|echo|rehab|ivf|vet|ems|pickup|counter|pharmacy|insulin|treated|sutured|"
    r"stitches|prayers?|pray|came\s+in|brought\s+in|recovery|recovering|surgeon|"
    r"baby|appointment|shots|vaccinated|fever|pain|rx|medications?|pills|"
    r"dose|claim|records|specialist|referral|walker|wheelchair|recover(?:ed|s)?|healing|"
    r"kidney|stroke|fell|fall|crash|wreck|accident|mvc|injur(?:y|ies|ed)|burns?|bleeding|"
    r"vent|follow-?up|home\s+visit|visit(?:s|ing)?|trusting\s+us|sepsis|septic|ventilator|"
    r"fracture|wound|pacemaker|a1c|potassium|dementia|alzheimer'?s|pneumonia|cardiac\s+arrest|"
    r"cpr|palliative|comfort\s+care|transfusion|postpartum|c-section|newborn|leukemia|"
    r"lymphoma|tumou?r|heart\s+attack|r(?:ang|ings?|inging)\s+the\s+bell|radiation|"
    r"chemotherapy|hodgkin['’]?s|intubation|sedated|seizures?|coma|cough(?:ing)?|flare|rash|"
    r"swelling|"
    r"collapsed|sober|relapse|waiting\s+room|will-call|transported|code\s+blue|"
    # a procedure one person has: "his appendectomy", "after her TAVR"; "came into urgent care"
    r"\w{3,}(?:ectomy|otomy|ostomy|plasty|scopy)|pci|came\s+into|"
    r"clinicals|rounding|meal\s+train|telehealth|telemed\w*|video\s+visit|re-?check|check-?up|"
    r"well[- ]child)\b",
    re.IGNORECASE,
)
MODEL_ONLY = {"SpacyRecognizer", "DateRecognizer"}
# Guesses that count only where the post is clearly about a patient.
STRONG_CONTEXT_ONLY = {
    "HcsmProperNounRecognizer",
    "HcsmAmbiguousNameRecognizer",
    "HcsmInitialsRecognizer",
    "HcsmFamilyNameRecognizer",
    "HcsmLowerFirstNameRecognizer",
    "HcsmAgeInContextRecognizer",
}
SAINT = re.compile(r"\b(?:st|saint)\.?\s+$", re.IGNORECASE)  # "St. Mary's" is a place
SAINT_NAME = re.compile(r"(?:st|saint)\.?\s+[A-Z]", re.IGNORECASE)  # "St John's wort"
MONTH_DAY_NAME = re.compile(rf"{MONTH}\.?\s+\d", re.IGNORECASE)  # "Jan 1", "Dec. 3": a date
NAME_PART = re.compile(r"[A-Z][a-z'’]+|[a-z][a-z'’]+")  # the words of a name or hashtag
COLOUR_BEFORE = re.compile(rf"\b{CAR_COLOUR}\s+$", re.IGNORECASE)
PET_BEFORE = re.compile(
    r"\b(?:dog|dogs|cat|cats|puppy|pup|kitten|beagle|retriever|lab|terrier|horse|pony|pet|"
    r"parrot|bunny|hamster)\s+(?:named\s+|called\s+)?$",
    re.IGNORECASE,
)
ARTICLE_BEFORE = re.compile(r"\b(?:a|an)\s+$", re.IGNORECASE)  # "swallowed a Lego"
RELATIVE = (
    r"(?:mom|mum|mother|dad|father|nana|grandma|grandmother|grandpa|grandfather|gran|granny|son|"
    r"daughter|kid|baby|toddler|child|husband|wife|partner|brother|sister|aunt|uncle|"
    r"little\s+(?:girl|boy|guy|man|one)|girl|boy|"
    r"mother-in-law|father-in-law|grandson|granddaughter|grandbaby|grandkid|grandchild|niece|"
    r"nephew|newborn|infant)"
)
# Whose story a post tells: the reader's relative ("your dad"), a third person, or the author's
# own relative or patient ("my gran", "my pt").
RELATIVE_OF_READER = re.compile(
    rf"\b(?:your|ur)\s+(?:\w+['’]s\s+)?(?:\d+\s*(?:lbs?|kg|pounds?)\s+|sick\s+|poor\s+|"
    r"\d+\s*(?:yo|y/o|y\.o\.|(?:year|yr)[- ]old)\s+)?(?:great-?)*"
    rf"(?:{RELATIVE}|\d+[- ](?:year|yr|month)[- ]old)\b"
    # a child by their age in a reply's advice: "for a 102 in a 2 yo just alternate..."
    r"|\b(?:your|ur|a|an)\s+\d{1,2}[- ]?(?:yo|y/o|(?:year|yr|month|mo|week|wk)s?[- ]old)\b"
    # the same in the Spanish of a code-switched reply ("tu mamá", "a tu abuelita")
    r"|\btu\s+(?:mam[aá]|pap[aá]|abuel\w*|hij[oa]|espos[oa]|herman[oa]|beb[eé]|ni[nñ][oa]|"
    r"t[ií][oa])\b",
    re.IGNORECASE,
)
THIRD_PERSON = re.compile(r"\b(?:she|he|her|him|his)\b", re.IGNORECASE)
AUTHORS_RELATIVE = re.compile(
    rf"\bmy\s+(?:\w+\s+)?(?:{RELATIVE}|patient|pt|client)\b", re.IGNORECASE
)
# A first name that a piece of advice is about: "give Ava 5 mL", "for Mateo at 18 kg",
# "Jayden is 40 lb", "Owen at 22 lb can have", "Kayla has reflux", "Tyler is old enough".
ADVICE_SUBJECT = re.compile(
    r"\b(?i:give|giving|for|let)\s+(?P<name>[A-Z][a-z]{2,})\b(?=\s+(?:\d|the|a|an|some|half|"
    r"one|her|his|children['’]s|infant|baby)\b|\s+(?:at|is)\s+\d)"
    r"|\b(?P<name2>[A-Z][a-z]{2,})(?=\s+(?:is|at|weighs)\s+(?:\d+(?:\.\d+)?\s*(?:lbs?|kg|"
    r"kilos?|pounds|months?|mos?|years?|yrs?|y/?o)\b|old\s+enough)|\s+(?:has|needs|should|"
    r"can\s+(?:have|take))\b)"
    # "for Noah's diaper rash", "Harper's eye looks like cellulitis": whose body the advice is about
    r"|\b(?P<name3>[A-Z][a-z]{2,})(?=['’]s\b)"
)
# A name the reply opens with, said to the asker ("hey Jen,", "Deb, for your mom..."): like the
# asker's handle, it leads to the patient when the advice is about the asker's relative.
VOCATIVE = re.compile(r"^\s*(?:(?i:hey|hi|hello|dear)\s+)?(?P<name>[A-Z][a-z]{2,})\s*[,:]")
EXPLICIT_REPLY = re.compile(r"^\s*(?:replying|reply)\s+to\s+(?:@|u/)", re.IGNORECASE)
HANDLE_TOKEN = re.compile(r"(?<![\w@])@\w[\w.-]*\w|(?<![\w/])u/[\w-]{3,20}")
# A handle that opens a post is who a reply is addressed to, not a patient in a story.
REPLY_TO = re.compile(
    r"^\s*(?:(?:replying|reply)\s+to\s+)?(?:(?:@\w[\w.-]*|u/[\w-]+)[\s,:]+)*$", re.IGNORECASE
)
# A title before a colleague's or a public person's name: abbreviations with or without their
# dot ("Dr. Chen", "Gov Ames"), words without one ("his doctor. DeShawn is 19" ends a sentence)
CLINICIAN_TITLE = re.compile(
    r"(?:\b(?:dr|prof|rep|gov|sen|pres|cna|lpn|emt|np|pa|rn|md)\.?\s+|"
    r"\b(?:doctor|professor|nurse|colleague|manager|dean|senator|president|tech|aide|medic|"
    r"therapist|pharmacist|chaplain|volunteer|mentors?|ceo|director|chief|resident|fellow|"
    r"intern|governor|mayor|judge|sheriff)\s+|@)$",
    re.IGNORECASE,
)

LONG_TERM_CARE = re.compile(
    r"\b(?:memory\s+care|nursing\s+home|assisted\s+living|long[-\s]term\s+care|ltc|"
    r"skilled\s+nursing|snf|care\s+home|residents|#?100(?:th|yearsyoung)|centenarian|"
    r"(?:9\d|1[01]\d)(?:th)?\s+birthday)\b",
    re.IGNORECASE,
)

ENTITY_TO_KIND = {
    "PERSON": "NAME",
    "NAME": "NAME",
    "LOCATION": "LOCATION",
    "PLACE": "LOCATION",
    "DATE_TIME": "DATE",
    "DATE": "DATE",
    "AGE": "AGE",
    "PHONE_NUMBER": "PHONE",
    "PHONE": "PHONE",
    "EMAIL_ADDRESS": "EMAIL",
    "US_SSN": "SSN",
    "SSN": "SSN",
    "MRN": "MRN",
    "HEALTH_PLAN": "HEALTH_PLAN",
    "US_HEALTH_INSURANCE_MEMBER_ID": "HEALTH_PLAN",
    "US_MBI": "HEALTH_PLAN",
    "ACCOUNT": "ACCOUNT",
    "CREDIT_CARD": "ACCOUNT",
    "IBAN_CODE": "ACCOUNT",
    "MEDICAL_LICENSE": "LICENSE",
    "URL": "URL",
    "IP_ADDRESS": "IP",
    "HANDLE": "HANDLE",
    "ROOM": "ROOM",
    "VEHICLE": "VEHICLE",
}
# Without any sign of a patient in the post, these kinds are only noted (severity info): a
# colleague's name, the clinic's phone, a conference city or date are not PHI.
NEEDS_PATIENT_CONTEXT = {"NAME", "LOCATION", "DATE", "PHONE", "EMAIL", "HANDLE", "URL"}
ALWAYS_BLOCK = {"SSN", "MRN", "HEALTH_PLAN", "ACCOUNT", "AGE"}
NOT_DATES = ALWAYS_BLOCK | {"PHONE"}  # found as these, a number is not also a date
NOT_A_DATE = re.compile(
    r"^(?:\d{4}|\d+\s*(?:years?|yrs?|months?|weeks?|days?|hours?|minutes?)(?:\s+\w+)?|"
    r"(?:every|each|a|per)\s+\w+|\w+\s+season|night|tonight|today|daily|weekly|annual\w*|"
    r"the\s+\w+s|\d{2}s|\d+\s+or\s+(?:older|over|more)|(?:in\s+)?(?:their|her|his|the)\s+(?:early\s+|late\s+|mid-?)?\d0s|the\s+day|(?:this|next)\s+(?:week|month|year)|last\s+year|years?|"
    r"decades?|christmas|thanksgiving|easter|halloween|new\s+year'?s?|(?:the\s+)?fourth|"
    r"holidays?|weekends?|this\s+(?:winter|spring|summer|fall|season)|"
    # times of day and durations: "9 am", "8 am to 8 pm", "an hour later", "up to 28 days"
    r"\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)(?:\s*(?:to|-|–|until)\s*\d{1,2}(?::\d{2})?"
    r"\s*(?:am|pm|a\.m\.|p\.m\.))?(?:\s+(?:every|each)\s+\w+)?|noon|midnight|(?:the\s+)?"
    r"(?:morning|afternoon|evening)|(?:an?|one|\d+)\s+(?:hours?|minutes?)\s+(?:later|ago|before|"
    r"after)|(?:an?|one|a\s+few|several)\s+(?:hours?|minutes?|days?|weeks?)|"
    r"(?:an?|the)\s+(?:\w+\s+)?(?:year|month|week|day|night|shift)|"
    r"all\s+(?:night|day|week|morning|afternoon|evening)|(?:up\s+to|about|over|under|"
    r"within|around|age)\s+\d+(?:\s+\w+)?|\d{1,3}|\d{5,}|hours|week|(?!last\b|this\b|that\b)\w+\s+week|"
    # "two weeks", "10 tonight", "intern year", a month alone ("in December")
    r"(?:two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:hours?|days?|weeks?|months?)|"
    r"\d{1,3}\s+(?:tonight|today|tomorrow)|[a-z]+\s+year|"
    # "this quarter", "in their 90s today", "eleven years", "her last hours", "4x tonight"
    r"(?:this|last|next)\s+quarter|\d{2,3}s|\d{1,2}:\d{2}|\d+-(?:hour|day|week|minute)s?|"
    r"(?:around|about|at|by|before|after|until)\s+\d{1,2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)|"
    r"every\s+(?:single\s+)?day|the\s+last\s+few\s+(?:days|weeks|hours)|"
    r"(?:next|last|this)\s+(?:spring|summer|fall|autumn|winter)|months|days|day|the\s+year\W*|"
    r"(?:their|her|his)\s+\d0s(?:\s+today)?|(?:two|three|four|five|"
    r"six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty)\s+years?|(?:her|his|their)\s+"
    r"(?:last|final)\s+(?:hours?|days?|weeks?|moments)|\d+\s*x\s+(?:tonight|today)|\d+\s*x|nights|"
    r"some\s+days|the\s+day\W*|(?:\d(?:st|nd|rd|th)|first|second|third|fourth|last)\s+\w+\s+of\s+"
    r"(?:every|each|the)\s+month|"
    r"(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*|may|"
    # "after weeks of work", "on day 10 in the MICU": a duration and a hospital day, not dates
    r"weeks|years|minutes|(?:day|week|night)\s+\d{1,3}|"
    # durations: "about six weeks", "Five years later" (but "6 weeks after his stroke" dates an
    # event of one patient's care)
    r"(?:about|around|almost|nearly|over|under|for|only)?\s*(?:\d+\+?|a\s+few|several|one|two|"
    r"three|four|five|six|seven|eight|nine|ten|twelve|twenty|thirty)\s+(?:minutes?|mins?|"
    r"hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?)(?:\s+(?:later|of|into)\b.*)?|"
    r"(?:the\s+)?(?:end|start|beginning|middle)\s+of\s+(?:\w+\s+){0,2}(?:day|shift|week)|"
    r"[^\w]+)$",
    re.IGNORECASE,
)
# A date or time has a digit or a word of time in it
TEMPORAL = re.compile(
    rf"\d|\b(?:{WEEKDAY}|{MONTH}|today|tonight|tomorrow|tmrw|tmr|yesterday|morning|"
    r"afternoon|evening|night|noon|midnight|day|days|week|weeks|weekend|month|months|year|years|"
    r"hours?|minutes?|ago|last|next|christmas|thanksgiving|easter|halloween|holidays?|season|"
    r"spring|summer|fall|autumn|winter|birthday|anniversary|eve)",
    re.IGNORECASE,
)
UNIT_NAME = re.compile(
    r"^(?:\d+\s*)?(?:north|south|east|west|northeast|northwest|southeast|southwest)$", re.IGNORECASE
)
# Toll-free numbers belong to organisations, never to a patient.
TOLL_FREE = re.compile(r"^(?:\+?1[\s.-]?)?\(?8(?:00|33|44|55|66|77|88)\)?[\s.-]?\d{3}[\s.-]?\d{4}$")
EVERY = re.compile(r"\b(?:every|each)\s+$", re.IGNORECASE)
WORDS_NOT_NAMES = re.compile(
    r"^(?:thanksgiving|christmas|wwii|covid|icu|er|ed|nicu|picu|jello|tears|goals|facetime[ds]?|"
    r"hallelujah|adderall|paxlovid|botulism|mohs|afib|email|dear|call|tag|text|mom|mum|dad|"
    r"grandma|grandpa|nana|sir|honey|mr|mrs|ms|dr|governor|mayor|senator|sheriff|judge|"
    # weekdays in the plural, the divine, pharmacies
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)days|jesus|god|lord|christ|allah|walgreens|cvs|"
    r"rite\s+aid|"
    # endearments and slang of address, "against medical advice", placeholders for the unknown
    r"hun|hon|babe|bestie|bro|sis|ama|max|min|(?:jane|john|baby)\s+doe|"
    # units of a hospital: "PACU", "Peds ED:"
    r"pacu|peds(?:\s+(?:ed|er|icu|onc))?|tele|onc|ortho|neuro|med-surg|l&d|mon|tues?|wed|thurs?|"
    r"fri|sat|sun|rsvp|\W+)\W*$",
    re.IGNORECASE,
)
# Diseases and signs named after people: "Addison's", "Crohn's", "Bell's palsy".
EPONYMS = frozenset(
    [
        "addison",
        "alzheimer",
        "asperger",
        "bell",
        "crohn",
        "cushing",
        "graves",
        "hashimoto",
        "hodgkin",
        "huntington",
        "kawasaki",
        "meniere",
        "parkinson",
        "raynaud",
        "sjogren",
        "tourette",
        "wilson",
        "barrett",
        "guillain",
        "gehrig",
    ]
)
YEAR = re.compile(r"(?:19|20)\d{2}\b|[/.-]\d{2}$")
# A "name" the model found that ends in a street or place word is a place: "Grant St",
# "Hadley Falls" ("Park" and "Hill" are family names too often to be here).
PLACE_WORD = (
    r"(?:st|ave|rd|street|avenue|road|lane|ln|blvd|boulevard|falls|springs|heights|creek|"
    r"valley|beach)\b"
)
ORG_AFTER = re.compile(
    r"^\s+(?-i:(?=[A-Z]))(?:hospital|clinic|medical|health|healthcare|center|centre|university|"
    r"college|school|foundation|institute|pharmacy|hospice|church|memorial\s+hospital|community|"
    r"recreation|senior|civic|convention|conference|event|wellness)\b",
    re.IGNORECASE,
)
LOCATIVE_BEFORE = re.compile(r"\b(?:in|at|from|to|near|of|outside|into|around|via)\s+$", re.I)
PLACE_ENDING = re.compile(rf"\s{PLACE_WORD}\.?$", re.IGNORECASE)
PLACE_AFTER = re.compile(rf"^\s+(?-i:(?=[A-Z])){PLACE_WORD}", re.IGNORECASE)  # capitalised
# The start of a sentence: after a full stop (not "Dr."), or after an emoji ("RSV season is here
# 🦠 Wash hands")
SENTENCE_START = re.compile(
    r"(?:^|(?<!\bmr)(?<!\bmrs)(?<!\bms)(?<!\bdr)(?<!\bst)[.!?]\s+|"
    r"[\u2600-\u27bf\U0001f000-\U0001faff]\ufe0f?\s+)$",
    re.I,
)
POSSESSIVE = re.compile(r"^['’]s?\b")
# The organisation's or the author's own contact details, offered to the reader: "call our
# recruiters at", "or email", "write me at", "my number is on ... : 555-404-7171".
OWN_CONTACT = re.compile(
    r"(?:\b(?:call|text|reach|email|e-mail|contact|write|message|fax)\s+(?:us|me|our\s+[\w-]+"
    r"(?:\s+[\w-]+){0,2})\s+(?:at|on)|(?:^|[.!?,]\s+|\bor\s+|\band\s+)(?:please\s+)?(?:call|"
    r"text|email|fax|phone)|\bour\s+(?:[\w'’-]+\s+){0,3}(?:line|number|phone|office|desk|fax|email)"
    r"(?:\s+(?:at|is))?|\bmy\s+(?:number|phone|cell|email)\b[^.!?\n]{0,80}?|"
    r"\bour\s+(?:[\w-]+\s+){0,3}(?:is\s+)?(?:at|on)|"
    # "the patient relations email is", "apply at", "learn more at"
    r"\bthe\s+(?:[\w-]+\s+){0,3}(?:email|e-mail|line|number|phone|fax|website|site)\s+is|"
    r"\b(?:apply|register|sign\s+up|learn\s+more|details|info|visit\s+us|rsvp)\s+(?:at|on|online\s+at)|"
    r"\bvisit(?:\s+us)?(?:\s+(?:at|online))?|\b(?:info|information|questions|contact|rsvp|"
    r"details|email|call|phone|tel|fax)\s*\??\s*:|\bquestions\s*\?)\s*[:,]?\s*$",
    re.IGNORECASE,
)
# The same, in words that leave no doubt the number is the organisation's ("call us at", "our
# refill line is", "RSVP at"), even in a post about a patient. (The author's own "call me at" is
# left to the level test: a relayed message quotes someone else's "text me".)
OWN_CONTACT_EXPLICIT = re.compile(
    r"(?:\b(?:call|text|reach|email|e-mail|contact|message)\s+us\s*(?:at|on)?|"
    r"\b(?:call|text|email|contact)\s+the\s+(?:clinic|office|pharmacy|front\s+desk|unit|"
    r"hospital|[\w-]+\s+line)\s+at|"
    r"\b(?:call|contact|reach)\s+(?:our\s+)?(?:patient\s+(?:financial|experience|relations|"
    r"services|advoca\w+)|billing|customer\s+service)[\w\s]{0,20}?\s+(?:at|on)|"
    r"\b(?:our|the)\s+(?:refill|main|pharmacy|appointment|scheduling|nurse|help|info|reception|"
    r"front\s+desk)"
    r"\s+(?:line|number|desk)(?:\s+(?:is|at))?|"
    r"\b(?:apply|register|sign\s+up|rsvp)\s+(?:at|on|online\s+at))\s*[:,]?\s*$",
    re.IGNORECASE,
)
# A department's or a service's address, not a person's: "rehab@", "info@", "feedback@"
ROLE_MAILBOX = re.compile(
    r"^(?:info|information|contact|hello|media|press|news|feedback|careers|jobs|volunteers?|events?|"
    r"hr|admin|office|support|help|appointments?|scheduling|billing|records|rehab|pharmacy|"
    r"privacy|compliance|security|"
    r"foundation|giving|donate|education|training|research|residency|fellowship|marketing|"
    r"communications|comms|web|social|community|outreach|patientrelations|patient\.relations|"
    r"\w*(?:cafe|clinic|center|group|team|program|dept|desk|line|services?))@(?!(?:gmail|yahoo|"
    r"hotmail|outlook|icloud|aol)\.)",
    re.IGNORECASE,
)
# Consumer mail services: an address there belongs to a person, not to an organisation.
PERSONAL_MAIL = re.compile(
    r"(?:@|\s+at\s+)(?:gmail|googlemail|yahoo|ymail|hotmail|outlook|live|msn|icloud|me|mac|aol|"
    r"proton(?:mail)?|pm|gmx|comcast|verizon|att|sbcglobal|bellsouth|cox|charter|earthlink|"
    r"mail|zoho|fastmail|hey)(?:\.|\s+dot\s+)",
    re.IGNORECASE,
)
# Credential letters a colleague signs with: "Jess Alvarado, NP"
_STAFF_LETTER_WORDS = (
    *("md", "do", "rn", "np", "pa-c", "pharmd", "dnp"),
    *("bsn", "lpn", "cna", "rrt", "dpt", "facs"),
)
_STAFF_LETTERS = f"(?:{'|'.join(_STAFF_LETTER_WORDS)})"
STAFF_LETTERS = re.compile(rf"^,\s*{_STAFF_LETTERS}\b", re.I)
# A colleague signed with their credential: "Tasha Greene, RN, charge nurse... (shared with
# Tasha's blessing)": their name is a colleague's wherever it stands again in the post
COLLEAGUE = re.compile(
    rf"(?-i:(?P<name>(?:[A-Z][a-z'’-]+\s+){{0,2}}[A-Z][a-z'’-]+)),\s*(?i:{_STAFF_LETTERS})\b"
)
# Letters after a name that are a degree, not part of it: "Raj Patel MD FACS here"
DEGREE_WORDS = frozenset(_STAFF_LETTER_WORDS) | {
    "pa",
    "msn",
    "facp",
    "faap",
    "facc",
    "facep",
    "phd",
    "mph",
    "mba",
}
TITLE_WORD_BEFORE = re.compile(r"\b[A-Z][A-Za-z]+\s+$")  # "the Beers Criteria", "DAISY Award"
SAINTS_HOSPITAL = re.compile(r"^(?:st\.?|saint)\s+[A-Z][a-z]+['’]s$", re.IGNORECASE)
FACILITY_ROOM = re.compile(
    r"\b(?:conference|meeting|training|class|board|break|community|family|call)\s+room\b|"
    r"\b(?:(?:community|conference|convention|education|events?|recreation|senior|civic|"
    r"training|wellness|resource)\s+(?:cent(?:er|re)|hall)|library|church|school|sim\s+lab),?\s+"
    r"room\s+\w+|"
    r"\bsuite\b|\b(?:room|bed)\s+\w+\s+(?:in|of|at)\s+(?:our|the)\s+(?:new\s+)?"
    r"(?:[\w'’-]+\s+){0,3}"
    r"(?:outpatient|sleep|annex|building|clinic|infusion|wing|cent(?:er|re)|lab|hall|hotel|"
    r"library|pavilion|church|school|chapel|auditorium|ymca)\b|"
    # a room that is for staff, prayer or a class, not a patient's
    r"\b(?:room|bed)\s+\w+\s+(?:on\s+the\s+\w+\s+floor\s+)?is\s+(?:now\s+)?(?:our|a|an|the)\s+"
    r"(?:[\w'’-]+\s+){0,2}(?:room|chapel|lounge|space|office|closet)\b",
    re.IGNORECASE,
)
CREDENTIAL_LETTERS = frozenset({"MD", "DO", "RN", "NP", "PA", "DDS", "LPN"})


@functools.cache
def _places_above_a_state() -> frozenset[str]:
    names: set[str] = {"africa", "asia", "europe", "north america", "south america", "antarctica"}
    names |= {"oceania", "australia", "the us", "us", "usa", "america", "the uk", "uk"}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value:
                names.add(value.lower())
    for code in ("US", "CA", "AU"):  # states and provinces
        names |= {s.name.lower() for s in pycountry.subdivisions.get(country_code=code) or ()}
    names |= {"england", "scotland", "wales", "northern ireland", "korea", "russia", "vietnam"}
    return frozenset(names - {"new york", "washington"})  # more often the city


def above_a_state(value: str) -> bool:
    """A continent, country or state/province: not an identifier under Safe Harbor."""
    value = re.sub(r"^the\s+", "", value.strip(" .,!?"), flags=re.IGNORECASE).lower()
    return value in _places_above_a_state() or f"the {value}" in _places_above_a_state()


def _ordinary_word(value: str) -> bool:
    """One word of the English dictionary that no name list has ("Proud", "Sudoku" is not)."""
    word = value.lower()
    words = english_words()
    return (
        value.isalpha()
        and len(value) > 2
        and (word in words or value.islower() and plural_of_word(word))
        and word not in FIRST_NAMES
        and word not in NOT_FIRST_NAMES
    )


def recognizer_of(result: object) -> str:
    return (getattr(result, "recognition_metadata", None) or {}).get("recognizer_name", "")


# A clinician's post about a third person is maybe about a patient ("Gloria ate a real sandwich
# after 6 weeks on purées"), unless it praises a colleague ("shout out to Rhonda, our charge
# nurse")
CLINICAL_CREDENTIALS = frozenset(
    ["RN", "LPN", "LVN", "NP", "APRN", "CRNA", "CNM", "MD", "DO", "PA", "PA-C", "PHARMD", "RPH"]
    + ["CNA", "EMT", "PARAMEDIC", "RT", "RRT", "PT", "DPT", "OT", "SLP", "DDS", "DMD", "MA"]
)
STAFF_PRAISE = re.compile(
    r"\b(?:shout\s*-?\s*outs?|congrat\w*|kudos|thank\w*|welcome\w*|awards?|daisy|"
    r"appreciat\w*|our\s+own|charge\s+nurse|colleagues?|co-?workers?|team|staff|"
    r"tag\s+(?:her|him|them)|nclex|boards|graduat\w*|newest|new\s+grads?|promot\w*|"
    r"retir\w*|precept\w*|orientation|hired|joined|joins)\b",
    re.IGNORECASE,
)


STAFF_SPOTLIGHT = re.compile(
    r"\b(?:staff|employee|team\s+member|nurse|volunteer)\s+(?:spotlight|of\s+the\s+(?:month|year))|"
    r"\bmeet\s+(?:our\s+)?(?:new\s+)?(?:staff|team|nurse|doctor|colleague)|"
    r"\bshout\s*-?\s*out\s+to\s+(?:the\s+|our\s+|my\s+)?(?:night|day|evening|weekend)\s+shift",
    re.IGNORECASE,
)


TAG_CONSENT = re.compile(
    r"\b(?:thank|thanks|shout\s*-?\s*out|kudos)\b.*\b(?:(?:said|says)\s+(?:i|we)\s+could\s+tag|"
    r"ok['’]?d\s+the\s+tag|asked\s+(?:me\s+)?to\s+be\s+tagged|agreed\s+to\s+be\s+tagged)",
    re.IGNORECASE | re.DOTALL,
)


# An organisation's own age: "St. Brigid turns 100 on Dec 12... 100 years of service"
ORG_AGE = re.compile(
    r"\byears\s+of\s+(?:service|caring|care|serving|healing|history)|\banniversary|"
    r"\bcentennial|\bcentury\s+of|\bopened\s+(?:our|its|their)\s+doors|\bfounded\b",
    re.IGNORECASE,
)


def clinicians_story(draft: Draft) -> bool:
    """A verified clinician's post about a third person that praises no colleague."""
    return (
        any(c.upper() in CLINICAL_CREDENTIALS for c in draft.author.verified)
        and bool(THIRD_PERSON.search(draft.text.text))
        and not STAFF_PRAISE.search(draft.text.text)
    )


def patient_context(text: str) -> int:
    """2: clearly about a patient; 1: maybe (a unit, a family member); 0: no sign. Rooms of a
    conference centre or a sim lab are no sign ("Room 2 of the Harmon Conference Center")."""
    text = FACILITY_ROOM.sub(" ", text)
    if STRONG_PATIENT_CONTEXT.search(text):
        return 2
    return 1 if WEAK_PATIENT_CONTEXT.search(text) else 0


def author_own(text: str, start: int, end: int, author: Author) -> bool:
    """The author's own public details: their name (any part of it) or a handle of theirs."""
    span = text[start:end].strip(" @.,").lower()
    if not span:
        return False
    own = {h.lower().lstrip("@") for h in author.handles if h}
    parts = {p.lower() for p in re.split(r"[\s,]+", author.name) if len(p) > 1}
    if author.name and span == author.name.lower():
        return True
    if "@" in span and len(author.name.split()) > 1:
        surname = author.name.split()[-1].lower()
        local = span.split("@")[0]
        others = [
            w
            for w in re.split(r"[\W\d_]+", local)
            if len(w) > 2 and w != surname and w not in parts and is_first_name(w)
        ]
        if len(surname) > 2 and surname in local and not others:
            return True  # "robert.ashby.md@gmail.com" from Robert Ashby, not "loretta.ashby"
    words = [w for w in re.split(r"[\s,]+", span) if w and w.strip(".") not in DEGREE_WORDS]
    return span in own or bool(words) and all(w.strip(".") in parts for w in words)


def configured_rules() -> list[Rule]:
    """The rules of the check, as settings.HCSM_CHECKER_RULES lists them."""
    return [import_string(path)() for path in settings.HCSM_CHECKER_RULES]


def post_gives_advice(draft: Draft) -> bool:
    """Whether the configured advice rule finds advice in the draft (the hand-written AdviceRule
    when none is configured): the PHI rule asks it about handles."""
    advice = next((r for r in configured_rules() if isinstance(r, AdviceRule)), AdviceRule())
    return bool(advice.findings(draft))


class PhiRule(Rule):
    """Protected health information, through Presidio with hcsm's recognizers."""

    code = "phi"

    def check(self, draft: Draft) -> list[Finding]:
        text = draft.text.text
        engine = hcsm_engine()
        results = engine.analyzer.analyze(text=text, language="en", score_threshold=0.35)
        level = patient_context(text)
        if STAFF_SPOTLIGHT.search(text) and level < 2 or TAG_CONSENT.search(text):
            # "Staff Spotlight: housekeeping lead Ramón Ortiz...", "thank you to our RT Omar
            # Haddad (he said I could tag him!)": colleagues
            level = 0
        if level == 0 and clinicians_story(draft):
            level = 1  # maybe a patient: names count, the model's places and dates do not
        if level < 2 and ORG_AGE.search(text):
            # the hospital's birthday, not a patient's: its ages are its own
            results = [r for r in results if ENTITY_TO_KIND.get(r.entity_type) != "AGE"]
        if any(
            ENTITY_TO_KIND.get(r.entity_type) in ALWAYS_BLOCK for r in results if r.score >= 0.5
        ):
            level = 2  # an age over 89 or a record number: this is about a person's care
        # In a reply, or a post that gives one person advice, the handles are who it is said
        # to (the advice finding covers the post), unless the post is about that person's
        # relative or another third person: then the handle leads to the patient.
        about_theirs = bool(
            RELATIVE_OF_READER.search(text)
            or THIRD_PERSON.search(text)
            and not AUTHORS_RELATIVE.search(text)
        )
        # Only a handle or a named subject asks whether the post gives advice: the configured
        # advice rule (with its second opinion) runs again only then.
        gives_advice = functools.cache(lambda: post_gives_advice(draft))
        # The person a piece of advice is about, by name ("give Ava 5 mL", "Owen at 22 lb can
        # have..."): a patient, and the asker's handle leads to them.
        subjects = [
            m.span(group)
            for m in ADVICE_SUBJECT.finditer(text)
            for group in ("name", "name2", "name3")
            if m.group(group)
            and (is_first_name(m.group(group)) or m.group(group).lower() in ambiguous_first_names())
        ]
        if subjects and not gives_advice():
            subjects = []
        about_theirs = about_theirs or bool(subjects)
        vocative = VOCATIVE.match(text)
        asker = vocative.span("name") if vocative else None
        handles = [(m.start(), m.end()) for m in HANDLE_TOKEN.finditer(text)]
        # where people live in care, a "resident" is not a doctor in training but a patient
        long_term_care = bool(LONG_TERM_CARE.search(text)) or any(
            r.entity_type == "AGE" and r.score >= 0.5 for r in results
        )
        colleagues = {
            word.lower() for m in COLLEAGUE.finditer(text) for word in m.group("name").split()
        }
        findings: list[Finding] = []
        seen: list[tuple[int, int, str]] = []
        emails = [(r.start, r.end) for r in results if r.entity_type == "EMAIL_ADDRESS"]
        for result in sorted(results, key=lambda r: (-r.score, r.start, r.end)):
            note_only = False  # found, but most likely not a patient's: an info note
            kind = ENTITY_TO_KIND.get(result.entity_type)
            if kind is None:
                continue
            start, end = result.start, result.end
            recognizer = recognizer_of(result)
            if kind in {"NAME", "LOCATION"} and recognizer in MODEL_ONLY:
                # the model's span can take in an emoji or a symbol ("🚗 RSVP", "Twitter 🙏")
                while start < end and not (text[start].isalnum() or text[start] in "#@"):
                    start += 1
                while end > start and not (text[end - 1].isalnum() or text[end - 1] in ".'’"):
                    end -= 1
                if end <= start:
                    continue
            value = text[start:end]
            after = PLACE_AFTER.match(text[end : end + 12])
            if kind == "NAME" and (
                ORG_AFTER.match(text[end : end + 24])
                or " " in value.strip()
                and ORG_AFTER.match(" " + value.strip().split()[-1])
            ):
                continue  # "Joy Hospital", "Grace Clinic": an organisation
            if (
                kind == "LOCATION"
                and recognizer in MODEL_ONLY
                and " " not in value.strip()
                and is_first_name(value.strip())
                and not LOCATIVE_BEFORE.search(text[max(0, start - 8) : start])
            ):
                # "Oksana finally walked": a first name the small model took for a place
                kind = "NAME"
            if kind == "NAME" and (after or PLACE_ENDING.search(value.strip())):
                kind = "LOCATION"  # "Grant St", "Hadley Falls": a street or a town
                end += after.end() if after else 0
                value = text[start:end]
            in_context = level == 2 or (
                level == 1
                and (kind not in {"DATE", "LOCATION"} or recognizer not in MODEL_ONLY)
                and (kind != "LOCATION" or result.score >= 0.85)  # an address, not a town
                and recognizer not in STRONG_CONTEXT_ONLY
                # a bare date ("December 5") in a post that only may be about a patient: an
                # event's date, not a patient's
                and (kind != "DATE" or result.score > 0.5 or bool(YEAR.search(value)))
            )
            if kind == "AGE" and recognizer in STRONG_CONTEXT_ONLY and not in_context:
                continue  # a loose form of an age ("at 96"), in a post not clearly a patient's
            if (
                kind == "DATE"
                and (
                    NOT_A_DATE.match(value.strip())
                    or recognizer in MODEL_ONLY
                    and not TEMPORAL.search(value)  # "Docs say": the model's slip
                    or EVERY.search(text[max(0, start - 8) : start])
                    or result.entity_type == "DATE_TIME"
                    and not in_context
                )
            ):
                continue
            if DRUG_NAME.fullmatch(value.strip()) or (
                kind == "NAME" and DRUG_NAME.fullmatch(value.split()[0] if value.split() else "")
            ):
                continue  # "Motrin" is not a place, "valacyclovir within" not a name
            if kind == "LOCATION" and (
                recognizer in MODEL_ONLY and not value[:1].isupper() or above_a_state(value)
            ):
                continue  # "the good china"; a country or a state is not smaller than a state
            if (
                kind == "LOCATION"
                and recognizer in MODEL_ONLY
                and " " not in value.strip()
                and _ordinary_word(value.strip())
                and (SENTENCE_START.search(text[:start]) or value.strip().isupper())
            ):
                continue  # "Tumor board humility", "billed my mother TWICE": a word, not a place
            if kind in {"LOCATION", "DATE"} and UNIT_NAME.match(value.strip()):
                continue  # "7 South", "3 East": a unit of the hospital
            if kind == "PHONE" and TOLL_FREE.match(value.strip()):
                continue
            if kind in {"PHONE", "EMAIL", "URL", "LOCATION"} and (
                level < 2
                and OWN_CONTACT.search(text[max(0, start - 80) : start])
                or OWN_CONTACT_EXPLICIT.search(text[max(0, start - 40) : start])
            ):
                note_only = True  # offered to the reader: the organisation's or the author's own
            if kind == "EMAIL" and ROLE_MAILBOX.match(value.strip()):
                note_only = True  # "rehab@mercyvalley.org": a department's address
            private_mail = (
                kind == "EMAIL" and not in_context and not note_only and PERSONAL_MAIL.search(value)
            )
            if private_mail:
                in_context = True  # a private address: organisations write from their own domain
            relative_handle = (
                kind == "HANDLE" and about_theirs and not in_context and gives_advice()
            )
            if relative_handle:
                in_context = True  # advice about the person's relative: the handle leads to them
            # the child or relative a reply doses or diagnoses, or the asker, whose relative the
            # advice is about
            advice_subject = (
                kind == "NAME"
                and not in_context
                and (
                    any(s < end and start < e for s, e in subjects)
                    or asker is not None
                    and asker[0] < end
                    and start < asker[1]
                    and about_theirs
                    and gives_advice()
                )
            )
            if advice_subject:
                in_context = True  # the person the advice is about
            if kind == "URL" and any(s <= start and end <= e for s, e in emails):
                continue  # the domain of an email address
            if (
                kind == "LOCATION"
                and recognizer in MODEL_ONLY
                and re.fullmatch(r"[A-Z]{2,3}", value.strip())
            ):
                continue  # "ER", "VA", "OR": a department or an abbreviation, or a state
            if kind == "LOCATION" and SAINTS_HOSPITAL.match(value.strip()):
                continue  # "St. Luke's": a hospital's name on its own
            if kind == "ROOM" and FACILITY_ROOM.search(text[max(0, start - 40) : end + 50]):
                continue  # "Conference Room 2", "Room 4 in our new infusion center", "Suite 300"
            if kind == "LOCATION" and CLINICIAN_TITLE.search(text[max(0, start - 12) : start]):
                continue  # "Dr. James Park": a person, and a colleague
            if kind == "LOCATION" and value.strip() in CREDENTIAL_LETTERS:
                continue  # "Dr. Owen Pike, MD": a degree, not Maryland
            if kind == "NAME":
                if WORDS_NOT_NAMES.match(value.strip()) or value.strip().lower() in NOT_NAME_WORDS:
                    continue
                if (
                    recognizer in MODEL_ONLY
                    and (
                        text[start - 1 : start] == "#"
                        and value.strip().isalpha()
                        or value.islower()
                        and (
                            _ordinary_word(value.strip())
                            or value.strip() in NOT_FIRST_NAMES  # "rang that bell"
                        )
                        or value.strip().isupper()
                        and value.strip().isalpha()
                        or " " not in value.strip()
                        and ARTICLE_BEFORE.search(text[max(0, start - 4) : start])
                    )
                ):
                    continue  # "#MedEd", "baby movements", "RSVP", "a Lego": the model's guesses
                if re.search(r"(?-i:\bPatient)\s+$", text[max(0, start - 9) : start]) and all(
                    _ordinary_word(w) for w in value.split()
                ):
                    continue  # "our Patient Experience line": a department
                if "@" in value and recognizer in MODEL_ONLY:
                    continue  # "Email diabetes@harborpoint.org": the address is found as such
                if PET_BEFORE.search(text[max(0, start - 30) : start]):
                    continue  # "a beagle named Ruby", "therapy dog Biscuit": a pet
                if COLOUR_BEFORE.search(text[max(0, start - 12) : start]):
                    continue  # "his silver Buick": a car
                if SAINT_NAME.match(value) or MONTH_DAY_NAME.search(text[start : end + 4]):
                    continue  # "St John's wort"; "Jan 1" is a date
                if re.match(r"\w-$", text[max(0, start - 2) : start]):
                    continue  # "K-Dur": the end of a hyphenated word, not a name
                if STAFF_LETTERS.match(text[end : end + 12]):
                    continue  # "Jess Alvarado, NP": a colleague signed with their credential
                name_words = [w.lower() for w in NAME_PART.findall(value)]
                if name_words and all(w in colleagues for w in name_words):
                    continue  # the same colleague again: "Denise says the best part is..."
                if result.entity_type == "PERSON" and CLINICIAN_TITLE.search(
                    value.split()[0] + " " if value.split() else ""
                ):
                    continue  # "Nurse Okonjo": the model took the title into the name
                title = CLINICIAN_TITLE.search(text[max(0, start - 12) : start])
                if (
                    title
                    and result.entity_type in {"PERSON", "NAME"}
                    and not (title.group(0).lower().startswith("resident") and long_term_care)
                ):
                    continue  # "Dr. Chen", "Nurse Diaz": a colleague, not a patient
                if SAINT.search(text[max(0, start - 7) : start]):
                    continue
                if value.strip().lower() in EPONYMS and POSSESSIVE.match(text[end : end + 3]):
                    continue  # "Addison's presentation": a disease
                if (
                    recognizer == "SpacyRecognizer"
                    and _ordinary_word(value.split()[0] if value.split() else value)
                    and (" " not in value.strip() or value.split()[-1].islower())
                    and SENTENCE_START.search(text[:start])
                ):
                    note_only = True  # "Proud." at the start of a sentence
                if (
                    recognizer in {"SpacyRecognizer", "HcsmProperNounRecognizer"}
                    and " " not in value.strip()
                    and _ordinary_word(value.strip())
                    and value.strip().lower() not in ambiguous_first_names()
                    and TITLE_WORD_BEFORE.search(text[max(0, start - 20) : start])
                ):
                    continue  # "the Beers Criteria", "our DAISY Award": a title's last word
            if (
                kind == "HANDLE"
                and not about_theirs
                and REPLY_TO.match(text[:start])
                and (EXPLICIT_REPLY.match(text) or gives_advice())
            ):
                continue  # who a reply is addressed to, not a patient in a story
            if (
                kind in {"HANDLE", "NAME", "URL"}
                and any(s <= start and end <= e for s, e in handles)
                and (kind == "URL" or not about_theirs and gives_advice())
            ):
                continue  # the person asked, or "ray.ng" inside "@ray.ng"
            if author_own(text, start, end, draft.author):
                continue
            if any(s < end and start < e and k == kind for s, e, k in seen):
                continue
            if not note_only:
                seen.append((start, end, kind))
            severity = self._severity(kind, in_context and not note_only, result.score)
            if (private_mail or relative_handle or advice_subject) and severity == Severity.BLOCK:
                severity = Severity.WARN  # someone's own address, but maybe not a patient's
            if kind == "DATE" and result.entity_type == "DATE_TIME" and severity == Severity.BLOCK:
                severity = Severity.WARN  # a relative date from the language model
            info = KINDS[kind]
            o_start, o_end = draft.text.span(start, end)
            findings.append(
                Finding(
                    category=Category.PHI,
                    kind=kind,
                    start=o_start,
                    end=o_end,
                    severity=severity,
                    confidence=min(1.0, result.score + (0.1 if in_context else 0.0)),
                    explanation=info.explanation
                    if severity != Severity.INFO
                    else f"{info.label}: fine if it is not a patient's and the person agreed "
                    "to be named.",
                    suggestion=info.suggestion,
                    rule=self.code,
                )
            )
        if asker is not None and about_theirs:
            findings += self._asker(draft, asker, findings, gives_advice)
        findings += self._same_name_again(draft, findings)
        findings += self._same_age_again(draft, findings)
        acting = [(f.start, f.end, f.kind) for f in findings if f.severity != Severity.INFO]
        numbers = [(s, e) for s, e, k in acting if k in NOT_DATES]
        return [
            f
            for f in findings
            if (
                f.severity != Severity.INFO
                or not any(s < f.end and f.start < e and k == f.kind for s, e, k in acting)
            )
            # "97yo" is an age, "555-0182" a phone number; the model's reading of either as a
            # date says the same thing twice
            and not (f.kind == "DATE" and any(s <= f.start and f.end <= e for s, e in numbers))
        ]

    @staticmethod
    def _asker(
        draft: Draft,
        asker: tuple[int, int],
        findings: list[Finding],
        gives_advice: Callable[[], bool],
    ) -> list[Finding]:
        """The person a reply of advice about their relative opens by name ("Deb, your father's
        heart rate of 98... take him to the ER"): their name leads to the patient, even where
        nothing else took it for one."""
        start, end = draft.text.span(*asker)
        name = draft.text.original[start:end]
        if any(f.start < end and start < f.end and f.severity != Severity.INFO for f in findings):
            return []
        if not (is_first_name(name) or name.lower() in ambiguous_first_names()):
            return []
        if not gives_advice():
            return []
        info = KINDS["NAME"]
        return [
            Finding(
                category=Category.PHI,
                kind="NAME",
                start=start,
                end=end,
                severity=Severity.WARN,
                confidence=0.6,
                explanation=info.explanation,
                suggestion=info.suggestion,
                rule=PhiRule.code,
            )
        ]

    @staticmethod
    def _same_age_again(draft: Draft, findings: list[Finding]) -> list[Finding]:
        """An age over 89 found once is the patient's where the same number stands alone again:
        "Mr. Q, 104 y/o, admitted 12/1... and I said wait, 104??" (not "104°F", "room 104")."""
        original = draft.text.original
        covered = [(f.start, f.end) for f in findings if f.category == Category.PHI]
        more: list[Finding] = []
        for f in findings:
            if f.kind != "AGE" or f.severity == Severity.INFO:
                continue
            number = re.search(r"\d{2,3}", original[f.start : f.end])
            if number is None:
                continue
            # the number alone, or as a hashtag ("#102")
            again = rf"(?<![\w.,/:$#-])#?{number.group(0)}(?![\w.,/:%°-])"
            for m in re.finditer(again, original):
                if any(s < m.end() and m.start() < e for s, e in covered):
                    continue
                if MEASURE_BEFORE.search(original[max(0, m.start() - 30) : m.start()]):
                    continue
                if re.match(NOT_A_UNIT, original[m.end() : m.end() + 20]) is None:
                    continue  # "after 90 days of rehab"
                covered.append(m.span())
                more.append(replace(f, start=m.start(), end=m.end()))
        return more

    @staticmethod
    def _same_name_again(draft: Draft, findings: list[Finding]) -> list[Finding]:
        """A patient's name found once is theirs wherever else it stands in the post:
        "Dolores walked to the nurses station... #DoloresStrong", "Carl... Carl's daughter"."""
        original = draft.text.original
        names = [
            f
            for f in findings
            if f.kind == "NAME" and f.severity != Severity.INFO and f.confidence >= 0.6
        ]  # not from a guess that only counts in a clear patient post ("after her Whipple")
        words: dict[str, Finding] = {}
        for f in names:
            for word in NAME_PART.findall(original[f.start : f.end].lstrip("#@")):
                key = word.lower()
                if (
                    len(word) > 2
                    and word[0].isupper()
                    and key not in NOT_NAME_WORDS
                    and key not in STOP_WORDS
                    and not WORDS_NOT_NAMES.match(word)
                    and (
                        is_first_name(key)
                        or key in ambiguous_first_names()
                        or key not in english_words()
                    )
                ):
                    words.setdefault(key, f)
        # an info note on the same word ("Ezra shared", after "Meet Ezra Goldfarb") gives way
        covered = [
            (f.start, f.end)
            for f in findings
            if f.category == Category.PHI and f.severity != Severity.INFO
        ]
        more: list[Finding] = []
        for key, source in words.items():
            # not "Don't" after "Don Chuy"; "Carl's" is the name
            pattern = rf"(?<![\w#@]){re.escape(key)}(?!\w|['’](?!s\b)\w)"
            for m in re.finditer(pattern, original, re.IGNORECASE):
                if any(s < m.end() and m.start() < e for s, e in covered):
                    continue
                if not m.group(0)[0].isupper() or m.group(0).isupper() and len(key) > 1:
                    continue  # "grace" after "#GraceStrong" may be the word; "PRAY FOR" shouts
                if author_own(original, m.start(), m.end(), draft.author):
                    continue  # the author's signature, when they share the patient's name
                covered.append(m.span())
                more.append(replace(source, start=m.start(), end=m.end()))
        return more

    @staticmethod
    def _severity(kind: str, in_context: bool, score: float) -> Severity:
        if kind in ALWAYS_BLOCK:
            return Severity.BLOCK
        if kind in NEEDS_PATIENT_CONTEXT and not in_context:
            return Severity.INFO
        if kind in {"ROOM", "LOCATION", "URL"} or score < 0.5:
            return Severity.WARN
        return Severity.BLOCK


# Advice ------------------------------------------------------------------------------------

DRUG = (
    r"\b(?:\d+(?:\.\d+)?\s*(?:mg|mcg|µg|g|ml|oz|units?|iu|puffs?|tabs?|tablets?|pills?|capsules?|drops?)\b|"
    r"amoxicillin|amox|augmentin|azithromycin|z[- ]?pack|cipro\w*|doxy\w*|keflex|cephalexin|"
    r"antibiotics?|"
    r"metformin|glipizide|insulin|lisinopril|losartan|amlodipine|carvedilol|metoprolol|warfarin|"
    r"eliquis|apixaban|aspirin|ibuprofen|advil|motrin|tylenol|acetaminophen|naproxen|prednisone|"
    r"steroids?|valacyclovir|acyclovir|sumatriptan|melatonin|benadryl|adderall|xanax|ativan|"
    r"zoloft|sertraline|prozac|paxlovid|tamiflu|levothyroxine|synthroid|albuterol|inhaler|"
    r"statins?|atorvastatin|oxycodone|opioids?|gabapentin|cpap|naproxen|aleve|colchicine|"
    r"ozempic|semaglutide|birth\s+control|(?:the\s+)?mini\s+pill|lotrimin|clotrimazole|"
    r"hydrocortisone|neosporin|cream|ointment|antibiotic\s+ointment|pills?|tylenol|"
    r"\d+\s+(?:aspirin|advil|tylenol|motrin)s?|"
    # more common medicines by name, and generic names by their stems
    r"lasix|furosemide|water\s+pills?|hctz|spironolactone|lexapro|escitalopram|wellbutrin|"
    r"bupropion|cymbalta|duloxetine|effexor|paxil|celexa|abilify|seroquel|lipitor|crestor|"
    r"coumadin|plavix|xarelto|januvia|jardiance|farxiga|lantus|humalog|novolog|trulicity|"
    r"mounjaro|wegovy|zepbound|flomax|flonase|claritin|zyrtec|allegra|sudafed|mucinex|"
    r"imodium|miralax|prilosec|omeprazole|nexium|pepcid|famotidine|tums|valium|klonopin|"
    r"ambien|lyrica|neurontin|tramadol|norco|vicodin|percocet|hydrocodone|morphine|suboxone|"
    r"epipen|ventolin|symbicort|advair|singulair|diflucan|fluconazole|bactrim|macrobid|"
    r"nitrofurantoin|flagyl|metronidazole|zithromax|medrol|decadron|dexamethasone|"
    r"flecainide|amiodarone|digoxin|tamsulosin|finasteride|allopurinol|methotrexate|"
    r"antivirals?|antihistamines?|antidepressants?|muscle\s+relaxers?|sleeping\s+pills?|"
    r"blood\s+thinners?|pedialyte|electrolytes?|zofran|ondansetron|dramamine|robitussin|nyquil|"
    r"dayquil|orajel|pepto(?:-bismol)?|gravol|"
    r"(?:your|ur|her|his|the)\s+(?:dose|meds|medications?|medicines?)|"
    r"\w+(?:pril|sartan|olol|dipine|statin|prazole|cillin|mycin|cycline|floxacin|conazole|"
    r"ciclovir|triptan|setron|zepam|zolam|oxetine|triptyline|gliptin|gliflozin|glutide|"
    r"semide|thiazide|lukast|sonide|profen|coxib|xaban|gatran|grel|formin|osin)\b)"
)
DRUG_NAME = re.compile(DRUG, re.IGNORECASE)
# What a post may diagnose in one person.
CONDITION = (
    r"(?:uti|(?:ear\s+|sinus\s+|yeast\s+|kidney\s+)?infection|shingles|migraines?|strep|afib|"
    r"pericarditis|melanoma|dementia|apnea|tia|stroke|hypothyroidism|(?:plantar\s+)?fasciitis|"
    r"fracture|disorder|antibiotics|depression|adhd|autism|cancer|diabetes|covid|flu|"
    r"pneumonia|lewy\s+body|ringworm|sciatica|gout|sprain|eczema|psoriasis|hand-foot-mouth|"
    r"bronchitis|sinusitis|pink\s+eye|concussion|broken|cellulitis|kidney\s+stones?|"
    r"gall\s?stones?|lyme|(?:gallbladder|panic|anxiety|asthma|heart)\s+attacks?|anxiety|"
    r"appendicitis|croup|asthma|allerg(?:y|ies)|reflux|gerd|ibs|ulcer|hernia|tendonitis|"
    r"carpal\s+tunnel|vertigo|mono|rsv|thrush|hemorrhoids|anemia|hypertension|arthritis|"
    r"blood\s+clot|dvt|long\s+covid|pots|bipolar|ptsd|ocd|lupus|celiac|hives|tonsillitis|"
    r"pinched\s+nerve|torn\s+\w+|bell'?s\s+palsy|a\s+virus|whooping\s+cough|pertussis|"
    r"tia|mini-?stroke)"
)
ADVICE_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    (
        "dm_symptoms",
        re.compile(
            r"\b(?:dm|message|text|email|inbox|reply\s+with|send|drop)\s+(?:me\b|us\b)?[^.!?]{0,30}?"
            r"\b(?:your|ur|a\s+pic|a\s+photo|pics?|photos?)\b[^.!?]{0,25}?\b(?:symptoms?|labs?|"
            r"results?|meds?|medications?|mri|x-?rays?|scans?|rash|readings?|photo|pic|ecg|ekg|"
            r"list|pharmacy|date\s+of\s+birth|weight|a1c|numbers|blood\s+sugars?|dose|birthday|"
            r"dob|blood\s+pressure|bloodwork|blood\s+work|levels|mole|lump|bump|spot|wound|throat|"
            r"tonsils|skin|report)\b|\b(?:dm|message|text|inbox|send)\s+me\b[^.!?]{0,40}\b(?:"
            r"prescribe|refill|script|tell\s+you|diagnos)",
            re.IGNORECASE,
        ),
        "Asking someone to send symptoms, photos or results starts a clinical relationship in "
        "public or private messages, without a visit, records or consent.",
    ),
    (
        "prescribing",
        re.compile(
            r"\b(?:i'?ll|i\s+will|i\s+can|i\s+could|let\s+me|happy\s+to)\s+(?:just\s+)?(?:call|phone|"
            r"send|write|prescribe|refill|order)\b[^.!?]{0,40}?\b(?:script|rx|prescription|refill|"
            r"in\b|you\s+something|adderall|z[- ]?pack|antibiotics?|paxlovid|\w+cillin)|"
            r"\b(?:i'?ll|i\s+will|i\s+can)\s+(?:prescribe|refill)\b|"
            r"\b(?:i'?ll|i\s+will|i\s+can|let\s+me)\s+(?:work\s+out|figure\s+out|calculate|tell\s+you|"
            r"let\s+you\s+know)\s+(?:(?:how\s+much|what\s+dose)\b[^.!?]{0,30}?\b(?:to\s+(?:take|"
            r"give|use)|insulin|\w+\s+to\s+(?:take|give))|the\s+(?:right\s+)?dose|how\s+to\s+"
            r"(?:adjust|change|dose|taper))",
            re.IGNORECASE,
        ),
        "Prescribing or refilling through social media skips the visit, the record and the "
        "checks a prescription needs.",
    ),
    (
        "diagnosis",
        re.compile(
            r"\b(?:sounds\s+like|looks\s+like|that'?s|you\s+(?:definitely|probably|clearly|obviously)|"
            r"(?:your|ur)\s+\w+\s+(?:probably|definitely|clearly|obviously)?\s*(?:has|had|needs)|"
            r"(?:your|ur)\s+(?:\w+['’]s\s+)?(?:mom|mum|dad|mother|father|son|daughter|kid|baby|child|"
            r"husband|wife|partner|boyfriend|girlfriend|brother|sister|grandma|grandpa|rash|cough|"
            r"pain|confusion|symptoms?|headaches?|mole|lump|swelling|fever|spot|bump)\s+"
            r"(?:probably\s+|definitely\s+|clearly\s+)?(?:is|are|is\s+having|has\s+been)|"
            r"based\s+on\s+your\s+\w+,?|you'?re\s+describing(?:\s+classic)?|"
            r"from\s+what\s+you(?:'ve)?\s+(?:describe[ds]?|said|wrote|"
            r"posted)|from\s+(?:the|your)\s+(?:video|photo|pic|description|"
            r"screenshot)s?,?)\s+(?:you|your|ur|he|she|they|that|(?:the\s+)?\w+\s+)?\s*(?:have|has|had|"
            rf"is|shows?|needs?|obviously|clearly|definitely)?\b[^.!?]{{0,40}}?\b{CONDITION}\b"
            rf"|\bthat'?s\s+(?:definitely\s+|probably\s+|just\s+|clearly\s+)?(?:a\s+|an\s+)?{CONDITION}\b"
            r"|\b(?:you|he|she|they)\s+(?:definitely|clearly|obviously)\s+ha(?:ve|s)\b"
            r"|\bclearly\s+has\s+\w+"
            r"|\bthat\s+mole\s+is\b|\bthat'?s\s+\w+\s+for\s+sure\b"
            r"|\byou\s+have\s+(?:a\s+)?\w+(?:\s+\w+)?,\s+not\b"
            # "you have plantar fasciitis", not "if you have diabetes" or "do you have"
            r"|(?<!if )(?<!when )(?<!who )(?<!whether )(?<!think )(?<!do )(?<!once )(?<!that )"
            rf"\byou\s+(?:have|'ve\s+got|got)\s+(?:a\s+|an\s+)?{CONDITION}\b"
            # telling one person they need no care: "you don't need the ER"
            r"|\byou\s+(?:don'?t|do\s+not)\s+need\s+(?:the\s+|an?\s+|to\s+(?:see|go\s+to|call|"
            r"come\s+in)\s+)?(?:er|ed|ablation|surgery|biopsy|stitches|anyone|a\s+doctor|"
            r"the\s+hospital|urgent\s+care|911|an?\s+ambulance|a\s+root\s+canal)\b",
            re.IGNORECASE,
        ),
        "Diagnosing a specific person from a post, photo or video, without examining them, is "
        "individual medical advice and can be wrong in ways that hurt them.",
    ),
    (
        "dosing",
        re.compile(
            rf"(?<!if )(?<!when )(?<!whether )\b(?:you|u|your|ur)\b[^.!?]{{0,40}}?"
            rf"\b(?:take|taking|try|start|stop|double|increase|"
            rf"decrease|cut|skip|give|use|refill|switch|up|bump|alternate|halve|lower|raise|wean|"
            rf"taper|(?:be|go|get|stay)\s+on|(?:come|go|get)\s+off)\b[^.!?]{{0,50}}?{DRUG}"
            rf"|(?:^|[.!?]\s+|@\w+\s+)(?:take|try|start|stop|double|increase|give|cut|skip|up|"
            rf"alternate|halve|get|(?:come|go|get)\s+off|(?:go|get|stay)\s+on)\s+"
            rf"[^.!?]{{0,40}}?{DRUG}[^.!?]{{0,60}}?\b(?:you|your|u|ur|tonight|now|daily|every|"
            rf"twice|until|for\s+\d)\b"
            rf"|\b(?:stop|start|double|increase|cut|skip|finish|split|up|halve|lower|raise|bump)\s+"
            rf"(?:taking\s+)?(?:your|ur)\s+"
            rf"(?:\w+'s\s+)?(?:leftover\s+|old\s+|extra\s+)?{DRUG}"
            rf"|\bgive\s+(?:him|her|them|it)\s+(?:some\s+)?{DRUG}"
            rf"|\b(?:have|make|let)\s+(?:him|her|them)\s+(?:take|use|try|stop|skip)\b[^.!?]{{0,30}}?{DRUG}"
            rf"|\b(?:take|give|try|use|put|apply|split|finish|double|start)\b[^.!?]{{0,40}}?{DRUG}"
            rf"[^.!?]{{0,40}}?(?:every\s+\d+\s+hours?|(?:once|twice|three\s+times)\s+(?:a\s+day|"
            rf"today|daily)|twice|a\s+day\s+for|daily|for\s+a\s+week|tonight|right\s+now|"
            rf"until\s+you|on\s+it\b)"
            # "just take two Benadryl", "go get a z pack", a regimen in a reply to someone
            rf"|(?:^|[.!?,]\s+|@\w+\s+|\bjust\s+|\bhonestly\s+)(?:take|try|give|use|pop)\s+"
            rf"(?:one|two|three|four|a\s+couple(?:\s+of)?|\d+)\s+(?:of\s+)?(?:your\s+|my\s+)?{DRUG}"
            rf"|\bgo\s+(?:get|buy|grab|pick\s+up)\s+(?:a\s+|an\s+|some\s+)?{DRUG}"
            rf"|^\s*@\w+[^.!?]{{0,60}}?\b\d+\s*(?:mg\s+)?(?:of\s+)?{DRUG}[^.!?]{{0,20}}?"
            rf"(?:every|once|twice|three\s+times|a\s+day|daily|at\s+bedtime)",
            re.IGNORECASE,
        ),
        "Telling a specific person which drug or dose to take is prescribing: it needs their "
        "history, their other medicines and a visit.",
    ),
]
_EXPLAIN = {code: explanation for code, _, explanation in ADVICE_PATTERNS}
# Advice written the way people reply to one person: "I'd stop the metformin", "your 4-year-old
# can have 7.5 mL", "for your flare: take the full 40", a reply that opens with the person's
# handle and tells them what to do.
REPLY_OPENING = r"^\s*(?:@\w[\w.]*|(?:replying|reply)\s+to\s+(?:u/|@)\w+:?)"
IMPERATIVE = (
    r"(?:stop(?!\s+(?:by|in)\b)|start|take|chew|pop|drop|cut|double|skip|switch|taper|"
    r"go\s+(?:in|to\s+the\s+(?:ed|er|hospital|emergency))|get\s+(?:to\s+the\s+(?:ed|er)|checked)|"
    r"ask\s+for)\b"
)
ADVICE_PATTERNS += [
    (
        "dosing",
        re.compile(
            rf"\bi['’]?d\s+(?:just\s+|honestly\s+)?(?:stop|start|take|add|double|cut|switch|halve|"
            rf"increase|drop|skip|up|hold|give)\b[^.!?]{{0,40}}?{DRUG}"
            r"|\b(?:your|ur)\s+(?:\d+[- ](?:year|yr|month)[- ]old|son|daughter|kid|baby|toddler|"
            r"child|husband|wife|mom|dad|mum)\b(?:['’]s\s+\w+)?[^.!?]{0,60}?\b\d+(?:\.\d+)?\s*"
            r"(?:mg|mcg|ml|units?|tsp|teaspoons?)\b"
            r"|\b(?:your|ur|you['’]re\s+on)\b[^.!?:;]{0,40}[:;]\s*(?:just\s+)?(?:take|stop|start|"
            r"keep|cut|double|skip|drop|switch|use|give)\b"
            rf"|{REPLY_OPENING}[^\n]{{0,200}}?(?:[.!?,;:—–]\s*|\band\s+|\bjust\s+|\bbro\s+)"
            rf"{IMPERATIVE}"
            rf"|\bask\s+(?:them\s+|the\s+\w+\s+|your\s+\w+\s+|urgent\s+care\s+)?for\s+(?:some\s+|a\s+)?{DRUG}",
            re.IGNORECASE,
        ),
        _EXPLAIN["dosing"],
    ),
    (
        "prescribing",
        re.compile(
            r"\b(?:sending|calling|writing|sent|called)\s+(?:you\s+)?(?:in\s+)?(?:an?\s+)?"
            r"(?:script|rx|prescription|refill)\b",
            re.IGNORECASE,
        ),
        _EXPLAIN["prescribing"],
    ),
    (
        "diagnosis",
        re.compile(
            r"\b(?:that|this|it|you)\s+needs?\s+(?:an?\s+)?(?:ultrasound|x-?ray|mri|ct(?:\s+scan)?|"
            r"scan|stitches|ekg|ecg|to\s+be\s+seen)\s+(?:today|tonight|now|asap|right\s+away)\b"
            r"|\bcancel\s+(?:your|ur)\s+(?:\w+\s+)?(?:appointment|appt|consult|surgery|referral|"
            r"visit|procedure|biopsy|follow-?up)\b",
            re.IGNORECASE,
        ),
        _EXPLAIN["diagnosis"],
    ),
]
# Said to a group, not to one person: "hey team", "hi all"
GROUP = (
    r"(?:team|all|everyone|everybody|folks|friends|y['’]?all|guys|nurses|ladies|docs|parents|"
    r"families|neighbou?rs|followers|fam)\b"
)
# Advice is a directive about care said to one person. The patterns above name its common
# shapes; ADDRESSED and DIRECTIVE catch the rest by their parts: a sign the post speaks to one
# person (a reply to a handle, a name or "hey" before a comma, that person's own relative,
# readings or situation), and, in the same sentence, a directive about that person's care.
ADDRESSED = re.compile(
    r"(?<![\w@])@\w[\w.]*|(?-i:\bOP\b)"
    r"|^\s*(?:(?:replying|reply)\s+to\b|(?:hey|hi|hello|girl|sis|bro|dude|hun|hon|babe|"
    r"mama|friend)\b[\s,!](?!\s*" + GROUP + r")|(?-i:[A-Z][a-z]+),\s)"
    r"|\b(?:hey|hi)\s+(?!" + GROUP + r")(?-i:[A-Z][a-z]+)\b"
    r"|\b(?:your|ur)\s+(?:\d+[- ](?:year|yr|month|week)s?[- ]old|son|daughter|kid|baby|toddler|"
    r"little\s+one|husband|wife|partner|bf|gf|boyfriend|girlfriend|mom|mum|dad|mother|father|"
    r"grandma|grandpa|nana|brother|sister)\b(?!\s+(?:and|or)\b)"
    r"|\bsince\s+(?:you(?:['’]re|\s+are|\s+have|['’]ve|\s+had|\s+said|\s+mentioned)|your)\b"
    r"|\b(?:in\s+your\s+case|you\s+(?:mentioned|said|wrote)|from\s+your\s+(?:pic|photo|video|"
    r"description|post))\b"
    r"|\b(?:your|ur)\s+(?:sugars?|glucose|bp|blood\s+pressure|readings?|labs?|bloodwork|results?|"
    r"a1c|numbers|levels?|rash|mole|lump|bump|spot|symptoms|x-?ray|scan|mri|swelling|cough|fever)"
    r"\s+(?:is|are|was|were|sounds?|looks?|of|over|under|at)\b"
    # "I'd tell her daughter to hold...", "I'd want you on...": a recommendation of one's own
    r"|\bi['’]?d\s+(?:tell|have|ask|want|get|recommend|suggest)\b"
    # "reply: ...", "to the guy in the comments with chest pain", "DMs open", "if I were you"
    r"|^\s*(?:reply|replying)\s*:|\bto\s+the\s+(?:guy|girl|lady|mom|dad|person|woman|man|one)\s+"
    r"(?:in|who|asking|with|w)\b|\bdms?\s+(?:are\s+)?open\b|\bif\s+i\s+were\s+you\b"
    r"|\b(?:your|ur)\s+kids?['’]?s?\b",
    re.IGNORECASE | re.MULTILINE,
)
# How often to do it: "twice a day", "every 2-3 hours", "10 min a day", "at bedtime"
FREQUENCY = (
    r"\b(?:(?:once|twice|three\s+times|four\s+times|\d+\s*x|\d+\s+times)\s+(?:a|per)\s+day|"
    r"every\s+\d+(?:\s*(?:-|–|to)\s*\d+)?\s*(?:hours?|hrs?)|\d+\s*(?:min(?:ute)?s?|hours?)\s+a\s+day|"
    r"at\s+bedtime|before\s+(?:bed|meals)|after\s+every\s+(?:feed|meal))\b"
)
MED_VERB = (
    r"(?:hold|stop|take|start|skip|double|cut|increase|decrease|switch|give|use|try|drop|halve|"
    r"finish|keep\s+taking|be\s+taking|come\s+off|get\s+off|stay\s+off|stay\s+on|wean|lower|"
    r"ditch|quit|"
    r"raise|up|apply|put\s+(?:him|her|them)\s+on)"
)
DIRECTIVE = re.compile(
    r"\b(?:should|can|could|needs?\s+to|has\s+to|have\s+to|must|ought\s+to)\s+(?:just\s+|"
    r"probably\s+|definitely\s+|totally\s+|safely\s+)?"
    + MED_VERB
    + r"\b[^.!?]{0,50}?(?:"
    + DRUG
    + "|"
    + FREQUENCY
    + ")"
    + r"|(?:^|[.!?,;:—–]\s*|\s-\s+|\band\s+|\bjust\s+|\bthen\s+|\bhere\s+|\bgo\s+ahead\s+and\s+|"
    r"\bif\s+(?:your|ur|his|her)\b"
    r"[^.!?]{0,40}?\s)(?:take|give|try|use|start|stop|hold|double|skip|cut|halve|add|apply|"
    r"get|grab|buy|pick\s+up|ditch|quit|chew|alternate|bump|drop|"
    r"stay\s+off|stay\s+on|switch\s+to|put\s+(?:him|her|them)\s+on)\s+(?:him\s+|her\s+|them\s+)?"
    r"(?:an?\s+|some\s+|extra\s+|another\s+|the\s+|her\s+|his\s+|their\s+|more\s+|less\s+)?"
    r"[^.!?]{0,30}?(?:"
    + DRUG
    + "|"
    + FREQUENCY
    + ")"
    # "I'd stop the ashwagandha", "tell them to stop her HCTZ", "you don't need the metformin"
    + r"|\bi['’]?d\s+(?:just\s+)?(?:stop|hold|start|cut|double|skip|switch|drop|halve|add|taper|"
    r"increase|decrease)\s+(?:the|your|ur|her|his|their)\s+\w+"
    r"|\b(?:tell|ask|have)\s+[^.!?]{0,40}?\bto\s+(?:stop|hold|start|skip|double|cut|give|take|"
    r"halve|taper)\b"
    r"|\b(?:want|need|like)\s+(?:you|him|her|them)\s+(?:on|to\s+(?:take|start|stop))\b[^.!?]{0,30}?"
    + DRUG
    + r"|"
    + FREQUENCY
    + r"|\byou\s+(?:don['’]?t\s+|do\s+not\s+)?(?:need|should\s+get|gotta\s+get)\s+"
    r"(?:the\s+|your\s+|that\s+|those\s+|any\s+|an?\s+|some\s+)?[^.!?]{0,20}?"
    + DRUG
    + r"|\b(?:do|use|apply|try)\s+[^.!?]{0,30}?"
    + FREQUENCY
    # "have her chew", "why not just bump it", "you'll want to take", "don't bother refilling"
    + r"|\b(?:have|make|let|get)\s+(?:him|her|them)\s+(?:take|chew|stop|start|skip|hold|use|try|"
    r"drink|seen)\b|\bwhy\s+not\s+(?:just\s+)?(?:bump|take|try|double|up|increase|stop|switch|"
    r"cut)\b|\byou['’]ll\s+want\s+to\s+(?:take|stop|start|skip|double|get|use|try)\b"
    r"|\b(?:don['’]?t|do\s+not|no\s+need\s+to)\s+(?:bother\s+)?(?:go\s+back\s+on|refill\w*|"
    r"restart|waste\s+\w+\s+money\s+on)\b|\bkeep\s+(?:him|her|them)\s+home\s+from\b"
    r"|\bskip\s+the\s+\w+\s+(?:check|appointment|appt|visit|session|dose)\b"
    r"|\b(?:cut|limit)\s+(?:her|his|their|your|ur)\s+fluids\b"
    r"|\b(?:he|she|they)\s+needs?\s+(?:an?\s+|some\s+|the\s+)?"
    + DRUG
    + r"|\bno\s+need\s+(?:for\s+(?:the\s+|an?\s+)?(?:er|ed|ambulance|hospital|doctor|urgent\s+"
    r"care|antibiotics|stitches|x-?ray)|to\s+(?:go\s+in|go\s+to|see|call|come\s+in))\b"
    r"|\b(?:don['’]?t|do\s+not)\s+(?:go|bother\s+going|bother)\s+(?:to\s+)?(?:the\s+)?"
    r"(?:er|ed|hospital|urgent\s+care|doctor)\b|\bsleep\s+it\s+off\b|\bskip\s+the\s+(?:er|ed)\b"
    r"|\bi['’]?ll\s+tell\s+you\s+(?:if|whether|what)\b",
    re.IGNORECASE | re.MULTILINE,
)
# Said to everyone, not to one person: the directive is education.
EDUCATION = re.compile(
    r"\b(?:always|never|most\s+(?:people|adults|kids)|anyone|everyone|adults|children\s+under|"
    r"kids\s+under|if\s+you(?:['’]re|\s+are|\s+have|\s+take|\s+notice|\s+see)|"
    r"general\s+(?:info|information|education|rule)|as\s+a\s+rule|in\s+general|generally)\b",
    re.IGNORECASE,
)
ADVICE_EXEMPT = re.compile(
    r"\b(?:talk(?:ing)?\s+to|ask(?:ing)?|call|see|check(?:ing)?\s+with|book\s+a\s+visit|consult)\s+"
    r"(?:your|a)\s+"
    r"(?:doctor|clinician|pharmacist|pediatrician|provider|clinic|gp|nurse|care\s+team|"
    r"prescriber|specialist|dentist|midwife|pcp|ob(?:-?gyn)?|cardiologist|oncologist)\b"
    r"(?!\s+for\s+(?:some\s+|a\s+|an\s+)?(?-i:[a-z]+(?:cillin|mycin|cycline|floxacin)\b|"
    r"antibiotics|a\s+(?:script|prescription)))|"
    r"\bas\s+the\s+label\s+directs\b|\bas\s+(?:prescribed|directed)\b|\bnot\s+advice\s+for\s+your\b|\bgeneral\s+(?:info|questions)\b",
    re.IGNORECASE,
)
# "Can you take ibuprofen and acetaminophen together?": a question a post goes on to answer
FAQ_QUESTION = re.compile(
    r"^\s*(?:[\"“]\s*|[\w\s]{0,30},\s*)?(?:can|should|do|does|is|are|how|what|when|why|"
    r"wondering|ever\s+wonder)\b",
    re.IGNORECASE,
)
ASK_FOR = re.compile(r"ask\b", re.IGNORECASE)
NEGATED = re.compile(r"(?:n't|not|no|never)\s+(?:need\s+to\s+|have\s+to\s+|bother\s+to\s+)?$", re.I)
ADVICE_SUGGESTION = (
    "Share general information instead ('most adults with X can...'), and point the person to "
    "their own clinician, an urgent care or 911."
)


class AdviceRule(Rule):
    """Individual medical advice or prescribing to a specific person."""

    code = "advice"

    def check(self, draft: Draft) -> list[Finding]:
        text = draft.text.text
        findings: list[Finding] = []
        for code, pattern, explanation in ADVICE_PATTERNS:
            for match in pattern.finditer(text):
                sentence = _sentence_around(text, match.start(), match.end())
                # "call your dentist and ask for amoxicillin" still names the drug to get
                exempt = (
                    code in {"dosing", "dm_symptoms"}
                    and not ASK_FOR.match(match.group(0))
                    and any(
                        not NEGATED.search(sentence[max(0, e.start() - 16) : e.start()])
                        for e in ADVICE_EXEMPT.finditer(sentence)
                    )
                )
                if exempt or (code == "dosing" and _asked(text, match.start(), match.end())):
                    continue
                start, end = draft.text.span(match.start(), match.end())
                findings.append(
                    Finding(
                        category=Category.ADVICE,
                        kind=code,
                        start=start,
                        end=end,
                        severity=Severity.BLOCK
                        if code in {"prescribing", "dosing"}
                        else Severity.WARN,
                        confidence=0.8,
                        explanation=explanation,
                        suggestion=ADVICE_SUGGESTION,
                        rule=self.code,
                    )
                )
        if not findings:
            findings.extend(self._addressed_directive(draft))
        return _drop_overlaps(findings)

    def _addressed_directive(self, draft: Draft) -> list[Finding]:
        text = draft.text.text
        if not ADDRESSED.search(text):
            return []
        for match in DIRECTIVE.finditer(text):
            sentence = _sentence_around(text, match.start(), match.end())
            # "ask your doctor whether you can stop it" refers; "stop it, then call your
            # doctor" still tells the person what to do
            before = text[_sentence_start(text, match.start()) : match.start()]
            if EDUCATION.search(sentence) or any(
                not NEGATED.search(before[max(0, e.start() - 16) : e.start()])
                for e in ADVICE_EXEMPT.finditer(before)
            ):
                continue
            code = "dosing" if DRUG_NAME.search(sentence) else "diagnosis"
            start, end = draft.text.span(match.start(), match.end())
            return [
                Finding(
                    category=Category.ADVICE,
                    kind=code,
                    start=start,
                    end=end,
                    severity=Severity.WARN,
                    confidence=0.6,
                    explanation=_EXPLAIN[code],
                    suggestion=ADVICE_SUGGESTION,
                    rule=self.code,
                )
            ]
        return []


def _asked(text: str, start: int, end: int) -> bool:
    """The match is in a question ("Can you take ibuprofen and acetaminophen together?") that
    the post goes on to answer for everyone."""
    stops = [i for i in (text.find(c, end) for c in ".!?\n") if i != -1]
    return (
        bool(stops)
        and text[min(stops)] == "?"
        and bool(FAQ_QUESTION.match(_sentence_around(text, start, end)))
    )


def _sentence_start(text: str, start: int) -> int:
    return max(text.rfind(c, 0, start) for c in ".!?\n") + 1


def _sentence_around(text: str, start: int, end: int) -> str:
    right = [i for i in (text.find(c, end) for c in ".!?\n") if i != -1]
    return text[_sentence_start(text, start) : min(right) if right else len(text)]


def _drop_overlaps(findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -(f.end - f.start))):
        if not any(k.start < f.end and f.start < k.end for k in kept):
            kept.append(f)
    return kept


# Credentials ------------------------------------------------------------------------------

# Canonical credential -> what a claim of it looks like in a post.
CREDENTIALS: dict[str, str] = {
    "MD": r"m\.?d\.?|physician|medical\s+doctor|doctor|doc|surgeon|pediatrician|cardiologist|"
    r"dermatologist|neurologist|psychiatrist|oncologist|radiologist|anesthesiologist|"
    r"electrophysiologist|internist|emergency\s+physician|family\s+doctor|hospitalist",
    "DO": r"d\.?o\.?",
    "RN": r"r\.?n\.?|registered\s+nurse",
    "NP": r"n\.?p\.?|nurse\s+practitioner|fnp|aprn",
    "PA-C": r"pa-c|p\.?a\.?|physician\s+assistant",
    "PHARMD": r"pharm\.?\s?d\.?|pharmacist",
    "DDS": r"d\.?d\.?s\.?|dmd|dentist",
    "DC": r"d\.?c\.?|chiropractor",
    "FACS": r"facs",
    "FACC": r"facc",
    "FACP": r"facp",
    "DNP": r"dnp",
    "PHD": r"ph\.?d\.?",
    "BSN": r"bsn",
    "PSYCHOLOGIST": r"psychologist|psy\.?d\.?",
    "LPN": r"lpn|lvn|licensed\s+(?:practical|vocational)\s+nurse",
    "NURSE": r"nurse",
    "PARAMEDIC": r"paramedic|emt|medic",
    "CNM": r"cnm|(?:certified\s+nurse[- ])?midwife",
    "RD": r"rdn?|registered\s+dietitian|dietitian|dietician",
    "IBCLC": r"ibclc|lactation\s+consultant",
    "STUDENT": r"(?:med(?:ical)?|nursing|pharmacy|pa|np)\s+student|ms[1-4]",
    "CCRN": r"ccrn",
    "CHPN": r"chpn",
    "CEN": r"cen",
    "FACEP": r"facep",
    "PRACTITIONER": r"(?:functional|integrative|holistic)\s+(?:medicine\s+)?practitioner|"
    r"naturopath(?:ic\s+doctor)?",
}
# Which verified credentials make a claim true. "Dr." is true for any doctorate.
SATISFIED_BY: dict[str, set[str]] = {
    "MD": {"MD", "DO"},
    "DO": {"DO"},
    "RN": {"RN", "NP", "BSN", "DNP"},
    "NP": {"NP", "DNP"},
    "PA-C": {"PA-C"},
    "PHARMD": {"PHARMD"},
    "DDS": {"DDS"},
    "DC": {"DC"},
    "FACS": {"FACS"},
    "FACC": {"FACC"},
    "FACP": {"FACP"},
    "DNP": {"DNP"},
    "PHD": {"PHD"},
    "BSN": {"BSN"},
    "PSYCHOLOGIST": {"PSYCHOLOGIST", "PHD"},
    "NURSE": {"RN", "NP", "BSN", "DNP", "LPN", "LVN", "CNM"},
    "LPN": {"LPN", "RN", "NP"},
    "CNM": {"CNM"},
    "RD": {"RD"},
    "IBCLC": {"IBCLC"},
    "PARAMEDIC": {"PARAMEDIC"},
    "STUDENT": {"STUDENT"},
    "DR": {"MD", "DO", "PHARMD", "DDS", "DC", "DNP", "PHD"},
}
SPECIALTY_WORDS = {
    "cardiologist": "cardiology",
    "dermatologist": "dermatology",
    "neurologist": "neurology",
    "pediatrician": "pediatrics",
    "oncologist": "oncology",
    "surgeon": "surgery",
    "psychiatrist": "psychiatry",
    "radiologist": "radiology",
    "electrophysiologist": "electrophysiology",
    "emergency physician": "emergency medicine",
    "internist": "internal medicine",
    "geriatrician": "geriatric medicine",
    "allergist": "allergy and immunology",
    "endocrinologist": "endocrinology",
    "gastroenterologist": "gastroenterology",
    "nephrologist": "nephrology",
    "pulmonologist": "pulmonology",
    "rheumatologist": "rheumatology",
    "urologist": "urology",
    "obstetrician": "obstetrics and gynecology",
    "gynecologist": "obstetrics and gynecology",
    "hospitalist": "hospital medicine",
    "intensivist": "critical care medicine",
    "toxicologist": "medical toxicology",
    "anesthesiologist": "anesthesiology",
    "pathologist": "pathology",
    "ophthalmologist": "ophthalmology",
}
_CRED_LETTERS = "|".join(CREDENTIALS.values())
_CRED_ALT = "|".join(f"(?P<{k.replace('-', '_')}>{v})" for k, v in CREDENTIALS.items())
SELF_CLAIM = re.compile(
    rf"\b(?:i'?m|i\s+am|as|me,?|(?:proud|honou?red|blessed|lucky|privileged)\s+to\s+be|"
    rf"i['’]?ve\s+been)\s+(?:a|an|the|your|her|his|their)?\s*(?:proud\s+|board[- ]certified\s+|"
    rf"fellowship[- ]trained\s+|licensed\s+|practicing\s+|family\s+|retired\s+|clinical\s+|"
    rf"attending\s+|consulting\s+|treating\s+|staff\s+|"
    rf"(?:icu|er|ed|picu|nicu|flight|school|travel|oncology|charge|hospice)\s+)*(?:{_CRED_ALT})\b",
    re.IGNORECASE,
)
SIGNATURE = re.compile(
    rf"(?P<who>(?-i:[A-Z][a-z'’-]+)(?:\s+(?-i:[A-Z][a-z'’-]+)){{1,2}}),\s*(?P<creds>(?:(?:{_CRED_LETTERS})(?:,\s*|\s+|\b))+)",
    re.IGNORECASE,
)
TITLE_SELF = re.compile(
    r"\b(?:dr\.?|doctor)\s+(?P<who>[a-z][a-z'’-]+)(?:,\s*(?P<deg>[a-z.]{2,6}))?\s+(?:here|"
    r"signing\s+(?:off|out)|checking\s+in)\b|"
    r"\bthis\s+is\s+dr\.?\s+(?P<who2>[a-z][a-z'’-]+)\b|"
    r"(?P<role>nurse\s+practitioner|physician\s+assistant|pharmacist|registered\s+nurse)\s+"
    r"(?P<who3>(?-i:[A-Z][a-z'’-]+)(?:\s+(?-i:[A-Z][a-z'’-]+))?)\s+here\b|"
    r"(?:^|[.!?—–]\s+|,\s+)(?:[\w-]+\s+){0,3}?(?P<role2>nurse\s+practitioner|physician\s+"
    r"assistant|pharmacist|registered\s+nurse|physician|doctor|doc|surgeon|md|do|rn|np|pa-c|"
    r"pharmd|nurse|lpn|paramedic|emt|medic|midwife|dietitian|lactation\s+consultant|ibclc|"
    r"(?:med(?:ical)?|nursing)\s+student|(?:functional|integrative|holistic)\s+medicine\s+"
    r"practitioner)(?:\s+(?:of|for)\s+\d+\s*(?:years?|yrs?))?(?:\s+\W+)?\s+(?:here|life)\b|"
    # "3rd year med student so grain of salt", opening a post
    r"^\s*(?:\d(?:st|nd|rd|th)[- ]year\s+)?(?P<role3>(?:med(?:ical)?|nursing)\s+student)\b|"
    r"\b(?:dr\.?|doctor)\s+(?P<who4>(?-i:[A-Z][a-z'’-]+))\s+(?P<who5>(?-i:[A-Z][a-z'’-]+))|"
    # signed at the end ("... nothing to worry about. — Dr. Kim") or in a greeting ("Hi from
    # Dr. Morrow")
    r"(?<!\S)[—~-]+\s*(?:dr\.?|doctor)\s+(?P<who6>[a-z][a-z'’-]+)\W*$|"
    r"\b(?:hi|hello|greetings|love|cheers|xoxo?)\s*,?\s+from\s+(?:dr\.?|doctor)\s+"
    r"(?P<who7>[a-z][a-z'’-]+)",
    re.IGNORECASE,
)
# Letters listed before "here": "RN, BSN here and I can tell you..."
CRED_LIST_HERE = re.compile(
    rf"(?:^|[.!?]\s+)(?P<creds>(?:{_CRED_LETTERS})(?:\s*,\s*(?:{_CRED_LETTERS}))+)\s+here\b",
    re.IGNORECASE,
)
# Boards only physicians sit: claimed by anyone else, they contradict the profile.
PHYSICIAN_BOARD = re.compile(
    r"medicine|surgery|pediatrics|cardiology|dermatology|neurology|oncology|psychiatry|radiology|"
    r"anesthesiology|pathology|urology|ophthalmology|gastroenterology|nephrology|pulmonology|"
    r"rheumatology|endocrinology|obstetrics|gynecology|allergy|electrophysiology|toxicology"
)
# Certifications on top of a licence: not on the profile is unverified, not a contradiction.
CERTIFICATIONS = frozenset({"CCRN", "CHPN", "CEN", "CPN", "CNOR", "OCN", "CDCES", "IBCLC"})
_HELD = "|".join(sorted(CERTIFICATIONS | {"FACEP", "FACS"}))
_IN_PARENTHESES = "|".join(sorted(CERTIFICATIONS | {"FACEP", "FACS", "FACC", "FACP", "BCPS"}))
# A certification held up as one's own: "with my CCRN", "(CHPN)"
CERTIFICATION = re.compile(
    rf"\b(?:my|earned\s+my|got\s+my|passed\s+my)\s+(?P<a>{_HELD})\b|\((?P<b>{_IN_PARENTHESES})\)",
    re.IGNORECASE,
)
FLAIR = re.compile(r"^\s*\[(?P<creds>[^\]]{2,40})\]")
BOARD_CLAIM = re.compile(
    r"\bboard[- ]certified\s+(?:in\s+)?"
    r"(?P<spec>[a-z]+(?:\s+(?:medicine|surgery|care(?:\s+medicine)?))?)"
    r"|\bboard[- ]certified\s+(?P<noun>[a-z]+(?:\s+physician)?)\b",
    re.IGNORECASE,
)
BOARD_ALSO = re.compile(
    r"\s+(?:and|&)\s+(?P<spec>[a-z]+(?:\s+(?:medicine|surgery|care(?:\s+medicine)?))?)",
    re.IGNORECASE,
)
FELLOWSHIP_CLAIM = re.compile(
    r"\bfellowship[- ]trained\s+(?:in\s+)?(?P<spec>[a-z]+(?:\s+medicine)?)", re.IGNORECASE
)
MENTION_OTHER = re.compile(
    r"\b(?:my\s+(?:mom|dad|mother|father|wife|husband|friend|sister|brother)\s+is)\s*$",
    re.IGNORECASE,
)


# Board certifications written as letters after a name (pharmacy's BPS specialties).
BOARD_ACRONYMS = {
    "BCPS": "pharmacotherapy",
    "BCOP": "oncology pharmacy",
    "BCACP": "ambulatory care pharmacy",
    "BCCCP": "critical care pharmacy",
    "BCPP": "psychiatric pharmacy",
}


@dataclass(frozen=True)
class Claim:
    credential: str  # a CREDENTIALS key, "DR", "BOARD:<specialty>" or "FELLOWSHIP:<specialty>"
    start: int
    end: int
    label: str


def canonical(credential: str) -> str | None:
    """A verified credential as entered by staff ("MD", "Board certified in cardiology")."""
    value = credential.strip()
    if value.upper() in BOARD_ACRONYMS:
        return "BOARD:" + BOARD_ACRONYMS[value.upper()]
    board = re.match(r"(?i)board[- ]certified\s*(?:in|:)?\s*(.+)$", value)
    if board:
        return "BOARD:" + _specialty(board.group(1))
    fellowship = re.match(r"(?i)fellowship(?:[- ]trained)?\s*(?:in|:)?\s*(.+)$", value)
    if fellowship:
        return "FELLOWSHIP:" + _specialty(fellowship.group(1))
    for key, pattern in CREDENTIALS.items():
        if re.fullmatch(pattern, value, re.IGNORECASE):
            return key
    return value.upper()


def _specialty(value: str) -> str:
    value = value.strip().lower().rstrip(".")
    value = re.sub(r"\s+physician$", "", value)
    value = SPECIALTY_WORDS.get(value, value)
    return {
        "emergency": "emergency medicine",
        "family": "family medicine",
        "internal": "internal medicine",
        "critical care": "critical care medicine",
    }.get(value, value)


def _key_of(match: re.Match[str]) -> str:
    for key in CREDENTIALS:
        if match.groupdict().get(key.replace("-", "_")):
            return key
    return ""


def _degree_key(value: str) -> str | None:
    for key, pattern in CREDENTIALS.items():
        if re.fullmatch(pattern, value.strip(" ,."), re.IGNORECASE):
            return key
    return None


def find_claims(text: str, author: Author) -> list[Claim]:
    claims: list[Claim] = []
    names = {p.lower() for p in author.name.split()}
    for m in SELF_CLAIM.finditer(text):
        if MENTION_OTHER.search(text[max(0, m.start() - 30) : m.start()]):
            continue
        key = _key_of(m)
        if key:
            claims.append(Claim(key, m.start(), m.end(), m.group(0)))
    for m in SIGNATURE.finditer(text):
        who = m.group("who")
        is_author = bool(names) and any(w.lower() in names for w in who.split())
        first_in_post = m.start() == 0 or text[: m.start()].strip() == ""
        if not (is_author or first_in_post):
            continue  # "Dr. Patel, MD, FACS, joins our team": someone else's signature
        if not is_author and author.known and names:
            continue
        offset = m.start("creds")
        for part in re.finditer(r"[^,\s][^,]*", m.group("creds")):
            key = _degree_key(part.group(0))
            if key:
                claims.append(
                    Claim(key, offset + part.start(), offset + part.end(), part.group(0).strip())
                )
    for m in TITLE_SELF.finditer(text):
        if m.group("who4"):
            # "Dr. Tom Reyes, your ER doc": the author's own full name with the title
            first, last = m.group("who4").lower(), m.group("who5").lower()
            if names and first in names and last in names:
                claims.append(Claim("DR", m.start(), m.end(), m.group(0)))
            continue
        who = next(
            (m.group(g) for g in ("who", "who2", "who3", "who6", "who7") if m.group(g)), ""
        ).lower()
        role = m.group("role") or m.group("role2") or m.group("role3")
        if role:
            if who and names and who.split()[0] not in names:
                continue
            key = _degree_key(role)
            if key:
                claims.append(Claim(key, m.start(), m.end(), m.group(0)))
            continue
        if names and who not in names:
            continue  # "Dr. Mike here" from Mike Smith is the author; another name is not
        claims.append(Claim("DR", m.start(), m.end(), m.group(0)))
        if m.group("deg") and _degree_key(m.group("deg")):
            claims.append(
                Claim(
                    _degree_key(m.group("deg")) or "", m.start("deg"), m.end("deg"), m.group("deg")
                )
            )
    for m in CERTIFICATION.finditer(text):
        group = "a" if m.group("a") else "b"
        value = m.group(group)
        key = _degree_key(value) or value.upper()
        claims.append(Claim(key, m.start(group), m.end(group), value))
    # "[Physician]", "[RN, BSN]": a forum's credential flair; "RN, BSN here"
    for flair in [FLAIR.match(text), *CRED_LIST_HERE.finditer(text)]:
        if flair is None:
            continue
        for part in re.finditer(r"[^,/\s][^,/]*", flair.group("creds")):
            key = _degree_key(part.group(0))
            if key:
                offset = flair.start("creds") + part.start()
                claims.append(
                    Claim(key, offset, offset + len(part.group(0).strip()), part.group(0))
                )
    for m in BOARD_CLAIM.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()].lower()
        if re.search(
            r"\b(?:welcome|congrats|congratulations|thanks|dr\.?\s+\w+,?)\s*[\w\s,.]*$", before
        ) and not re.search(r"\b(?:i'?m|i\s+am|as)\b", before):
            continue
        spec = m.group("spec") or m.group("noun") or ""
        claims.append(Claim("BOARD:" + _specialty(spec), m.start(), m.end(), m.group(0)))
        also = BOARD_ALSO.match(text, m.end())  # "in dermatology and plastic surgery"
        if also and m.group("spec") and re.search(r"\bin\s", m.group(0), re.IGNORECASE):
            claims.append(
                Claim(
                    "BOARD:" + _specialty(also.group("spec")),
                    also.start("spec"),
                    also.end("spec"),
                    also.group("spec"),
                )
            )
    for m in FELLOWSHIP_CLAIM.finditer(text):
        claims.append(
            Claim("FELLOWSHIP:" + _specialty(m.group("spec")), m.start(), m.end(), m.group(0))
        )
    return claims


class CredentialRule(Rule):
    """Credentials claimed in the text, compared with the author's verified credentials."""

    code = "credential"

    def check(self, draft: Draft) -> list[Finding]:
        text = draft.text.text
        author = draft.author
        verified = {c for c in (canonical(v) for v in author.verified) if c}
        claimed = {c for c in (canonical(v) for v in author.claimed) if c}
        findings = []
        for claim in find_claims(text, author):
            if self._holds(claim.credential, verified):
                continue
            start, end = draft.text.span(claim.start, claim.end)
            if (
                author.known
                and verified
                and not self._holds(claim.credential, claimed)
                and not self._unverified_extra(claim.credential, verified)
            ):
                severity, explanation = (
                    Severity.BLOCK,
                    f"'{claim.label.strip()}' does not match the credentials verified on your "
                    f"profile ({', '.join(sorted(author.verified))}). Misrepresenting credentials "
                    "is one of the violations medical boards hear about most.",
                )
            else:
                severity, explanation = (
                    Severity.WARN,
                    f"'{claim.label.strip()}' is a credential claim we cannot verify"
                    + (
                        " (it is on your profile but staff have not confirmed it yet)."
                        if claimed
                        else "."
                    ),
                )
            findings.append(
                Finding(
                    category=Category.CREDENTIAL,
                    kind=claim.credential,
                    start=start,
                    end=end,
                    severity=severity,
                    confidence=0.8 if severity == Severity.BLOCK else 0.6,
                    explanation=explanation,
                    suggestion="Claim only credentials you hold; add yours to your profile "
                    "so staff can verify them.",
                    rule=self.code,
                )
            )
        return findings

    @staticmethod
    def _unverified_extra(credential: str, verified: set[str]) -> bool:
        """A certification on top of a licence the author holds ("with my CCRN" from a verified
        RN; a specialist board from a physical therapist): not on the profile, but not at odds
        with it either, so it warns. A physician's unlisted specialty board still contradicts."""
        if credential in CERTIFICATIONS:
            return True
        return (
            credential.startswith("BOARD:")
            and not verified & {"MD", "DO", "DDS", "PHARMD"}
            and not PHYSICIAN_BOARD.search(credential)
        )

    @staticmethod
    def _holds(credential: str, verified: set[str]) -> bool:
        if credential.startswith(("BOARD:", "FELLOWSHIP:")):
            kind, _, spec = credential.partition(":")
            return any(
                v.startswith(kind + ":") and (spec in v or v.split(":", 1)[1] in spec)
                for v in verified
            )
        return bool(SATISFIED_BY.get(credential, {credential}) & verified)
