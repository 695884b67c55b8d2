"""A moderator, with JavaScript off, opens a hospital that is part of a health system, follows
"Enter figures by hand", types a follower count, then types another for the same day and is
told the first one stays."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import make_user
from hcsm.directory.tests.factories import make_org
from hcsm.metrics.models import Snapshot, SnapshotCorrection
from hcsm.metrics.tests.factories import org_with_accounts
from tests.browser.conftest import axe_violations, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_parent_shown_and_figures_typed_without_javascript(browser, live_server):  # type: ignore[no-untyped-def]
    system = make_org(name="Southeast Health", kind="health_system", regions=["US-AL"])
    hospital, accounts = org_with_accounts(
        ("x", "SEHealthDothan"), name="Southeast Health Medical Center", parent=system.slug
    )
    make_user("moderator@example.org", is_staff=True)
    base = live_server.url
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        sign_in(page, base, "moderator@example.org")

        page.goto(f"{base}/list/{hospital.slug}/")
        assert "Part of Southeast Health" in page.locator("main").inner_text()
        page.get_by_role("button", name="Enter figures by hand").click()
        page.wait_for_url(f"**/list/{hospital.slug}/figures/**")

        day = timezone.localdate().isoformat()
        page.get_by_label("Account").select_option(label="X (Twitter): SEHealthDothan")
        page.get_by_label("Day").fill(day)
        page.get_by_label("Value").fill("12,345")
        page.get_by_role("button", name="Save figure").click()
        assert f"Saved: 12,345 followers of SEHealthDothan on {day}." in page.inner_text("main")

        page.get_by_label("Day").fill(day)
        page.get_by_label("Value").fill("12,400")
        page.get_by_role("button", name="Save figure").click()
        text = page.inner_text("main")
        assert "already recorded as 12,345" in text and "recorded as a correction" in text
        assert Snapshot.objects.get(account=accounts["x"]).value == 12_345
        assert SnapshotCorrection.objects.get().value == 12_400

        page.goto(f"{base}/list/{system.slug}/")
        assert "Hospitals in this system" in page.locator("main").inner_text()
    finally:
        context.close()


def test_the_figures_page_has_no_serious_accessibility_problems(page, live_server):  # type: ignore[no-untyped-def]
    hospital, _ = org_with_accounts(("x", "AxeHospital"), name="Axe Hospital")
    make_user("moderator@example.org", is_staff=True)
    base = live_server.url
    sign_in(page, base, "moderator@example.org")
    page.goto(f"{base}/list/{hospital.slug}/figures/")
    assert axe_violations(page) == []
    page.get_by_label("Value").fill("1.5")
    page.get_by_role("button", name="Save figure").click()
    assert "Type a whole number" in page.inner_text("main")
    assert axe_violations(page) == []
