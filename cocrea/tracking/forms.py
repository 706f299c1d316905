import re
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocrea.core.forms import UploadForm, link_field, reason_field, web_address_check
from cocrea.plans.models import Institution, Milestone
from cocrea.tracking.models import Assessment, IrmReview
from cocrea.tracking.uploads import CheckedFile, evidence_file_check


class EvidenceFields(UploadForm):
    """One file and one link per submission; more can be added to a draft later."""

    file = forms.FileField(label=_("Evidence file"), required=False)
    link = link_field(
        _("Evidence link"), help_text=_("A public address where the evidence can be seen.")
    )
    link_title = forms.CharField(label=_("What the link shows"), required=False, max_length=200)

    def check_upload(self, upload: UploadedFile) -> CheckedFile:
        return evidence_file_check(upload)  # the evidence policy: a type is refused "as evidence"

    def clean_link(self) -> str:
        return web_address_check(self.cleaned_data.get("link") or "")

    def evidence(self) -> tuple[list[CheckedFile], list[tuple[str, str]]]:
        checked = self.cleaned_data.get("file")
        link = self.cleaned_data.get("link")
        title = self.cleaned_data.get("link_title") or ""
        return ([checked] if checked else []), ([(link, title)] if link else [])


class ReportForm(EvidenceFields):
    completion = forms.ChoiceField(label=_("Completion"), choices=Milestone.Completion.choices)
    percent = forms.IntegerField(
        label=_("Percentage done"),
        min_value=0,
        max_value=100,
        error_messages={
            "min_value": _("The percentage goes from 0 to 100."),
            "max_value": _("The percentage goes from 0 to 100."),
        },
    )
    done = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        help_text=_("Facts, not plans: what exists now that did not before."),
    )
    facts_date = forms.DateField(
        label=_("Date of the facts"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("The day the facts reported were true."),
    )
    field_order = ["completion", "percent", "done", "facts_date", "file", "link", "link_title"]

    def clean_facts_date(self) -> date:
        value: date = self.cleaned_data["facts_date"]
        if value > timezone.localdate():
            raise ValidationError(_("The date of the facts cannot be in the future."))
        return value


class ReturnForm(forms.Form):
    reason = reason_field(
        _("Why it is returned"), required_message=_("Say why the report is returned.")
    )


class AssessmentForm(EvidenceFields):
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"), queryset=Institution.objects.none(), empty_label=None
    )
    milestone = forms.ModelChoiceField(
        label=_("What you assess"),
        queryset=Milestone.objects.none(),
        required=False,
        empty_label=_("The commitment as a whole"),
    )
    completion = forms.ChoiceField(
        label=_("Completion, in your reading"), choices=Assessment.Completion.choices
    )
    reading = forms.CharField(
        label=_("Your reading of the evidence"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
    )
    field_order = ["organisation", "milestone", "completion", "reading", "file", "link"]

    def __init__(
        self, *args: Any, organisations: list[Institution], milestones: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        org_field: Any = self.fields["organisation"]
        org_field.queryset = Institution.objects.filter(pk__in=[o.pk for o in organisations])
        milestone_field: Any = self.fields["milestone"]
        milestone_field.queryset = milestones
        milestone_field.label_from_instance = lambda m: str(m)


class IrmReviewForm(forms.ModelForm):
    # What OGP publishes here is an address or often a year or a word ("2019"): both are kept,
    # and the page links it only when it is a web address.
    report_url = forms.CharField(
        label=_("latest IRM report"),
        required=False,
        max_length=500,
        help_text=_("A web address (https://…), or the report as OGP names it, such as a year."),
    )

    def clean_report_url(self) -> str:
        value = (self.cleaned_data.get("report_url") or "").strip()
        if re.match(r"[a-z][a-z0-9+.-]*:\S", value, re.IGNORECASE):
            return web_address_check(value)  # a scheme other than the web's (javascript:): no
        return value

    class Meta:
        model = IrmReview
        fields = [
            "verifiable",
            "specificity",
            "access_to_information",
            "civic_participation",
            "public_accountability",
            "technology_innovation",
            "potential_for_results",
            "potential_impact",
            "promising",
            "completion_midterm",
            "completion_end",
            "early_results",
            "opened_government",
            "starred",
            "report_url",
        ]
