"""The adoption page's growth tables: followers at each year's last figure of each account."""

from __future__ import annotations

from datetime import date

import pytest

from hcsm.directory.models import Organization
from hcsm.directory.services import organization_set_status
from hcsm.metrics import selectors
from hcsm.metrics.services import snapshots_ingest

from .factories import org_with_accounts, row

pytestmark = pytest.mark.django_db


def test_each_year_counts_each_accounts_last_figure_of_that_year():
    _, a = org_with_accounts(("x", "first"), ("facebook", "second"))
    x, fb = a["x"].pk, a["facebook"].pk
    snapshots_ingest(
        rows=[
            row(x, date(2023, 3, 1), 100),
            row(x, date(2023, 12, 31), 150),  # the last of 2023 counts, not the first
            row(x, date(2025, 6, 1), 300),  # nothing in 2024: 2024 shows no x figure
            row(fb, date(2024, 1, 1), 40),
            row(fb, date(2024, 5, 1), 50),
            row(fb, date(2025, 1, 2), 70),
            row(x, date(2024, 2, 2), 9, metric="posts"),  # other metrics never count
        ]
    )
    assert selectors._followers_by_year() == {
        2023: {"x": 150},
        2024: {"facebook": 50},
        2025: {"x": 300, "facebook": 70},
    }


def test_hidden_listings_and_no_figures_count_nothing():
    assert selectors._followers_by_year() == {}
    org, a = org_with_accounts(("x", "hiddenlater"))
    _, b = org_with_accounts(("x", "shown"))
    snapshots_ingest(
        rows=[row(a["x"].pk, date(2025, 1, 1), 10), row(b["x"].pk, date(2025, 1, 1), 5)]
    )
    organization_set_status(organization=org, status=Organization.Status.HIDDEN, actor=None)
    assert selectors._followers_by_year() == {2025: {"x": 5}}
