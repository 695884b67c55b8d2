"""Public, read-only API of the list: the same filters as the grid page."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.functional import cached_property
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from hcsm.core.permissions import Perm, api_permission

from . import selectors
from .filters import OrganizationFilter
from .models import AccountStatus, Organization, SocialAccount
from .platforms import PLATFORMS


class AccountOut(serializers.ModelSerializer):
    status = serializers.ChoiceField(
        choices=AccountStatus.choices,
        help_text="What the platform last said: active, not_found, suspended or renamed.",
    )
    status_since = serializers.DateField(
        allow_null=True, help_text="The day the platform was first seen saying it."
    )
    status_detail = serializers.CharField(help_text="For a renamed account, its new handle.")

    class Meta:
        model = SocialAccount
        fields = ["platform", "handle", "url", "label", "status", "status_since", "status_detail"]


class OrganizationOut(serializers.ModelSerializer):
    countries = serializers.SerializerMethodField()
    regions = serializers.SerializerMethodField()
    wikidata = serializers.CharField()
    url = serializers.SerializerMethodField()
    accounts = AccountOut(many=True, read_only=True)

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "other_names",
            "kind",
            "countries",
            "regions",
            "city",
            "website",
            "wikidata",
            "ccn",
            "url",
            "accounts",
            "updated_at",
        ]

    def get_countries(self, obj: Organization) -> list[str]:
        return [c.code for c in selectors.prefetched(obj, "countries")]

    def get_regions(self, obj: Organization) -> list[str]:
        return [r.code for r in selectors.prefetched(obj, "regions")]

    def get_url(self, obj: Organization) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class OrganizationRefOut(serializers.Serializer):
    id = serializers.IntegerField(source="pk")
    slug = serializers.CharField()
    name = serializers.CharField()


class OrganizationDetailOut(OrganizationOut):
    """One listing: the list's fields, the health system it is part of (null when none or
    not on the list) and the listed organizations in its own system."""

    parent = serializers.SerializerMethodField()
    members = serializers.SerializerMethodField()
    member_count = serializers.SerializerMethodField()

    class Meta(OrganizationOut.Meta):
        fields = [*OrganizationOut.Meta.fields, "parent", "members", "member_count"]

    @extend_schema_field(OrganizationRefOut(allow_null=True))
    def get_parent(self, obj: Organization) -> dict[str, object] | None:
        parent = selectors.listed_parent(obj)
        return OrganizationRefOut(parent).data if parent is not None else None

    @extend_schema_field(OrganizationRefOut(many=True))
    def get_members(self, obj: Organization) -> list[dict[str, object]]:
        return OrganizationRefOut(self._members(obj)[0], many=True).data

    def get_member_count(self, obj: Organization) -> int:
        return self._members(obj)[1]

    def _members(self, obj: Organization) -> tuple[list[Organization], int]:
        if not hasattr(self, "_member_cache"):
            self._member_cache = selectors.organization_members(obj)
        return self._member_cache


class _CachedIdsPaginator(Paginator):
    """Pages through a ``values_list("pk")`` queryset. At 100,000 rows a broad filter's COUNT
    and each page of its ids cost tens of milliseconds; both are cached under the list's
    version (selectors.cached_list_read), keyed by the filter's SQL."""

    @cached_property
    def count(self) -> int:
        qs = self.object_list
        return selectors.cached_list_read(f"count:{qs.query}", qs.count)

    def page(self, number: int | str) -> Page:
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = min(bottom + self.per_page, self.count)
        qs = self.object_list
        ids = selectors.cached_list_read(
            f"ids:{qs.query}:{bottom}:{top}", lambda: list(qs[bottom:top])
        )
        return self._get_page(ids, number, self)


class ListPagination(PageNumberPagination):
    django_paginator_class = _CachedIdsPaginator
    page_size = settings.HCSM_LIST_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = settings.HCSM_LIST_MAX_PAGE_SIZE


@extend_schema_view(
    get=extend_schema(
        summary="The list, filtered",
        parameters=[OpenApiParameter("page_size", int, description="Results a page (max 200)")],
    )
)
class OrganizationListAPI(generics.ListAPIView):
    permission_classes = [api_permission(Perm.API_READ, read_only=True)]
    serializer_class = OrganizationOut
    filterset_class = OrganizationFilter
    pagination_class = ListPagination

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.published_organizations()

    def paginate_queryset(self, queryset: QuerySet[Organization]) -> list[Organization] | None:
        # Prefetch only the page's rows: queries stay constant whatever the page size.
        ids = super().paginate_queryset(queryset.values_list("pk", flat=True))
        if ids is None:
            return None
        by_id = {
            o.pk: o
            for o in selectors.with_listing_relations(Organization.objects.filter(pk__in=ids))
        }
        return [by_id[i] for i in ids]


@extend_schema(summary="One organization")
class OrganizationDetailAPI(generics.RetrieveAPIView):
    permission_classes = [api_permission(Perm.API_READ, read_only=True)]
    serializer_class = OrganizationDetailOut

    def get_queryset(self) -> QuerySet[Organization]:
        return selectors.with_listing_relations(selectors.published_organizations()).select_related(
            "parent"
        )


class PlatformOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    major = serializers.BooleanField()
    historic = serializers.BooleanField()


class PlatformListAPI(APIView):
    permission_classes = [api_permission(Perm.API_READ, read_only=True)]

    @extend_schema(summary="Platforms the list knows", responses=PlatformOut(many=True))
    def get(self, request: Request) -> Response:
        return Response(PlatformOut(list(PLATFORMS.values()), many=True).data)
