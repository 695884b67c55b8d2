"""A reader opens the adoption page, reads a state's figure from the table beside the map,
and follows that state's leaderboard filter."""

from __future__ import annotations

import re

import pytest

from hcsm.directory.importers import registry_entries_import
from hcsm.metrics import services
from hcsm.metrics.tests.factories import org_with_accounts, series
from tests.browser.conftest import axe_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_adoption_state_figure_then_leaderboard(page, live_server, tmp_path):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from django.core.cache import cache
    from django.utils import timezone

    cache.clear()  # figures cached by an earlier test of this process

    source = Path(__file__).resolve().parents[2] / "data" / "cms-hospital-general-information.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    keep = [lines[0]] + [ln for ln in lines[1:] if ln[:6] in ("240010", "360180", "010001")]
    (tmp_path / "cms.csv").write_text("\n".join(keep) + "\n", encoding="utf-8")
    registry_entries_import(path=tmp_path / "cms.csv", source="cms")
    _, mayo = org_with_accounts(
        ("x", "MayoClinic"), name="Mayo Clinic", regions=["US-MN"], city="Rochester", ccn="240010"
    )
    _, cle = org_with_accounts(
        ("x", "ClevelandClinic"), name="Cleveland Clinic", regions=["US-OH"], city="Cleveland"
    )
    series(mayo["x"], end=timezone.localdate(), values=[10, 20], step=30)
    series(cle["x"], end=timezone.localdate(), values=[30, 40], step=30)
    services.registry_matches_refresh()

    page.goto(f"{live_server.url}/list/adoption/")
    assert axe_violations(page) == []
    row = page.locator('#states tr[data-state="US-MN"]')
    cells = row.locator("td").all_inner_texts()
    assert cells == ["1", "1", "100.0%"]
    assert "Minnesota" in row.locator("th").inner_text()
    # The map shows the same figure in its tile's tooltip.
    assert "Minnesota: 100.0%" in page.locator("svg.tile-map").inner_html()

    row.get_by_role("link", name="Minnesota").click()
    page.wait_for_url(re.compile(r"/list/leaderboards/\?country=US&region=US-MN"))
    assert axe_violations(page) == []
    names = page.locator("#leaderboard tbody th").all_inner_texts()
    assert names == ["Mayo Clinic"]
    assert page.get_by_label("Region (ISO 3166-2)").input_value() == "US-MN"
    # Change the filter without JavaScript's help: the form submits by GET.
    page.get_by_label("Rank by").select_option("growth")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url(re.compile(r"board=growth"))
    assert page.locator("#leaderboard tbody td").nth(3).inner_text() == "+10"
