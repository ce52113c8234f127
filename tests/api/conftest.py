"""The fixtures of tests/results/ (the world with counted tallies, API clients) for these tests too."""

from tests.results.conftest import *  # noqa: F403
