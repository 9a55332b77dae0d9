from django.core.management.base import BaseCommand, CommandError

from dondoc.accounts import actions
from dondoc.accounts.models import ApiToken, User


class Command(BaseCommand):
    help = "Create an API bearer token for USERNAME (printed alone on the last line), or list / revoke tokens."

    def add_arguments(self, parser):
        parser.add_argument("username", nargs="?")
        parser.add_argument("--name", default="", help="A label for the new token.")
        parser.add_argument("--list", action="store_true", help="List the user's tokens (all users without USERNAME).")
        parser.add_argument("--revoke", metavar="PREFIX", help="Revoke the token whose prefix is PREFIX.")

    def handle(self, *args, **options):
        username = options["username"]
        if options["revoke"]:
            tokens = ApiToken.objects.filter(prefix=options["revoke"], revoked_at__isnull=True)
            if username:
                tokens = tokens.filter(user__username=username)
            if tokens.count() != 1:
                raise CommandError(f"No single active token with prefix {options['revoke']!r}.")
            actions.do_revoke_token(tokens.get())
            self.stdout.write(f"Revoked token {options['revoke']}.")
            return
        if options["list"]:
            tokens = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
            if username:
                tokens = tokens.filter(user__username=username)
            for t in tokens:
                state = f"revoked {t.revoked_at:%Y-%m-%d}" if t.revoked_at else "active"
                self.stdout.write(f"{t.prefix}  {t.user.username:<24} {t.name:<20} {t.created_at:%Y-%m-%d %H:%M}  {state}")
            return
        if not username:
            raise CommandError("Give a USERNAME (or --list / --revoke PREFIX).")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}.")
        try:
            token, raw = actions.do_create_token(user, name=options["name"])
        except actions.AccountError as exc:
            raise CommandError(str(exc))
        self.stdout.write(f"Token {token.prefix}… for {user.username} (shown once; revoke with --revoke {token.prefix}):")
        self.stdout.write(raw)
