import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cocrea.drafting.models import (
    COMMENT_MAX,
    COMMENT_MIN,
    SECTION_NAMES,
    DraftVersion,
)
from cocrea.forum.models import Meeting
from cocrea.participation.models import Moderated
from cocrea.plans.models import Institution


class IsoDateInput(forms.DateInput):
    """`<input type="date">` in ISO format. A value typed wrong is not shown back: in a date
    input it would be invalid HTML, and the error message already says what was wrong."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")

    def format_value(self, value: Any) -> str | None:
        shown = super().format_value(value)
        return shown if shown and re.fullmatch(r"\d{4}-\d{2}-\d{2}", shown) else None


DATE_INPUT = IsoDateInput()
_TEXTS = [
    "problem",
    "causes",
    "description",
    "how_it_helps",
    "ambition",
    "access_to_information_text",
    "civic_participation_text",
    "public_accountability_text",
    "technology_innovation_text",
    "inclusion_text",
    "milestones",
]


class VersionForm(forms.ModelForm):
    """A version in OGP's template. Prefilled from the latest version when adding a new one."""

    lead_institution = forms.ModelChoiceField(
        label=_("Lead institution"),
        queryset=Institution.objects.order_by("name"),
        required=False,
        help_text=_("Needed before the draft can become a commitment."),
    )

    class Meta:
        model = DraftVersion
        fields = [
            "title",
            "short_description",
            "problem",
            "causes",
            "description",
            "how_it_helps",
            "access_to_information",
            "access_to_information_text",
            "civic_participation",
            "civic_participation_text",
            "public_accountability",
            "public_accountability_text",
            "technology_innovation",
            "technology_innovation_text",
            "inclusion",
            "inclusion_text",
            "ambition",
            "lead_institution",
            "start_date",
            "end_date",
            "milestones",
            "change_note",
        ]
        widgets = {
            "start_date": DATE_INPUT,
            "end_date": DATE_INPUT,
            **{name: forms.Textarea(attrs={"rows": 4}) for name in _TEXTS},
        }
        help_texts = {"milestones": _("One milestone per line.")}

    def __init__(self, *args: Any, first: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if first:
            del self.fields["change_note"]
        else:
            self.fields["change_note"].required = True
            self.fields["change_note"].error_messages["required"] = _(
                "Say what changed in this version."
            )

    def version_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.fields}


class CommentForm(forms.Form):
    section = forms.CharField(widget=forms.HiddenInput)
    body = forms.CharField(
        label=_("Your comment"),
        min_length=COMMENT_MIN,
        max_length=COMMENT_MAX,
        strip=True,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write your comment.")},
    )

    def clean_section(self) -> str:
        section: str = self.cleaned_data["section"]
        if section not in SECTION_NAMES:
            raise ValidationError(_("Choose a section of the template."))
        return section


class ApproveForm(forms.Form):
    version = forms.TypedChoiceField(label=_("The version the forum approved"), coerce=int)
    meeting = forms.ModelChoiceField(
        label=_("The forum session that approved it (optional)"),
        queryset=Meeting.objects.none(),
        required=False,
        empty_label=_("Not recorded here"),
    )

    def __init__(
        self, *args: Any, versions: list[DraftVersion], meetings: Any, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        meeting: Any = self.fields["meeting"]
        meeting.queryset = meetings
        meeting.label_from_instance = lambda m: (
            f"{m.title} ({timezone.localtime(m.starts_at):%Y-%m-%d})"
        )
        field: Any = self.fields["version"]
        field.choices = [
            (v.number, _("Version %(number)s: %(title)s") % {"number": v.number, "title": v.title})
            for v in reversed(versions)
        ]
        if versions and not self.is_bound:
            self.initial.setdefault("version", versions[-1].number)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is withdrawn"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the draft is withdrawn.")},
    )


class HideForm(forms.Form):
    reason = forms.ChoiceField(label=_("Why it is hidden"), choices=Moderated.HideReason.choices)
    note = forms.CharField(
        label=_("Note for the public (optional)"), max_length=300, required=False
    )
