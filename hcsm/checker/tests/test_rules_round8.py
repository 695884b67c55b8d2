"""Rules added in the eighth round, from the misses of the dev split (dev2 to dev13): the PHI
rule asks the configured advice rule, initials, family names before "family", friends and
partners, more ages, lists of record numbers, prior-authorisation numbers, Reddit and Venmo
handles, the organisation's own numbers in a patient post, and dashes of every length. A positive
and a negative case each, in sentences of our own."""

from __future__ import annotations

import pytest
from django.test import override_settings

from hcsm.checker.check import run_check
from hcsm.checker.engine import hcsm_engine
from hcsm.checker.findings import Author, Category, Severity
from hcsm.checker.learned import LearnedAdviceRule
from hcsm.checker.rules import AdviceRule, Draft, post_gives_advice
from hcsm.checker.text import normalize

NURSE = Author(name="Sam Okafor", verified=("RN",), known=True)
ANYONE = Author()

pytestmark = pytest.mark.skipif(
    hcsm_engine().degraded, reason="needs the spaCy model (make setup installs it)"
)


def counted(text: str, author: Author = NURSE) -> dict[str, str]:
    """What the author must act on: each PHI span's text and its kind."""
    result = run_check(text=text, author=author)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
    return {text[f.start : f.end]: f.kind for f in result.counted() if f.category == Category.PHI}


def covered(text: str, value: str, author: Author = NURSE) -> bool:
    """Whether a counted PHI finding covers ``value``'s first place in ``text``."""
    start = text.index(value)
    end = start + len(value)
    result = run_check(text=text, author=author)
    return any(
        f.start < end and start < f.end for f in result.counted() if f.category == Category.PHI
    )


def draft(text: str) -> Draft:
    return Draft(text=normalize(text), author=ANYONE)


# The PHI rule asks the configured advice rule, with its learned second opinion ---------------

RELATIVES_REPLY = (
    "Doctor here. @wendy_w_k, your father's confusion is the oxybutynin. Stop it and he'll be "
    "back to normal in a few days"
)
OWN_CARE_REPLY = "@ravi_k92 I would skip the statin refill and just walk more"


@pytest.mark.parametrize("text", [RELATIVES_REPLY, OWN_CARE_REPLY])
def test_these_replies_are_advice_only_to_the_second_opinion(text: str) -> None:
    # the premise of the two tests below: the hand-written rule passes them, the model does not
    assert not AdviceRule().check(draft(text))
    assert LearnedAdviceRule().check(draft(text))
    assert post_gives_advice(draft(text))


def test_the_askers_handle_leads_to_the_relative_the_second_opinion_finds_advice_about() -> None:
    assert counted(RELATIVES_REPLY, ANYONE).get("@wendy_w_k") == "HANDLE"


def test_the_handle_of_someone_advised_on_their_own_care_is_not_phi() -> None:
    assert "@ravi_k92" not in counted(OWN_CARE_REPLY, ANYONE)


@override_settings(
    HCSM_CHECKER_RULES=["hcsm.checker.rules.PhiRule", "hcsm.checker.rules.AdviceRule"]
)
def test_without_the_second_opinion_the_phi_rule_asks_the_hand_written_rule() -> None:
    assert not post_gives_advice(draft(OWN_CARE_REPLY))


def test_a_relative_named_in_spanish_makes_the_askers_handle_count() -> None:
    text = "Jefa @mari_c_garcia, tu mamá can stop the furosemide mientras tenga diarrea"
    assert counted(text, ANYONE).get("@mari_c_garcia") == "HANDLE"
    assert "@mari_c_garcia" not in counted(
        "Jefa @mari_c_garcia, you can stop the furosemide mientras tengas diarrea", ANYONE
    )


# Names --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Jess, I've been there. Give Aiden the Zyrtec at night instead of the morning", "Aiden"),
        (
            "@kara_b alternate Tylenol and Motrin every 3 hrs, give Lily 5 ml of infant motrin now",
            "Lily",
        ),
    ],
)
def test_the_child_a_reply_doses_counts_whatever_the_case_of_give(text: str, name: str) -> None:
    assert covered(text, name, ANYONE)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Posting this pic of my brother Seun after his appendectomy, he's doing great", "Seun"),
        ("10 days after his CABG and Rudy is walking laps around the unit", "Rudy"),
        ("Rounding on Carl Jennings, POD 2, walked the halls twice today", "Carl Jennings"),
        ("#TeamTheo update: Theo came off ECMO Sunday. This kid.", "Theo"),
        ("Big day: Priyanka came off the vent this morning and smiled at us", "Priyanka"),
        ("A lady named Delphine came into urgent care convinced she had scurvy.", "Delphine"),
    ],
)
def test_a_procedure_or_a_death_today_makes_a_post_about_one_person(text: str, name: str) -> None:
    assert covered(text, name)


@pytest.mark.parametrize(
    "text",
    [
        "Hiring: PAs and NPs for our new urgent care in Madison. DM for details.",
        "Colonoscopy saves lives: most adults should start screening at 45, says Dr. Lee.",
        "So proud of Jenna, who passed her NCLEX on the first try!",
        "So proud of Maria, she passed today! Our newest RN!",
        "Dr. Ama Owusu came off a 12 and still ran the code drill. Legend.",
        "Pod 2 crew killed it tonight. Shoutout to Kayla and Jess!",
        "Send cards c/o the Mercy Foundation, thanks Kayla!",
    ],
)
def test_procedures_as_topics_and_other_passing_make_no_patient(text: str) -> None:
    assert not [k for k in counted(text).values() if k == "NAME"]


@pytest.mark.parametrize(
    ("text", "initials"),
    [
        (
            "Rounding on J.R. this am, two days after his surgery. Walked 3 laps of the unit.",
            "J.R.",
        ),
        ("scrub tech vibes: 9 hr spinal fusion surgery today for L.M. and my back hurts", "L.M."),
        ("m.b. came back to clinic today after her surgery to show off her recovery", "m.b."),
    ],
)
def test_a_patients_initials_count_in_a_post_about_care(text: str, initials: str) -> None:
    assert counted(text).get(initials) == "NAME"


@pytest.mark.parametrize(
    "text",
    [
        "Post-op check clinic runs 9 a.m. to 5 p.m. on weekdays.",
        "Shoutout to J.R. in pharmacy for the coffee run!",
        "Discharged home today after surgery, back in the U.S. next week, says our traveller.",
        "Pt s/p CABG, started metoprolol 25 mg p.o. b.i.d. and Tylenol p.r.n.",
    ],
)
def test_times_places_and_colleagues_initials_are_not_patients(text: str) -> None:
    assert not [v for v, k in counted(text).items() if k == "NAME" and "." in v]


def test_a_family_name_before_family_counts() -> None:
    assert covered("Sending love to Kofi and the whole Asante family in the ICU tonight", "Asante")
    # an English word before "family" is not a family name, nor an employer outside a patient post
    assert not counted("Thanks to the whole Nursing family for a great Nurses Week!")
    assert "Geisinger" not in counted("Welcome Kayla to the Geisinger family!")


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Our friend Kelsey Marsh just had twins at 29 wks, both in the NICU", "Kelsey Marsh"),
        ("my hubby Dmitri is in surgery, prayers please", "Dmitri"),
    ],
)
def test_friends_and_partners_names_count(text: str, name: str) -> None:
    assert covered(text, name, ANYONE)


@pytest.mark.parametrize(
    "text",
    [
        "He's in rm 5C on the oncology floor. He loves Pokémon and sends his thanks",
        "Pray for my son, he's in the PICU. Venmo for gas money is in my bio",
        "RN, BSN, 15 years L&D. Moms, pack snacks in your hospital bag.",
    ],
)
def test_pronouns_payment_apps_and_unit_letters_are_not_names(text: str) -> None:
    found = counted(text, ANYONE)
    assert not {"He's", "Pokémon", "Venmo", "D. Moms"} & set(found)


# Ages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("my grandpa walter haynes is 101 and got discharged from Mercy General", "101"),
        ("Never gonna forget Dolores. 103, DNR, held my hand at 0300.", "103"),
        ("OT session w/ Bea (ninety-six!!) went great today", "ninety-six"),
        (
            "please pray for Nana Bee she turned ninety-four last week and now she's on hospice",
            "ninety-four",
        ),
        (
            "Señora Ibarra, noventa y dos años, me dijo que su secreto es el café",
            "noventa y dos años",
        ),
    ],
)
def test_more_ways_of_saying_an_age_over_89(text: str, age: str) -> None:
    assert counted(text, ANYONE).get(age) == "AGE"


@pytest.mark.parametrize(
    "text",
    [
        "Her sats are 94 and she was admitted for observation.",
        "Our ICU census is 95 and growing this winter.",
        "The wait in the ER is 90 and the lobby is full.",
        "Congrats to our 5 East team! 100, yes one hundred, days without a CLABSI in the ICU.",
        "Celebramos 100 años de servicio a nuestros pacientes.",
        "Mrs. Kim's BP is 92 and stable after the fluids.",
    ],
)
def test_measurements_that_look_like_ages_are_not(text: str) -> None:
    assert "AGE" not in counted(text).values()


# Numbers and handles ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "number", "kind"),
    [
        (
            "Two patients named Maria Lopez, MRNs 7730415 and 7730591. Check two identifiers!",
            "7730591",
            "MRN",
        ),
        (
            "Billing charged my mom twice. Invoice INV-8830192 and INV-8830207.",
            "INV-8830207",
            "ACCOUNT",
        ),
        (
            "my aunt posted her card (member ZGH 447 190 33) and now it's been used",
            "ZGH 447 190 33",
            "HEALTH_PLAN",
        ),
        (
            "Insurance rejection: member W2291-448-01 for Mr. B's Eliquis.",
            "W2291-448-01",
            "HEALTH_PLAN",
        ),
        (
            "denied for no prior auth even though the prior auth # is PA-7718204",
            "PA-7718204",
            "ACCOUNT",
        ),
        ("PA ref PA77120934 for my dad's MRI, still waiting", "PA77120934", "ACCOUNT"),
    ],
)
def test_lists_of_numbers_member_ids_and_prior_authorisations(
    text: str, number: str, kind: str
) -> None:
    assert covered(text, number, ANYONE)
    result = run_check(text=text, author=ANYONE)
    start = text.index(number)
    assert any(f.kind == kind and f.start <= start < f.end for f in result.counted())


@pytest.mark.parametrize(
    "text",
    [
        "Prior auth 2024-2025 changes are coming for every patient on a GLP-1.",
        "Our prior authorization 2023-24 report for patients is out.",
        "Member 2019 2024 of the nursing council, now chair.",
    ],
)
def test_years_are_not_identifiers(text: str) -> None:
    assert not {"HEALTH_PLAN", "ACCOUNT"} & set(counted(text).values())


@pytest.mark.parametrize(
    "text",
    [
        "Proud member of the nursing team since 2019 and of the union since 2021.",
        "Our policy 2025 update on visitor badges is posted in the break room.",
        "Prior auth reform is coming: read our summary of the new rules.",
    ],
)
def test_membership_and_policy_talk_has_no_numbers(text: str) -> None:
    assert not {"HEALTH_PLAN", "ACCOUNT", "MRN"} & set(counted(text).values())


def test_venmo_and_reddit_handles_are_whole_handles() -> None:
    text = "Our friend had twins in the NICU. venmo @Kelsey-Marsh-88, updates by u/marsh_twins_dad"
    found = counted(text, ANYONE)
    assert found.get("@Kelsey-Marsh-88") == "HANDLE"
    assert found.get("u/marsh_twins_dad") == "HANDLE"
    # a path is not a Reddit user, nor is a dose rate
    assert not counted("Read the guide at example.org/u/guidelines for our new policy.", ANYONE)
    dosed = counted("Pt in bed 4 on insulin 10 u/hour, 40 u/day total", ANYONE)
    assert "HANDLE" not in dosed.values()


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("Our son Tobi's phone died in the ER, text his wife Jada at 555–0138", "555–0138"),
        (
            "call Mrs. Alvarado's daughter at 555 0124 if you see her, she left memory care",
            "555 0124",
        ),
    ],
)
def test_phone_numbers_with_long_dashes_and_spaces(text: str, phone: str) -> None:
    assert counted(text, ANYONE).get(phone) == "PHONE"


def test_en_dashes_are_folded_with_offsets_kept_and_em_dashes_still_separate() -> None:
    folded = normalize("call 555\u20130138 \u2014 thanks")
    assert folded.text == "call 555-0138 \u2014 thanks"
    assert folded.span(5, 13) == (5, 13)
    text = "Mr. Diaz in room 4 is asking for his son, call his daughter at 555-0101\u2014she knows"
    assert counted(text).get("555-0101") == "PHONE"
    text = "Thanks @nurse_amy\u2014you were great with Mrs. Lopez in bed 3"
    assert "@nurse_amy" in counted(text, ANYONE)


@pytest.mark.parametrize(
    "text",
    [
        "Former NICU families RSVP at 555-0175 for the reunion picnic!",
        "Pharmacy closed for inventory after the code drill. Our refill line is 555-0175.",
        "Questions after your surgery? Call the clinic at 555-0102 any weekday.",
    ],
)
def test_the_organisations_own_number_in_a_post_about_care_does_not_count(text: str) -> None:
    assert "PHONE" not in counted(text).values()
    result = run_check(text=text, author=NURSE)
    assert any(f.kind == "PHONE" and f.severity == Severity.INFO for f in result.findings)


def test_a_relatives_number_in_a_post_about_care_still_counts() -> None:
    text = "Mr. Diaz in room 4 is asking for his son, call his daughter at 555-0101 if you know her"
    assert counted(text).get("555-0101") == "PHONE"
    text = "Her main number is 555-0101, she was admitted to the ICU last night"
    assert counted(text, ANYONE).get("555-0101") == "PHONE"
