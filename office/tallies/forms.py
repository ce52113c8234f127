"""The counting-minutes form, in the order of Art. 75(2), and the reviewers' small forms."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Candidate
from results.models import FIGURES
from results.tallies.parsing import MAX_COMPLAINTS, TallyPayload

# Art. 75(2): the numbered lines of the paper minutes.
FIELD_LABELS = {
    "voters_on_list": _("Total voters of the polling unit"),
    "voters_voted": _("Voters who took part"),
    "ballots_issued": _("Ballots issued"),
    "ballots_received": _("Ballots received"),
    "valid_ballots": _("Valid ballots"),
    "invalid_ballots": _("Invalid ballots"),
}


def _count_field(label: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=2_000_000_000,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "pattern": "[0-9]*", "min": 0, "autocomplete": "off"}),
    )


class TallyForm(forms.Form):
    complaints = forms.CharField(
        label=_("Complaints and denunciations: received, resolved, forwarded"),
        required=False,
        max_length=MAX_COMPLAINTS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, candidates: Sequence[Candidate], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        fields: dict[str, forms.Field] = {name: _count_field(FIELD_LABELS[name]) for name in FIGURES}
        for c in self.candidates:
            fields[f"votes_{c.pk}"] = _count_field(c.full_name)
        fields["complaints"] = self.fields["complaints"]
        fields["version"] = self.fields["version"]
        self.fields = fields  # type: ignore[assignment]

    def figure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FIGURES]

    def candidate_fields(self) -> list[tuple[Candidate, forms.BoundField]]:
        return [(c, self[f"votes_{c.pk}"]) for c in self.candidates]

    def payload(self) -> TallyPayload:
        data = self.cleaned_data
        return TallyPayload(
            {name: data[name] for name in FIGURES},
            {c.code: data[f"votes_{c.pk}"] for c in self.candidates},
            (data.get("complaints") or "").strip(),
        )

    def field_for_path(self, path: str) -> str | None:
        """The form field a service problem is about: "valid_ballots" or "votes.QH-PT-2-01"."""
        if path in FIGURES:
            return path
        if path.startswith("votes."):
            code = path[len("votes.") :]
            for c in self.candidates:
                if c.code == code:
                    return f"votes_{c.pk}"
        return None


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
