from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocrea.participation.models import (
    COMMENT_MAX,
    TEXT_MAX,
    Consultation,
    Department,
    Flag,
    Moderated,
    Proposal,
    Response,
    StandardAssessment,
    Workshop,
)
from cocrea.plans.models import Commitment, Institution, PolicyArea

URL_INPUT = forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"})


def _no_blank(value: str) -> str:
    if not value.strip():
        raise ValidationError(_("This field cannot be blank."))
    return value


def _not_blank(value: str) -> None:
    _no_blank(value)


def _choices(form: forms.Form, name: str) -> forms.ModelChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 - a programming error
    return field


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), min_length=5, max_length=150)
    problem = forms.CharField(
        label=_("The problem"),
        min_length=20,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What is wrong today, and who it affects. Markdown is allowed."),
    )
    proposal = forms.CharField(
        label=_("The proposal"),
        min_length=20,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What the government should commit to. Markdown is allowed."),
    )
    policy_area = forms.ModelChoiceField(
        label=_("Policy area"),
        queryset=PolicyArea.objects.filter(parent__isnull=False).order_by("position"),
        required=False,
    )
    department = forms.ChoiceField(
        label=_("Department"), choices=[("", "—"), *Department.choices], required=False
    )
    municipality = forms.CharField(label=_("Municipality"), max_length=80, required=False)
    organisation = forms.ModelChoiceField(
        label=_("On behalf of"),
        queryset=Institution.objects.none(),
        required=False,
        empty_label=_("Myself"),
    )
    workshop = forms.ModelChoiceField(
        label=_("Gathered at the workshop"),
        queryset=Workshop.objects.none(),
        required=False,
        help_text=_("For input written down at an in-person workshop."),
    )
    follow = forms.BooleanField(
        label=_("Follow this proposal"),
        required=False,
        initial=True,
        help_text=_("Its news (answers, new comments) will appear in your notifications."),
    )

    def __init__(
        self,
        *args: Any,
        organisations: list[Institution],
        workshops: Any = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if organisations:
            _choices(self, "organisation").queryset = Institution.objects.filter(
                pk__in=[o.pk for o in organisations]
            ).order_by("name")
        else:
            del self.fields["organisation"]
        if workshops is not None:
            _choices(self, "workshop").queryset = workshops
        else:
            del self.fields["workshop"]
        for name in ("title", "problem", "proposal"):
            self.fields[name].validators.append(_not_blank)

    def clean_municipality(self) -> str:
        return str(self.cleaned_data.get("municipality") or "").strip()


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        min_length=2,
        max_length=COMMENT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Markdown is allowed. Be respectful: moderators hide abuse."),
    )
    parent = forms.CharField(required=False, widget=forms.HiddenInput, max_length=16)
    follow = forms.BooleanField(
        label=_("Follow this proposal"),
        required=False,
        initial=True,
        help_text=_("Its news (answers, new comments) will appear in your notifications."),
    )

    def clean_body(self) -> str:
        return _no_blank(self.cleaned_data["body"])


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Answer"), choices=Response.Kind.choices, widget=forms.RadioSelect
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        min_length=20,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Public. Say why, in words the proposer will understand."),
    )
    commitments = forms.ModelMultipleChoiceField(
        label=_("Adopted into the commitments"),
        queryset=Commitment.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    merged_into = forms.ModelChoiceField(
        label=_("Merged into the proposal"), queryset=Proposal.objects.none(), required=False
    )

    def __init__(self, *args: Any, proposal: Proposal, merge_targets: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Every commitment, so that a commitment of another plan is refused by the service with
        # a message rather than silently dropped by the form.
        _choices(self, "commitments").queryset = Commitment.objects.filter(
            plan_id=proposal.consultation.plan_id
        ).order_by("number_sort")
        merged = _choices(self, "merged_into")
        merged.queryset = merge_targets
        merged.to_field_name = "public_id"

    def clean_reasons(self) -> str:
        return _no_blank(self.cleaned_data["reasons"])


class FlagForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("What is wrong"), choices=Flag.Reason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Details (optional)"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class HideForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Public reason"), choices=Moderated.HideReason.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("Public note (optional)"),
        max_length=300,
        required=False,
        help_text=_("Shown in place of the text. Never repeat the hidden content."),
    )


class WorkshopForm(forms.ModelForm):
    class Meta:
        model = Workshop
        fields = [
            "title",
            "held_on",
            "place",
            "department",
            "municipality",
            "participants",
            "notes",
        ]
        widgets = {"held_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_held_on(self) -> date:
        held_on: date = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise ValidationError(_("A workshop is recorded once it has been held."))
        return held_on


class StandardAssessmentForm(forms.Form):
    standard = forms.TypedChoiceField(
        label=_("Standard"), choices=StandardAssessment.Standard.choices, coerce=int
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Institution.objects.none()
    )
    rating = forms.ChoiceField(
        label=_("Our reading"), choices=StandardAssessment.Rating.choices, widget=forms.RadioSelect
    )
    reading = forms.CharField(
        label=_("Why"), min_length=20, max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 6})
    )
    evidence_url = forms.URLField(
        label=_("Evidence (link)"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=URL_INPUT,
    )

    def __init__(self, *args: Any, organisations: list[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices(self, "organisation").queryset = Institution.objects.filter(
            pk__in=[o.pk for o in organisations]
        ).order_by("name")

    def clean_evidence_url(self) -> str:
        link: str = self.cleaned_data.get("evidence_url") or ""
        if link and not link.lower().startswith(("https://", "http://")):
            raise ValidationError(_("Give a web address that starts with https://."))
        return link


class ConsultationAdminForm(forms.ModelForm):
    class Meta:
        model = Consultation
        fields = ["plan", "slug", "title", "description"]
