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
        examples = training.advice_examples(dev)
        self.stdout.write(f"{learned.ADVICE_MODEL}: {len(examples)} examples")
        model = training.train(examples, training.ADVICE_PRECISION, self.stdout.write)
        text = json.dumps(model.as_dict(), indent=1, sort_keys=True) + "\n"
        path = learned.MODELS_DIR / learned.ADVICE_MODEL
        if options["check"]:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                raise SystemExit(f"{path.name} is out of date. Run manage.py train_checker.")
            return
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8")
        learned.load_model.cache_clear()
        self.stdout.write(f"  wrote {path} ({len(model.weights)} weights)")
