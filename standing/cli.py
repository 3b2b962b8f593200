"""The ``standing`` command: every Django management command, plus serve, worker, demo, …"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "standing.settings")
    import django
    from django.conf import settings
    from django.core.management import execute_from_command_line
    from django.utils import translation

    django.setup()
    # Records written by commands (demo, imports, ticks) use the business language.
    translation.activate(settings.LANGUAGE_CODE)
    # Commands are written as in the README ("standing check-data"); Django's are check_data.
    if len(sys.argv) > 1 and sys.argv[1] in ALIASES:
        sys.argv[1] = ALIASES[sys.argv[1]]
    execute_from_command_line(sys.argv)


ALIASES = {"check-data": "check_data"}
