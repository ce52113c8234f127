"""Access decisions of results (results/permissions.py) that need no database."""

import pytest

from elections.permissions import Action
from results.permissions import tally_action_need


@pytest.mark.parametrize(
    ("action", "need"),
    [
        ("return", Action.REVIEW),
        ("approve", Action.REVIEW),
        ("annul", Action.MANAGE),
        ("correct", Action.MANAGE),
        ("correction-apply", Action.MANAGE),
        ("correction-reject", Action.MANAGE),
        ("no-such-action", Action.MANAGE),  # an unknown action asks the most, then is refused by the page
    ],
)
def test_tally_action_need_is_a_review_only_to_return_or_approve(action, need):
    assert tally_action_need(action) == need
