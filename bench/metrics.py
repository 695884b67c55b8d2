"""Benchmark of hcsm.metrics: bulk ingest rows/s, leaderboard and adoption page p95.

    python bench/metrics.py                       # SQLite at var/bench-metrics.sqlite3
    DATABASE_URL=postgres://root@127.0.0.1:5432/metrics python bench/metrics.py
    python bench/metrics.py --orgs 100000 --weeks 50   # 200,000 accounts x 50 = 10M rows

It EMPTIES the directory and metrics tables of the database it runs on: a fresh SQLite file by
default, or ``<dbname>_bench_metrics`` beside the database DATABASE_URL names (created when
missing; the named database itself is never touched). Timings are printed, never
asserted. Organizations and accounts are bulk-created directly (bench data, not a product
path); snapshots go through ``services.snapshots_ingest``, the product's bulk path.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def setup(args: argparse.Namespace, *, keep: bool = False) -> None:
    if os.environ.get("DATABASE_URL"):
        from run import bench_database_url  # bench/run.py, beside this script

        os.environ["DATABASE_URL"] = bench_database_url(
            os.environ["DATABASE_URL"], suffix="_bench_metrics"
        )
        print(f"# postgresql: {os.environ['DATABASE_URL']}", flush=True)
    elif keep:
        os.environ["SQLITE_PATH"] = str(ROOT / "var" / "bench-metrics.sqlite3")
    elif not os.environ.get("DATABASE_URL"):
        path = ROOT / "var" / "bench-metrics.sqlite3"
        path.parent.mkdir(exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        os.environ["SQLITE_PATH"] = str(path)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)


def p(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--orgs", type=int, default=100_000)
    parser.add_argument("--weeks", type=int, default=50, help="weekly snapshots per account")
    parser.add_argument("--requests", type=int, default=200, help="page requests per page kind")
    parser.add_argument(
        "--order",
        choices=["account", "day"],
        default="account",
        help="account: each account's series in turn (a historic import); day: every account "
        "for one day, then the next (daily refreshes replayed)",
    )
    parser.add_argument(
        "--pages-only", action="store_true", help="keep the data of the last run; time the pages"
    )
    parser.add_argument(
        "--ingest-only",
        action="store_true",
        help="stop after the ingest and the derived tables (no registry matching, no pages)",
    )
    args = parser.parse_args()
    setup(args, keep=args.pages_only)

    import random

    from django.db import connection, transaction
    from django.test import Client
    from django.utils import timezone

    from hcsm.directory.importers import registry_entries_import
    from hcsm.directory.models import (
        Organization,
        OrganizationCountry,
        OrganizationRegion,
        RegistryEntry,
        SocialAccount,
    )
    from hcsm.metrics import services
    from hcsm.metrics.models import (
        AccountStats,
        OrganizationScore,
        RegistryMatch,
        Snapshot,
        SnapshotCorrection,
    )

    rng = random.Random(42)
    vendor = connection.vendor
    print(
        f"hcsm.metrics bench on {vendor}: {args.orgs:,} organizations, 2 accounts each, "
        f"{args.weeks} weekly snapshots per account, ingested in {args.order} order"
    )

    if not args.pages_only:
        # Clean slate ---------------------------------------------------------------------------
        t = time.monotonic()
        for model in (
            SnapshotCorrection,
            Snapshot,
            AccountStats,
            OrganizationScore,
            RegistryMatch,
            SocialAccount,
            OrganizationCountry,
            OrganizationRegion,
            Organization,
            RegistryEntry,
        ):
            model.objects.all()._raw_delete(model.objects.db)
        registry_entries_import(path=ROOT / "data" / "cms-hospital-general-information.csv")
        registry = list(RegistryEntry.objects.values_list("registry_id", "name", "city", "region"))

        # Organizations: every third registry hospital is listed with its CCN -------------------
        states = [r[3] for r in registry if r[3].startswith("US-")]
        orgs, regions = [], []
        for n in range(args.orgs):
            if n < len(registry) and n % 3 == 0:
                ccn, name, city, region = registry[n]
            else:
                ccn, name, city, region = (
                    "",
                    f"Bench Hospital {n}",
                    f"City {n % 997}",
                    rng.choice(states),
                )
            regions.append(region or "US-MN")
            orgs.append(
                Organization(
                    name=name,
                    slug=f"bench-{n}",
                    kind=rng.choice(["hospital", "clinic", "health_system"]),
                    city=city,
                    ccn=ccn,
                    sort_name=name.casefold(),
                    primary_country="US",
                    search_text=name.casefold(),
                    platform_mask=3,
                    account_count=2,
                )
            )
        with transaction.atomic():
            Organization.objects.bulk_create(orgs, batch_size=5000)
            ids = list(Organization.objects.order_by("id").values_list("id", flat=True))
            OrganizationCountry.objects.bulk_create(
                [OrganizationCountry(organization_id=i, code="US") for i in ids], batch_size=5000
            )
            OrganizationRegion.objects.bulk_create(
                [
                    OrganizationRegion(organization_id=i, code=r)
                    for i, r in zip(ids, regions, strict=True)
                ],
                batch_size=5000,
            )
            accounts = []
            for i in ids:
                for platform in ("x", "facebook"):
                    accounts.append(
                        SocialAccount(
                            organization_id=i,
                            platform=platform,
                            handle=f"b{i}{platform[0]}",
                            key=f"b{i}{platform[0]}",
                            url=f"https://example.org/{i}/{platform}",
                        )
                    )
            SocialAccount.objects.bulk_create(accounts, batch_size=5000)
        account_ids = list(SocialAccount.objects.order_by("id").values_list("id", flat=True))
        print(
            f"setup: {len(ids):,} organizations, {len(account_ids):,} accounts, "
            f"{len(registry):,} registry rows in {time.monotonic() - t:.1f} s"
        )

        # Ingest ----------------------------------------------------------------------------------
        today = timezone.localdate()
        now = timezone.now()
        start_values = {a: rng.randint(10, 200_000) for a in account_ids}

        def value(a: int, week: int) -> int:
            return start_values[a] + (args.weeks - week) * (a % 50)

        def rows():
            days = [today - timedelta(days=7 * (w - 1)) for w in range(args.weeks, 0, -1)]
            weeks = list(range(args.weeks, 0, -1))
            if args.order == "day":
                for week, day in zip(weeks, days, strict=True):
                    for a in account_ids:
                        yield services.SnapshotRow(
                            a, day, "followers", value(a, week), "import", now
                        )
            else:
                for a in account_ids:
                    for week, day in zip(weeks, days, strict=True):
                        yield services.SnapshotRow(
                            a, day, "followers", value(a, week), "import", now
                        )

        total = len(account_ids) * args.weeks
        t = time.monotonic()
        result = services.snapshots_ingest(rows=rows(), refresh_stats=False)
        ingest_s = time.monotonic() - t
        print(
            f"ingest: {result.inserted:,} of {total:,} rows in {ingest_s:.1f} s = "
            f"{result.inserted / ingest_s:,.0f} rows/s (snapshots_ingest, stats not rebuilt; "
            f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())})"
        )
        t = time.monotonic()
        last_day = [
            services.SnapshotRow(a, today, "followers", value(a, 1), "import", now)
            for a in account_ids
        ]
        again = services.snapshots_ingest(rows=last_day, refresh_stats=False)
        print(
            f"re-ingest of one day ({again.rows:,} rows, all already taken): "
            f"{time.monotonic() - t:.1f} s, {again.inserted} inserted, "
            f"{again.corrections} corrections"
        )
        t = time.monotonic()
        services.stats_refresh(rescore=False)
        stats_s = time.monotonic() - t
        t = time.monotonic()
        services.scores_recompute()
        print(
            f"derived tables: AccountStats for {len(account_ids):,} accounts in {stats_s:.1f} s, "
            f"scores and ranks in {time.monotonic() - t:.1f} s"
        )
        if args.ingest_only:
            return
        t = time.monotonic()
        counts = services.registry_matches_refresh()
        print(f"registry matching: {counts} in {time.monotonic() - t:.1f} s")

    # Pages -----------------------------------------------------------------------------------
    client = Client()
    board_urls = [
        "/list/leaderboards/",
        "/list/leaderboards/?board=growth",
        "/list/leaderboards/?board=score",
        "/list/leaderboards/?platform=x",
        "/list/leaderboards/?platform=facebook&board=growth",
        "/list/leaderboards/?country=US&region=US-MN",
        "/list/leaderboards/?board=score&region=US-CA&kind=hospital",
        "/list/leaderboards/?platform=x&country=US&page=5",
    ]

    def timed(urls: list[str], n: int) -> list[float]:
        out = []
        for k in range(n):
            url = urls[k % len(urls)]
            t0 = time.perf_counter()
            response = client.get(url)
            out.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        return out

    if vendor == "postgresql":
        with connection.cursor() as cursor:  # autovacuum would do this soon after a bulk load
            cursor.execute("ANALYZE")
    timed(board_urls, len(board_urls))  # warm up
    ms = timed(board_urls, args.requests)
    print(
        f"leaderboard page: p50 {p(ms, 0.5):.1f} ms, p95 {p(ms, 0.95):.1f} ms, "
        f"max {max(ms):.1f} ms over {len(ms)} requests ({len(board_urls)} filter kinds)"
    )

    from django.core.cache import cache

    cache.clear()
    t0 = time.perf_counter()
    client.get("/list/adoption/")
    cold = (time.perf_counter() - t0) * 1000
    adoption_urls = ["/list/adoption/", "/list/adoption/?parent=1", "/api/v1/adoption/"]
    ms = timed(adoption_urls, args.requests)
    print(
        f"adoption page: cold (cache empty, both parent variants computed) {cold:.0f} ms; "
        f"warm p50 {p(ms, 0.5):.1f} ms, p95 {p(ms, 0.95):.1f} ms over {len(ms)} requests"
    )
    print(f"(median of all page timings: {statistics.median(ms):.1f} ms)")
    match = RegistryMatch.objects.order_by("id").first()
    if match is not None:  # what a staff decision costs the next reader: shares, not growth
        RegistryMatch.objects.filter(pk=match.pk).update(confidence=match.confidence)
        match.save(update_fields=["confidence", "updated_at"])
        t0 = time.perf_counter()
        client.get("/list/adoption/")
        print(
            f"adoption page after one match changed (shares recomputed, growth cached): "
            f"{(time.perf_counter() - t0) * 1000:.0f} ms"
        )


if __name__ == "__main__":
    main()
