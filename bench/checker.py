"""`make bench` section "checker": the professionalism check's speed and accuracy.

Prints the model load time, time per post once loaded (p50/p95/p99 over every post of the
labelled set, several rounds) and the headline figures of `evaluate_checker` on the test
split next to vanilla Presidio. Figures only: nothing is asserted. Writes
bench/results/checker.json.

    .venv/bin/python bench/checker.py [--rounds N]
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args, _ = parser.parse_known_args()

    import django

    django.setup()
    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    from hcsm.checker.check import run_check
    from hcsm.checker.dataset import load_posts
    from hcsm.checker.engine import hcsm_engine
    from hcsm.checker.evaluation import evaluate, evaluate_vanilla

    started = time.perf_counter()
    engine = hcsm_engine()
    run_check(text="warm-up")
    load_s = time.perf_counter() - started

    posts = load_posts()
    times: list[float] = []
    for _ in range(args.rounds):
        for post in posts:
            t0 = time.perf_counter()
            run_check(text=post.text)
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()

    def pct(q: float) -> float:
        return times[min(len(times) - 1, int(q * len(times)))]

    test = [p for p in posts if p.split == "test"]
    ours = evaluate(test)
    vanilla = evaluate_vanilla(test)

    def value(scores, kind: str, key: str):  # type: ignore[no-untyped-def]
        ratio = getattr(scores, kind)[key]
        return None if ratio.value is None else round(ratio.value, 3)

    figures = {
        "model": engine.model,
        "degraded": engine.degraded,
        "load_seconds": round(load_s, 2),
        "posts_timed": len(times),
        "ms_per_post": {
            "p50": round(pct(0.5), 1),
            "p95": round(pct(0.95), 1),
            "p99": round(pct(0.99), 1),
        },
        "test_split": {
            "posts": len(test),
            "phi_direct_recall": value(ours, "recall", "phi:direct"),
            "phi_recall": value(ours, "recall", "phi"),
            "phi_precision": value(ours, "precision", "phi"),
            "advice_recall": value(ours, "recall", "advice"),
            "advice_precision": value(ours, "precision", "advice"),
            "credential_contradiction_recall": value(ours, "recall", "credential:contradiction"),
            "credential_contradiction_precision": value(
                ours, "precision", "credential:contradiction"
            ),
            "false_alarm_rate": round(ours.false_alarm.value or 0.0, 3),
            "vanilla_phi_direct_recall": value(vanilla, "recall", "phi:direct"),
            "vanilla_phi_recall": value(vanilla, "recall", "phi"),
            "vanilla_phi_precision": value(vanilla, "precision", "phi"),
            "vanilla_false_alarm_rate": round(vanilla.false_alarm.value or 0.0, 3),
        },
    }
    print("== checker")
    missing = " (missing: degraded)" if engine.degraded else ""
    print(f"model {engine.model}{missing}, loaded in {load_s:.2f} s")
    print(
        f"time per post once loaded: p50 {pct(0.5):.1f} ms, p95 {pct(0.95):.1f} ms, "
        f"p99 {pct(0.99):.1f} ms ({len(times)} checks)"
    )
    for key, number in figures["test_split"].items():
        print(f"  {key:38} {number}")
    out = ROOT / "bench" / "results" / "checker.json"
    out.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
