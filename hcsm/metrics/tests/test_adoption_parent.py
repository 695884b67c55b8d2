"""The adoption page's "including parent system": a hospital with no accounts of its own counts
through its health system's accounts only when the reader asks, and only once the link went
through the directory's moderated flow."""

from __future__ import annotations

import dataclasses
import html
import re

import pytest

from hcsm.directory import services as directory
from hcsm.metrics import selectors, services

from .factories import org_with_accounts


@pytest.fixture
def dothan(registry):  # type: ignore[no-untyped-def]
    """A real registry hospital (CCN 010001) listed without accounts, and a health system
    with one; nothing links them yet."""
    hospital = org_with_accounts(
        name="Southeast Health Medical Center", regions=["US-AL"], city="Dothan", ccn="010001",
    )[0]  # fmt: skip
    system = org_with_accounts(
        ("x", "wiregrasscare"), name="Wiregrass Care Network", kind="health_system",
        regions=["US-AL"],
    )[0]  # fmt: skip
    services.registry_matches_refresh()
    return hospital, system


def present(include_parent: bool) -> int:
    return selectors.adoption_figures(include_parent=include_parent).present


def page_text(client, query: str = "") -> str:  # type: ignore[no-untyped-def]
    body = client.get(f"/list/adoption/{query}").content.decode()
    return html.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body)))


def test_a_hospital_counts_through_its_parent_only_when_asked(dothan, cast, client):
    hospital, system = dothan
    assert (present(False), present(True)) == (0, 0)

    sub = directory.submission_create(
        submitter=cast["basic"],
        data=dataclasses.replace(directory.organization_state(hospital), parent=system.slug),
        relationship="works_there",
        organization=hospital,
    )
    assert (present(False), present(True)) == (0, 0)  # a pending suggestion counts for nothing
    directory.submission_approve(submission_id=sub.pk, moderator=cast["staff"])

    assert (present(False), present(True)) == (0, 1)
    with_parent = selectors.adoption_figures(include_parent=True)
    assert {s.key: s.present for s in with_parent.by_platform} == {"x": 1}
    assert selectors.adoption_figures(include_parent=False).by_platform == []
    assert re.search(r"0 of 7 registry hospitals \(0\.0%\)", page_text(client))
    assert re.search(r"1 of 7 registry hospitals \(14\.3%\)", page_text(client, "?parent=1"))
    api = client.get("/api/v1/adoption/?parent=1").json()
    assert (api["with_presence"], api["include_parent"]) == (1, True)
    assert client.get("/api/v1/adoption/").json()["with_presence"] == 0

    directory.organization_update(
        organization=hospital,
        data=dataclasses.replace(directory.organization_state(hospital), parent=""),
        actor_label="test",
    )
    assert (present(False), present(True)) == (0, 0)  # unlinked: the cache followed


def test_a_hidden_system_lends_no_accounts(dothan, cast):
    hospital, system = dothan
    directory.organization_update(
        organization=hospital,
        data=dataclasses.replace(directory.organization_state(hospital), parent=system.slug),
        actor_label="test",
    )
    assert present(True) == 1
    directory.organization_set_status(organization=system, status="hidden", actor=cast["staff"])
    assert present(True) == 0
