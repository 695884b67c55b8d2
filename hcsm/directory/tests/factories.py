"""Test data built through the services, so denormalised columns are right."""

from __future__ import annotations

import itertools
from typing import Any

from hcsm.directory import services
from hcsm.directory.models import Organization
from hcsm.directory.validation import OrganizationData, clean_organization_data

_seq = itertools.count(1)


def org_data(**overrides: Any) -> OrganizationData:
    n = next(_seq)
    raw: dict[str, Any] = {
        "name": f"Test Hospital {n}",
        "kind": "hospital",
        "countries": ["US"],
        "regions": [],
        "website": f"https://hospital{n}.example.org/",
        "accounts": [{"platform": "x", "value": f"testhosp{n}"}],
    }
    raw.update(overrides)
    return clean_organization_data(raw)


def make_org(**overrides: Any) -> Organization:
    return services.organization_create(data=org_data(**overrides), actor_label="test")
