"""Staff can look everything up here. Listings change through submissions and moderation
(or the importers), so the denormalised columns and the public history stay true: the admin
is read-only for them, except hiding and publishing, which goes through a service."""

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from . import services
from .models import Organization, OrganizationChange, RegistryEntry, SocialAccount, Submission


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_staff

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return request.user.is_staff

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class AccountInline(admin.TabularInline):
    model = SocialAccount
    fields = ["platform", "handle", "url", "label", "source", "added_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Organization)
class OrganizationAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "primary_country", "account_count", "status", "updated_at"]
    list_filter = ["status", "kind", "import_source"]
    search_fields = ["name", "search_text", "wikidata", "ccn"]
    inlines = [AccountInline]
    actions = ["hide", "publish"]

    def _set(self, request: HttpRequest, queryset: QuerySet[Organization], status: str) -> None:
        n = 0
        for org in queryset:
            n += services.organization_set_status(
                organization=org, status=status, actor=request.user
            )
        self.message_user(request, f"{n} listing(s) changed.", messages.SUCCESS)

    @admin.action(description="Hide from the public list")
    def hide(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        self._set(request, queryset, Organization.Status.HIDDEN)

    @admin.action(description="Publish on the list")
    def publish(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        self._set(request, queryset, Organization.Status.PUBLISHED)


@admin.register(Submission)
class SubmissionAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "kind", "status", "submitter", "created_at", "decided_by"]
    list_filter = ["status", "kind", "relationship"]
    search_fields = ["submitter__email", "proposed"]


@admin.register(OrganizationChange)
class OrganizationChangeAdmin(ReadOnlyAdmin):
    list_display = ["organization", "action", "actor", "actor_label", "created_at"]
    list_filter = ["action"]
    search_fields = ["organization__name", "actor_label"]


@admin.register(RegistryEntry)
class RegistryEntryAdmin(ReadOnlyAdmin):
    list_display = ["registry_id", "name", "city", "region", "facility_type"]
    list_filter = ["source", "facility_type"]
    search_fields = ["registry_id", "name", "city"]
