from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "standing.core"
    verbose_name = "Core"
