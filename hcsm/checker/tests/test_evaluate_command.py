"""python manage.py evaluate_checker, and the labelled set it reads."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from hcsm.checker.dataset import load_posts, load_synthetic
from hcsm.checker.evaluation import wilson


def test_the_labelled_set_is_large_enough_and_consistent() -> None:
    posts = load_posts()
    assert len(posts) >= 200
    assert {p.split for p in posts} == {"dev", "test"}
    assert sum(p.split == "test" for p in posts) >= 100
    assert sum(len(p.spans) for p in posts if p.split == "test") >= 80
    assert sum(p.clean for p in posts) >= 40
    assert sum(p.advice for p in posts) >= 30
    assert sum(p.credential == "C" for p in posts) >= 15
    for post in posts:
        assert "[[" not in post.text and "::" not in post.text
        for span in post.spans:
            assert post.text[span.start : span.end].strip()


def test_the_synthetic_set_offsets_hold() -> None:
    rows = load_synthetic()
    assert len(rows) == 1500
    assert all(r.text[s.start : s.end] for r in rows for s in r.spans)


def test_wilson_interval() -> None:
    low, high = wilson(95, 100)
    assert 0.88 < low < 0.89 and 0.97 < high < 0.98
    assert wilson(0, 0) == (0.0, 1.0)


def test_the_command_prints_every_measure() -> None:
    out = StringIO()
    call_command(
        "evaluate_checker", "--split", "dev", "--no-synthetic", "--limit", "40", stdout=out
    )
    text = out.getvalue()
    for label in [
        "recall    phi ",
        "recall    phi:direct",
        "precision phi ",
        "recall    advice",
        "recall    credential:contradiction",
        "false alarms on clean posts",
        "time per post",
        "vanilla Presidio",
    ]:
        assert label in text, label
    assert "[0." in text or "[1." in text  # intervals are printed
