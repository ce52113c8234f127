"""The public "where do I vote" page (interfaces §8); the checks, limits and timing are voters/lookup.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from elections.models import Election
from public.forms import LookupForm
from voters import lookup


def lookup_page(request: HttpRequest, slug: str, template_name: str = "voters/lookup.html") -> HttpResponse:
    """The public lookup; the public site serves it in its own layout and language (`template_name`)."""
    election = get_object_or_404(Election, slug=slug)
    form = LookupForm(request.POST or None)
    context: dict[str, object] = {"election": election, "form": form, "asked": False}
    status = 200
    if request.method == "POST":
        if not lookup.lookup_allowed(election, lookup.client_address(request)):
            context["throttled"] = True
            return render(request, template_name, context, status=429)
        national_id = request.POST.get("national_id", "")[:20].strip()
        born = form.cleaned_data["date_of_birth"] if form.is_valid() else None
        unit = lookup.find_polling_unit(election, national_id, born)
        # A fresh form: the answer page does not carry the ID or the date of birth back.
        context.update(asked=True, unit=unit, form=LookupForm())
        status = 200 if unit else 404
    return render(request, template_name, context, status=status)
