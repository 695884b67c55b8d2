from django.apps import AppConfig


class CheckerConfig(AppConfig):
    name = "hcsm.checker"
    verbose_name = "Professionalism check"
