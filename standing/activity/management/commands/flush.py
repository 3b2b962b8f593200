"""Django's ``flush``, able to empty the append-only activity log (test databases between
transactional tests; ``standing flush`` by hand). Everything else about it is Django's."""

from django.core.management.commands.flush import Command as FlushCommand

from standing.activity.audit import maintenance


class Command(FlushCommand):
    def handle(self, **options):
        with maintenance(options["database"]):
            return super().handle(**options)
