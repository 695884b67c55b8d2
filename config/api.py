"""Mounts /api/v1/: every app's API routes, the OpenAPI schema and its docs page."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView

from hcsm.core.permissions import Perm, api_permission

perm = [api_permission(Perm.API_READ, read_only=True)]

urlpatterns = [
    path("", include("hcsm.directory.api_urls")),
    path("", include("hcsm.checker.api_urls")),
    path("", include("hcsm.metrics.api_urls")),
    path("schema/", SpectacularAPIView.as_view(permission_classes=perm), name="api-schema"),
    path(
        "docs/",
        SpectacularRedocView.as_view(url_name="api-schema", permission_classes=perm),
        name="api-docs",
    ),
]
