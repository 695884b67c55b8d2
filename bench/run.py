"""`make bench`: the list at 100,000 organizations on SQLite and, with DATABASE_URL, PostgreSQL.

Prints one line per figure (``name value unit``) and writes bench/results/latest.json.
Benchmarks are not tests: this prints figures and asserts nothing. See bench/README.md.

    .venv/bin/python bench/run.py [--rebuild] [--orgs N] [--requests N] [--only sqlite|postgresql]
                                  [--no-http] [--no-export]

Each database is measured in its own subprocess (Django settings are per process); the bench
never touches the developer's database: SQLite goes to var/bench/bench.sqlite3, PostgreSQL to
``<dbname>_bench`` on the server of DATABASE_URL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if str(ROOT) not in sys.path:
    sys.path.insert(1, str(ROOT))

SQLITE_PATH = ROOT / "var" / "bench" / "bench.sqlite3"
RESULTS = HERE / "results" / "latest.json"
NSI_CSV = ROOT / "data" / "nsi-healthcare-orgs-social.csv"
DATASETTE_RPS = 3.0  # Datasette 0.65, same 100,000 organizations, two facets, this machine

# (figure, comparison, limit, what) — reported, never asserted.
TARGETS = [
    ("grid_country_facets.p95", "<=", 100, "grid with facets, by country"),
    ("grid_region.p95", "<=", 100, "grid with facets, by region"),
    ("grid_platform.p95", "<=", 100, "grid with facets, by platform"),
    ("grid_unfiltered.p95", "<=", 100, "grid with facets, no filter"),
    ("grid_search.p95", "<=", 100, "text search"),
    ("export_csv_full.time", "<=", 5, "full CSV export time"),
    ("export_csv_full.peak_rss_growth", "<=", 100, "full CSV export peak RSS growth"),
    ("export_csv_full.peak_anon_growth", "<=", 100, "full CSV export peak heap (anon) growth"),
    ("grid_country_facets.rps", ">=", 10 * DATASETTE_RPS, "10x Datasette, in-process"),
    ("http_grid_country_facets.c4.rps", ">=", 10 * DATASETTE_RPS, "10x Datasette, HTTP, 4 clients"),
    (
        "http_grid_country_facets.2proc_c4.rps",
        ">=",
        10 * DATASETTE_RPS,
        "10x Datasette, HTTP, 2 servers",
    ),
]


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--rebuild", action="store_true", help="rebuild the bench databases")
    p.add_argument("--orgs", type=int, default=100_000, help="organizations (default 100000)")
    p.add_argument("--requests", type=int, default=60, help="requests per figure (default 60)")
    p.add_argument("--only", choices=["sqlite", "postgresql"], help="measure one database")
    p.add_argument("--no-http", action="store_true", help="skip the HTTP throughput figures")
    p.add_argument("--no-export", action="store_true", help="skip the full CSV export")
    # Internal modes (the orchestrator starts these as subprocesses).
    p.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    p.add_argument("--out", help=argparse.SUPPRESS)
    p.add_argument("--serve", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--export-probe", action="store_true", help=argparse.SUPPRESS)
    return p.parse_args()


def fmt(value: float, unit: str) -> str:
    if unit in ("count", "queries", "rows"):
        return str(int(value))
    return f"{value:.2f}" if abs(value) < 10 else f"{value:.1f}"


# The orchestrator (no Django here) -----------------------------------------------------------


def _worker_env(db: str, database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env["DJANGO_SETTINGS_MODULE"] = "config.settings"
    env["DEBUG"] = "0"
    env.pop("HCSM_PRODUCTION", None)  # no HTTPS redirect for the in-process client
    hosts = [h for h in env.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]
    env["ALLOWED_HOSTS"] = ",".join(dict.fromkeys([*hosts, "testserver", "127.0.0.1"]))
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    if db == "sqlite":
        env.pop("DATABASE_URL", None)
        env["SQLITE_PATH"] = str(SQLITE_PATH)
    else:
        env["DATABASE_URL"] = database_url
    return env


def bench_database_url(database_url: str, suffix: str = "_bench") -> str:
    """``<dbname><suffix>`` on the same server, as the same user; created when missing. The
    benchmarks never touch the database DATABASE_URL names itself."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    dbname = parts.path.lstrip("/") or parts.username or "postgres"
    bench_name = f"{dbname}{suffix}"
    with psycopg.connect(database_url, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [bench_name])
        if found.fetchone() is None:
            print(f"  creating database {bench_name}", file=sys.stderr, flush=True)
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(bench_name)))
    return urlunsplit(parts._replace(path=f"/{bench_name}"))


def orchestrate(args: argparse.Namespace) -> int:
    import django

    database_url = os.environ.get("DATABASE_URL", "")
    dbs = ["sqlite"] + (["postgresql"] if database_url else [])
    if args.only:
        if args.only == "postgresql" and not database_url:
            print("--only postgresql needs DATABASE_URL", file=sys.stderr)
            return 2
        dbs = [args.only]
    started = time.perf_counter()
    results: dict[str, Any] = {
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "nproc": os.cpu_count(),
            "python": platform.python_version(),
            "django": django.__version__,
            "platform": platform.platform(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        },
        "args": {"orgs": args.orgs, "requests": args.requests, "rebuild": args.rebuild},
        "figures": {},
        "databases": {},
    }
    failed = []
    for db in dbs:
        url = ""
        if db == "sqlite":
            SQLITE_PATH.parent.mkdir(parents=True, exist_ok=True)
            if args.rebuild:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        else:
            url = bench_database_url(database_url)
        print(f"# {db}: {SQLITE_PATH if db == 'sqlite' else url}", flush=True)
        fd, out = tempfile.mkstemp(prefix=f"hcsm-bench-{db}-", suffix=".json")
        os.close(fd)
        cmd = [
            sys.executable,
            str(HERE / "run.py"),
            "--worker",
            db,
            "--out",
            out,
            "--orgs",
            str(args.orgs),
            "--requests",
            str(args.requests),
        ]
        cmd += [f for f, on in (("--rebuild", args.rebuild), ("--no-http", args.no_http),
                                ("--no-export", args.no_export)) if on]  # fmt: skip
        try:
            proc = subprocess.run(cmd, env=_worker_env(db, url), cwd=ROOT, timeout=3600)
            if proc.returncode != 0:
                failed.append(db)
                print(f"# {db}: the bench worker failed (exit {proc.returncode})", flush=True)
                continue
            data = json.loads(Path(out).read_text())
        finally:
            Path(out).unlink(missing_ok=True)
        results["figures"].update(data.pop("figures"))
        results["databases"][db] = data
    results["total_s"] = round(time.perf_counter() - started, 1)
    results["machine"]["load_average_at_end"] = [round(x, 2) for x in os.getloadavg()]
    results["targets"] = _targets(results["figures"], dbs)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    for line in results["targets"]:
        print(f"# target {line['what']}: {line['figure']} {line['comparison']} {line['limit']}"
              f" — " + ", ".join(f"{db} {v['value']} {'ok' if v['met'] else 'MISSED'}"
                                for db, v in line["results"].items()))  # fmt: skip
    print(f"# wrote {RESULTS.relative_to(ROOT)} in {results['total_s']} s", flush=True)
    return 1 if failed else 0


def _targets(figures: dict[str, Any], dbs: list[str]) -> list[dict[str, Any]]:
    out = []
    for figure, comparison, limit, what in TARGETS:
        per_db = {}
        for db in dbs:
            f = figures.get(f"{db}.{figure}")
            if f is None:
                continue
            value = f["value"]
            met = value <= limit if comparison == "<=" else value >= limit
            per_db[db] = {"value": value, "unit": f["unit"], "met": met}
        if per_db:
            out.append(
                {"figure": figure, "comparison": comparison, "limit": limit, "what": what,
                 "results": per_db}
            )  # fmt: skip
    return out


# Inside a worker (Django set up for one database) --------------------------------------------


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _db_version() -> str:
    from django.db import connection

    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SHOW server_version")
        else:
            cur.execute("SELECT sqlite_version()")
        return str(cur.fetchone()[0])


def worker(args: argparse.Namespace) -> int:
    _setup()
    import build
    import measure
    from django.conf import settings
    from django.db import connection

    label = connection.vendor
    assert label == args.worker, f"expected {args.worker}, settings give {label}"
    name = settings.DATABASES["default"]["NAME"]
    assert str(name).endswith(("bench.sqlite3", "_bench")), f"not a bench database: {name}"
    figures: dict[str, dict[str, Any]] = {}

    def emit(figure: str, value: float, unit: str) -> None:
        full = f"{label}.{figure}"
        figures[full] = {"value": round(float(value), 2), "unit": unit}
        print(f"{full} {fmt(value, unit)} {unit}", flush=True)

    info = build.ensure(n=args.orgs, rebuild=args.rebuild, csv_path=NSI_CSV)
    emit("organizations", info["organizations"], "count")
    emit("accounts", info["accounts"], "count")
    if info["built"]:
        emit("build.time", info["build_s"], "s")
    data: dict[str, Any] = {
        "vendor": label,
        "version": _db_version(),
        "database": str(name),
        "organizations": info["organizations"],
        "accounts": info["accounts"],
        "build": info,
        "search_matches": measure.search_matches(),
    }
    print(f"  [{label}] measuring in-process …", file=sys.stderr, flush=True)
    data["in_process"] = measure.in_process(emit, requests=args.requests)
    env = dict(os.environ)
    if not args.no_export:
        print(f"  [{label}] full CSV export in a fresh process …", file=sys.stderr, flush=True)
        data["export_csv_full"] = measure.export(emit, env)
    if not args.no_http:
        print(f"  [{label}] over HTTP on 127.0.0.1 …", file=sys.stderr, flush=True)
        data["http"] = measure.over_http(emit, env)
    data["figures"] = figures
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False, default=str))
    return 0


def main() -> int:
    args = parse_args()
    if args.worker:
        return worker(args)
    if args.serve:
        _setup()
        import measure

        measure.serve()
        return 0
    if args.export_probe:
        _setup()
        import measure

        print(json.dumps(measure.export_probe()), flush=True)
        return 0
    return orchestrate(args)


if __name__ == "__main__":
    sys.exit(main())
