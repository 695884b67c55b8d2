from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "hcsm.core"
    label = "core"
