"""`manage.py seed`, what `make run` calls: the real data once, a demo moderator, matches."""

from __future__ import annotations

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from hcsm.directory.models import Organization, RegistryEntry
from hcsm.metrics.models import RegistryMatch


@pytest.mark.django_db
def test_seed_loads_the_real_data_once_and_prints_how_to_sign_in(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    out = io.StringIO()
    call_command("seed", stdout=out)
    text = out.getvalue()

    assert Organization.objects.count() == 490  # the NSI rows that have a country
    assert RegistryEntry.objects.count() == 5396
    assert "waiting for staff review" in text  # registry matching ran on the real rows
    matches = RegistryMatch.objects.count()
    staff = get_user_model().objects.get(email=settings.HCSM_DEMO_STAFF_EMAIL)
    assert staff.is_staff
    email, password = (tmp_path / "demo-credentials.txt").read_text().split()
    assert email == staff.email and staff.check_password(password)
    assert f"as {email} with password {password}" in text

    again = io.StringIO()
    call_command("seed", stdout=again)
    assert Organization.objects.count() == 490
    assert RegistryMatch.objects.count() == matches
    assert "Loading" not in again.getvalue()
    assert f"with password {password}" in again.getvalue()
