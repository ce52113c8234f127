"""Admin for a committee secretary: search by code or name, filters, candidates and units inline."""

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from elections import audit_codes
from elections.models import (
    Area,
    AuditEntry,
    Candidate,
    Constituency,
    Contest,
    Election,
    PollingUnit,
    PollingUnitConstituency,
    RoleAssignment,
)


class ContestInline(admin.TabularInline):
    model = Contest
    extra = 0
    fields = ("code", "name", "level", "position")


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "election_day", "rules", "voting_opens", "voting_closes")
    list_filter = ("rules",)
    search_fields = ("name", "slug")
    date_hierarchy = "election_day"
    inlines = [ContestInline]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent", "depth", "election")
    list_filter = ("election", "depth")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent",)
    readonly_fields = ("path", "depth")


class CandidateInline(admin.TabularInline):
    model = Candidate
    extra = 0
    fields = ("ballot_order", "code", "full_name", "date_of_birth", "date_of_birth_precision", "gender", "affiliation")
    ordering = ("ballot_order",)


class MembershipInline(admin.TabularInline):
    model = PollingUnitConstituency
    extra = 0
    fields = ("polling_unit", "constituency")
    autocomplete_fields = ("polling_unit", "constituency")
    verbose_name = _("polling unit")
    verbose_name_plural = _("polling units")


@admin.register(Constituency)
class ConstituencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "contest", "seats", "area", "candidate_count", "unit_count")
    list_filter = ("election", "contest__level", "seats")
    search_fields = ("code", "name", "area__name")
    autocomplete_fields = ("area",)
    list_select_related = ("contest", "area")
    inlines = [CandidateInline, MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Constituency]:
        return (
            super()
            .get_queryset(request)
            .annotate(n_candidates=Count("candidates", distinct=True), n_units=Count("memberships", distinct=True))
        )

    @admin.display(description=_("candidates"), ordering="n_candidates")
    def candidate_count(self, obj: Constituency) -> int:
        return obj.n_candidates  # type: ignore[attr-defined]

    @admin.display(description=_("polling units"), ordering="n_units")
    def unit_count(self, obj: Constituency) -> int:
        return obj.n_units  # type: ignore[attr-defined]


class UnitMembershipInline(MembershipInline):
    fields = ("constituency",)
    autocomplete_fields = ("constituency",)
    verbose_name = _("constituency")
    verbose_name_plural = _("constituencies (one per contest)")


@admin.register(PollingUnit)
class PollingUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "area", "registered_voters", "election")
    list_filter = ("election", "area__parent")
    search_fields = ("code", "name", "area__name")
    autocomplete_fields = ("area",)
    list_select_related = ("area", "election")
    inlines = [UnitMembershipInline]


@admin.register(Candidate)
class CandidateAdmin(admin.ModelAdmin):
    list_display = ("full_name", "code", "constituency", "ballot_order", "date_of_birth", "gender", "affiliation")
    list_filter = ("election", "constituency__contest__level", "gender", "affiliation")
    search_fields = ("full_name", "code", "constituency__code")
    autocomplete_fields = ("constituency",)
    list_select_related = ("constituency",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "election", "polling_unit", "constituency", "area", "granted_at")
    list_filter = ("election", "role")
    search_fields = ("user__username", "polling_unit__code", "constituency__code", "area__code")
    autocomplete_fields = ("user", "polling_unit", "constituency", "area")
    list_select_related = ("user", "election", "polling_unit", "constituency", "area")


class ActionFilter(admin.SimpleListFilter):
    """The actions recorded, in words."""

    title = _("what")
    parameter_name = "action"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        codes = AuditEntry.objects.order_by("action").values_list("action", flat=True).distinct()
        return [(code, audit_codes.label(code)) for code in codes]

    def queryset(self, request: HttpRequest, queryset: QuerySet[AuditEntry]) -> QuerySet[AuditEntry]:
        return queryset.filter(action=self.value()) if self.value() else queryset


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is appended to by the services, never edited."""

    list_display = ("seq", "at", "actor_name", "action_label", "election_slug", "object_key")
    list_filter = (ActionFilter, "election_slug")
    search_fields = ("object_key", "actor_name", "action")
    date_hierarchy = "at"

    @admin.display(description=_("what"), ordering="action")
    def action_label(self, obj: AuditEntry) -> str:
        return audit_codes.label(obj.action)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: AuditEntry | None = None) -> bool:
        return False
