"""Serializer fields whose schema says exactly what the server writes and reads."""

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# A time of day as the API writes and reads it: "07:00" (not OpenAPI's `format: time`, which wants seconds and
# a zone, "07:00:00Z").
HOUR_MINUTE = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"


@extend_schema_field({"type": "string", "pattern": HOUR_MINUTE, "example": "07:00"})
class HourMinuteField(serializers.TimeField):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=["%H:%M"], **kwargs)


class TextField(serializers.CharField):
    """Text only, as the schema's `string` says: DRF's CharField would also take 0 or 1.5 and keep "0" or "1.5"."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        return str(super().to_internal_value(data))
