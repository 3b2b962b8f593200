from django.core.management.base import BaseCommand, CommandError

from standing.core import integrity


class Command(BaseCommand):
    help = (
        "Check that the database holds together: amounts add up, states are valid, document "
        "numbers have no gaps, every file has its record and every record its file. "
        "Exit status 1 and one line per problem otherwise. (Also 'standing check-data'.)"
    )

    def handle(self, **options):
        count, problems = integrity.run()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} problem(s) found by {count} checks.")
        self.stdout.write(f"OK: {count} checks, no problem found.")
