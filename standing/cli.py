"""The ``standing`` command: every Django management command, plus serve, worker, demo, …"""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "standing.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
