"""The fixtures of tests/voters/ (English messages, loaded lists) for these tests too."""

from tests.voters.conftest import *  # noqa: F403
