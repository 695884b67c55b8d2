"""Rules added in the fifth round (posts-dev5.txt and posts-dev6.txt, written by people who had
not seen the rules): a positive and a negative case each, in sentences of our own, with the
exact text each finding points at."""

from __future__ import annotations

import datetime

import pytest

from hcsm.checker.check import run_check
from hcsm.checker.findings import Author, Category, Severity

NURSE = Author(name="Sam Okafor", verified=("RN",), known=True)
ANONYMOUS = Author(name="", verified=(), known=False)


def found(text: str, author: Author = NURSE) -> list[tuple[Category, str, str, Severity]]:
    result = run_check(text=text, author=author)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
    return [(f.category, f.kind, text[f.start : f.end], f.severity) for f in result.counted()]


def phi(text: str, author: Author = NURSE) -> set[tuple[str, str]]:
    return {(k, s) for c, k, s, _ in found(text, author) if c == Category.PHI}


def advised(text: str) -> bool:
    return any(c == Category.ADVICE for c, _, _, _ in found(text))


def claims(text: str, author: Author) -> list[tuple[str, Severity]]:
    return [(s, sev) for c, _, s, sev in found(text, author) if c == Category.CREDENTIAL]


# Ages over 89 ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("At 96, she still walks to mass every morning.", "96"),
        ("At ninety-four he outlasted all of us on the treadmill.", "ninety-four"),
        ("Our patient is 94 and still sharp as a tack.", "94"),
        ("Nonna, 97. Still bossing the whole unit around.", "97"),
        ("grandma, 93, came in after a fall last night", "93"),
        ("the lady in bed 3 is 95 and asked for coffee", "95"),
        ("my 92F with the hip fracture went home today", "92F"),
        ("93y F admitted overnight with pneumonia", "93y F"),
        ("grandpa's 98 and refuses the walker", "98"),
        ("Mr. Lopez who is 99 asked me to marry him", "99"),
        ("celebrated her 100th today on the unit", "100th"),
        ("Pt born 1931, sharp as ever.", "1931"),
        ("Aunt Bev (Beverly Ames), 104, now lives at the county home.", "104"),
        ("Hashtag of the day on our unit: #96andfabulous", "96"),
        ("The cake says it all, #turning100 on 4 West today!", "100"),
        ("our resident she'll be ninety-five on Friday, polka playlist needed", "ninety-five"),
    ],
)
def test_ages_over_89_in_more_forms(text: str, span: str) -> None:
    assert ("AGE", span) in phi(text), found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Her heart rate is 95 and climbing, calling rapid response.",
        "O2 sat was 92 and we put her on 2L.",
        "It is 95 degrees outside, hydrate everyone.",
        "Scores: 88, 92, 95. Proud of our unit.",
        "Route 95, exit 12, then follow the signs to the clinic.",
        "Our hospital was founded in 1925 and still serves the county.",
        "At 90 days post-op most patients are back to normal activity.",
        "At 95%, the vaccination rate on our unit is the best in the system.",
        "Her glucose, 98, was finally normal.",
        "Room 94, 95 and 96 are closed for cleaning today.",
        "Said hello to a patient on our unit who is 90 or older.",
        "#100DaysOfNursing starts today on our unit!",
    ],
)
def test_numbers_that_are_not_ages(text: str) -> None:
    assert not {k for k, _ in phi(text) if k == "AGE"}, found(text)


def test_a_birth_year_counts_only_when_it_makes_the_person_90_or_older() -> None:
    young = datetime.date.today().year - 80
    assert not {k for k, _ in phi(f"Pt born {young}, sharp as ever.") if k == "AGE"}


# Contact details, names and numbers -------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        (
            "Found a wallet in the lobby, the owner wrote from jpatel@yahoo.com.",
            "EMAIL",
            "jpatel@yahoo.com",
        ),
        (
            "Her son in the UK wants updates on +44 7700 900456, please call him.",
            "PHONE",
            "+44 7700 900456",
        ),
        ("The family left a number for the night shift: 555-0162.", "PHONE", "555-0162"),
        (
            "text her husband at 614-five five five-0139 when she wakes up",
            "PHONE",
            "614-five five five-0139",
        ),
        (
            "His medicaid id MCD 447-21-908 lapsed and nobody told him.",
            "HEALTH_PLAN",
            "MCD 447-21-908",
        ),
        (
            "Please fix the order for Jennings, acc# CT-5519283 before noon.",
            "ACCOUNT",
            "CT-5519283",
        ),
        ("Grandpa's VA claim 28-114-7739 was approved today!", "ACCOUNT", "28-114-7739"),
        ("praying for aaliyah tonight, the NICU team is with her", "NAME", "aaliyah"),
        ("Rosie the frequent flyer is back, same chair.", "NAME", "Rosie"),
        ("Gogo Nomsa asked me to call her grandson Sipho, he made it in time.", "NAME", "Nomsa"),
        ("Our home visit client Miss P got her new bed today.", "NAME", "Miss P"),
        ("She is not done yet #FightLikeFatima", "NAME", "#FightLikeFatima"),
    ],
)
def test_identifiers_the_earlier_rules_missed(text: str, kind: str, span: str) -> None:
    start = text.index(span)
    hits = [
        (c, k, s, sev)
        for c, k, s, sev in found(text)
        if c == Category.PHI and k == kind and (span in s or s in span)
    ]
    assert hits, found(text)
    assert any(text.find(s) <= start < text.find(s) + len(s) or s in span for _, _, s, _ in hits)


def test_a_private_address_alone_is_a_warning_not_a_block() -> None:
    hits = [
        sev
        for c, k, _, sev in found("The owner emailed us from jpatel@yahoo.com, returned!")
        if c == Category.PHI and k == "EMAIL"
    ]
    assert hits == [Severity.WARN]


@pytest.mark.parametrize(
    "text",
    [
        "Questions about the support group? Info: rehab@lakeside.org",
        "Our hospital's main line is (555) 555-0123, please call it instead of messaging us.",
        "For concerns, the patient relations email is feedback@lakeside.org.",
        "We're hiring nurses! Apply at careers.lakesidehealth.org.",
        "Joy Hospital opens its new maternity wing on Monday.",
        "Huge thanks to Nurse Okonjo and the PICU night crew.",
        "Peds ED: the new toy cart arrived, thank you donors!",
        "Blood drive this quarter beat every record. #blooddrive #twins",
        "Grateful for a patient in their 90s today who taught me patience.",
    ],
)
def test_organisation_details_and_ordinary_words_are_not_counted(text: str) -> None:
    assert phi(text) == set(), found(text)


def test_an_email_with_someone_elses_first_name_is_not_the_authors() -> None:
    author = Author(name="Denise Rutherford", verified=(), known=True)
    text = "Mom finally got her bed at the care home! Cards: loretta.rutherford41@gmail.com"
    assert ("EMAIL", "loretta.rutherford41@gmail.com") in phi(text, author)
    own = "Retiring after 30 years. Write me at denise.rutherford@gmail.com."
    assert not phi(own, author)


# Handles in replies ----------------------------------------------------------------------


def test_the_askers_handle_is_not_phi_when_the_advice_is_about_them() -> None:
    text = "@jt_runner ice it, ibuprofen 600 three times a day, and skip your long run."
    assert advised(text)
    assert not {s for k, s in phi(text) if k == "HANDLE"}


def test_the_askers_handle_is_phi_when_the_advice_is_about_their_relative() -> None:
    text = "@kim_h since your dad is at the care home ask the nurses to hold his Seroquel"
    assert advised(text)
    assert ("HANDLE", "@kim_h") in phi(text)


def test_an_explicit_reply_about_the_authors_own_relative_drops_the_handle() -> None:
    text = "replying to @kdubs: my gran had the same thing at her care home, it took weeks"
    assert not {s for k, s in phi(text) if k == "HANDLE"}


# Advice said to one person ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Inbox me your bloodwork and I'll tell you what supplements to take.",
        "@deb_w81 no need for the ER with those symptoms, sleep it off and call your PCP Monday.",
        "Since you're allergic to penicillin, ask your dentist for clindamycin instead.",
        "Send me a pic of the mole and I'll tell you if it's cancer.",
        "Hey Carla, your mom should hold her metformin the morning of her CT.",
        "@blue_skies88 if your sugar is over 300 take an extra 5 units before bed.",
        "OP, you should be taking the potassium they gave you twice a day, not once.",
        "@gina_w your husband's pressure is high — give him an extra lisinopril now.",
        "@amy.k as a midwife I'd want you on 81 mg aspirin until 36 weeks.",
        "@tara_w from the video that's a shallow latch, nurse him every 2-3 hours tonight.",
        "@bo_k I'd stop the ashwagandha, it's probably what's spiking your heart rate.",
        "I'd tell her daughter to hold her evening insulin if she isn't eating.",
        "@jess you can ditch the iron pills once your levels are up.",
    ],
)
def test_advice_to_one_person_in_more_shapes(text: str) -> None:
    assert advised(text), found(text)


@pytest.mark.parametrize(
    "text",
    [
        "Adults: don't take more than 3,000 mg of acetaminophen a day. Check labels.",
        "You should never stop an antidepressant cold turkey without talking to your prescriber.",
        "Can you take ibuprofen and acetaminophen together? Most adults can; check the label.",
        "@sam_b great question! In general, ibuprofen labels say 200-400 mg every 4-6 hours "
        "for adults. Your pharmacist can check it against your other meds.",
        "Kids under 6 months should not get ibuprofen. Questions? Call your pediatrician.",
        "@katie_m so sorry. Only your own doctor can tell you whether to change your dose.",
        "Hey team, the new pumps arrive Monday, training is twice a day in the lobby.",
    ],
)
def test_education_and_referrals_are_not_advice(text: str) -> None:
    assert not advised(text), found(text)


# Credentials -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("ER doc here, please get your flu shot this week.", "ER doc here"),
        ("[RN, BSN] the flu clinic is open until six.", "RN"),
        ("Nurse of 22 yrs here, hon, and I have seen this a lot.", "Nurse of 22 yrs here"),
        ("3rd year med student so grain of salt: sleep matters.", "med student"),
        ("Certified lactation consultant here — feeding gets easier.", "lactation consultant here"),
    ],
)
def test_unverifiable_self_descriptions_warn(text: str, claim: str) -> None:
    found_claims = claims(text, ANONYMOUS)
    assert any(claim in s and sev == Severity.WARN for s, sev in found_claims), found_claims


def test_an_lpn_claiming_rn_is_a_contradiction() -> None:
    author = Author(name="Carla Mendes", verified=("LPN",), known=True)
    assert any(
        sev == Severity.BLOCK for _, sev in claims("Proud to be an RN for 15 years!", author)
    )
    assert claims("Proud to be an LPN for 15 years!", author) == []


def test_a_second_board_specialty_must_be_verified_too() -> None:
    author = Author(
        name="Amira Haddad", verified=("MD", "Board certified in dermatology"), known=True
    )
    text = "Board-certified in dermatology and plastic surgery, ask me about fillers."
    assert [s for s, sev in claims(text, author) if sev == Severity.BLOCK] == ["plastic surgery"]
    assert claims("Board-certified in dermatology, ask me about sunscreen.", author) == []


def test_pharmacy_board_letters_verify_the_board_claim() -> None:
    author = Author(name="Lucy Tran", verified=("PharmD", "BCPS"), known=True)
    text = "Board-certified pharmacotherapy specialist here: don't split extended-release tablets."
    assert claims(text, author) == []


def test_a_directive_about_a_medicine_is_explained_as_dosing() -> None:
    text = "@kim_h since your dad is at the care home ask the nurses to hold his Seroquel"
    kinds = [k for c, k, _, _ in found(text) if c == Category.ADVICE]
    assert kinds == ["dosing"]
