from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "standing.core"
    verbose_name = "Core"

    def ready(self):
        from standing.core import planner, tick

        # Last: the statistics after the other jobs' writes.
        tick.register(planner.refresh_statistics, order=90)
