"""Issue 14: every way to rewrite the audit log without the keys is found by `verify_audit`.

The tamperings are in tests/elections/tampering.py; the file also runs against release 0.1's unkeyed chain
(docs/audit.md, "What the checks find", has the figures before and after). `verify_audit` is given the
observer's saved copy of the public checkpoints, as the documentation tells committees to do.
"""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.elections import tampering as t
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def log(tmp_path):
    return t.build_log(UserFactory(username="ban.qh2"), tmp_path)


def verify(log):
    args = ["--checkpoints", str(log.published)] if log.published else []
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", *args, stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


def test_the_untouched_log_verifies(log):
    ok, text = verify(log)
    assert ok, text


@pytest.mark.parametrize("name", list(t.ON_THE_LOG))
def test_a_tampering_of_the_log_is_detected(log, name):
    tamper, says = t.ON_THE_LOG[name]
    # when someone with write access to the database but not the keys does it
    tamper(log)
    # then verify_audit refuses the log and says why
    ok, text = verify(log)
    assert not ok, f"{name}: went unnoticed"
    if t.CHECKPOINTS:
        assert says in text, text


@pytest.mark.skipif(not t.CHECKPOINTS, reason="release 0.1 has no checkpoints")
@pytest.mark.parametrize("name", list(t.ON_THE_CHECKPOINTS))
def test_a_tampering_of_the_checkpoints_is_detected(log, name):
    tamper, says = t.ON_THE_CHECKPOINTS[name]
    tamper(log)
    ok, text = verify(log)
    assert not ok, f"{name}: went unnoticed"
    assert says in text, text


@pytest.mark.skipif(not t.CHECKPOINTS, reason="release 0.1 has no checkpoints")
def test_a_deleted_checkpoint_leaves_its_publication_uncovered_even_without_a_saved_copy(log):
    # given nobody kept a copy of the public checkpoints
    log.published = None
    # when the checkpoint signed at the publication is deleted
    t.delete_the_newest_checkpoint(log)
    # then the publication it covered stands uncovered
    ok, text = verify(log)
    assert not ok
    assert f"entry #{log.publication}: a publication that no signed checkpoint covers" in text
