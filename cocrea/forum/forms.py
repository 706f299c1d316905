"""The point of contact's forms for meetings, minutes and documents. Dates and times go to the
browser in ISO format (`type="datetime-local"`), whatever the language, and are read in the
site's time zone (America/Guatemala)."""

from datetime import datetime
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cocrea.core.forms import UploadForm, link_field, reason_field, web_address_check
from cocrea.core.markdown import MAX_MARKDOWN_CHARS
from cocrea.forum.models import ForumSeat, Meeting
from cocrea.plans.models import ActionPlan

ISO_DATETIME = "%Y-%m-%dT%H:%M"
MARKDOWN_HELP = _("Markdown: *italics*, **bold**, lists with -, links as [text](https://...).")


def _datetime_field(label: Any, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        input_formats=[ISO_DATETIME, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=ISO_DATETIME),
    )


def _meeting_text(label: Any, *, rows: int, required_message: Any) -> forms.CharField:
    """A meeting's own document (agenda, minutes), written in Markdown."""
    return forms.CharField(
        label=label,
        max_length=MAX_MARKDOWN_CHARS,
        widget=forms.Textarea(attrs={"rows": rows}),
        help_text=MARKDOWN_HELP,
        error_messages={"required": required_message},
    )


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
    online_url = link_field(_("Online link"))
    agenda = _meeting_text(
        _("Agenda"), rows=8, required_message=_("Write the agenda of the meeting.")
    )

    def __init__(self, *args: Any, plans: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_field: Any = self.fields["plan"]
        plan_field.queryset = plans

    def clean_online_url(self) -> str:
        return web_address_check(self.cleaned_data.get("online_url") or "")

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
    reason = reason_field(
        _("Why it is cancelled"),
        required_message=_("Say why the meeting is cancelled."),
        help_text=_("Public, on the meeting's page."),
    )


class SeatChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        seat: ForumSeat = obj
        parts = [seat.institution.name, str(seat.get_role_display())]
        if seat.representative:
            parts.append(seat.representative)
        return " · ".join(parts)


class MinutesForm(forms.Form):
    minutes = _meeting_text(
        _("Minutes"), rows=12, required_message=_("Write the minutes of the meeting.")
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


class DocumentForm(UploadForm):
    """A meeting document: a file (checked like any upload, core/filecheck.py) or a link."""

    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Give the document a title.")},
    )
    file = forms.FileField(label=_("File"), required=False)
    url = link_field(
        _("Link"),
        help_text=_("Instead of a file: a public address where the document can be read."),
    )

    def clean_url(self) -> str:
        return web_address_check(self.cleaned_data.get("url") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "file" in self.errors or "url" in self.errors:
            return data
        if bool(data.get("file")) == bool(data.get("url")):
            raise ValidationError(_("Give either a link or a file, not both."), code="one_of")
        return data
