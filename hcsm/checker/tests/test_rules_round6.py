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
