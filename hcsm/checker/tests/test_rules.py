"""The rules of the check, one by one: positive and negative cases, offsets, determinism,
perturbations, the author's own details, degraded mode and no network."""

from __future__ import annotations

import socket

import pytest

from hcsm.checker import engine
from hcsm.checker.check import DraftInvalid, DraftTooLong, run_check
from hcsm.checker.findings import Author, Category, Severity
from hcsm.checker.text import normalize

NURSE = Author(name="Sam Okafor", verified=("RN",), known=True)
CARDIOLOGIST = Author(
    name="Priya Natarajan", verified=("MD", "Board certified in cardiology"), known=True
)


def acting(text: str, author: Author | None = None, category: Category | None = None):  # type: ignore[no-untyped-def]
    result = run_check(text=text, author=author)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
    return [
        (f.category, f.kind, text[f.start : f.end], f.severity)
        for f in result.counted()
        if category is None or f.category == category
    ]


def kinds(text: str, author: Author | None = None) -> set[str]:
    return {k for c, k, _, _ in acting(text, author, Category.PHI)}


def spans(text: str, author: Author | None = None) -> set[str]:
    return {s for c, _, s, _ in acting(text, author, Category.PHI)}


# PHI: one positive and one negative per recognizer ------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("My pt MRN 00482913 is going home today.", "MRN", "00482913"),
        ("Chart #: 55-01-2283 was left in the cafeteria.", "MRN", "55-01-2283"),
        ("Saw a 94yo in clinic today.", "AGE", "94yo"),
        ("Met a lovely 96 y/o lady today.", "AGE", "96 y/o"),
        ("Our patient turned 102 in the ward this week.", "AGE", "102"),
        ("Pt in room 412 slept well.", "ROOM", "room 412"),
        ("The kid in bed 4 asked for a popsicle.", "ROOM", "bed 4"),
        ("Patient @tim_runs_77 let me share his story.", "HANDLE", "@tim_runs_77"),
        ("#PrayForJake our little guy in the PICU tonight", "NAME", "#PrayForJake"),
        ("Admitted a sweet lady Tuesday with a hip fracture.", "DATE", "Tuesday"),
        ("Pt DOB 03/14/1931 finished rehab.", "DATE", "03/14/1931"),
        (
            "Insurance denied my patient again, member ID XJH448812203.",
            "HEALTH_PLAN",
            "XJH448812203",
        ),
        (
            "Account ACCT-55190273 was billed twice, Mrs. Reed please call.",
            "ACCOUNT",
            "ACCT-55190273",
        ),
        ("Patient Robert Fields, SSN 123-45-6789, call billing.", "SSN", "123-45-6789"),
        ("Call my patient's daughter at (312) 555-0118 please.", "PHONE", "(312) 555-0118"),
        ("Email the patient's son at anna.k@gmail.com.", "EMAIL", "anna.k@gmail.com"),
        ("Can't stop thinking about mrs garcia from last night's code.", "NAME", "garcia"),
        ("My pt Linda brought cookies for the ED.", "NAME", "Linda"),
    ],
)
def test_phi_positive(text: str, kind: str, span: str) -> None:
    found = acting(text, NURSE, Category.PHI)
    assert any(k == kind and span in s for _, k, s, _ in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Heads up: the cafeteria closes early on Friday for the staff party.",
        "Grand rounds this Thursday at noon: Dr. Alvarez on sepsis bundles.",
        "Big welcome to Dr. Osei and Dr. Lindqvist, our new hospitalists!",
        "The 5K raised $8,900 for the food pantry, 95 runners finished.",
        "Applications for the nursing scholarship close on April 15.",
        "Heading to Denver for the AAFP meeting, find us at booth 318.",
        "Whoever keeps stealing the good pens from the break room: stop.",
        "Follow @MayoClinic for our heart month series.",
        "Adults need 7 to 9 hours of sleep; 90 minutes of exercise a week helps.",
    ],
)
def test_phi_negative(text: str) -> None:
    assert acting(text, NURSE, Category.PHI) == []


def test_names_in_patient_context_block_and_colleagues_do_not() -> None:
    text = "Told Mr. Osei his EF improved. Thanks to Dr. Chen for the echo."
    found = acting(text, CARDIOLOGIST, Category.PHI)
    assert [(s, sev) for _, k, s, sev in found if k == "NAME"] == [("Osei", Severity.BLOCK)]


def test_a_name_without_patient_context_is_only_a_note() -> None:
    result = run_check(text="Congrats to Keisha Brown on her new role!")
    names = [f for f in result.findings if f.kind == "NAME"]
    assert names and all(f.severity == Severity.INFO for f in names)
    assert result.counted() == []


def test_the_authors_own_name_is_not_phi() -> None:
    author = Author(name="Priya Natarajan", handles=("@drpriya",), known=True)
    text = "Dr. Natarajan here: my patient asked me about @drpriya on the unit."
    assert "Natarajan" not in " ".join(spans(text, author))
    assert "@drpriya" not in spans(text, author)
    assert "@drpriya" in spans(text, Author())


# Advice -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "@mike_r78 sounds like you have a UTI, take 500 mg of cipro twice a day.",
        "Just DM me your symptoms and I can tell you what it is.",
        "No need to come in, I'll call in a script for you tonight.",
        "@dan22 stop taking your lisinopril, that's what's causing the cough.",
        "Send me your x-rays and I'll tell you if it is broken.",
        "Honestly the senator clearly has dementia, you can see it in how he walks.",
        "you should take an extra 20 mg of your prednisone tonight",
        "If the swelling is worse tomorrow, double your Lasix.",
        "With numbers like that you need to be on amlodipine 5 mg.",
        "Up your Zoloft to 100 mg, that's what worked for me.",
        "@markus_v come off the prednisone slowly: 30 mg for 3 days, then 20.",
        "Reply with your kid's weight and I'll work out how much Motrin to give.",
        "From what you describe, that's a panic attack, not your heart.",
        "@laylas_mom you can alternate Tylenol and Motrin every 3 hours for her fever.",
        "Your dad's confusion is a UTI, nine times out of ten.",
        "Sounds like you have a kidney stone. Tamsulosin will get it out.",
        "You don't need the ER, just rest it.",
        "@kara_j honestly just take two Benadryl and sleep it off",
        "girl you need antibiotics for that, go get a z pack",
        "Your son's cough is probably whooping cough, keep him home.",
        "@dave_runs ice it, elevate it, and 600 of ibuprofen three times a day",
        "Have him take his Lasix twice today instead of once.",
        "You're describing classic appendicitis, go to the ER now.",
        "Replying to @tom_k: you have plantar fasciitis. Stretch and use inserts.",
        "You should be fine to stop the blood thinner before your colonoscopy.",
    ],
)
def test_advice_positive(text: str) -> None:
    assert acting(text, NURSE, Category.ADVICE), text


@pytest.mark.parametrize(
    "text",
    [
        "Naproxen is hard on the stomach for some people; ask your pharmacist if unsure.",
        "Common myth: antibiotics do not help with colds, which are caused by viruses.",
        "If you ever feel sudden weakness on one side, call 911 right away.",
        "Statins lower LDL cholesterol by 30 to 50 percent in most people.",
        "Most adults do not need a daily multivitamin. Talk to your doctor before starting one.",
        "Questions about your own care? Message your care team through the portal.",
        "Take your meds as prescribed and keep a list for your doctor.",
        "Your body is amazing: it heals a broken bone in about 6 weeks.",
        "I'll tell you how much I love our night shift team.",
        "You don't need antibiotics for most colds.",
        "Your risk of stroke is higher if you have AFib.",
        "Never stop an antidepressant suddenly. Talk to your prescriber about how to taper.",
        "When you have the flu, rest and drink fluids.",
        "If you think you have strep, a rapid test takes 10 minutes.",
        "Go get your flu shot this week, it's free at every pharmacy!",
        "Never take two doses of acetaminophen products at the same time.",
        "You should not stop your blood thinner without talking to your doctor.",
        "You're describing the most common question we get: is it a cold or the flu?",
    ],
)
def test_advice_negative(text: str) -> None:
    assert acting(text, NURSE, Category.ADVICE) == []


# Credentials ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "author", "severity"),
    [
        (
            "As a physician, I'm telling you the ER wait is not the nurses' fault.",
            NURSE,
            Severity.BLOCK,
        ),
        ("Sam Okafor, MD, here to talk about sleep.", NURSE, Severity.BLOCK),
        (
            "Board-certified in critical care medicine, and staffing is the problem.",
            NURSE,
            Severity.BLOCK,
        ),
        ("As a board-certified oncologist, I see this often.", CARDIOLOGIST, Severity.BLOCK),
        ("As an RN with 20 years in the ICU, this policy is wrong.", Author(), Severity.WARN),
        ("I'm a physician assistant and this matters.", Author(), Severity.WARN),
        ("Dr. Mike here, your friendly neighborhood chiropractor.", Author(), Severity.WARN),
    ],
)
def test_credential_claims(text: str, author: Author, severity: Severity) -> None:
    found = acting(text, author, Category.CREDENTIAL)
    assert found and max(found, key=lambda f: f[3] == Severity.BLOCK)[3] == severity, found


@pytest.mark.parametrize(
    ("text", "author"),
    [
        ("As an RN, I'm begging you: get your flu shot.", NURSE),
        ("I'm a board-certified cardiologist, and salt matters.", CARDIOLOGIST),
        ("Dr. Natarajan here, talking cholesterol.", CARDIOLOGIST),
        ("Shout out to Dr. Fauci for decades of public service.", Author()),
        ("Welcome Dr. Okoye, MD, FACS, to the trauma service.", NURSE),
        ("My sister is a nurse and she swears by compression socks.", Author()),
    ],
)
def test_credential_negative(text: str, author: Author) -> None:
    assert acting(text, author, Category.CREDENTIAL) == []


def test_a_pending_credential_only_warns() -> None:
    author = Author(name="Sam Okafor", verified=("RN",), claimed=("NP",), known=True)
    found = acting(
        "Nurse practitioner here, on a heart failure service.", author, Category.CREDENTIAL
    )
    assert [sev for *_, sev in found] == [Severity.WARN]


# Offsets, determinism, perturbations -------------------------------------------------------

PERTURBED = [
    ("Mrs.\u200bKaplan in bed\u200b 8 is going home!!", {"Mrs.\u200bKaplan", "bed\u200b 8"}),
    ("ＪＯＨＮ ＢＡＫＥＲ in room 301 keeps calling me his favorite.", {"room 301"}),
    ("my pt danny in bed 2 is 9 0 years old today!! 🎂", {"danny", "bed 2", "9 0 years old"}),
    ("🙏 for Mrs. Nguyen 💔 room 220 tonight", {"Nguyen", "room 220"}),
    ("the 95 yo lady in rm 3 told me I need a haircut", {"95 yo", "rm 3"}),
    ("Pt #TylerStrong leaving the hospital today", {"#TylerStrong"}),
    ("Call the patient's wife at 6 1 7 5 5 5 0 1 4 2 tonight", {"6 1 7 5 5 5 0 1 4 2"}),
    ("Discharged Mr. Henderson, 94 y/o, today.", {"Henderson", "94 y/o"}),
]


@pytest.mark.parametrize(("text", "expected"), PERTURBED)
def test_perturbations_are_found_with_offsets_into_the_original(
    text: str, expected: set[str]
) -> None:
    found = spans(text, NURSE)
    for value in expected:
        assert any(value in s or s in value for s in found), (value, found)


def test_offsets_always_match_the_text() -> None:
    from hcsm.checker.dataset import load_posts

    for post in load_posts()[:80]:
        for f in run_check(text=post.text).findings:
            assert 0 <= f.start < f.end <= len(post.text)
            assert post.text[f.start : f.end].strip(), (post.text, f)


def test_normalize_maps_back_to_the_original() -> None:
    original = "Ｍrs.\u200bK"
    norm = normalize(original)
    assert norm.text == "Mrs.K"
    assert norm.span(0, 5) == (0, len(original))
    assert norm.span(4, 5) == (len(original) - 1, len(original))


def test_the_check_is_deterministic() -> None:
    text = "My pt Mrs. Maria Alvarez, 94yo, room 412, MRN 00123456, admitted Tuesday."
    first = run_check(text=text).findings
    for _ in range(3):
        assert run_check(text=text).findings == first


def test_bad_input_is_refused_with_a_message(settings) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DraftInvalid, match="Paste the text"):
        run_check(text="   ")
    with pytest.raises(DraftInvalid, match="as text"):
        run_check(text=["not", "text"])  # type: ignore[arg-type]
    with pytest.raises(DraftTooLong, match="at most 10,000"):
        run_check(text="x" * 100_000)


# Degraded mode and no network --------------------------------------------------------------


def test_degraded_mode_without_the_model(settings) -> None:  # type: ignore[no-untyped-def]
    installed = settings.HCSM_CHECKER_SPACY_MODEL
    settings.HCSM_CHECKER_SPACY_MODEL = "no_such_model_installed"
    engine.hcsm_engine.cache_clear()
    try:
        result = run_check(text="My pt Maria Alvarez, 94yo, in room 412.")
        assert result.degraded
        assert result.notices and "not installed" in result.notices[0]
        found = {f.kind for f in result.counted()}
        assert {"AGE", "ROOM"} <= found  # patterns still work
    finally:
        settings.HCSM_CHECKER_SPACY_MODEL = installed
        engine.hcsm_engine.cache_clear()
    assert not run_check(text="hello there").degraded


def test_no_network_at_run_time(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the check tried to open a network connection")

    engine.hcsm_engine.cache_clear()
    engine.vanilla_engine.cache_clear()
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    try:
        result = run_check(text="Email my patient's son at maria.alvarez@example.co.uk today.")
        assert "EMAIL" in {f.kind for f in result.counted()}
        assert not result.degraded
        vanilla = engine.vanilla_engine().analyzer.analyze(text="write to a@b.org", language="en")
        assert {r.entity_type for r in vanilla} >= {"EMAIL_ADDRESS"}
    finally:
        engine.hcsm_engine.cache_clear()
        engine.vanilla_engine.cache_clear()


@pytest.mark.parametrize(
    "text",
    [
        "A patient in their 90s finally slept.",
        "My patient, a woman in her 70s, went home today.",
        "Said hello to a patient on our unit who is 90 or older.",
    ],
)
def test_the_suggested_wording_passes(text: str) -> None:
    assert [k for _, k, _, sev in acting(text) if sev == Severity.BLOCK] == []
    assert "DATE" not in kinds(text)


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("Rebecca in bed 9 finally ate her breakfast.", "NAME", "Rebecca"),
        ("Home visit at 27 Juniper Lane, my patient is doing well.", "LOCATION", "27 Juniper Lane"),
        ("Patient's bill goes to zip 60614.", "LOCATION", "60614"),
        ("Patient Ana Cruz, SSN ending in 8812, call us.", "SSN", "8812"),
        ("Walter (97) beat us all at bingo in the unit today.", "AGE", "97"),
    ],
)
def test_phi_positive_more(text: str, kind: str, span: str) -> None:
    found = acting(text, NURSE, Category.PHI)
    assert any(k == kind and span in s for _, k, s, _ in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Clinic closed Monday for the holiday; the nurse line is open.",
        "We walk every Saturday at the Riverside trail. Join us!",
        "Merry Christmas to everyone working on the unit today.",
    ],
)
def test_clinic_notices_are_not_phi(text: str) -> None:
    assert acting(text, NURSE, Category.PHI) == []


@pytest.mark.parametrize(
    "text",
    [
        "Put ice on it and take 2 Tylenol every 6 hours, it's just a bruise.",
        "@ken_w just finish your wife's leftover antibiotics, no need to see anyone.",
        "That's gout for sure. Give him colchicine tonight.",
    ],
)
def test_advice_positive_more(text: str) -> None:
    assert acting(text, NURSE, Category.ADVICE), text


def test_the_authors_full_name_with_dr_is_a_claim() -> None:
    author = Author(name="Tom Reyes", verified=("PA-C",), known=True)
    found = acting("Dr. Tom Reyes wishing you a safe holiday weekend!", author, Category.CREDENTIAL)
    assert [sev for *_, sev in found] == [Severity.BLOCK]
    assert acting("Dr. Ana Ruiz joins our team!", author, Category.CREDENTIAL) == []


# Third dev batch: names, ages, numbers, places and dates of the hard cases ------------------


def exact(text: str, author: Author | None = None) -> set[tuple[str, str]]:
    """(kind, exact text) of every PHI finding that asks the author to act."""
    return {(k, s) for _, k, s, _ in acting(text, author or NURSE, Category.PHI)}


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        # first names of other locales, and unknown proper nouns in a patient story
        ("Day 3 with Tomasz on our unit, he walked to the window.", "NAME", "Tomasz"),
        ("Watching Priyanka take her newborn home from the NICU today.", "NAME", "Priyanka"),
        # a name before a room, after a family word or a title, with a possessive
        ("Deshawn from bed 11 came back with donuts for the night crew.", "NAME", "Deshawn"),
        ("sophia in bed 12 told me I'm her best friend.", "NAME", "sophia"),
        ("Grandpa Lou just got his first tattoo at the nursing home.", "NAME", "Lou"),
        ("Sgt. Morales in room 19 told me about the war all night.", "NAME", "Morales"),
        ("Ngozi's mom asked me to share: she is off the vent!!", "NAME", "Ngozi"),
        ("Miss Pennington went home today from the unit.", "NAME", "Pennington"),
        ("My patient Jorge finished rehab and ran a 10K. #JorgeRuns", "NAME", "#JorgeRuns"),
        # ages over 89 in words and shorthand
        (
            "My ninety-four-year-old patient asked me to fix her phone.",
            "AGE",
            "ninety-four-year-old",
        ),
        ("Home visit today: Mrs. Lind is ninety-seven and sharp.", "AGE", "ninety-seven"),
        ("Happy 100th birthday to our patient Evangeline!", "AGE", "100th birthday"),
        ("Pt 92M with a hip fracture asked if he can dance.", "AGE", "92M"),
        ("Grandma Ruth (94!!) is going home from the hospital tomorrow.", "AGE", "94"),
        ("RIP Mr. Delacroix, 92, who died surrounded by family.", "AGE", "92"),
        ("Sweet Mr. Abubakar, age 93, held my hand.", "AGE", "93"),
        # numbers, rooms, places and dates
        ("Found my late mother's social, 078 05 1120, on the fridge.", "SSN", "078 05 1120"),
        ("We lost the patient in trauma 2 last night.", "ROOM", "trauma 2"),
        (
            "My dad is at Riverside Medical Center after his surgery.",
            "LOCATION",
            "Riverside Medical Center",
        ),
        ("RIP Mr. Tate, who died on Thanksgiving in the ICU.", "DATE", "on Thanksgiving"),
        ("Mr. Whitaker, date of birth 1936-04-18, came to clinic.", "DATE", "1936-04-18"),
        ("Pt Ana Ruiz, born the 14th of March 1934, is home.", "DATE", "the 14th of March 1934"),
        ("Her MRN is 55102377, can someone fax the consult?", "MRN", "55102377"),
        ("Her account number is 4410982, refund is ready.", "ACCOUNT", "4410982"),
        ("Mr. Nakashima's family shared that he passed on 11/20.", "DATE", "11/20"),
        ("@dorothy_g thank you for letting me share your recovery story.", "HANDLE", "@dorothy_g"),
    ],
)
def test_phi_positive_hard_cases(text: str, kind: str, span: str) -> None:
    found = exact(text)  # the offsets give back the identifier (or a span around it)
    assert any(k == kind and span in s and len(s) <= len(span) + 12 for k, s in found), found


@pytest.mark.parametrize(
    ("text", "not_found"),
    [
        ("Hope you all have a safe shift on the unit tonight.", "Hope"),
        ("The kid in bed 4 asked for a popsicle.", "kid"),
        ("Dad Joke Friday on the unit: what do you call a sleeping bull?", "Joke"),
        ("Discharged my patient today, we will miss your stories.", "your"),
        ("Please stop posting patient info in the group chat.", "info"),
        ("Our podcast on Instagram this week: patients and their stories.", "Instagram"),
        ("Happy #NursesWeek to the whole ICU team!", "#NursesWeek"),
        ("Congrats to my colleague Nurse Kevin on 25 years at our clinic!", "Kevin"),
        ("Visiting my grandma in room 316 at St. Mary's today.", "Mary"),
    ],
)
def test_phi_hard_negatives_names(text: str, not_found: str) -> None:
    assert all(s != not_found for _, s in exact(text)), exact(text)


@pytest.mark.parametrize(
    "text",
    [
        "My patient had a fever of 104F, and it finally broke.",
        "Happy 90th anniversary to our hospital, founded by three nurses.",
        "My patient in her 90s asked whether her valve will outlast the warranty.",
        "Flu shots are in at the clinic! Questions? Call 1-800-555-0100.",
        "Visiting hours on the maternity floor are 8 am to 8 pm.",
        "Pharmacist tip: insulin pens you're using keep at room temperature for up to 28 days.",
    ],
)
def test_phi_hard_negatives_numbers_and_dates(text: str) -> None:
    assert exact(text) == set(), exact(text)


def test_countries_and_lower_case_words_are_not_places() -> None:
    text = "Stitched up a patient who fell reaching for the good china. He told me about Korea."
    assert not {s for k, s in exact(text) if k == "LOCATION"}


def test_a_patients_phone_still_counts_where_a_toll_free_one_does_not() -> None:
    assert ("PHONE", "617-555-0143") in exact("Called my patient at 617-555-0143 about her refill.")


def test_a_reply_handle_is_not_a_patient_but_a_tagged_patient_is() -> None:
    reply = "@layla_runs you can alternate Tylenol and Motrin every 3 hours for your fever."
    assert not {s for k, s in exact(reply) if k == "HANDLE"}
    # Advice about the asker's child: the asker's handle leads to the patient (a warning)
    about_child = "@laylas_mom you can alternate Tylenol and Motrin every 3 hours for her fever."
    assert ("HANDLE", "@laylas_mom") in exact(about_child)
    story = "Shoutout to @marcus.runs.again, back on his new leg months after his amputation."
    assert ("HANDLE", "@marcus.runs.again") in exact(story)


def test_units_and_numbers_that_are_not_dates() -> None:
    text = "Shoutout to Mr. Adewale in 7 South, patient account 0048812 is paid."
    found = exact(text)
    assert ("ACCOUNT", "0048812") in found
    assert not {s for k, s in found if k in {"LOCATION", "DATE"}}, found
    assert exact("Goodbye Mrs. Ferreira, the whole 3 East team loved you.") == {
        ("NAME", "Ferreira")
    }
    assert not {k for k, _ in exact("Her insurance policy number is expired, call the unit.")}


@pytest.mark.parametrize(
    "text",
    [
        "Reminder: the unit potluck is Friday at noon in the break room.",
        "Thank you Dr. Oyelaran and the whole ICU team for an amazing year.",
    ],
)
def test_a_room_without_a_number_is_not_a_patient(text: str) -> None:
    assert exact(text) == set(), exact(text)
