"""Forms of the committee's decisions on a constituency: shape only; the services decide what the law allows."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from core.dates import DayMonthYearField
from results.decisions.recording import MAX_BODY, MAX_REASON, MAX_REFERENCE, DecisionText

# The page's third kind of round: the NEC's annulment of the constituency's result, then a re-election (Art. 81).
ANNULMENT = "annulment"
NEC = "Hội đồng Bầu cử quốc gia"  # the body's own name, as it signs


class DecisionFields(forms.Form):
    """The decision as the body took it (CONTRACT §10): who, its reference, its date, and why."""

    body = forms.CharField(
        label=_("Body that decided"),
        max_length=MAX_BODY,
        help_text=_(
            "An annulment: Hội đồng Bầu cử quốc gia, the only body that annuls (Art. 81(1)). Otherwise the election "
            "committee as it signs, for example: Ủy ban bầu cử tỉnh …"
        ),
    )
    reference = forms.CharField(
        label=_("Number of the decision"),
        max_length=MAX_REFERENCE,
        help_text=_("For example: Nghị quyết số 12/NQ-HĐBCQG."),
    )
    date = DayMonthYearField(label=_("Date of the decision"))
    reason = forms.CharField(
        label=_("Reason"), max_length=MAX_REASON, required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def decision(self) -> DecisionText:
        d = self.cleaned_data
        return DecisionText(body=d["body"], reference=d["reference"], date=d["date"], reason=d.get("reason", ""))


class RoundOpenForm(DecisionFields):
    """Open the second round: the kind the result calls for, or a re-election after the NEC's annulment."""

    field_order = ["kind", "voting_day", "body", "reference", "date", "reason"]

    kind = forms.ChoiceField(label=_("Round"), widget=forms.RadioSelect)
    voting_day = DayMonthYearField(label=_("Voting day of the round"))

    def __init__(
        self,
        *args: Any,
        kinds: list[tuple[str, Any]],
        deadline_help: str = "",
        consent_needed: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]
        self.fields["voting_day"].help_text = deadline_help
        if consent_needed:  # Art. 80(3) as amended: a council re-election is set after the NEC agrees
            # Not required by the form: an annulment needs none, and the service names what is missing.
            self.fields["consent_body"] = forms.CharField(
                label=_("Body that consented"), max_length=MAX_BODY, required=False, initial=NEC
            )
            self.fields["consent_reference"] = forms.CharField(
                label=_("Number of the NEC's consent"), max_length=MAX_REFERENCE, required=False
            )
            self.fields["consent_date"] = DayMonthYearField(label=_("Date of the NEC's consent"), required=False)

    def clean(self) -> dict[str, Any]:
        d = super().clean() or {}
        if "consent_reference" in self.fields and d.get("consent_reference") and not d.get("consent_date"):
            self.add_error("consent_date", _("Give the date of the NEC's consent."))
        return d

    def consent(self) -> DecisionText | None:
        """The NEC's consent as typed, or None when no reference was given."""
        d = self.cleaned_data
        if not d.get("consent_reference"):
            return None
        return DecisionText(body=d.get("consent_body") or NEC, reference=d["consent_reference"], date=d["consent_date"])


class DecisionRecordForm(DecisionFields):
    """Close the constituency: leave the seats vacant, or settle a tie by naming who takes the open seats."""

    field_order = ["kind", "elected", "body", "reference", "date", "reason"]

    kind = forms.ChoiceField(label=_("Decision"), widget=forms.RadioSelect)
    elected = forms.MultipleChoiceField(
        label=_("Elected by the decision"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only when settling a tie: tick exactly as many tied candidates as the seats left open."),
    )

    def __init__(self, *args: Any, kinds: list[tuple[str, Any]], tied: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if len(kinds) == 1:
            self.fields["kind"].initial = kinds[0][0]
        self.fields["elected"].choices = tied
        if not tied:
            del self.fields["elected"]
