from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "hcsm.accounts"
    label = "accounts"
