"""A new user signs up, submits an organization by pasting profile URLs, a staff user approves
it, and it appears in the filtered grid and in the CSV."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from conftest import PASSWORD, make_user
from hcsm.directory.models import Organization, Submission
from hcsm.directory.tests.factories import make_org
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_signup_submit_approve_grid_and_csv(page, live_server, settings):  # type: ignore[no-untyped-def]
    settings.HCSM_SUBMISSION_LIMITS = {"user": [(50, 3600)], "address": [(50, 3600)]}
    base = live_server.url
    make_org(name="Existing Hospital", regions=["US-MN"])
    make_user("moderator@example.org", is_staff=True)

    # Sign up and verify the email address.
    page.goto(f"{base}/accounts/signup/")
    page.locator("#id_email").fill("newcomer@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url(re.compile(r"/accounts/confirm-email/"))
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", base))
    page.get_by_role("button", name="Confirm").click()

    # Submit an organization by pasting profile links.
    page.goto(f"{base}/list/add/")
    assert axe_violations(page) == []
    page.get_by_label("Name", exact=True).fill("Riverside Children's Hospital")
    page.get_by_label("Kind", exact=True).select_option("hospital")
    page.get_by_label("Countries", exact=True).fill("United States")
    page.get_by_label("Regions", exact=True).fill("US-MN")
    page.get_by_label("City", exact=True).fill("Duluth")
    page.get_by_label("Website", exact=True).fill("riverside-childrens.example.org")
    page.get_by_label("Official social media accounts", exact=True).fill(
        "https://twitter.com/RiversideKids?ref_src=twsrc%5Etfw\n"
        "https://m.facebook.com/RiversideChildrens/\n"
        "https://www.instagram.com/riversidekids/?igshid=abc123\n"
    )
    page.get_by_label("I work there or represent it", exact=True).check()
    page.get_by_role("button", name="Send for review").click()
    # The factory's listing shares the website's registrable domain (example.org): the
    # duplicate warning comes first, and nothing typed is lost.
    assert "Is it one of these?" in page.content()
    assert page.get_by_label("City", exact=True).input_value() == "Duluth"
    page.get_by_label(
        "I checked: this is a different organization from the ones listed above."
    ).check()
    page.get_by_role("button", name="Send for review").click()
    page.wait_for_url(re.compile(r"/list/my-submissions/"))
    assert "Pending" in page.content()
    assert not Organization.objects.filter(name__startswith="Riverside").exists()

    # The moderator approves it.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "moderator@example.org", PASSWORD)
    page.goto(f"{base}/moderation/")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Review").click()
    assert "Riverside Children" in page.content()
    page.get_by_role("button", name="Approve").click()
    page.wait_for_url(re.compile(r"/moderation/$"))
    sub = Submission.objects.get()
    assert sub.status == Submission.Status.APPROVED

    # It appears in the filtered grid (htmx and plain) and in the CSV.
    page.goto(f"{base}/list/")
    page.get_by_label("Has an account on", exact=True).select_option("instagram")
    page.wait_for_url(re.compile(r"platform=instagram"))
    results = page.locator("#results")
    results.get_by_role("link", name="Riverside Children's Hospital").wait_for()
    assert "Existing Hospital" not in results.inner_text()
    assert axe_violations(page) == []
    page.goto(f"{base}/list/?region=US-MN&platform=x")
    assert "Existing Hospital" in page.locator("#results").inner_text()
    page.goto(f"{base}/list/?region=US-MN&platform=instagram")
    assert "Riverside Children's Hospital" in page.locator("#results").inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as f:
        text = f.read()
    assert "Riverside Children's Hospital" in text
    assert "https://x.com/RiversideKids" in text
    assert "Existing Hospital" not in text  # the CSV follows the filter
