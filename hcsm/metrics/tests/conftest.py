"""A local HTTP server standing in for a platform API: each test says how to answer."""

from __future__ import annotations

import json
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _empty_cache():  # type: ignore[no-untyped-def]
    """Rolled-back tests can reuse ids, hence fingerprints: start each test with no figures."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@dataclass
class Seen:
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeProvider:
    url: str
    answer: Callable[[Seen], tuple[int, Any] | tuple[int, Any, dict[str, str]]] = lambda s: (
        404,
        {},
    )
    requests: list[Seen] = field(default_factory=list)


@pytest.fixture
def provider():  # type: ignore[no-untyped-def]
    state: dict[str, FakeProvider] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            parts = urllib.parse.urlsplit(self.path)
            seen = Seen(parts.path, urllib.parse.parse_qs(parts.query), dict(self.headers))
            fake = state["p"]
            fake.requests.append(seen)
            status, body, *rest = fake.answer(seen)
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            for k, v in (rest[0] if rest else {}).items():
                self.send_header(k, v)
            self.send_header("Content-Length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True)
    thread.start()
    state["p"] = FakeProvider(url=f"http://127.0.0.1:{server.server_port}")
    yield state["p"]
    server.shutdown()
    server.server_close()
    thread.join()


CMS_IDS = ("010001", "010005", "010011", "010012", "010019", "240010", "360180")


@pytest.fixture
def registry(db, tmp_path):  # type: ignore[no-untyped-def]
    """Real rows of the CMS Hospital General Information file, loaded by the importer."""
    from pathlib import Path

    from hcsm.directory.importers import registry_entries_import

    source = Path(__file__).resolve().parents[3] / "data" / "cms-hospital-general-information.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    keep = [lines[0]] + [line for line in lines[1:] if line.split(",", 1)[0] in CMS_IDS]
    path = tmp_path / "cms.csv"
    path.write_text("\n".join(keep) + "\n", encoding="utf-8")
    result = registry_entries_import(path=path, source="cms")
    assert result.created == len(CMS_IDS)
    return result


@pytest.fixture
def world(registry):  # type: ignore[no-untyped-def]
    """Listings matching the registry rows in each way, with a year of followers."""
    from dataclasses import replace
    from datetime import timedelta

    from django.utils import timezone

    from hcsm.directory import services as directory_services
    from hcsm.metrics import services

    from .factories import org_with_accounts, series

    today = timezone.localdate()
    mayo, mayo_acc = org_with_accounts(
        ("x", "MayoClinic"),
        ("facebook", "MayoClinic"),
        name="Mayo Clinic",
        kind="health_system",
        regions=["US-MN"],
        city="Rochester",
        ccn="240010",
    )
    cleveland, cle_acc = org_with_accounts(
        ("x", "ClevelandClinic"),
        ("youtube", "@ClevelandClinic"),
        name="Cleveland Clinic",
        regions=["US-OH"],
        city="Cleveland",
    )
    vincent, vin_acc = org_with_accounts(
        ("instagram", "stvincentseast"),
        name="St Vincent's East",
        regions=["US-AL"],
        city="Birmingham",
    )
    system, sys_acc = org_with_accounts(
        ("youtube", "@southeasthealth"),
        name="Southeast Health",
        kind="health_system",
        regions=["US-AL"],
    )
    member = org_with_accounts(
        name="Southeast Health Medical Center",
        regions=["US-AL"],
        city="Dothan",
    )[0]
    directory_services.organization_update(
        organization=member,
        data=replace(directory_services.organization_state(member), parent=system.slug),
        actor_label="test",
    )
    dekalb = org_with_accounts(
        ("x", "dekalbrmc"), name="DeKalb Regional Medical Center", regions=["US-AL"]
    )[0]
    keller = org_with_accounts(
        ("x", "helenkeller"), name="Helen Keller", city="Sheffield", regions=["US-AL"]
    )[0]
    gosh, gosh_acc = org_with_accounts(
        ("x", "GOSHCharity"), name="Great Ormond Street Hospital", countries=["GB"]
    )
    series(mayo_acc["x"], end=today, values=[1000, 1500, 2000], step=200)
    series(mayo_acc["facebook"], end=today, values=[900, 950], step=30)
    series(cle_acc["x"], end=today, values=[3000, 3100], step=30)
    series(cle_acc["youtube"], end=today, values=[500, 510, 800], step=180)
    series(gosh_acc["x"], end=today, values=[100, 400], step=31)
    series(vin_acc["instagram"], end=today - timedelta(days=1), values=[50])
    services.registry_matches_refresh()
    return {
        "mayo": mayo, "cleveland": cleveland, "vincent": vincent, "system": system,
        "member": member, "dekalb": dekalb, "keller": keller, "gosh": gosh,
        "accounts": {**{f"mayo_{k}": v for k, v in mayo_acc.items()},
                     **{f"cle_{k}": v for k, v in cle_acc.items()}, "gosh_x": gosh_acc["x"]},
    }  # fmt: skip
