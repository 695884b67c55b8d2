"""Two systems put into each other at the same moment: the hierarchy lock lets one in, and the
other sees the loop it would close.

Each change locks only its own listing's row, so without ``services._lock_hierarchy`` both
checks read the chain before either writes and both pass (the control test shows it)."""

from __future__ import annotations

import contextlib
import dataclasses
import threading

import pytest

from hcsm.directory import services
from hcsm.directory.models import Organization
from hcsm.directory.tests.factories import make_org

from .test_submission_decisions import _race

pytestmark = pytest.mark.django_db(transaction=True)


def _systems() -> tuple[Organization, Organization]:
    return (
        make_org(name="Alpha Health", kind="health_system", accounts=[]),
        make_org(name="Beta Health", kind="health_system", accounts=[]),
    )


def _put_into(org: Organization, parent: Organization) -> dict[str, object]:
    data = dataclasses.replace(services.organization_state(org), parent=parent.slug)
    return services.organization_update(organization=org, data=data, actor_label="race")


def _checks_wait_for_each_other(monkeypatch, timeout: float) -> None:  # type: ignore[no-untyped-def]
    """After its check, each change waits (up to ``timeout``) for the other to have checked
    too, so both read the chain before either writes, unless something keeps them apart."""
    both_checked = threading.Barrier(2)
    original = services.parent_check

    def check_then_wait(**kwargs):  # type: ignore[no-untyped-def]
        found = original(**kwargs)
        # Broken: the other change is held back, and checks after this one commits.
        with contextlib.suppress(threading.BrokenBarrierError):
            both_checked.wait(timeout)
        return found

    monkeypatch.setattr(services, "parent_check", check_then_wait)


def _loop_exists(a: Organization, b: Organization) -> bool:
    a.refresh_from_db()
    b.refresh_from_db()
    return a.parent_id == b.pk and b.parent_id == a.pk


def test_only_one_of_two_crossing_changes_wins(monkeypatch):  # type: ignore[no-untyped-def]
    a, b = _systems()
    _checks_wait_for_each_other(monkeypatch, timeout=2)
    results = _race(2, lambda i: _put_into(a, b) if i == 0 else _put_into(b, a))
    wins = [r for r in results if isinstance(r, dict)]
    losses = [r for r in results if isinstance(r, services.InvalidParent)]
    assert len(wins) == 1 and len(losses) == 1, results
    assert "loop" in losses[0].message
    assert not _loop_exists(a, b)


def test_control_without_the_lock_a_loop_appears(monkeypatch):  # type: ignore[no-untyped-def]
    a, b = _systems()
    monkeypatch.setattr(services, "_lock_hierarchy", lambda: None)
    _checks_wait_for_each_other(monkeypatch, timeout=10)
    results = _race(2, lambda i: _put_into(a, b) if i == 0 else _put_into(b, a))
    assert all(isinstance(r, dict) for r in results), results
    assert _loop_exists(a, b)
