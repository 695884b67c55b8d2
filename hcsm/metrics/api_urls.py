from django.urls import path

from . import api

urlpatterns = [
    path(
        "organizations/<int:pk>/metrics/",
        api.OrganizationMetricsAPI.as_view(),
        name="api-organization-metrics",
    ),
    path("leaderboards/", api.LeaderboardAPI.as_view(), name="api-leaderboards"),
    path("adoption/", api.AdoptionAPI.as_view(), name="api-adoption"),
]
