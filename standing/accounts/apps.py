from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "standing.accounts"
    verbose_name = "Accounts"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from .login import on_login

        user_logged_in.connect(on_login, dispatch_uid="standing-staff-session")
