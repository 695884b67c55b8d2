"""Scoring the check on the labelled set: recall and precision with 95% Wilson intervals, the
false-alarm rate on clean posts, vanilla Presidio as the baseline, and time per post.

Matching is by overlap: a labelled span counts as found when any PHI finding that asks the
author to act (block or warn) overlaps it, whatever kind the finding names; a finding counts as
correct when it overlaps any labelled span. Advice and credentials are scored per post.
"""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from .check import run_check
from .dataset import Post
from .engine import vanilla_engine
from .findings import KINDS, Author, Category, Severity
from .rules import ENTITY_TO_KIND

FULL_DATE = re.compile(
    r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|[A-Za-z]{3,9}\.?\s+\d{1,2}\b|\b\d{1,2}\s+[A-Za-z]{3,9}"
)


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    denom = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denom
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    def add(self, hit: bool) -> None:
        self.total += 1
        self.hits += int(hit)

    @property
    def value(self) -> float | None:
        return self.hits / self.total if self.total else None

    def show(self) -> str:
        if not self.total:
            return "    n/a (0)        "
        low, high = wilson(self.hits, self.total)
        return f"{self.value:5.3f} [{low:.3f}, {high:.3f}] ({self.hits}/{self.total})"


@dataclass
class Scores:
    recall: dict[str, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    precision: dict[str, Ratio] = field(default_factory=lambda: defaultdict(Ratio))
    false_alarm: Ratio = field(default_factory=Ratio)
    latencies_ms: list[float] = field(default_factory=list)

    def p(self, q: float) -> float:
        data = sorted(self.latencies_ms)
        if not data:
            return 0.0
        return data[min(len(data) - 1, math.ceil(q * len(data)) - 1)]


def is_direct(post: Post, kind: str, start: int, end: int) -> bool:
    if kind == "DATE":
        return bool(FULL_DATE.search(post.text[start:end]))
    return kind in KINDS and KINDS[kind].direct


def _author(post: Post) -> Author:
    return Author(name=post.author_name, verified=post.author_credentials, known=post.author_known)


def _score_spans(scores: Scores, post: Post, predicted: list[tuple[int, int, str]]) -> None:
    for span in post.spans:
        hit = any(s < span.end and span.start < e for s, e, _ in predicted)
        scores.recall["phi"].add(hit)
        scores.recall[f"phi:{span.kind}"].add(hit)
        if is_direct(post, span.kind, span.start, span.end):
            scores.recall["phi:direct"].add(hit)
    for s, e, kind in predicted:
        correct = any(s < span.end and span.start < e for span in post.spans)
        scores.precision["phi"].add(correct)
        scores.precision[f"phi:{kind}"].add(correct)


def evaluate(posts: Iterable[Post], *, all_severities: bool = False) -> Scores:
    """The hcsm check. ``all_severities`` also counts info notes (for the synthetic set, which
    has no patient context)."""
    scores = Scores()
    for post in posts:
        started = time.perf_counter()
        result = run_check(text=post.text, author=_author(post))
        scores.latencies_ms.append((time.perf_counter() - started) * 1000)
        acting = result.findings if all_severities else result.counted()
        phi = [(f.start, f.end, f.kind) for f in acting if f.category == Category.PHI]
        _score_spans(scores, post, phi)
        advice = any(f.category == Category.ADVICE for f in acting)
        blocked_cred = any(
            f.category == Category.CREDENTIAL and f.severity == Severity.BLOCK for f in acting
        )
        any_cred = any(f.category == Category.CREDENTIAL for f in acting)
        if post.advice:
            scores.recall["advice"].add(advice)
        if advice:
            scores.precision["advice"].add(post.advice)
        if post.credential == "C":
            scores.recall["credential:contradiction"].add(blocked_cred)
        if blocked_cred:
            scores.precision["credential:contradiction"].add(post.credential == "C")
        if post.credential in {"C", "U"}:
            scores.recall["credential:any claim"].add(any_cred)
        if any_cred:
            scores.precision["credential:any claim"].add(post.credential in {"C", "U"})
        if post.clean:
            scores.false_alarm.add(bool(acting))
    return scores


def evaluate_vanilla(posts: Iterable[Post]) -> Scores:
    """Presidio as shipped: every result it returns counts as a PHI finding."""
    analyzer = vanilla_engine().analyzer
    scores = Scores()
    for post in posts:
        started = time.perf_counter()
        results = analyzer.analyze(text=post.text, language="en")
        scores.latencies_ms.append((time.perf_counter() - started) * 1000)
        predicted = [
            (r.start, r.end, ENTITY_TO_KIND.get(r.entity_type, r.entity_type)) for r in results
        ]
        _score_spans(scores, post, predicted)
        if post.clean:
            scores.false_alarm.add(bool(predicted))
    return scores


POST_LEVEL = ["advice", "credential:contradiction", "credential:any claim"]


def report(title: str, ours: Scores, vanilla: Scores | None) -> list[str]:
    lines = [f"== {title}", f"{'measure':34} {'hcsm check':32} {'vanilla Presidio':32}"]
    keys = ["phi", "phi:direct"] + sorted(
        k for k in ours.recall if k.startswith("phi:") and k != "phi:direct"
    )
    keys += POST_LEVEL
    for key in keys:
        v = vanilla.recall[key].show() if vanilla and key.startswith("phi") else "    n/a"
        lines.append(f"{'recall    ' + key:34} {ours.recall[key].show():32} {v}")
    pkeys = ["phi"] + sorted(
        {k for k in ours.precision if k.startswith("phi:")}
        | ({k for k in vanilla.precision if k.startswith("phi:")} if vanilla else set())
    )
    pkeys += POST_LEVEL
    for key in pkeys:
        v = vanilla.precision[key].show() if vanilla and key.startswith("phi") else "    n/a"
        lines.append(f"{'precision ' + key:34} {ours.precision[key].show():32} {v}")
    v = vanilla.false_alarm.show() if vanilla else "    n/a"
    lines.append(f"{'false alarms on clean posts':34} {ours.false_alarm.show():32} {v}")
    vl = f"p50 {vanilla.p(0.5):.1f} ms, p95 {vanilla.p(0.95):.1f} ms" if vanilla else ""
    lines.append(
        f"{'time per post':34} {f'p50 {ours.p(0.5):.1f} ms, p95 {ours.p(0.95):.1f} ms':32} {vl}"
    )
    return lines
