"""The point of contact's forms for meetings, minutes and documents. Dates and times go to the
browser in ISO format (`type="datetime-local"`), whatever the language, and are read in the
site's time zone (America/Guatemala)."""

from datetime import datetime
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocrea.core.filecheck import CheckedFile, accepted_types, file_check
from cocrea.core.markdown import MAX_MARKDOWN_CHARS
from cocrea.forum.models import ForumSeat, Meeting
from cocrea.plans.models import ActionPlan

ISO_DATETIME = "%Y-%m-%dT%H:%M"
# A text input, not type="url": a refused address is shown back for correction, and an invalid
# value in a type="url" input is invalid HTML (the server checks it anyway).
URL_INPUT = forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"})
MARKDOWN_HELP = _("Markdown: *italics*, **bold**, lists with -, links as [text](https://...).")


def _datetime_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[ISO_DATETIME, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME),
    )


def _check_link(value: str) -> str:
    if value and not value.lower().startswith(("https://", "http://")):
        raise ValidationError(_("Give a web address that starts with https://."))
    return value


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of meeting"), choices=Meeting.Kind.choices)
    title = forms.CharField(
        label=_("Title"),
        max_length=250,
        error_messages={"required": _("Give the meeting a title.")},
    )
    plan = forms.ModelChoiceField(
        label=_("Action plan it is about"),
        queryset=ActionPlan.objects.none(),
        required=False,
        empty_label=_("None in particular"),
    )
    starts_at = _datetime_field(
        _("Starts"), help_text=_("Date and time in Guatemala (America/Guatemala).")
    )
    ends_at = _datetime_field(_("Ends"), required=False)
    place = forms.CharField(
        label=_("Place"),
        max_length=250,
        required=False,
        help_text=_("Address or room. Give a place, an online link or both."),
    )
    online_url = forms.URLField(
        label=_("Online link"),
        max_length=500,
        required=False,
        assume_scheme="https",
        widget=URL_INPUT,
    )
    agenda = forms.CharField(
        label=_("Agenda"),
        max_length=MAX_MARKDOWN_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Write the agenda of the meeting.")},
    )

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_field: Any = self.fields["plan"]
        plan_field.queryset = plans

    def clean_online_url(self) -> str:
        return _check_link(self.cleaned_data.get("online_url") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        starts: datetime | None = data.get("starts_at")
        ends: datetime | None = data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The meeting must end after it starts."))
        if (
            not (data.get("place") or "").strip()
            and not data.get("online_url")
            and "online_url" not in self.errors
        ):
            self.add_error(
                "place", _("Say where the meeting takes place: a place, an online link or both.")
            )
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why it is cancelled"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Public, on the meeting's page."),
        error_messages={"required": _("Say why the meeting is cancelled.")},
    )


class SeatChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        seat: ForumSeat = obj
        parts = [seat.institution.name, str(seat.get_role_display())]
        if seat.representative:
            parts.append(seat.representative)
        return " · ".join(parts)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Minutes"),
        max_length=MAX_MARKDOWN_CHARS,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=MARKDOWN_HELP,
        error_messages={"required": _("Write the minutes of the meeting.")},
    )
    decisions = forms.CharField(
        label=_("Decisions"),
        required=False,
        max_length=MAX_MARKDOWN_CHARS,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One decision per line, in the order taken. They are numbered 1, 2, 3..."),
    )
    attendance = SeatChoices(
        label=_("Seats present"),
        queryset=ForumSeat.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_participants = forms.IntegerField(
        label=_("Other participants"),
        min_value=0,
        max_value=100_000,
        initial=0,
        help_text=_("People who took part without a seat: counted, never named."),
        error_messages={"min_value": _("The number cannot be negative.")},
    )

    def __init__(self, *args: Any, seats: list[ForumSeat], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["attendance"]
        field.queryset = (
            ForumSeat.objects.filter(pk__in=[s.pk for s in seats])
            .select_related("institution")
            .order_by("sector", "institution__name")
        )

    def decision_texts(self) -> list[str]:
        text: str = self.cleaned_data.get("decisions") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the document a title.")},
    )
    file = forms.FileField(label=_("File"), required=False)
    url = forms.URLField(
        label=_("Link"),
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=URL_INPUT,
        help_text=_("Instead of a file: a public address where the document can be read."),
    )

    def __init__(self, *args: Any, oversized: str | None = None, **kwargs: Any) -> None:
        """`oversized`: the name of a file the upload handler stopped reading (too large)."""
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        self.fields["file"].help_text = gettext("Up to %(size)s: %(types)s.") % {
            "size": filesizeformat(settings.COCREA_EVIDENCE_MAX_BYTES),
            "types": accepted_types(),
        }

    def clean_file(self) -> CheckedFile | None:
        if self.oversized:
            raise ValidationError(
                gettext("The file %(name)s is larger than %(limit)s.")
                % {
                    "name": self.oversized,
                    "limit": filesizeformat(settings.COCREA_EVIDENCE_MAX_BYTES),
                },
                code="too_large",
            )
        upload = self.cleaned_data.get("file")
        return file_check(upload) if upload else None

    def clean_url(self) -> str:
        return _check_link(self.cleaned_data.get("url") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "file" in self.errors or "url" in self.errors:
            return data
        if bool(data.get("file")) == bool(data.get("url")):
            raise ValidationError(_("Give either a link or a file, not both."), code="one_of")
        return data
