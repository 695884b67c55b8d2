from django.urls import path

from . import views

app_name = "directory"

urlpatterns = [
    path("list/", views.organization_list, name="list"),
    path("list/export.csv", views.export_csv, name="export_csv"),
    path("list/export.json", views.export_json, name="export_json"),
    path("list/add/", views.submission_new, name="submit"),
    path("list/my-submissions/", views.my_submissions, name="my_submissions"),
    path("list/<slug:slug>/", views.organization_detail, name="organization"),
    path("list/<slug:slug>/suggest/", views.submission_change, name="suggest"),
    path("moderation/", views.moderation_queue, name="moderation"),
    path("moderation/<int:pk>/", views.moderation_detail, name="moderation_detail"),
    path(
        "moderation/accounts/<int:account_id>/accept-rename/",
        views.account_rename_accept,
        name="accept_rename",
    ),
]
