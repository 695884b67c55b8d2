from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "hcsm.directory"
    label = "directory"
    verbose_name = "Health Care Social Media List"
