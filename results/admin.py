from django.contrib import admin

from results.models import Minute, MinutesSettings, Tally, TallyVote


class TallyVoteInline(admin.TabularInline):
    model = TallyVote
    extra = 0
    can_delete = False


@admin.register(Tally)
class TallyAdmin(admin.ModelAdmin):
    list_display = ("polling_unit", "contest", "round", "status", "version", "voters_voted", "valid_ballots")
    list_filter = ("election", "status", "contest__level", "round")
    search_fields = ("polling_unit__code", "polling_unit__name")
    list_select_related = ("polling_unit", "contest")
    inlines = [TallyVoteInline]

    # Tallies change only through the workflow services, which check and audit-log every change.
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(MinutesSettings)
class MinutesSettingsAdmin(admin.ModelAdmin):
    """Form numbers, copies and the resolutions the minutes cite, per election (2021 values by default)."""

    list_display = ("election", "form_counting_na", "form_counting_council", "form_constituency_na")


@admin.register(Minute)
class MinuteAdmin(admin.ModelAdmin):
    list_display = ("key", "kind", "version", "issued_at", "issued_by", "pdf_sha256")
    list_filter = ("election", "kind")
    search_fields = ("key", "token", "pdf_sha256")

    # Issued minutes are never changed or deleted: a correction is a new version (results/minutes.py).
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
