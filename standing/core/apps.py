from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "standing.core"
    verbose_name = "Core"

    def ready(self):
        from standing.core import planner, tick

        tick.register(planner.refresh_statistics)
