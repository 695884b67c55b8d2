import math

import pytest

from hcsm.metrics import services
from hcsm.metrics.models import OrganizationScore


def test_score_formula():
    weights = {"x": 1.0, "youtube": 2.0, "other": 0.5, "growth": 3.0}
    got = services.organization_score({"x": 999, "youtube": 99, "tiktok": 9}, 9, weights)
    assert got == pytest.approx(3 + 2 * 2 + 0.5 * 1 + 3 * 1)
    assert services.organization_score({"x": 10}, -50, weights) == pytest.approx(math.log10(11))


def test_weights_are_configurable_and_change_the_ranking(world, settings):
    def ranking():
        return list(
            OrganizationScore.objects.order_by("rank").values_list("organization__name", flat=True)
        )

    assert ranking()[0] == "Cleveland Clinic"
    settings.HCSM_LEADERBOARD_WEIGHTS = {"facebook": 10.0, "growth": 0.0}
    services.scores_recompute()
    assert ranking()[0] == "Mayo Clinic"  # the only facebook page


def test_equal_scores_share_a_rank(world, settings):
    settings.HCSM_LEADERBOARD_WEIGHTS = {}  # every score 0
    services.scores_recompute()
    assert set(OrganizationScore.objects.values_list("rank", flat=True)) == {1}
