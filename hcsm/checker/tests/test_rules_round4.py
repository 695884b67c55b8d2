"""Rules added after the fourth dev batch (posts-dev4.txt, written by someone who had not seen
the rules): one positive and one negative case each, in sentences of our own, with the exact
text each finding points at."""

from __future__ import annotations

import pytest

from hcsm.checker.check import run_check
from hcsm.checker.findings import KINDS, Author, Category, Severity

NURSE = Author(name="Sam Okafor", verified=("RN",), known=True)
SOCIAL_WORKER = Author(name="Noor Haddad", verified=("LCSW",), known=True)


def found(text: str, author: Author = NURSE) -> list[tuple[Category, str, str, Severity]]:
    result = run_check(text=text, author=author)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
    return [(f.category, f.kind, text[f.start : f.end], f.severity) for f in result.counted()]


def phi(text: str, author: Author = NURSE) -> set[tuple[str, str]]:
    return {(k, s) for c, k, s, _ in found(text, author) if c == Category.PHI}


def advice(text: str) -> list[str]:
    return [s for c, _, s, _ in found(text) if c == Category.ADVICE]


# Licence plates and VINs (Safe Harbor 12) --------------------------------------------------


def test_the_vehicle_kind_is_a_direct_identifier_of_safe_harbor_12() -> None:
    kind = KINDS["VEHICLE"]
    assert kind.safe_harbor == 12 and kind.direct
    assert "plate" in kind.explanation.lower() and kind.suggestion


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Driver pulled from the wreck, plate 4TRX-118, is in trauma bay 2.", "plate 4TRX-118"),
        (
            "Family of the man we brought in: texas plate KLM 5521, call the ED.",
            "texas plate KLM 5521",
        ),
        (
            "The patient's car, license plate: 8BQZ903, is still in the ambulance bay.",
            "license plate: 8BQZ903",
        ),
        ("Tag # 2WX-441 on the van, the driver is in the ICU.", "Tag # 2WX-441"),
        ("VIN 1HGCM82633A004352 from the crash, the driver is in the ICU.", "1HGCM82633A004352"),
    ],
)
def test_plates_and_vins_in_context_block(text: str, span: str) -> None:
    hits = [(k, s, sev) for c, k, s, sev in found(text) if c == Category.PHI and k == "VEHICLE"]
    assert hits == [("VEHICLE", span, Severity.BLOCK)], found(text)
    start = text.index(span)
    assert text[start : start + len(span)] == span


@pytest.mark.parametrize(
    "text",
    [
        "Tag 10 friends who need a reminder to get their flu shot.",
        "The license plate frame fell off my car in the hospital garage.",
        "Tag me in your photos from the nurses' 5K!",
        "Our new plates for the cafeteria arrived, 200 of them.",
    ],
)
def test_words_like_tag_and_plate_alone_are_not_vehicles(text: str) -> None:
    assert not {k for k, _ in phi(text) if k == "VEHICLE"}, phi(text)


# Names ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "span"),
    [
        (
            "Script for R. Adebayo has been waiting at the pharmacy counter since Monday.",
            "R. Adebayo",
        ),
        ("The man in bed 5 keeps singing; his name is walter and he is a delight.", "walter"),
        ("So proud of my client K.M., who finished rehab yesterday.", "K.M."),
        ("Proud of my patient j o s e p h i n e, who walked out of the ICU.", "j o s e p h i n e"),
        ("My neighbor Bernadette asked me about her chemo side effects.", "Bernadette"),
        (
            "Patient list left in the hallway: Oyelowo, T. and his MRN 44120931.",
            "Oyelowo, T.",
        ),
    ],
)
def test_more_forms_of_names(text: str, span: str) -> None:
    assert ("NAME", span) in phi(text), phi(text)


@pytest.mark.parametrize(
    ("text", "not_a_name"),
    [
        ("My patient was admitted with Addison's crisis last night.", "Addison"),
        ("Told my patient hun, you need to rest. She laughed.", "hun"),
        ("EMS brought in a John Doe from the bus station, now in the ICU.", "John Doe"),
        ("Pt left AMA from the ICU at 3am.", "AMA"),
        ("My patient beat me at chess again. Proud. She's 80.", "Proud"),
        ("The chair in room 4 is broken, a hard lesson about lap tests.", "lap"),
    ],
)
def test_words_that_are_not_names(text: str, not_a_name: str) -> None:
    assert all(s != not_a_name for _, s in phi(text)), phi(text)


def test_an_initial_and_a_family_name_outside_a_patient_story_is_only_a_note() -> None:
    assert phi("Great talk by T. Okonkwo at the conference this morning.") == set()


# Ages, numbers, contact details, dates ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("Ninety-six and she still corrects my grammar on the unit.", "AGE", "Ninety-six"),
        ("Our resident Walter on the memory unit: 101 years of wisdom.", "AGE", "101"),
        ("Billing: patient acct #55-820913 was charged twice.", "ACCOUNT", "55-820913"),
        (
            "Prior auth denied, policy MHX-4471-2209-3, for my patient.",
            "HEALTH_PLAN",
            "MHX-4471-2209-3",
        ),
        ("Left on the printer: patient sheet with xxx-xx-9081 on it.", "SSN", "xxx-xx-9081"),
        (
            "Ms. Abara, we tried grace.abara at gmail dot com for your biopsy.",
            "EMAIL",
            "grace.abara at gmail dot com",
        ),
        (
            "Voicemail for my patient's son: four one two, five five five, zero one nine eight.",
            "PHONE",
            "four one two, five five five, zero one nine eight",
        ),
        ("3 years ago today we coded Mr. Baptiste and he walked out.", "DATE", "3 years ago today"),
        (
            "Welcome baby Ines, born at St. Jude's at 2am on March 3, in the NICU.",
            "DATE",
            "March 3",
        ),
    ],
)
def test_identifiers_written_the_way_people_write(text: str, kind: str, span: str) -> None:
    hits = phi(text)
    assert any(k == kind and span in s and len(s) <= len(span) + 2 for k, s in hits), hits


@pytest.mark.parametrize(
    "text",
    [
        "Ninety percent of our patients get their flu shot here.",
        "We have 101 years of service in this community, thank you.",
        "Account executives: the meeting moved to 2pm.",
        "The policy is changing next month for everyone on the unit.",
        "Meet me at the cafe at noon, we'll talk rota.",
        "Five nurses, three doctors and one very tired pharmacist on tonight.",
        "Two years ago today I started as a new grad on this floor.",
    ],
)
def test_numbers_and_words_that_are_not_identifiers(text: str) -> None:
    assert phi(text) == set(), phi(text)


def test_the_organisations_own_contact_details_are_notes_not_phi() -> None:
    hiring = (
        "We're hiring ED nurses! Call our recruiters at (614) 555-0100 or email jobs@mercyrmc.org."
    )
    assert phi(hiring) == set(), phi(hiring)
    # inside a patient's story the same words still count: it may be the family's number
    story = "My patient's daughter asked us to post it: call her at (614) 555-0177 about her dad."
    assert ("PHONE", "(614) 555-0177") in phi(story)


def test_the_domain_of_an_email_is_not_a_second_finding() -> None:
    hits = phi("Patient emailed from lena.wu88@gmail.com about her refill.")
    assert hits == {("EMAIL", "lena.wu88@gmail.com")}, hits


def test_an_email_made_of_the_authors_surname_is_theirs() -> None:
    author = Author(name="Robert Ashby", verified=("MD",), known=True)
    assert phi("Retired from the clinic. Write me at robert.ashby.md@gmail.com.", author) == set()
    assert ("EMAIL", "lena.wu88@gmail.com") in phi(
        "My patient wrote from lena.wu88@gmail.com after her surgery.", author
    )


def test_a_bare_date_in_a_maybe_patient_post_is_not_counted_but_a_full_one_is() -> None:
    assert phi("Our clinic's flu shot day is December 5, bring the family.") == set()
    hits = phi("Our clinic saw her family on December 5, 2026 about her dad.")
    assert any(k == "DATE" and "December 5, 2026" in s for k, s in hits), hits


@pytest.mark.parametrize(
    "text",
    [
        "My patient was told to taper off over two weeks, she is doing well.",
        "Intern year taught me to listen when a patient says she feels wrong.",
        "My patient went home in December and sent the unit a card.",
    ],
)
def test_durations_and_months_alone_are_not_dates(text: str) -> None:
    assert not {s for k, s in phi(text) if k == "DATE"}, phi(text)


# Advice --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "@jen_runs with numbers like that I'd stop the lisinopril for now.",
        "For your daughter's ear, 45 mg/kg/day of amoxicillin split twice a day should do it.",
        "Marta, the prednisone for your flare: take all of it this week, then stop.",
        "Since you're on the warfarin: stop the ginkgo and the garlic pills.",
        "@bigtom that chest pressure is not heartburn. Chew an aspirin and get to the ER.",
        "Reply to u/night_shift_sam: drop the melatonin to 3 and see how you sleep.",
        "Call your dentist tomorrow and ask for amoxicillin, that tooth is infected.",
        "Sending you a script for mupirocin, put it on twice a day.",
        "From your photo, that needs an x-ray today. Don't wait.",
        "Cancel your dermatology appointment, that spot is nothing.",
        "You don't need to call 911 for his sugar, just give him juice.",
    ],
)
def test_advice_to_one_person(text: str) -> None:
    assert advice(text), text


@pytest.mark.parametrize(
    "text",
    [
        "If you take a blood thinner, tell every provider you see, including your dentist.",
        "Ask your pharmacy about Shingrix, many give it without an appointment.",
        "@cityhealth thanks for hosting! Stop by our booth at the fair on Saturday.",
        "Adults: most people can take ibuprofen with food; ask your pharmacist first.",
        "When you start a new medicine, keep a list and bring it to every visit.",
        "I'd love to see more clinics offering evening hours.",
    ],
)
def test_general_education_is_not_advice(text: str) -> None:
    assert advice(text) == [], advice(text)


# Credentials ---------------------------------------------------------------------------------


def test_a_psychologist_claim_by_a_social_worker_is_a_contradiction() -> None:
    hits = [
        (s, sev)
        for c, _, s, sev in found(
            "As a licensed psychologist, I see burnout every December.", SOCIAL_WORKER
        )
        if c == Category.CREDENTIAL
    ]
    assert [sev for _, sev in hits] == [Severity.BLOCK], hits
    assert not [
        c
        for c, *_ in found("As a social worker, I see burnout every December.", SOCIAL_WORKER)
        if c == Category.CREDENTIAL
    ]


def test_a_nurse_claim_holds_for_any_nursing_licence() -> None:
    lpn = Author(name="Tasha Greene", verified=("LPN",), known=True)
    assert not [
        c
        for c, *_ in found("As an ICU nurse I see this every week.", lpn)
        if c == Category.CREDENTIAL
    ]
    anonymous = [
        sev
        for c, _, _, sev in found("I'm an ICU nurse and this is what I see.", Author())
        if c == Category.CREDENTIAL
    ]
    assert anonymous == [Severity.WARN]


def test_short_forms_of_first_names_are_names_in_a_patient_post() -> None:
    assert ("NAME", "Jess") in phi("Jess you do not need the ER for that cough, rest up.")
    assert phi("Lunch with Gabe from IT today, great guy.") == set()  # only a note


def test_a_name_that_ends_in_a_street_or_place_word_is_a_place() -> None:
    text = "My patient lives near 455 Grant St and grew up in Hadley Falls, she went home today."
    assert not {s for k, s in phi(text) if k == "NAME"}, phi(text)
    assert ("LOCATION", "Hadley Falls") in phi(text)
    assert ("NAME", "Rita Park") in phi("My patient Rita Park went home from the ICU today.")
