from django.core.management.base import BaseCommand, CommandError

from standing.accounts.models import ApiToken, Role, User


class Command(BaseCommand):
    help = "Manage API tokens: create USERNAME, list [USERNAME], revoke PREFIX."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="print a new token for USERNAME, alone on its line")
        create.add_argument("username")
        create.add_argument("--scope", choices=Role.values, help="defaults to the user's role")
        create.add_argument("--name", default="")
        listing = sub.add_parser("list")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke")
        revoke.add_argument("prefix", help="the first 12 characters of the token")

    def handle(self, action, **options):
        getattr(self, f"do_{action}")(**options)

    def do_create(self, username, scope=None, name="", **_):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no user '{username}'.")
        if scope and scope != user.role and not (user.role == Role.ADMIN):
            raise CommandError(f"A {user.role} user cannot have a token with scope '{scope}'.")
        _token, raw = ApiToken.issue(user, scope=scope, name=name)
        self.stdout.write(raw)

    def do_list(self, username=None, **_):
        tokens = ApiToken.objects.select_related("user")
        if username:
            tokens = tokens.filter(user__username=username)
        for t in tokens:
            state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
            self.stdout.write(f"{t.prefix}…  {t.user.username:<12} {t.scope:<12} {state}  {t.name}")

    def do_revoke(self, prefix, **_):
        count = ApiToken.objects.filter(prefix=prefix, revoked_at__isnull=True).count()
        if count != 1:
            raise CommandError(f"No single active token starts with '{prefix}'.")
        ApiToken.objects.get(prefix=prefix, revoked_at__isnull=True).revoke()
        self.stdout.write(f"revoked {prefix}")
