"""The counting-minutes form, in the order of Art. 76(2), and the reviewers' small forms."""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from elections.models import Candidate
from results.models import FIGURES
from results.tallies import drafts
from results.tallies.parsing import MAX_COMPLAINTS, MAX_COUNT, TallyPayload

# Art. 76(2): the numbered lines of the paper minutes.
FIELD_LABELS = {
    "voters_on_list": _("Total voters of the polling unit"),
    "voters_voted": _("Voters who took part"),
    "ballots_issued": _("Ballots issued"),
    "ballots_received": _("Ballots received"),
    "valid_ballots": _("Valid ballots"),
    "invalid_ballots": _("Invalid ballots"),
}


def _count_field(label: Any) -> forms.IntegerField:
    # the same words as a draft kept as typed (results/tallies/drafts.py), so a line reads the same either way
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MAX_COUNT,
        error_messages={
            "required": drafts.EMPTY,
            "invalid": drafts.NOT_WHOLE,
            "min_value": drafts.NOT_WHOLE,
            "max_value": drafts.TOO_LARGE,
        },
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
    draft_revision = forms.IntegerField(required=False, widget=forms.HiddenInput)  # of a draft kept as typed

    def __init__(self, *args: Any, candidates: Sequence[Candidate], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.candidates = list(candidates)
        fields: dict[str, forms.Field] = {name: _count_field(FIELD_LABELS[name]) for name in FIGURES}
        for c in self.candidates:
            fields[f"votes_{c.pk}"] = _count_field(c.full_name)
        for name, count in fields.items():
            count.widget.attrs["aria-describedby"] = f"why-{name}"  # the line's notes, read with it
        fields["complaints"] = self.fields["complaints"]
        fields["version"] = self.fields["version"]
        fields["draft_revision"] = self.fields["draft_revision"]
        self.fields = fields  # type: ignore[assignment]
        # what the checks found on each line ("votes" for the total), set by the page: errors and warnings
        self.notes: dict[str, list[Any]] = {}

    def figure_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in FIGURES]

    def candidate_fields(self) -> list[tuple[Candidate, forms.BoundField]]:
        return [(c, self[f"votes_{c.pk}"]) for c in self.candidates]

    def figure_rows(self) -> list[tuple[forms.BoundField, list[Any], bool]]:
        """(field, the checks' notes on it, whether it is refused) for lines 1-6 of the minutes."""
        return [self._row(self[name]) for name in FIGURES]

    def candidate_rows(self) -> list[tuple[Candidate, forms.BoundField, list[Any], bool]]:
        return [(c, *self._row(self[f"votes_{c.pk}"])) for c in self.candidates]

    def _row(self, field: forms.BoundField) -> tuple[forms.BoundField, list[Any], bool]:
        notes = self.notes.get(field.name, [])
        return field, notes, bool(field.errors) or any(n.severity == "error" for n in notes)

    def typed(self) -> drafts.Typed:
        """The minutes as the clerk typed them, complete or not: what a draft keeps."""
        data = self.data
        return drafts.Typed(
            {name: str(data.get(name, "")) for name in FIGURES},
            {c.code: str(data.get(f"votes_{c.pk}", "")) for c in self.candidates},
            str(data.get("complaints", "")),
        )

    @classmethod
    def data_of(cls, typed: drafts.Typed, candidates: Sequence[Candidate], **extra: Any) -> dict[str, Any]:
        """Form data showing a draft kept as typed (the inverse of `typed`)."""
        data: dict[str, Any] = {name: typed.figures.get(name, "") for name in FIGURES}
        data.update({f"votes_{c.pk}": typed.votes.get(c.code, "") for c in candidates})
        return {**data, "complaints": typed.complaints, **extra}

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

    def label_of(self, name: str) -> str:
        """The words of a line for a list of problems or differences: the field's label, else the votes as a whole."""
        return str(self.fields[name].label) if name in self.fields else str(_("Votes for each candidate"))

    def anchor_of(self, name: str) -> str:
        """Where a link to that line points: its input, else the votes' note."""
        return f"id_{name}" if name in self.fields else "why-votes"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
