"""A clinician signs in, pastes a draft into /check/, sees it highlighted with explanations,
fixes it, and checks again; the page passes axe-core. Also without JavaScript."""

from __future__ import annotations

import pytest

from conftest import make_user
from hcsm.accounts.models import VerifiedCredential
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

DRAFT = "My pt Mrs. Alvarez, 94yo, in room 412 finally slept. As a physician I was so relieved."


def test_check_a_draft_fix_it_and_check_again(page, live_server):  # type: ignore[no-untyped-def]
    nurse = make_user("nurse@example.org", name="Sam Okafor")
    VerifiedCredential.objects.create(
        user=nurse, credential="RN", status=VerifiedCredential.Status.CONFIRMED
    )
    base = live_server.url
    sign_in(page, base, "nurse@example.org")

    page.goto(f"{base}/check/")
    assert axe_violations(page) == []
    page.get_by_label("Your draft post").fill(DRAFT)
    page.get_by_role("button", name="Check my draft").click()

    draft = page.get_by_label("Your draft with findings highlighted")
    assert any("94yo" in t for t in draft.locator("mark.sev-block").all_inner_texts())
    body = page.locator("main").inner_text()
    assert "do not post this as it is" in body
    assert "a patient in their 90s" in body
    assert "does not match the credentials verified on your profile (RN)" in body
    assert page.get_by_label("Your draft post").input_value() == DRAFT  # nothing typed is lost
    assert axe_violations(page) == []

    page.get_by_label("Your draft post").fill("A patient in their 90s finally slept. So relieved.")
    page.get_by_role("button", name="Check my draft").click()
    assert "No findings" in page.locator("main").inner_text()


def test_works_without_javascript(browser, live_server):  # type: ignore[no-untyped-def]
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/check/")
        page.get_by_label("Your draft post").fill("Pt in bed 4 is 97 y/o today")
        page.get_by_role("button", name="Check my draft").click()
        marks = page.locator("mark").all_inner_texts()
        assert any("bed 4" in m for m in marks) and any("97 y/o" in m for m in marks)
    finally:
        context.close()
