"""Read-only API of the figures: the same selectors and query form as the pages."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hcsm.core.permissions import Perm, api_permission
from hcsm.directory.models import Organization

from . import selectors
from .forms import BoardForm

READ = [api_permission(Perm.API_READ, read_only=True)]


class AccountMetricsOut(serializers.Serializer):
    platform = serializers.CharField()
    handle = serializers.CharField()
    url = serializers.URLField()
    status = serializers.CharField()
    status_since = serializers.DateField(allow_null=True)
    status_detail = serializers.CharField()
    day = serializers.DateField(allow_null=True)
    followers = serializers.IntegerField(allow_null=True)
    change_30d = serializers.IntegerField(allow_null=True)
    change_365d = serializers.IntegerField(allow_null=True)
    posts = serializers.IntegerField(allow_null=True)
    views = serializers.IntegerField(allow_null=True)
    series = serializers.ListField(child=serializers.ListField(), help_text="[date, followers]")


class OrganizationMetricsOut(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    rank = serializers.IntegerField(allow_null=True)
    accounts = AccountMetricsOut(many=True)


def _account(f: selectors.AccountFigures) -> dict[str, Any]:
    a, s = f.account, f.stats
    return {
        "platform": a.platform,
        "handle": a.handle,
        "url": a.url,
        "status": a.status,
        "status_since": a.status_since,
        "status_detail": a.status_detail,
        "day": s.day if s else None,
        "followers": s.followers if s else None,
        "change_30d": s.growth_30d if s else None,
        "change_365d": s.growth_365d if s else None,
        "posts": s.posts if s else None,
        "views": s.views if s else None,
        "series": [[d.isoformat(), v] for d, v in f.series],
    }


class OrganizationMetricsAPI(APIView):
    permission_classes = READ

    @extend_schema(summary="An organization's figures", responses=OrganizationMetricsOut)
    def get(self, request: Request, pk: int) -> Response:
        org = get_object_or_404(Organization, pk=pk, status=Organization.Status.PUBLISHED)
        ranked = selectors.organization_rank(org)
        data = {
            "id": org.pk,
            "name": org.name,
            "rank": ranked[0] if ranked else None,
            "accounts": [_account(f) for f in selectors.organization_metrics(org)],
        }
        return Response(OrganizationMetricsOut(data).data)


class BoardRowOut(serializers.Serializer):
    position = serializers.IntegerField()
    organization_id = serializers.IntegerField(source="organization.pk")
    organization = serializers.CharField(source="organization.name")
    platform = serializers.CharField(source="account.platform", allow_null=True, default=None)
    handle = serializers.CharField(source="account.handle", allow_null=True, default=None)
    followers = serializers.IntegerField()
    growth_30d = serializers.IntegerField(allow_null=True)
    score = serializers.FloatField(allow_null=True)
    rank = serializers.IntegerField(allow_null=True)


class LeaderboardOut(serializers.Serializer):
    board = serializers.CharField()
    page = serializers.IntegerField()
    has_next = serializers.BooleanField()
    weights = serializers.DictField(child=serializers.FloatField())
    results = BoardRowOut(many=True)


class LeaderboardAPI(APIView):
    permission_classes = READ

    @extend_schema(
        summary="A leaderboard",
        parameters=[
            OpenApiParameter("board", str, enum=["followers", "growth", "score"]),
            OpenApiParameter("platform", str),
            OpenApiParameter("country", str),
            OpenApiParameter("region", str),
            OpenApiParameter("kind", str),
            OpenApiParameter("page", int),
        ],
        responses=LeaderboardOut,
    )
    def get(self, request: Request) -> Response:
        from .services import leaderboard_weights

        form = BoardForm(request.query_params)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=400)
        board = selectors.leaderboard(form.query())
        return Response(
            LeaderboardOut(
                {
                    "board": board.query.board,
                    "page": board.query.page,
                    "has_next": board.has_next,
                    "weights": leaderboard_weights(),
                    "results": board.rows,
                }
            ).data
        )


class ShareOut(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    hospitals = serializers.IntegerField(source="total")
    with_presence = serializers.IntegerField(source="present")
    share = serializers.FloatField()
    by_platform = serializers.DictField(child=serializers.IntegerField())


class AdoptionOut(serializers.Serializer):
    include_parent = serializers.BooleanField()
    registry_total = serializers.IntegerField()
    with_presence = serializers.IntegerField(source="present")
    share = serializers.FloatField()
    by_platform = ShareOut(many=True)
    by_state = ShareOut(many=True)
    by_type = ShareOut(many=True)
    by_ownership = ShareOut(many=True)
    accounts_by_year = serializers.ListField(child=serializers.DictField())
    followers_by_year = serializers.ListField(child=serializers.DictField())


class AdoptionAPI(APIView):
    permission_classes = READ

    @extend_schema(
        summary="Adoption among registry hospitals",
        parameters=[OpenApiParameter("parent", bool, description="Including parent system")],
        responses=AdoptionOut,
    )
    def get(self, request: Request) -> Response:
        raw = request.query_params.get("parent", "")
        if raw not in ("", "0", "1", "true", "false"):
            return Response({"errors": {"parent": ["Use parent=1 or parent=0."]}}, status=400)
        figures = selectors.adoption_figures(include_parent=raw in ("1", "true"))
        return Response(AdoptionOut(figures).data)
