"""Timings of the list's pages, API and export (inside a bench worker, after django.setup()).

In-process measurements use ``django.test.Client`` without ``setup_test_environment()``: the
whole middleware stack, URL routing, the view, the templates and the database, no network and
no test instrumentation (no template-rendered signal, DEBUG stays off).
"""

from __future__ import annotations

import http.client
import json
import math
import os
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

HERE = Path(__file__).resolve().parent

# Parameters: big and small countries, regions, every major platform, search words that match
# many and few rows (and none), different pages and orders.
COUNTRIES = ["US", "DE", "FR", "AU", "BR", "GB", "ES", "ZA", "LU", "SK", "TH", "NZ"]
REGIONS = [
    "US-CA", "US-TX", "US-NY", "US-MN", "US-WY", "US-VT", "US-DC", "DE-BY", "AU-NSW", "FR-ARA",
]  # fmt: skip
PLATFORMS = [
    "x", "facebook", "instagram", "linkedin", "youtube", "tiktok", "bluesky", "blog",
    "mastodon", "threads",
]  # fmt: skip
SEARCHES = [
    "hospital",  # many (English, Spanish and Portuguese names)
    "clinic",  # many: clinic, clínica, clinique
    "memorial",
    "mary",
    "klinikum",
    "ashford",  # a place name: few
    "oakwater presbyterian",  # two words: few
    "kinésithérapie",  # accents fold: few
    "san jose",
    "zzyzx",  # nothing
]

FIGURES: dict[str, list[str]] = {
    "grid_country_facets": [f"/list/?country={c}" for c in COUNTRIES],
    "grid_region": [f"/list/?region={r}" for r in REGIONS],
    "grid_platform": [f"/list/?platform={p}" for p in PLATFORMS],
    "grid_search": [f"/list/?q={quote(w)}" for w in SEARCHES],
    "grid_unfiltered": ["/list/", "/list/?page=2", "/list/?page=3", "/list/?page=20"],
    "grid_sorted": [
        "/list/?ordering=newest",
        "/list/?ordering=accounts",
        "/list/?ordering=country",
        "/list/?kind=hospital",
    ],
    "api_list": ["/api/v1/organizations/"]
    + [f"/api/v1/organizations/?country={c}" for c in COUNTRIES[:8]],
}

Emit = Callable[[str, float, str], None]


def _get(client: Client, url: str) -> tuple[int, int]:
    """One request, its whole body read; (status, bytes)."""
    response = client.get(url)
    if response.streaming:
        size = sum(len(chunk) for chunk in response.streaming_content)
    else:
        size = len(response.content)
    response.close()
    if response.status_code != 200:
        raise RuntimeError(f"GET {url} answered {response.status_code}; the figures would be wrong")
    return response.status_code, size


def _stats(ms: list[float], wall_s: float) -> dict[str, float]:
    ordered = sorted(ms)
    return {
        "n": len(ms),
        "p50": statistics.median(ordered),
        "p95": ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)],  # nearest rank
        "mean": statistics.fmean(ordered),
        "max": ordered[-1],
        "rps": len(ms) / wall_s if wall_s else 0.0,
    }


def in_process(emit: Emit, *, requests: int) -> dict[str, Any]:
    client = Client()
    out: dict[str, Any] = {"per_url_ms": {}, "queries": {}}
    # Warm-up: every URL once (imports, template loading, database caches).
    for urls in FIGURES.values():
        for url in urls:
            _get(client, url)
    for name, urls in FIGURES.items():
        # The SQL of one representative request, with its database time.
        with CaptureQueriesContext(connection) as ctx:
            _get(client, urls[0])
        out["queries"][name] = {
            "url": urls[0],
            "count": len(ctx.captured_queries),
            "sql": [{"ms": round(float(q["time"]) * 1000, 2), "sql": q["sql"][:2000]}
                    for q in ctx.captured_queries],
        }  # fmt: skip
        times: list[float] = []
        per_url: dict[str, list[float]] = {u: [] for u in urls}
        started = time.perf_counter()
        for i in range(requests):
            url = urls[i % len(urls)]
            t0 = time.perf_counter()
            _get(client, url)
            ms = (time.perf_counter() - t0) * 1000
            times.append(ms)
            per_url[url].append(ms)
        st = _stats(times, time.perf_counter() - started)
        out[name] = st
        out["per_url_ms"][name] = {
            u: round(statistics.median(v), 1) for u, v in per_url.items() if v
        }
        emit(f"{name}.p50", st["p50"], "ms")
        emit(f"{name}.p95", st["p95"], "ms")
        emit(f"{name}.mean", st["mean"], "ms")
        emit(f"{name}.rps", st["rps"], "req/s")
    emit("grid.queries", out["queries"]["grid_country_facets"]["count"], "queries")
    emit("api_list.queries", out["queries"]["api_list"]["count"], "queries")
    return out


def search_matches() -> dict[str, int]:
    """How many published organizations each search word finds (for the record)."""
    from hcsm.directory import selectors
    from hcsm.directory.filters import OrganizationFilter

    found = {}
    for word in SEARCHES:
        fs = OrganizationFilter({"q": word}, queryset=selectors.published_organizations())
        found[word] = fs.qs.count() if fs.is_valid() else -1
    return found


# The CSV export in a fresh process ----------------------------------------------------------


def _proc_status() -> dict[str, int]:
    """Memory lines of /proc/self/status in kB (VmRSS, VmHWM, RssAnon, RssFile)."""
    out = {}
    with open("/proc/self/status") as fh:
        for line in fh:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM", "RssAnon", "RssFile"):
                out[key] = int(rest.split()[0])
    return out


def export_probe() -> dict[str, Any]:
    """Run inside a fresh process (``run.py --export-probe``): warm up with a small export,
    then stream the whole list and measure how far the resident set grows.

    Peak RSS is the kernel's high-water mark of this process (VmHWM), reset just before the
    export (``/proc/self/clear_refs``). ``ru_maxrss`` is not used: Linux carries it over from
    the parent process across fork and exec, so a child of a big worker starts "high". RSS
    counts the database file pages SQLite maps (``mmap_size``), so the anonymous memory
    (RssAnon, the Python heap) is sampled every 10 ms as well.
    """
    import gc

    client = Client()
    _get(client, "/list/export.csv?country=LU")  # imports, first queries, csv machinery
    gc.collect()
    before = _proc_status()
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset VmHWM to the current RSS
        hwm_reset = True
    except OSError:
        hwm_reset = False
    peak_anon = [before.get("RssAnon", 0)]
    done = threading.Event()

    def sample() -> None:
        while not done.wait(0.01):
            peak_anon[0] = max(peak_anon[0], _proc_status().get("RssAnon", 0))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    t0 = time.perf_counter()
    response = client.get("/list/export.csv")
    size = rows = 0
    for chunk in response.streaming_content:
        size += len(chunk)
        rows += chunk.count(b"\n")
    response.close()
    elapsed = time.perf_counter() - t0
    done.set()
    sampler.join()
    after = _proc_status()
    peak_anon[0] = max(peak_anon[0], after.get("RssAnon", 0))
    base = before["VmRSS"] if hwm_reset else before["VmHWM"]
    return {
        "status": response.status_code,
        "seconds": elapsed,
        "bytes": size,
        "rows": rows - 1,  # the header line
        "hwm_reset": hwm_reset,
        "rss_before_mb": before["VmRSS"] / 1024,
        "rss_after_mb": after["VmRSS"] / 1024,
        "peak_rss_mb": after["VmHWM"] / 1024,
        "peak_rss_growth_mb": max(0, after["VmHWM"] - base) / 1024,
        "rss_file_growth_mb": (after.get("RssFile", 0) - before.get("RssFile", 0)) / 1024,
        "peak_anon_growth_mb": (peak_anon[0] - before.get("RssAnon", 0)) / 1024,
    }


def export(emit: Emit, env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, str(HERE / "run.py"), "--export-probe"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"export probe failed:\n{proc.stderr[-3000:]}")
    result = json.loads(proc.stdout.strip().splitlines()[-1])
    if result["status"] != 200:
        raise RuntimeError(f"export answered {result['status']}")
    emit("export_csv_full.time", result["seconds"], "s")
    emit("export_csv_full.peak_rss_growth", result["peak_rss_growth_mb"], "MB")
    emit("export_csv_full.peak_anon_growth", result["peak_anon_growth_mb"], "MB")
    emit("export_csv_full.rows", result["rows"], "rows")
    emit("export_csv_full.size", result["bytes"] / 1e6, "MB")
    return result


# Over real HTTP ------------------------------------------------------------------------------


def serve() -> None:
    """Run inside ``run.py --serve``: a threading WSGI server (Django's runserver server class,
    without autoreload or request logging) on 127.0.0.1, on a free port. It prints the port
    and stops when stdin closes or after 15 minutes, whichever comes first."""
    from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler
    from django.core.wsgi import get_wsgi_application

    class QuietHandler(WSGIRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
            pass

    httpd = ThreadedWSGIServer(("127.0.0.1", 0), QuietHandler, ipv6=False)
    httpd.set_app(get_wsgi_application())

    def stop_when_parent_goes() -> None:
        sys.stdin.read()
        httpd.shutdown()

    threading.Thread(target=stop_when_parent_goes, daemon=True).start()
    threading.Timer(900, httpd.shutdown).start()
    print(f"PORT {httpd.server_address[1]}", flush=True)
    try:
        httpd.serve_forever(poll_interval=0.2)
    finally:
        httpd.server_close()
        os._exit(0)  # do not wait for the 15-minute timer thread


def _load(
    ports: list[int], urls: list[str], *, clients: int, total: int, deadline_s: float
) -> dict:
    lock = threading.Lock()
    state = {"next": 0}
    times: list[float] = []
    errors: list[str] = []
    stop_at = time.perf_counter() + deadline_s

    def worker(port: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.perf_counter() < stop_at:
            with lock:
                i = state["next"]
                if i >= total:
                    break
                state["next"] += 1
            url = urls[i % len(urls)]
            t0 = time.perf_counter()
            try:
                conn.request("GET", url, headers={"Host": "127.0.0.1"})
                resp = conn.getresponse()
                resp.read()
                status = resp.status
                if resp.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException) as exc:
                errors.append(repr(exc))
                conn.close()
                continue
            ms = (time.perf_counter() - t0) * 1000
            if status != 200:
                errors.append(f"{url}: {status}")
            with lock:
                times.append(ms)
        conn.close()

    threads = [
        threading.Thread(target=worker, args=(ports[i % len(ports)],)) for i in range(clients)
    ]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    if not times:
        raise RuntimeError(f"no HTTP request succeeded: {errors[:3]}")
    return {**_stats(times, wall), "clients": clients, "errors": len(errors),
            "error_samples": errors[:3]}  # fmt: skip


def _start_server(env: dict[str, str]) -> tuple[subprocess.Popen[str], int]:
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "run.py"), "--serve"],
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    line = proc.stdout.readline()
    if not line.startswith("PORT "):
        _stop_server(proc)
        raise RuntimeError(f"bench server did not start: {line!r}")
    return proc, int(line.split()[1])


def _stop_server(proc: subprocess.Popen[str]) -> None:
    if proc.stdin:
        proc.stdin.close()  # the server shuts down on EOF
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def over_http(emit: Emit, env: dict[str, str]) -> dict[str, Any]:
    """The grid with facets over real HTTP on 127.0.0.1: one server process with 1 and 4
    clients, then two server processes (one per core, as a deployment would run) with 4."""
    out: dict[str, Any] = {"server": "django ThreadedWSGIServer (runserver's, no autoreload)"}
    urls = FIGURES["grid_country_facets"]
    servers: list[tuple[subprocess.Popen[str], int]] = []
    try:
        servers.append(_start_server(env))
        servers.append(_start_server(env))
        ports = [port for _, port in servers]
        for port in ports:
            _load([port], urls, clients=1, total=len(urls), deadline_s=60)  # warm-up
        runs = (("c1", ports[:1], 1, 40), ("c4", ports[:1], 4, 80), ("2proc_c4", ports, 4, 80))
        for label, use, clients, total in runs:
            st = _load(use, urls, clients=clients, total=total, deadline_s=120)
            out[label] = {**st, "server_processes": len(use)}
            name = f"http_grid_country_facets.{label}"
            emit(f"{name}.rps", st["rps"], "req/s")
            emit(f"{name}.p50", st["p50"], "ms")
            emit(f"{name}.p95", st["p95"], "ms")
            if st["errors"]:
                print(f"  HTTP errors: {st['error_samples']}", file=sys.stderr)
    finally:
        for proc, _ in servers:
            _stop_server(proc)
    return out
