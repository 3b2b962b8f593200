from django.apps import AppConfig


class LawConfig(AppConfig):
    name = "standing.law"
    verbose_name = "Law"
