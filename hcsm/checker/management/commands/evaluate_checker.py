"""Score the professionalism check on the labelled set in data/checker/ (see its README)."""

from __future__ import annotations

import logging

from django.core.management.base import BaseCommand, CommandParser

from hcsm.checker.check import run_check
from hcsm.checker.dataset import SOURCES, load_posts, load_synthetic
from hcsm.checker.engine import hcsm_engine, vanilla_engine
from hcsm.checker.evaluation import evaluate, evaluate_vanilla, report


class Command(BaseCommand):
    help = (
        "Recall and precision (95% Wilson intervals) per category and identifier, the false-"
        "alarm rate on clean posts and time per post, for the hcsm check and for vanilla Presidio."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--split", choices=["test", "dev", "all"], default="test")
        parser.add_argument(
            "--no-synthetic", action="store_true", help="Skip the Presidio synthetic set."
        )
        parser.add_argument("--no-baseline", action="store_true", help="Skip vanilla Presidio.")
        parser.add_argument("--limit", type=int, default=0, help="Only the first N posts.")
        parser.add_argument(
            "--file",
            choices=[name for name, split in SOURCES if split == "dev"],
            help="Only the posts of one dev file of data/checker/ (with --split dev).",
        )

    def handle(self, *args: object, **options: object) -> None:
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        split = options["split"]
        posts = [p for p in load_posts() if split == "all" or p.split == split]
        if options["file"]:
            posts = [p for p in posts if p.source == options["file"]]
        if options["limit"]:
            posts = posts[: int(options["limit"])]  # type: ignore[call-overload]
        engine = hcsm_engine()
        if not options["no_baseline"]:
            vanilla_engine()
        run_check(text="Warm-up: the model loads once per process.")
        missing = " (NOT INSTALLED: degraded, patterns only)" if engine.degraded else ""
        self.stdout.write(f"model: {engine.model}{missing}")
        ours = evaluate(posts)
        vanilla = None if options["no_baseline"] else evaluate_vanilla(posts)
        spans = sum(len(p.spans) for p in posts)
        clean = sum(p.clean for p in posts)
        where = f"{options['file']}, " if options["file"] else ""
        title = (
            f"hcsm posts, {where}{split} split: {len(posts)} posts, {spans} PHI spans, "
            f"{clean} clean"
        )
        self.stdout.write("\n".join(report(title, ours, vanilla)))
        if not options["no_synthetic"]:
            synth = load_synthetic()
            if options["limit"]:
                synth = synth[: int(options["limit"])]  # type: ignore[call-overload]
            ours_s = evaluate(synth, all_severities=True)
            vanilla_s = None if options["no_baseline"] else evaluate_vanilla(synth)
            self.stdout.write("")
            self.stdout.write(
                "\n".join(
                    report(
                        f"Presidio research synthetic set (generic PII, no health context; every "
                        f"finding counts, info included): {len(synth)} sentences",
                        ours_s,
                        vanilla_s,
                    )
                )
            )
