"""Write the synthetic list into the bench database (inside a bench worker, after
django.setup()). Rows are what the services would write: the denormalised columns come from
``hcsm.directory.services.denormalised_values``, accounts from ``platforms.canonicalize``."""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import itertools
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import synthetic
from django.core.management import call_command
from django.db import connection, transaction

BATCH = 5000
ROOT = Path(__file__).resolve().parent.parent


def _migrations_fingerprint() -> str:
    """A hash of every migration file of the project: a migration edited in place (or a new
    one) means a fresh database, since applying it to old rows may not be what it does to an
    empty one."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("hcsm/*/migrations/*.py")):
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:8]


# Every synthetic organization carries this import source; a database whose organizations
# all carry it (and that holds the expected number) is reused as it is.
BENCH_SOURCE = f"bench-v{synthetic.GENERATOR_VERSION}-{_migrations_fingerprint()}"


def log(msg: str) -> None:
    print(f"  [{connection.vendor}] {msg}", file=sys.stderr, flush=True)


@contextlib.contextmanager
def _explicit_timestamps() -> Iterator[None]:
    """Let bulk_create keep our created_at/updated_at/added_at (spread over years) instead of
    now(). Only flips the flags of the model fields in this process, for the build."""
    from hcsm.directory.models import Organization, SocialAccount

    fields = [
        Organization._meta.get_field("created_at"),
        Organization._meta.get_field("updated_at"),
        SocialAccount._meta.get_field("added_at"),
    ]
    saved = [(f.auto_now, f.auto_now_add) for f in fields]
    try:
        for f in fields:
            f.auto_now = f.auto_now_add = False
        yield
    finally:
        for f, (now, now_add) in zip(fields, saved, strict=True):
            f.auto_now, f.auto_now_add = now, now_add


def counts() -> dict[str, int]:
    from hcsm.directory.models import (
        Organization,
        OrganizationCountry,
        OrganizationRegion,
        SocialAccount,
    )

    return {
        "organizations": Organization.objects.count(),
        "published": Organization.objects.filter(status="published").count(),
        "bench_organizations": Organization.objects.filter(import_source=BENCH_SOURCE).count(),
        "accounts": SocialAccount.objects.count(),
        "countries_rows": OrganizationCountry.objects.count(),
        "regions_rows": OrganizationRegion.objects.count(),
    }


def schema_drift() -> list[str]:
    """What differs between the models and the bench database's tables (columns, named
    indexes and constraints): migrations edited in place since the bench database was made."""
    from django.apps import apps

    problems = []
    with connection.cursor() as cur:
        tables = set(connection.introspection.table_names(cur))
        for model in apps.get_models():
            if not model._meta.managed or model._meta.proxy:
                continue
            table = model._meta.db_table
            if table not in tables:
                problems.append(f"missing table {table}")
                continue
            have = {c.name for c in connection.introspection.get_table_description(cur, table)}
            want = {f.column for f in model._meta.local_concrete_fields}
            if have != want:
                problems.append(f"{table}: columns {sorted(have ^ want)}")
            named = {i.name for i in model._meta.indexes} | {
                c.name for c in model._meta.constraints
            }
            missing = named - set(connection.introspection.get_constraints(cur, table))
            if missing:
                problems.append(f"{table}: missing {sorted(missing)}")
    return problems


def _reset_schema() -> None:
    """Drop every table of the bench database (never any other: run.py checks the name)."""
    name = str(connection.settings_dict["NAME"])
    assert name.endswith(("bench.sqlite3", "_bench")), name
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("DROP SCHEMA public CASCADE")
            cur.execute("CREATE SCHEMA public")
    else:
        connection.close()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{name}{suffix}").unlink(missing_ok=True)


def ensure(*, n: int, rebuild: bool, csv_path: Path) -> dict[str, Any]:
    """Migrate, then build the list unless the database already holds it."""
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    migrate_s = time.perf_counter() - started
    before = counts()
    info: dict[str, Any] = {"migrate_s": round(migrate_s, 2), "source": BENCH_SOURCE}
    drift = schema_drift()
    if drift:
        log(f"the schema changed since the bench database was made: {'; '.join(drift)[:300]}")
    elif rebuild:
        log("--rebuild")
    elif before["organizations"] == n and before["bench_organizations"] == n:
        log(f"reusing the bench database ({n} organizations; --rebuild to rebuild)")
        info.update(built=False, build_s=None, **before)
        return info
    elif before["organizations"]:
        log("the bench database holds other data (another size, generator or migrations)")
    log(f"recreating the tables and building {n} organizations …")
    t0 = time.perf_counter()
    _reset_schema()
    call_command("migrate", interactive=False, verbosity=0)
    dist = synthetic.derive(csv_path)
    info["distribution"] = dist.summary()
    gen_s = _insert(dist, n)
    insert_s = time.perf_counter() - t0
    t1 = time.perf_counter()
    _analyze()
    analyze_s = time.perf_counter() - t1
    after = counts()
    info.update(
        built=True,
        build_s=round(time.perf_counter() - t0, 2),
        generate_s=round(gen_s, 2),
        insert_s=round(insert_s - gen_s, 2),
        analyze_s=round(analyze_s, 2),
        **after,
    )
    log(
        f"built in {info['build_s']} s (generate {info['generate_s']} s, migrate and insert "
        f"{info['insert_s']} s, analyze {info['analyze_s']} s): {after['organizations']} "
        f"organizations, {after['accounts']} accounts"
    )
    return info


def _insert(dist: synthetic.Distribution, n: int) -> float:
    from hcsm.directory.models import (
        Organization,
        OrganizationCountry,
        OrganizationRegion,
        SocialAccount,
    )
    from hcsm.directory.services import denormalised_values

    gen_s = 0.0
    specs = synthetic.generate(dist, n)
    done = 0
    with _explicit_timestamps(), transaction.atomic():
        while True:
            g0 = time.perf_counter()
            batch = list(itertools.islice(specs, BATCH))
            gen_s += time.perf_counter() - g0
            if not batch:
                break
            orgs = []
            for i, spec in enumerate(batch):
                values = denormalised_values(
                    name=spec.name,
                    other_names=spec.other_names,
                    handles=[a.handle for a in spec.accounts],
                    platforms=[a.platform for a in spec.accounts],
                    countries=spec.countries,
                    website=spec.website,
                )
                orgs.append(
                    Organization(
                        name=spec.name,
                        other_names=spec.other_names,
                        slug=spec.slug,
                        kind=spec.kind,
                        city=spec.city,
                        website=spec.website,
                        wikidata=spec.wikidata,
                        ccn=spec.ccn,
                        status=spec.status,
                        import_source=BENCH_SOURCE,
                        import_key=str(done + i + 1),
                        created_at=spec.created_at,
                        updated_at=spec.updated_at,
                        **values,
                    )
                )
            Organization.objects.bulk_create(orgs, batch_size=BATCH)
            countries, regions, accounts = [], [], []
            for org, spec in zip(orgs, batch, strict=True):
                assert org.pk is not None  # bulk_create returns ids on SQLite and PostgreSQL
                countries += [
                    OrganizationCountry(organization_id=org.pk, code=c, position=pos)
                    for pos, c in enumerate(spec.countries)
                ]
                regions += [
                    OrganizationRegion(organization_id=org.pk, code=r, position=pos)
                    for pos, r in enumerate(spec.regions)
                ]
                accounts += [
                    SocialAccount(
                        organization_id=org.pk,
                        platform=a.platform,
                        handle=a.handle,
                        key=a.key,
                        url=a.url,
                        source="bench",
                        added_at=spec.created_at + dt.timedelta(days=j),
                    )
                    for j, a in enumerate(spec.accounts)
                ]
            OrganizationCountry.objects.bulk_create(countries, batch_size=BATCH)
            OrganizationRegion.objects.bulk_create(regions, batch_size=BATCH)
            SocialAccount.objects.bulk_create(accounts, batch_size=BATCH)
            done += len(batch)
            if done % 25000 == 0 or done == n:
                log(f"{done} organizations written")
    return gen_s


def _analyze() -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            # What autovacuum would have done by the time anyone reads the list: statistics
            # and the visibility map (index-only scans).
            cur.execute("VACUUM ANALYZE")
        else:
            cur.execute("ANALYZE")
            cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
