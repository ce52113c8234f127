"""`python manage.py grant_role USERNAME ROLE --election SLUG SCOPE` (interfaces §6)."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from elections.models import Election, Role
from elections.services import RoleScopeError, role_grant, role_revoke


class Command(BaseCommand):
    help = (
        "Give a user a role in an election: clerk (--polling-unit CODE), board (--constituency CODE), "
        "committee (--area CODE) or auditor (whole election, read-only). --revoke takes it away."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("role", choices=Role.values)
        parser.add_argument("--election", required=True, help="election slug")
        scope = parser.add_mutually_exclusive_group()
        scope.add_argument("--polling-unit", help="polling unit code (clerk)")
        scope.add_argument("--constituency", help="constituency code (board)")
        scope.add_argument("--area", help="area code (committee)")
        parser.add_argument("--revoke", action="store_true", help="take the role away instead")

    def handle(self, *args: Any, **options: Any) -> None:
        User = get_user_model()
        try:
            user = User.objects.get(**{User.USERNAME_FIELD: options["username"]})
        except User.DoesNotExist:
            raise CommandError(
                f'no user "{options["username"]}"; create it first (createsuperuser or the admin)'
            ) from None
        try:
            election = Election.objects.get(slug=options["election"])
        except Election.DoesNotExist:
            raise CommandError(f'no election "{options["election"]}"') from None
        role = Role(options["role"])
        scope = options["polling_unit"] or options["constituency"] or options["area"]
        source = "grant_role command"
        try:
            if options["revoke"]:
                done = role_revoke(user=user, election=election, role=role, scope_code=scope, source=source)
                self.stdout.write("Role revoked." if done else "The user did not have that role: nothing changed.")
            else:
                _, created = role_grant(user=user, election=election, role=role, scope_code=scope, source=source)
                self.stdout.write("Role granted." if created else "The user already has that role: nothing changed.")
        except RoleScopeError as exc:
            raise CommandError(str(exc)) from None
