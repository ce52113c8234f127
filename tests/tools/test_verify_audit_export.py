"""The standalone verifier of an audit export (tools/verify_audit_export.py) agrees with `verify_audit`.

An observer holds only the export (`export_audit`), the public key and copies of the public checkpoints.
On a clean log both pass; on every tampering an observer can see, both fail; what the export leaves out is
checked by `verify_audit` alone (the key holder), as docs/audit.md says.
"""

import importlib.util
import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from elections import audit, audit_checkpoints
from tests.elections import tampering as t
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TOOL = Path(settings.BASE_DIR) / "tools" / "verify_audit_export.py"
_spec = importlib.util.spec_from_file_location("verify_audit_export", TOOL)
assert _spec and _spec.loader
tool = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(tool)

SEEN_BY_AN_OBSERVER = [name for name in (*t.ON_THE_LOG, *t.ON_THE_CHECKPOINTS) if name not in t.KEY_HOLDER_ONLY]
TAMPERINGS = t.ON_THE_LOG | t.ON_THE_CHECKPOINTS


@pytest.fixture
def log(tmp_path):
    return t.build_log(UserFactory(username="ban.qh2"), tmp_path)


@pytest.fixture
def key_file(tmp_path):
    path = tmp_path / "audit-public-key.pem"
    path.write_text(audit_checkpoints.public_key_info()["pem"], encoding="ascii")
    return path


def export(folder: Path) -> Path:
    path = folder / "audit-export.jsonl"
    call_command("export_audit", output=str(path), stdout=StringIO())
    return path


def verify_audit(log) -> bool:
    try:
        call_command("verify_audit", "--checkpoints", str(log.published), stdout=StringIO(), stderr=StringIO())
    except CommandError:
        return False
    return True


def standalone(capsys, *args) -> tuple[int, str]:
    capsys.readouterr()
    code = tool.main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


def test_both_verifiers_pass_a_clean_export(log, key_file, tmp_path, capsys):
    path = export(tmp_path)
    code, text = standalone(capsys, path, "--public-key", key_file, "--checkpoints", log.published)
    assert (code, verify_audit(log)) == (0, True), text
    assert (
        f"The export verifies: 10 entries, chain intact, 2 signed checkpoint(s), the newest at entry #{log.publication}"
        in text
    )


@pytest.mark.parametrize("name", SEEN_BY_AN_OBSERVER)
def test_both_verifiers_refuse_a_tampered_log(log, key_file, tmp_path, capsys, name):
    # when the database is tampered with and then exported
    TAMPERINGS[name][0](log)
    path = export(tmp_path)
    # then the observer's verifier and the committee's agree: it does not verify
    code, text = standalone(capsys, path, "--public-key", key_file, "--checkpoints", log.published)
    assert (code, verify_audit(log)) == (1, False), text
    assert "does NOT verify" in text


@pytest.mark.parametrize("name", sorted(t.KEY_HOLDER_ONLY))
def test_what_the_export_leaves_out_only_verify_audit_finds(log, key_file, tmp_path, capsys, name):
    TAMPERINGS[name][0](log)
    path = export(tmp_path)
    code, _text = standalone(capsys, path, "--public-key", key_file, "--checkpoints", log.published)
    assert (code, verify_audit(log)) == (0, False)


def test_an_export_edited_after_it_was_written_is_refused(log, key_file, tmp_path, capsys):
    # given a clean export
    path = export(tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    # when one entry's figures are changed in the file
    entry = json.loads(lines[3])
    entry["fields"]["after"] = {"n": 99}
    lines[3] = json.dumps(entry, ensure_ascii=False)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    # then the standalone verifier refuses it
    code, text = standalone(capsys, path, "--public-key", key_file)
    assert code == 1
    assert f"entry #{entry['seq']}: content does not match its hash" in text


def test_checkpoints_left_out_of_an_export_are_found_with_a_saved_copy(log, key_file, tmp_path, capsys):
    path = export(tmp_path)
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if '"kind": "checkpoint"' not in line]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    code, text = standalone(capsys, path, "--public-key", key_file, "--checkpoints", log.published)
    assert code == 1
    assert f"checkpoint #2 (entry #{log.publication}): published, but missing from the export" in text


def test_the_raw_base64_public_key_is_accepted(log, tmp_path, capsys):
    raw = tmp_path / "key.txt"
    raw.write_text(audit_checkpoints.public_key_info()["raw_base64"], encoding="ascii")
    code, text = standalone(capsys, export(tmp_path), "--public-key", raw)
    assert code == 0, text


def test_another_public_key_refuses_every_checkpoint(log, tmp_path, capsys):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other = tmp_path / "other.pem"
    pem = (
        Ed25519PrivateKey.generate()
        .public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    other.write_bytes(pem)
    code, text = standalone(capsys, export(tmp_path), "--public-key", other)
    assert code == 1
    assert text.count("its signature does not verify with the public key") == 2


@pytest.mark.parametrize(
    ("export_text", "key_text"),
    [
        ("not json\n", None),
        ('{"kind": "entry", "seq": "one"}\n', None),
        ('{"kind": "surprise"}\n', None),
        (None, "not a key"),
    ],
)
def test_unusable_input_exits_2_with_a_message(log, key_file, tmp_path, capsys, export_text, key_text):
    path = export(tmp_path)
    if export_text is not None:
        path.write_text(path.read_text(encoding="utf-8").splitlines()[0] + "\n" + export_text, encoding="utf-8")
    if key_text is not None:
        key_file.write_text(key_text, encoding="ascii")
    code, text = standalone(capsys, path, "--public-key", key_file)
    assert code == 2
    assert text.startswith("error: ")


def test_the_export_holds_no_personal_data(log, tmp_path):
    text = export(tmp_path).read_text(encoding="utf-8")
    # no username, no address, no free text, nothing of the entry about a voter
    assert "ban.qh2" not in text and "uyban.huyen" not in text and "Nguyễn" not in text
    assert "10.0.0.7" not in text
    assert "U1#57" not in text and '"list_number"' not in text and '"voter":' not in text
    assert '"actor' not in text and '"source"' not in text


def test_the_verifier_knows_every_publication_action():
    assert tool.PUBLICATION_ACTIONS == audit.PUBLICATION_ACTIONS


def test_the_verifier_runs_without_django(log, key_file, tmp_path):
    path = export(tmp_path)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "KP_"))}
    result = subprocess.run(
        [sys.executable, "-I", str(TOOL), str(path), "--public-key", str(key_file)],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "The export verifies: 10 entries" in result.stdout
