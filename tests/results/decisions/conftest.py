"""The fixtures of tests/results/ for the decisions' tests too."""

from tests.results.conftest import *  # noqa: F403
