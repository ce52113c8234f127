"""The public "where do I vote" page (interfaces §8); the checks, limits and timing are voters/lookup.py."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from core.http import client_address
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
        if not form.is_valid():
            # A mistyped ID or date: say what is wrong before any lookup (it costs none of the allowed tries).
            context["form"] = form
            return render(request, template_name, context, status=400)
        try:
            allowed = lookup.lookup_allowed(election, client_address(request))
        except lookup.LookupUnavailable:
            context["unavailable"] = True
            response = render(request, template_name, context, status=503)
            response["Retry-After"] = str(lookup.UNAVAILABLE_RETRY_SECONDS)
            return response
        if not allowed:
            context["throttled"] = True
            return render(request, template_name, context, status=429)
        national_id = form.cleaned_data["national_id"]
        born = form.cleaned_data["date_of_birth"]
        unit = lookup.find_polling_unit(election, national_id, born)
        # A fresh form: the answer page does not carry the ID or the date of birth back.
        context.update(asked=True, unit=unit, form=LookupForm())
        status = 200 if unit else 404
    return render(request, template_name, context, status=status)
