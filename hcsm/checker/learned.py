"""The learned second opinion of the professionalism check on advice.

The hand-written advice rule decides first. Where it passes a post, a small logistic-regression
model, trained on the dev split of data/checker by ``manage.py train_checker`` (scikit-learn,
at training time only), scores the post from its words and word pairs (numbers, handles and
medicine names folded into one token each) and the rule's own partial signs (a sign the post
speaks to one person, a directive, a medicine). A likely one becomes a warning on its most
advice-like sentence.

The weights are plain JSON in ``hcsm/checker/models/``; scoring them is a sum of weights, so the
site needs no machine-learning library and every result is reproducible. Without the weights
file the rule is the hand-written rule alone.

A second opinion on PHI candidates was tried the same way and left out: held out across the dev
files it found 4 of the 73 spans the rules missed at a precision of 0.44, and nothing at the
precision we require (data/checker/README.md, round 6).
"""

from __future__ import annotations

import functools
import json
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from .findings import Category, Finding, Severity
from .rules import (
    ADDRESSED,
    ADVICE_SUGGESTION,
    DIRECTIVE,
    DRUG_NAME,
    EDUCATION,
    RELATIVE_OF_READER,
    AdviceRule,
    Draft,
)

MODELS_DIR = Path(__file__).resolve().parent / "models"
ADVICE_MODEL = "advice-second-opinion.json"


@dataclass(frozen=True)
class LinearModel:
    """Logistic regression over binary features: P = sigmoid(bias + sum of present weights)."""

    weights: dict[str, float]
    bias: float
    threshold: float

    def probability(self, features: Iterable[str]) -> float:
        z = self.bias + sum(self.weights.get(f, 0.0) for f in set(features))
        return 1.0 / (1.0 + math.exp(-z))

    def as_dict(self) -> dict[str, object]:
        return {"bias": self.bias, "threshold": self.threshold, "weights": self.weights}


@functools.cache
def load_model(name: str) -> LinearModel | None:
    path = MODELS_DIR / name
    if not path.exists():
        return None
    data = json.loads(path.read_text(encoding="utf-8"))
    return LinearModel(
        weights={k: float(v) for k, v in data["weights"].items()},
        bias=float(data["bias"]),
        threshold=float(data["threshold"]),
    )


# Advice ------------------------------------------------------------------------------------

ADVICE_TOKEN = re.compile(r"@\w[\w.]*\w|\d+(?:[.,]\d+)?|\w+(?:['’]\w+)?|[?!]")
SENTENCE = re.compile(r"\S.*?(?:[.!?]+(?=\s|$)|\n|$)", re.DOTALL)


def advice_features(text: str) -> list[str]:
    """Words and word pairs, with medicines, numbers and handles folded; the rule's signs."""
    folded = DRUG_NAME.sub(" drugname ", text)
    tokens = []
    for token in ADVICE_TOKEN.findall(folded):
        if token.startswith("@"):
            tokens.append("<handle>")
        elif token[0].isdigit():
            tokens.append("<num>")
        else:
            tokens.append(token.lower().replace("’", "'"))
    features = [f"w={t}" for t in tokens]
    features += [f"w2={a}_{b}" for a, b in zip(tokens, tokens[1:], strict=False)]
    features += [
        f"addressed={bool(ADDRESSED.search(text))}",
        f"directive={bool(DIRECTIVE.search(text))}",
        f"drug={bool(DRUG_NAME.search(text))}",
        f"readers_relative={bool(RELATIVE_OF_READER.search(text))}",
        f"education={bool(EDUCATION.search(text))}",
        f"opens_with_handle={text.lstrip().startswith('@')}",
    ]
    return features


class LearnedAdviceRule(AdviceRule):
    """AdviceRule, then the advice model's second opinion on a post the rule passes."""

    def check(self, draft: Draft) -> list[Finding]:
        findings = super().check(draft)
        model = load_model(ADVICE_MODEL)
        if findings or model is None:
            return findings
        text = draft.text.text
        probability = model.probability(advice_features(text))
        if probability < model.threshold:
            return findings
        best = max(
            SENTENCE.finditer(text),
            key=lambda m: model.probability(advice_features(m.group(0))),
            default=None,
        )
        if best is None:
            return findings  # nothing but spaces
        start, end = draft.text.span(best.start(), best.start() + len(best.group(0).rstrip()))
        return [
            Finding(
                category=Category.ADVICE,
                kind="advice",
                start=start,
                end=end,
                severity=Severity.WARN,
                confidence=round(probability, 3),
                explanation="This reads like advice to one person about their own care (the "
                "check is not sure: read it again). Advice to one person online is practising "
                "without seeing them.",
                suggestion=ADVICE_SUGGESTION,
                rule="advice-learned",
            )
        ]
