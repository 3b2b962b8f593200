from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "standing.accounts"
    verbose_name = "Accounts"
