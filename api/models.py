"""What the API keeps of its own: the answers given to requests with an `Idempotency-Key` (CONTRACT §12)."""

from django.conf import settings
from django.db import models


class IdempotentRequest(models.Model):
    """One key of one user: the request it was first used with (its fingerprint) and the answer given.

    The row is claimed (`status` None) before the request acts, so a second request with the same key
    cannot act too: the unique constraint stops it. Rows older than `api.idempotency.KEEP` are swept lazily.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, help_text="sha256 of the method, path and body")
    status = models.PositiveSmallIntegerField(null=True, blank=True, help_text="empty while the request acts")
    body = models.JSONField(null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="api_idempotency_user_key")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"
