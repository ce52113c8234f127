"""Serializer fields whose schema says exactly what the server writes and reads."""

import re
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


class StrictBooleanField(serializers.BooleanField):
    """JSON true or false only, as the schema's `boolean` says: DRF's BooleanField would also take "yes", 1 or "on"."""

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid", input=data)
        return data


class StrictDateField(serializers.DateField):
    """A date as the schema says, "YYYY-MM-DD" text only (DRF's DateField also reads a date with a time or 20260322)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", data):
            self.fail("invalid", format="YYYY-MM-DD")
        return super().to_internal_value(data)
