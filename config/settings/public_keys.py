"""The keys of the demo and the tests: public (they are in this repository), so production refuses every one.

With the development voter-ID key, the national IDs of a database dump decrypt; with the development audit
keys, anyone can forge the audit log and its checkpoints.
"""

DEV_SECRET_KEY = "dev-only-secret-key-not-for-production-0123456789abcdef"  # noqa: S105 - public on purpose
DEV_VOTER_ID_KEY = "dev-only-voter-id-key-not-for-production-0123456789"
DEV_AUDIT_KEY = "dev-only-audit-key-not-for-production-0123456789"
DEV_AUDIT_SIGNING_KEY = "ZGV2LW9ubHktYXVkaXQtc2lnbmluZy1rZXktMDAwMDA="  # base64 of "dev-only-audit-signing-key-00000"
TEST_SECRET_KEY = "test-secret-key-0123456789abcdef0123456789abcdef"  # noqa: S105 - public on purpose
TEST_VOTER_ID_KEY = "test-voter-id-key-0123456789abcdef0123456789abcdef"
TEST_AUDIT_KEY = "test-audit-key-0123456789abcdef0123456789abcdef"
TEST_AUDIT_SIGNING_KEY = "dGVzdC1vbmx5LWF1ZGl0LXNpZ25pbmcta2V5LTAwMDA="  # base64 of "test-only-audit-signing-key-0000"

PUBLIC_KEYS = frozenset(value for name, value in dict(globals()).items() if name.startswith(("DEV_", "TEST_")))
