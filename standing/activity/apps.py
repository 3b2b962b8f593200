from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "standing.activity"
    verbose_name = "Activity"

    def ready(self):
        from django.db.backends.signals import connection_created

        from .audit import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="standing-audit")
