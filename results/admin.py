from django.contrib import admin

from .models import Tally, TallyVote


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
