"""The posted voter list (Mẫu số 31/HĐBC, Art. 31-32) as a printable PDF: template -> HTML -> PDF (WeasyPrint).

The document is the official Vietnamese form, so it is rendered in Vietnamese whatever the page language.
It prints no national ID: the form does not ask for one and the list is posted in public places.
"""

from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import HTML

from elections.models import Area, PollingUnit
from voters import selectors
from voters.models import ACTIVE_STATUSES, VoterStatus

FORM_NUMBER = "Mẫu số 31/HĐBC"


def _areas_upwards(area: Area) -> list[Area]:
    ids = [int(part) for part in area.path.split("/") if part]
    by_id = {a.pk: a for a in Area.objects.filter(pk__in=ids)}
    return [by_id[i] for i in reversed(ids) if i in by_id]


def voter_list_context(unit: PollingUnit) -> dict[str, object]:
    voters = list(selectors.voters_for_posting(unit))
    active = [v for v in voters if v.status in ACTIVE_STATUSES]
    return {
        "unit": unit,
        "election": unit.election,
        "form_number": FORM_NUMBER,
        "areas": _areas_upwards(unit.area),
        "voters": voters,
        "total": len(active),
        "men": sum(1 for v in active if v.gender == "male"),
        "women": sum(1 for v in active if v.gender == "female"),
        "struck": len(voters) - len(active),
        "statuses": VoterStatus,
        "voter_list": selectors.voter_list_of_unit(unit),
    }


def voter_list_pdf(unit: PollingUnit) -> bytes:
    with translation.override("vi"):
        html = render_to_string("pdf/voter_list.html", voter_list_context(unit))
    return HTML(string=html).write_pdf()
