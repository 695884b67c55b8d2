from django.urls import path

from . import api

urlpatterns = [
    path("organizations/", api.OrganizationListAPI.as_view(), name="api-organizations"),
    path("organizations/<int:pk>/", api.OrganizationDetailAPI.as_view(), name="api-organization"),
    path("platforms/", api.PlatformListAPI.as_view(), name="api-platforms"),
]
