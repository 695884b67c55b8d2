from django.contrib import admin
from django.urls import include, path

from hcsm.core import views as core_views

admin.site.site_header = "hcsm staff"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("config.api")),
    path("", include("hcsm.metrics.urls")),
    path("", include("hcsm.directory.urls")),
    path("", include("hcsm.checker.urls")),
    path("profile/", include("hcsm.accounts.urls")),
]
