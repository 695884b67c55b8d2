"""Rules added in the ninth round, from the misses and false alarms of two more independent dev
batches (dev14, dev15): a patient's name found once counts wherever it stands again, names in a
unit's shorthand after a bed number, lower-case first names and "resident" in a clearly clinical
or long-term-care post, cars by their colour and plate, spaced-out phone numbers, lettered
record numbers, birth dates and presented cases as signs of one patient, credential signatures
at the end of a post; and fewer false alarms from the services all patients use ("patient
portal"), rooms of conference centres, the model's emoji-wrapped and hyphenated guesses, saints'
herbs, month abbreviations and public officials. A positive and a negative case each, in
sentences of our own."""

from __future__ import annotations

import pytest

from hcsm.checker.check import run_check
from hcsm.checker.engine import hcsm_engine
from hcsm.checker.findings import Author, Category, Severity
from hcsm.checker.tests.test_rules_round8 import NURSE, covered

pytestmark = pytest.mark.skipif(
    hcsm_engine().degraded, reason="needs the spaCy model (make setup installs it)"
)


def counted_spans(text: str, author: Author = NURSE) -> list[tuple[str, str, str]]:
    result = run_check(text=text, author=author)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
    return [
        (text[f.start : f.end], f.kind, f.severity)
        for f in result.counted()
        if f.category == Category.PHI
    ]


def no_phi(text: str, author: Author = NURSE) -> bool:
    return not counted_spans(text, author)


# A name found once is the patient's wherever it stands ----------------------------------------


def test_a_name_in_a_hashtag_counts_where_the_post_names_them_again() -> None:
    text = "Winifred walked the whole hallway today with her walker!! #WinifredStrong"
    assert covered(text, "Winifred")
    spans = counted_spans(text)
    assert {value for value, _, _ in spans} >= {"Winifred", "#WinifredStrong"}


def test_only_capitalised_repeats_count_and_not_from_weak_guesses() -> None:
    # "grace" after "#GraceStrong" may be the word; a guess that counts only in a clear patient
    # post ("her Whipple") is not spread
    text = "Grace is home after her stroke 💜 we said grace at dinner #GraceStrong"
    assert not covered(text, "grace at")
    text = "Mrs. Imelda Ruiz, 95, went home after her Whipple. Ninety-five! Whipple!"
    last = text.rindex("Whipple")
    result = run_check(text=text, author=NURSE)
    assert not any(f.start <= last < f.end for f in result.counted() if f.category == Category.PHI)


# Names in a unit's shorthand ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("bed 7 wozniak is a fall risk and does not care, alarm every 5 min", "wozniak"),
        ("rm 14 Tamsin asked for apple juice for the fourth time", "Tamsin"),
    ],
)
def test_a_name_right_after_a_bed_number(text: str, name: str) -> None:
    assert covered(text, name)


@pytest.mark.parametrize(
    "text",
    [
        "bed 3 nstemi was cathed overnight, doing fine",
        "room 3 is ready for the next admit",
        "bed 4 squeaks every time you roll over",
        "Handoff: MRN 55120934, rm 9C, NPO after midnight, sorry wrong chat",
    ],
)
def test_shorthand_diagnoses_and_words_after_a_bed_number_are_not_names(text: str) -> None:
    spans = counted_spans(text)
    assert all(kind != "NAME" for _, kind, _ in spans), spans


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("shoutout to mildred (97yo) who said I look like her first husband", "mildred"),
        # (a name that is also a dictionary word, "rosa", needs the tagger to call it a proper
        # noun, which in lower case it rarely does)
        ("last chemo for imelda r today 🔔 she rang that bell so hard", "imelda r"),
    ],
)
def test_lower_case_first_names_in_a_clear_patient_post(text: str, name: str) -> None:
    assert covered(text, name)


def test_lower_case_first_names_need_a_clear_patient_post() -> None:
    assert no_phi("thinking about getting a cat and calling her mildred lol")


def test_a_resident_of_a_care_home_is_a_patient_not_a_doctor() -> None:
    text = "my favourite resident Eunice beat me at rummy again, memory care life"
    assert covered(text, "Eunice")
    assert no_phi("our resident Priya presented a great case at noon conference")


def test_spaced_out_names_not_in_the_lists() -> None:
    assert covered("our memory care resident d o t t i e taught me gin rummy", "d o t t i e")
    assert no_phi("spell it out: t h a n k s to the night crew")


# Cars, phones and record numbers ------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "plate"),
    [
        ("the guy in the blue pickup KTR-5512 we pulled out of the ditch, hope ur ok", "KTR-5512"),
        ("MVC on route 6, driver of the white sedan (HXM 3381) was ejected, pray", "HXM 3381"),
        ("to the family in bed 9: your black Tacoma 8PLK442 has its lights on", "8PLK442"),
    ],
)
def test_a_plate_after_a_cars_colour(text: str, plate: str) -> None:
    assert (plate, "VEHICLE", Severity.BLOCK) in counted_spans(text)


@pytest.mark.parametrize(
    "text",
    ["wearing my blue scrubs for 12 HRS today", "the red team won 3 to 2 at the ED bake-off"],
)
def test_colours_before_hours_and_scores_are_not_plates(text: str) -> None:
    assert all(kind != "VEHICLE" for _, kind, _ in counted_spans(text))


def test_a_phone_number_spaced_out_with_its_dash() -> None:
    text = "her dad wandered off, he has dementia. call his daughter at 5 5 5 - 0 1 9 8"
    assert covered(text, "5 5 5 - 0 1 9 8")
    assert no_phi("the final score was 3 3 3 - 1 2 in overtime")


def test_a_record_number_with_a_lettered_prefix_and_a_hyphen() -> None:
    text = "my grandpa is stuck in the ER and nobody calls back, his MRN is KW-4410982"
    assert ("KW-4410982", "MRN", Severity.BLOCK) in counted_spans(text)


# Signs that a post is about one patient ------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Happy heavenly birthday to my dad Walter Brisco, born May 4, 1939 🕊️", "Walter Brisco"),
        ("Interesting case: Agnes Tully, 58, presented with sudden vision loss", "Agnes Tully"),
        ("Happy 1st birthday to our heart warrior Zayn Haddad, 3 surgeries later!", "Zayn Haddad"),
    ],
)
def test_birth_dates_presented_cases_and_surgeries_are_about_one_patient(
    text: str, value: str
) -> None:
    assert covered(text, value)


def test_born_and_raised_is_not_a_birth_date() -> None:
    assert no_phi("Born and raised in Toledo, proud to serve Lucas County as your new CMO")


def test_a_reply_about_the_askers_grandchild_makes_the_handle_count() -> None:
    text = "@gran_of_6 your granddaughter is allergic to amoxicillin, ask for azithromycin instead"
    assert covered(text, "@gran_of_6")


# Fewer false alarms -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # the services every patient uses do not make a post about a patient
        "Holiday hours: closed Dec 24 and Jan 1. Patient portal messages answered the next "
        "business day. Questions? 555-0147",
        "Visiting hours change Jan 5: two visitors at a time. Questions? 555-0102",
        # rooms of conference centres, call rooms and sim labs are not patients' rooms
        "Join us in Room 2 of the Harmon Conference Center on Dec 14 for a car seat workshop. "
        "RSVP: 555-0177 or carseats@stbrigid.org",
        "call room bed 4 squeaks every time I roll over, 3 hrs of sleep #residentlife",
        "PSA: Bed 4 at the training center has the broken rail, stop putting the mannequin on it",
        # the model's guesses: a saint's herb, a product after "a", a brand after a hyphen, a
        # word in lower case, a month before its day, an emoji taken in, a public official
        "Pharmacist pet peeve: St John's wort interacts with so many meds, tell us what you take",
        "Urgent care bingo: a toddler with a Lego in each nostril again",
        "Potassium supplements like K-Dur need food, take them with a meal",
        "she rang that bell so hard at the end of chemo day, what a sound",
        "Free car seat checks this Saturday 🚗 RSVP at the front desk",
        "Glad to hear Governor Whitcombe is recovering. Book your colon cancer screening, folks!",
        # durations and hospital days are not dates
        "watching a stroke patient button their own shirt again after weeks of work",
    ],
)
def test_ordinary_posts_raise_nothing(text: str) -> None:
    assert no_phi(text), counted_spans(text)


def test_the_same_words_still_count_in_a_patients_story() -> None:
    text = "Mrs. Bellweather in room 412 (94yo) rang the call bell all night for her son Dorian"
    spans = {value for value, _, _ in counted_spans(text)}
    assert {"Bellweather", "room 412", "94yo", "Dorian"} <= spans


def test_initials_are_not_read_into_y_o() -> None:
    spans = counted_spans("pt Kaplan, 94 y.o., admitted 11/30 for CHF")
    assert all(value != "y.o." for value, _, _ in spans), spans


# Credential claims as people sign them -------------------------------------------------------


@pytest.mark.parametrize(
    ("author", "text"),
    [
        (
            Author(name="Min-ji Park", verified=("RN",), known=True),
            "Great question! Most toddlers outgrow this by age 5. — Dr. Park",
        ),
        (
            Author(name="Jade Morrow", verified=("NP",), known=True),
            "Hi from Dr. Morrow 👋 congrats to all the new grads walking today!",
        ),
        (
            Author(name="Tamika Greene", verified=("LPN",), known=True),
            "RN, BSN here and I can tell you nurses are not paid enough",
        ),
    ],
)
def test_signatures_greetings_and_letter_lists_that_contradict_the_profile(
    author: Author, text: str
) -> None:
    result = run_check(text=text, author=author)
    assert any(
        f.category == Category.CREDENTIAL and f.severity == Severity.BLOCK for f in result.findings
    ), result.findings


@pytest.mark.parametrize(
    ("author", "text"),
    [
        (
            Author(name="Min-ji Park", verified=("MD",), known=True),
            "Most toddlers outgrow this by age 5. — Dr. Park",
        ),
        (
            Author(name="Amy Lee", verified=("RN",), known=True),
            "Shout out to our new attending — Dr. Patel",
        ),
        (
            Author(name="Amy Lee", verified=("RN", "BSN"), known=True),
            "RN, BSN here: wash your hands",
        ),
    ],
)
def test_the_same_forms_pass_when_they_are_true_or_about_someone_else(
    author: Author, text: str
) -> None:
    result = run_check(text=text, author=author)
    assert not [f for f in result.findings if f.category == Category.CREDENTIAL]


# A clinician's story about a third person; a name opening a sentence ------------------------


def test_a_clinicians_post_about_a_third_person_makes_a_name_count() -> None:
    text = "Winnie ate a real sandwich after 6 weeks on purees and I teared up, she was so proud"
    assert covered(text, "Winnie")
    # the same words from someone with no clinical credential are not clearly about a patient
    assert not covered(text, "Winnie", Author(name="Lee Park", verified=(), known=True))


def test_a_clinicians_praise_of_a_colleague_is_not_about_a_patient() -> None:
    assert no_phi("Shout out to Rhonda, our charge nurse, she kept us all sane tonight")


def test_an_unknown_word_opening_a_sentence_before_a_verb_in_a_patient_post() -> None:
    text = "NICU day 12. Obinna extubated this morning!!! so proud of him"
    assert covered(text, "Obinna")
    assert no_phi("NICU day 12. Medtronic donated two new monitors to the unit!")


def test_the_models_dates_need_a_digit_or_a_word_of_time() -> None:
    text = "PICU day 9. Docs say if he keeps his sats up we move to the floor"
    assert all(kind != "DATE" for _, kind, _ in counted_spans(text))


def test_a_seven_digit_number_spelled_out_after_a_contact_word() -> None:
    text = "My dad walked out of his memory care, he's 91. Call my brother at five five five, "
    text += "zero one six two"
    assert covered(text, "five five five, zero one six two")
    assert no_phi("we counted one two three four five six seven at the start of class")


# From dev16 and dev17 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("Adebayo bed 8 refusing his lovenox again, who has the magic words", "Adebayo"),
        ("mrs. q finally quit smoking at ninety-one. never too late", "mrs. q"),
        ("bernadette asked for her rosary and lipstick before going back to the OR", "bernadette"),
        (
            "Church family: Earl is home after his amputation. Call his wife at 555-3O1-2210",
            "555-3O1-2210",
        ),
        (
            "my moms MRN shows as 0 0 4 4 1 2 9 8 in the portal and her results are lost",
            "0 0 4 4 1 2 9 8",
        ),
        ("To records: my brother's med rec # is 6620418 and I have POA", "6620418"),
        ("They won't let me talk to his doctor. Marcus is 19 and I'm his mother!!!", "Marcus"),
    ],
)
def test_more_forms_clinicians_and_families_write(text: str, value: str) -> None:
    assert covered(text, value)


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("@cam_r for a 102 in a 2 yo just alternate tylenol and motrin every 3 hrs", "@cam_r"),
        (
            "I'm telling you @bradley_m, give your little girl 2.5 mL of infant motrin now",
            "@bradley_m",
        ),
        (
            "Replying to @dani_lou: a fever in your 3 week old is an ER visit. Don't give Tylenol",
            "@dani_lou",
        ),
    ],
)
def test_a_reply_about_a_child_by_age_or_as_little_girl_makes_the_handle_count(
    text: str, handle: str
) -> None:
    assert covered(text, handle)


@pytest.mark.parametrize(
    "text",
    [
        "did med rec for 5 new admits tonight, my brain is mush",
        "long shift. 97F s/p hip ORIF in bed 7 asked me to marry her grandson lol",
        "Staff Spotlight: housekeeping lead Ramona Ortiz has kept 3 West spotless for 18 years. "
        "Thank you, Ramona!",
        "Thanks for reaching out. We can't discuss any patient's care here. Please call our "
        "Patient Experience line at 555-0187",
        "PLEASE PRAY FOR OUR TEAM tonight, it's a full moon and we're short two nurses",
        "Open mic Thursdays in the cafeteria, come sing for the night shift!",
        "thank you Jesus for a quiet night shift 🙏",
    ],
)
def test_more_ordinary_posts_raise_no_names(text: str) -> None:
    spans = counted_spans(text)
    assert all(kind != "NAME" for _, kind, _ in spans), spans


def test_a_patient_named_after_patient_still_counts() -> None:
    text = "Patient Yolanda Tate, account 4410982 overpaid, please call billing"
    assert covered(text, "Yolanda Tate")


# From dev19 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        (
            "our 96 yr old resident Florence beat the activities director at arm wrestling",
            "Florence",
        ),
        (
            "baby girl born 12/1, mom pushed 3 hours, they named her Juniper Rose",
            "Juniper Rose",
        ),
        (
            "Mr. Abernathy (ninety-three, he says) told the night team the same joke all shift",
            "ninety-three",
        ),
        ("our regular Big Earl passed Monday, the night crew is wrecked #RIPEarl", "#RIPEarl"),
        (
            "@bex_boys for your 30 lb toddler that's 7.5 mL of the children's Motrin every 6 hrs",
            "@bex_boys",
        ),
    ],
)
def test_residents_by_age_newborns_named_ages_in_parentheses_and_rip_hashtags(
    text: str, value: str
) -> None:
    assert covered(text, value)


@pytest.mark.parametrize(
    "text",
    [
        # a dot and a space end a sentence; they are not an address written out
        "As an oncologist I am begging you: get your colonoscopy at 45. It's one bad evening.",
        "night shift hack: freeze your water bottle halfway so it's still cold at 4am. ur welcome",
        # colleagues who agreed to be tagged, even in a post about a code
        "Huge thank you to our night RT Omar Haddad and charge nurse Bree Collins (both said I "
        "could tag them!) for running the smoothest code I've seen all year",
        # pets, a clean scan, a board, a balance class in a community centre, durations
        "if you adopted a beagle named Ruby from the shelter last spring, she is doing great",
        "final scan came back NED 🎉🎉 so happy for everyone in the infusion suite",
        "Tumor board humility: the imaging told us more than we thought it would",
        "Our Saturday balance class starts Jan 9 at the Westbrook Community Center, Room 2. "
        "Call the front desk at 555-0100 to sign up.",
        "Hot take from a PT: knee replacement rehab is rough for about six weeks, then it isn't",
    ],
)
def test_sentences_pets_colleagues_and_classes_raise_nothing(text: str) -> None:
    assert no_phi(text), counted_spans(text)


def test_a_patients_room_in_a_medical_center_still_counts() -> None:
    text = "My dad's at Riverside Medical Center, room 402. Frank Novak if anyone wants to visit."
    assert covered(text, "room 402")


def test_the_pt_ive_had_is_no_name() -> None:
    spans = counted_spans("the sweetest pt I've had all month, Mr. Tobias Greene, room 5206")
    assert all(value != "I've" for value, _, _ in spans), spans


# From dev18 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("rip grandpa lou from room 22, 93, passed Sunday holding my hand", "93"),
        ('tracker board was NOT meant for IG: "RM 9 / GARCIA, M / chest pain"', "GARCIA, M"),
        (
            "my neighbor Philippa just got home from her knee replacement and is gardening",
            "Philippa",
        ),
    ],
)
def test_ages_after_a_room_capital_list_entries_and_replacements(text: str, value: str) -> None:
    assert covered(text, value)


@pytest.mark.parametrize(
    "text",
    [
        "@marcus_t88 yeah that's a UTI, I would see urgent care today",
        "Mercy Health is proud to announce our new cardiac cath lab opens Jan 15! Ribbon at 10am",
        "Report suspicious DMs to privacy@stbrigid.org, we never ask for your insurance ID here",
        "Certified family nurse practitioner and yes, NPs can prescribe. Ask me (general Qs only!)",
        "Reminder: a patient in her 90s fell at home is how to say it. Learn de-identification.",
        "the USA, A great place to train in emergency medicine",
    ],
)
def test_pronouns_after_commas_cath_labs_mailboxes_and_imperatives_are_not_phi(text: str) -> None:
    spans = counted_spans(text)
    assert all(kind != "NAME" and kind != "EMAIL" for _, kind, _ in spans), spans


def test_a_car_make_after_its_colour_is_not_a_name() -> None:
    spans = counted_spans(
        "my dad Stan Pike (dementia) wandered off from memory care in his silver Buick"
    )
    assert "Buick" not in {value for value, _, _ in spans}
    assert "Stan Pike" in {value for value, _, _ in spans}


# Ages over 89, more forms --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "age"),
    [
        ("@glen_w56 your mother at 93 is actively dying, give her the morphine every hour", "93"),
        ("DOB 4/4/33, 93, full code, wants to know if the food gets better", "93"),
        (
            "Nana Bea turned 100 at Willow Creek. 100 years and still sharper than all of us",
            "100 years",
        ),
        ("Happy birthday Nana Ruth!! #turning100 #memorycare", "100"),
        ("🎂 100 candles for Nana Ruth in memory care today #turning100", "100 candles"),
    ],
)
def test_ages_said_of_a_person_after_a_birth_date_in_hashtags_and_again(
    text: str, age: str
) -> None:
    assert covered(text, age)


@pytest.mark.parametrize(
    "text",
    [
        "the bus at 95 mph nearly took out the ambulance bay",
        "Our hospital at 100: a century of care, join the celebration",
        "DOB 4/4/63, 63, full code",
        "100 years of service to Lakeshore County, thank you to every nurse",
    ],
)
def test_speeds_anniversaries_and_younger_ages_are_not_ages_over_89(text: str) -> None:
    assert all(kind != "AGE" for _, kind, _ in counted_spans(text))


def test_the_same_number_counts_again_only_where_it_stands_alone() -> None:
    spans = counted_spans("pt is 94 and sharp, sats 94% on 2L in room 94 tonight")
    ages = [value for value, kind, _ in spans if kind == "AGE"]
    assert ages == ["94"], spans


def test_going_home_and_a_telehealth_visit_are_about_one_patient() -> None:
    assert covered(
        "Telehealth fail: Marla Quist joined from her car with the plate in frame", "Marla Quist"
    )
    text = "Peds hospitalist here. Priyanka finally goes home after 40 days and her mom cried"
    assert covered(text, "Priyanka")
    assert no_phi("Telehealth visits are available Monday to Friday, book in the app")


def test_a_repeated_name_is_not_the_authors_signature() -> None:
    author = Author(name="Carl Smith", verified=("RN",), known=True)
    text = "Carl Jennings in bed 4 finally ate his whole dinner! proud of you. - Carl"
    spans = {value for value, _, _ in counted_spans(text, author)}
    assert "Carl Jennings" in spans
    result = run_check(text=text, author=author)
    last = text.rindex("Carl")
    assert not any(f.start <= last < f.end for f in result.counted() if f.category == Category.PHI)


def test_an_age_is_not_also_reported_as_a_date() -> None:
    spans = counted_spans("Mr. Okafor, 97yo, in rm 12 asked for his son Dele")
    assert ("97yo", "AGE", Severity.BLOCK) in spans
    assert all(not (value == "97yo" and kind == "DATE") for value, kind, _ in spans), spans
    # a date next to an age is still a date
    spans = counted_spans("Mr. Okafor, 97yo, admitted 11/30 to rm 12")
    assert ("11/30", "DATE", Severity.BLOCK) in spans
