from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from . import services
from .models import User, VerifiedCredential


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "is_member", "is_org_admin", "is_staff", "date_joined"]
    list_filter = ["is_member", "is_org_admin", "is_staff", "is_active"]
    search_fields = ["email", "name"]
    fieldsets = (
        (None, {"fields": ("email", "password", "name")}),
        (
            "Roles",
            {"fields": ("is_active", "is_member", "is_org_admin", "is_staff", "is_superuser")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)


@admin.register(VerifiedCredential)
class VerifiedCredentialAdmin(admin.ModelAdmin):
    """Staff check a credential against the issuer's public register, then confirm it here.
    Only confirmed credentials count in the professionalism check."""

    list_display = [
        "user",
        "credential",
        "issuer",
        "evidence",
        "status",
        "decided_by",
        "decided_at",
    ]
    list_filter = ["status"]
    search_fields = ["user__email", "user__name", "credential", "issuer"]
    readonly_fields = ["status", "decided_by", "decided_at", "created_at"]
    autocomplete_fields = ["user"]
    actions = ["confirm", "reject"]

    @admin.action(description="Confirm the selected credentials (checked with the issuer)")
    def confirm(self, request, queryset):  # type: ignore[no-untyped-def]
        for cred in queryset:
            services.credential_decide(credential_id=cred.pk, by=request.user, confirm=True)
        self.message_user(request, f"Confirmed {queryset.count()} credential(s).", messages.SUCCESS)

    @admin.action(description="Reject the selected credentials")
    def reject(self, request, queryset):  # type: ignore[no-untyped-def]
        for cred in queryset:
            services.credential_decide(credential_id=cred.pk, by=request.user, confirm=False)
        self.message_user(request, f"Rejected {queryset.count()} credential(s).", messages.WARNING)
