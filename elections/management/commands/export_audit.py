"""`python manage.py export_audit [--output FILE]`: the audit log for observers, as JSON Lines (docs/audit.md).

One JSON object a line: a header (`"kind": "export"`), every entry's public part (`"kind": "entry"`) and every
signed checkpoint (`"kind": "checkpoint"`). Who acted, from which address, and entries about a person are left
out; the chain can still be recomputed. Check it with `tools/verify_audit_export.py EXPORT --public-key KEY.pem`.
"""

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from elections.audit_checkpoints import export_lines


class Command(BaseCommand):
    help = "Write the audit log's public part and its signed checkpoints as JSON Lines, for the standalone verifier."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--output", "-o", metavar="FILE", help="write here instead of the standard output")

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["output"]
        if not path:
            for line in export_lines():
                self.stdout.write(_dump(line))
            return
        entries = 0
        try:
            with Path(path).open("w", encoding="utf-8") as out:
                for line in export_lines():
                    out.write(_dump(line) + "\n")
                    entries += line["kind"] == "entry"
        except OSError as exc:
            raise CommandError(f"{path}: cannot be written ({exc})") from None
        self.stdout.write(self.style.SUCCESS(f"Exported {entries} entries to {path}."))


def _dump(line: dict[str, Any]) -> str:
    return json.dumps(line, ensure_ascii=False, sort_keys=True)
