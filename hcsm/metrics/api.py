"""API of the figures: the same selectors and query form as the pages; one write, a figure
typed by hand (POST /api/v1/organizations/{id}/metrics/, as /list/<slug>/figures/)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hcsm.core.permissions import Perm, api_permission
from hcsm.directory.models import Organization

from . import selectors, services
from .forms import BoardForm
from .models import Metric
from .services import ManualFigure

READ = [api_permission(Perm.API_READ, read_only=True)]


class AccountMetricsOut(serializers.Serializer):
    id = serializers.IntegerField(help_text="The account to name when posting a figure")
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
        "id": a.pk,
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


@extend_schema_field(OpenApiTypes.INT)
class WholeNumberField(serializers.Field):
    """A JSON integer (or a string of ASCII digits, for form posts); never a float, a
    boolean, a sign or an exponent."""

    default_error_messages = {"invalid": "Give a whole number, e.g. 12345."}

    def to_internal_value(self, data: Any) -> int:
        if type(data) is int:
            return data
        if isinstance(data, str) and data.isascii() and data.isdigit() and len(data) <= 20:
            return int(data)
        self.fail("invalid")

    def to_representation(self, value: int) -> int:
        return value


class ManualFigureIn(serializers.Serializer):
    account = WholeNumberField(
        source="account_id", help_text="The account's id (``accounts[].id`` of the GET)"
    )
    day = serializers.DateField(input_formats=["iso-8601"], help_text="YYYY-MM-DD")
    metric = serializers.ChoiceField(choices=Metric.choices)
    value = WholeNumberField()


class StoredOut(serializers.Serializer):
    value = serializers.IntegerField()
    source = serializers.CharField()


class ManualFigureOut(serializers.Serializer):
    outcome = serializers.ChoiceField(
        choices=["stored", "same", "correction"],
        help_text="stored; same (the day already held it); correction (the day held another "
        "value, which stays; this one was recorded beside it for staff)",
    )
    message = serializers.CharField()
    account = serializers.IntegerField(source="account.pk")
    day = serializers.DateField()
    metric = serializers.CharField()
    value = serializers.IntegerField()
    stored = serializers.SerializerMethodField()

    def get_stored(self, obj: ManualFigure) -> dict[str, Any]:
        return {"value": obj.stored_value, "source": obj.stored_source}


class OrganizationMetricsAPI(APIView):
    """GET: everyone. POST (a figure typed by hand, as on /list/<slug>/figures/): those who
    hold ``Perm.METRICS_ENTER``."""

    permission_classes = READ

    def get_permissions(self) -> list[Any]:
        if self.request.method == "POST":
            return [api_permission(Perm.METRICS_ENTER)()]
        return super().get_permissions()

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

    @extend_schema(
        summary="Record a figure typed by hand",
        request=ManualFigureIn,
        responses={201: ManualFigureOut, 200: ManualFigureOut},
    )
    def post(self, request: Request, pk: int) -> Response:
        org = get_object_or_404(Organization, pk=pk, status=Organization.Status.PUBLISHED)
        form = ManualFigureIn(data=request.data)
        if not form.is_valid():
            return Response({"errors": form.errors}, status=400)
        try:
            figure = services.manual_figure_record(
                organization=org, actor=request.user, **form.validated_data
            )
        except services.InvalidFigure as exc:
            return Response({"errors": {exc.field: [exc.message]}}, status=400)
        return Response(
            ManualFigureOut(figure).data, status=201 if figure.outcome == "stored" else 200
        )


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
