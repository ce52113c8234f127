"""Types shared by the apps."""

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

# Who does a thing: a user, or None for the system itself (a command, the demo, a file import).
Actor: TypeAlias = "AbstractBaseUser | None"
