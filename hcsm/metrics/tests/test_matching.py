"""Registry matching on real rows of the CMS file."""

import pytest

from hcsm.metrics import services
from hcsm.metrics.models import RegistryMatch
from hcsm.metrics.services import name_tokens


def _matches():
    return {
        (m.entry.registry_id, m.organization.name): (m.method, m.confidence, m.status)
        for m in RegistryMatch.objects.select_related("entry", "organization")
    }


def test_each_way_of_matching(world):
    assert _matches() == {
        ("240010", "Mayo Clinic"): ("ccn", 1.0, "auto"),
        ("360180", "Cleveland Clinic"): ("name_city", 0.95, "auto"),
        ("010011", "St Vincent's East"): ("name_city", 0.95, "auto"),
        ("010001", "Southeast Health Medical Center"): ("name_city", 0.95, "auto"),
        ("010012", "DeKalb Regional Medical Center"): ("name_state", 0.7, "pending"),
        ("010019", "Helen Keller"): ("name_city", 0.8, "pending"),
    }


def test_names_are_folded():
    assert name_tokens("ST. VINCENT'S EAST") == name_tokens("St Vincent’s East")
    assert name_tokens("Hospital & Medical Ctr") == ("hospital", "medical", "center")


def test_staff_decisions_survive_a_new_run(world, cast):
    pending = RegistryMatch.objects.get(entry__registry_id="010012")
    services.registry_match_decide(match_id=pending.pk, confirm=False, staff=cast["staff"])
    keller = RegistryMatch.objects.get(entry__registry_id="010019")
    services.registry_match_decide(match_id=keller.pk, confirm=True, staff=cast["staff"])
    counts = services.registry_matches_refresh()
    assert counts == {"auto": 4, "pending": 0, "kept": 2}
    assert _matches()[("010012", "DeKalb Regional Medical Center")][2] == "rejected"
    assert _matches()[("010019", "Helen Keller")][2] == "confirmed"


def test_deciding_twice_changes_nothing(world, cast):
    m = RegistryMatch.objects.get(entry__registry_id="010012")
    services.registry_match_decide(match_id=m.pk, confirm=True, staff=cast["staff"])
    with pytest.raises(services.DomainError, match="already confirmed"):
        services.registry_match_decide(match_id=m.pk, confirm=False, staff=cast["staff"])
    m.refresh_from_db()
    assert m.status == "confirmed"
