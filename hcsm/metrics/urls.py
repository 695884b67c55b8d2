from django.urls import path

from . import views

app_name = "metrics"

# Included before hcsm.directory.urls, so these win over list/<slug>/.
urlpatterns = [
    path("list/leaderboards/", views.leaderboards, name="leaderboards"),
    path("list/leaderboards/export.csv", views.leaderboards_csv, name="leaderboards_csv"),
    path("list/adoption/", views.adoption, name="adoption"),
    path("list/adoption/review/", views.match_review, name="review"),
    path("list/adoption/<slug:table>.csv", views.adoption_csv, name="adoption_csv"),
    path("list/<slug:slug>/badge.svg", views.badge, name="badge"),
    path("list/<slug:slug>/figures/", views.figures_enter, name="figures"),
    path("metrics/status/", views.refresh_status, name="status"),
]
