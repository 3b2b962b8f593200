from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "standing.activity"
    verbose_name = "Activity"
