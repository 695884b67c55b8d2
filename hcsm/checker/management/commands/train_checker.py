"""Train the professionalism check's learned second opinion on advice on the dev split (see
hcsm/checker/learned.py and data/checker/README.md) and write its weights."""

from __future__ import annotations

import json
import logging

from django.core.management.base import BaseCommand, CommandParser

from hcsm.checker import learned, training
from hcsm.checker.dataset import load_posts


class Command(BaseCommand):
    help = (
        "Fit the advice second-opinion model on the dev split of data/checker/, "
        "choose its threshold by cross-validation across the dev files, and write the weights "
        "to hcsm/checker/models/. Needs scikit-learn (requirements/dev.txt)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; fail if the committed weights differ from a fresh training.",
        )

    def handle(self, *args: object, **options: object) -> None:
        logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
        dev = [p for p in load_posts() if p.split == "dev"]
        self.stdout.write(f"dev split: {len(dev)} posts (the test split is not read)")
        stale = []
        for name, examples, target in [
            (learned.ADVICE_MODEL, training.advice_examples(dev), training.ADVICE_PRECISION),
        ]:
            self.stdout.write(f"{name}: {len(examples)} examples")
            model = training.train(examples, target, self.stdout.write)
            text = json.dumps(model.as_dict(), indent=1, sort_keys=True) + "\n"
            path = learned.MODELS_DIR / name
            if options["check"]:
                if not path.exists() or path.read_text(encoding="utf-8") != text:
                    stale.append(name)
                continue
            path.parent.mkdir(exist_ok=True)
            path.write_text(text, encoding="utf-8")
            self.stdout.write(f"  wrote {path} ({len(model.weights)} weights)")
        learned.load_model.cache_clear()
        if stale:
            raise SystemExit(f"Out of date: {', '.join(stale)}. Run manage.py train_checker.")
