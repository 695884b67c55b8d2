"""The learned second opinion on advice (hcsm/checker/learned.py): the scorer, the rule that
uses it, and that the committed weights are what training on the dev split produces."""

from __future__ import annotations

import math

import pytest
from django.core.management import call_command

from hcsm.checker import learned
from hcsm.checker.check import run_check
from hcsm.checker.dataset import load_posts
from hcsm.checker.findings import Author, Category, Severity
from hcsm.checker.learned import LearnedAdviceRule, LinearModel, advice_features
from hcsm.checker.rules import AdviceRule, Draft
from hcsm.checker.text import normalize

ANONYMOUS = Author()


def draft(text: str) -> Draft:
    return Draft(text=normalize(text), author=ANONYMOUS)


def test_probability_is_the_sigmoid_of_the_present_weights_each_counted_once() -> None:
    model = LinearModel(weights={"a": 1.0, "b": -2.0}, bias=0.5, threshold=0.5)
    assert model.probability(["a", "a", "c"]) == pytest.approx(1 / (1 + math.exp(-1.5)))
    assert model.probability([]) == pytest.approx(1 / (1 + math.exp(-0.5)))
    assert model.probability(["a", "b"]) < 0.5


def test_the_scorer_matches_scikit_learn() -> None:
    pytest.importorskip("sklearn")
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    from hcsm.checker import training

    texts = [
        ("@kim stop the metformin tonight", True),
        ("your son can have 5 mL of ibuprofen now", True),
        ("Wash your hands during flu season.", False),
        ("Ask your pharmacist about interactions.", False),
        ("hey Jo, double the lasix tomorrow", True),
        ("Our clinic opens at 8 on Saturdays.", False),
    ]
    examples = [training.Example("x", tuple(advice_features(t)), y, True) for t, y in texts]
    ours = training.fit(examples)
    vectorizer = DictVectorizer()
    x = vectorizer.fit_transform([dict.fromkeys(e.features, 1) for e in examples])
    theirs = LogisticRegression(C=training.C, solver="liblinear", max_iter=1000, random_state=0)
    theirs.fit(x, [int(e.label) for e in examples])
    for e, p in zip(examples, theirs.predict_proba(x)[:, 1], strict=True):
        assert ours.probability(e.features) == pytest.approx(p, abs=1e-4)


def test_training_reads_the_dev_split_only() -> None:
    from hcsm.checker import training

    test_posts = [p for p in load_posts() if p.split == "test"][:3]
    with pytest.raises(ValueError, match="dev split only"):
        training.advice_examples(test_posts)


def test_the_committed_weights_are_what_training_on_dev_gives() -> None:
    pytest.importorskip("sklearn")
    call_command("train_checker", "--check")  # fails when data, features or rules changed


def test_a_likely_post_the_rule_passes_warns_on_its_most_advice_like_sentence(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = LinearModel(weights={"w=refill": 5.0}, bias=-3.0, threshold=0.5)
    monkeypatch.setattr(learned, "load_model", lambda name: fake)
    text = "Long week for all of us. @ravi I would skip the statin refill this month!  Hugs."
    assert not AdviceRule().check(draft(text))
    (finding,) = LearnedAdviceRule().check(draft(text))
    assert text[finding.start : finding.end] == "@ravi I would skip the statin refill this month!"
    assert (finding.category, finding.severity, finding.rule) == (
        Category.ADVICE,
        Severity.WARN,
        "advice-learned",
    )
    assert finding.confidence == pytest.approx(1 / (1 + math.exp(-2.0)), abs=1e-3)


def test_an_unlikely_post_and_a_post_the_rule_flags_get_no_learned_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fake = LinearModel(weights={"w=refill": 5.0}, bias=-3.0, threshold=0.5)
    monkeypatch.setattr(learned, "load_model", lambda name: fake)
    assert LearnedAdviceRule().check(draft("Our lobby is open until 9 tonight.")) == []
    flagged = "DM me your symptoms and I'll call in a script for the statin."
    assert LearnedAdviceRule().check(draft(flagged)) == AdviceRule().check(draft(flagged))


def test_without_the_weights_the_rule_is_the_hand_written_rule(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(learned, "load_model", lambda name: None)
    text = "@ravi I would skip the statin refill this month"
    assert LearnedAdviceRule().check(draft(text)) == AdviceRule().check(draft(text)) == []


@pytest.mark.parametrize(
    "text",
    [
        "@ravi_k92 I would skip the statin refill this month and see how your legs feel",
    ],
)
def test_the_trained_model_catches_advice_the_rule_passes(text: str) -> None:
    assert not AdviceRule().check(draft(text))
    assert any(f.category == Category.ADVICE for f in run_check(text=text).counted())


@pytest.mark.parametrize(
    "text",
    [
        "Most adults can take ibuprofen with food; ask your pharmacist if you take blood thinners.",
        "Flu season tip: wash your hands and get your shot. Talk to your doctor about antivirals.",
        "My doctor told me to stop the lisinopril for a week before my surgery.",
        "We can't give medical advice here; please call your care team at the number on your card.",
    ],
)
def test_the_trained_model_passes_general_education(text: str) -> None:
    assert not any(f.category == Category.ADVICE for f in run_check(text=text).counted())
