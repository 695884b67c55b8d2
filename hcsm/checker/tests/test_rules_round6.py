"""Rules added in the sixth round: first names that are English words too, and the long
English first-name list. A positive and a negative case each, in sentences of our own."""

from __future__ import annotations

import pytest

from hcsm.checker.check import run_check
from hcsm.checker.engine import hcsm_engine
from hcsm.checker.findings import Author, Category

NURSE = Author(name="Sam Okafor", verified=("RN",), known=True)

pytestmark = pytest.mark.skipif(
    hcsm_engine().degraded, reason="needs the spaCy model (make setup installs it)"
)


def names(text: str, author: Author = NURSE) -> set[str]:
    result = run_check(text=text, author=author)
    for f in result.findings:
        assert 0 <= f.start < f.end <= len(text)
    return {
        text[f.start : f.end]
        for f in result.counted()
        if f.category == Category.PHI and f.kind == "NAME"
    }


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Discharged today: we will miss little Mason and his dinosaur pajamas.", "Mason"),
        ("Rough night in the PICU, but Ivy opened her eyes after surgery.", "Ivy"),
        ("The patient in bed 2 keeps asking for Olive, her sister, who died last year.", "Olive"),
        ("After her surgery Amber asked if she could keep the x-ray.", "Amber"),
    ],
)
def test_first_names_that_are_words_count_in_a_patient_story(text: str, name: str) -> None:
    assert any(name in found for found in names(text))


@pytest.mark.parametrize(
    "text",
    [
        # the word, not a name: lower case, or no patient in sight
        "Admitted a patient who collects mason jars and holly wreaths.",
        "Our garden club planted ruby roses and holly along the hospital walk.",
        "The Holly Festival is this Saturday at the community center.",
        # months and days are dates, never names
        "Admitted a patient in June who asked about the ward's Sunday visiting hours.",
    ],
)
def test_the_words_themselves_are_not_names(text: str) -> None:
    assert not {"Ruby", "Holly", "Mason", "June", "Sunday"} & names(text)


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("NICU update: Jaxon finally took a full bottle today after surgery.", "Jaxon"),
        ("Discharged after her surgery, Kazuko sent the whole unit origami cranes.", "Kazuko"),
    ],
)
def test_names_of_the_long_english_list(text: str, name: str) -> None:
    assert any(name in found for found in names(text))


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("@sam_mama you can give Nora 5 mL of the children's ibuprofen now", {"Nora", "@sam_mama"}),
        ("Replying to @pop_dan: Wyatt is 40 lb so give him 10 mL of motrin", {"Wyatt", "@pop_dan"}),
    ],
)
def test_the_child_a_reply_doses_and_the_askers_handle_count(text: str, spans: set[str]) -> None:
    found = {
        text[f.start : f.end]
        for f in run_check(text=text, author=NURSE).counted()
        if f.category == Category.PHI
    }
    assert all(any(span in f for f in found) for span in spans)


@pytest.mark.parametrize(
    "text",
    [
        # no advice: a parent's own story names nobody to a reader
        "For Nora at 18 months we just read the label and called the nurse line.",
        # advice, but the name is the asker's own ("hey Jen,"), not someone it is about
        "hey Jen, you can take 400 mg of ibuprofen with food for that knee",
    ],
)
def test_names_outside_advice_about_someone_do_not_count(text: str) -> None:
    assert not {"Nora", "Jen"} & names(text)
