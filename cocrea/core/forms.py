"""Form parts shared by the apps that take files, links and reasons from people (tracking's
reports and evidence, the forum's meetings and documents), so each rule is written once. core
imports no domain app: a form whose files follow a policy of its own (evidence) says so by
overriding `UploadForm.check_upload`."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cocrea.core.filecheck import CheckedFile, accepted_types, file_check

# A text input, not type="url": a refused address is shown back for correction, and an invalid
# value in a type="url" input is invalid HTML (the server checks it anyway).
URL_INPUT = forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"})


def link_field(label: Any, *, help_text: Any = "") -> forms.URLField:
    """An optional link people give: up to 500 characters, as the models' link fields hold,
    and https:// assumed where the scheme is left out."""
    return forms.URLField(
        label=label,
        required=False,
        max_length=500,
        assume_scheme="https",
        widget=URL_INPUT,
        help_text=help_text,
    )


def reason_field(label: Any, *, required_message: Any, help_text: Any = "") -> forms.CharField:
    """The reason someone must give for a decision others will read (a meeting cancelled, a
    report returned): up to 2,000 characters, as the models' reason fields hold."""
    return forms.CharField(
        label=label,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=help_text,
        error_messages={"required": required_message},
    )


def web_address_check(value: str) -> str:
    """A link people will follow: only the web's own schemes (a URLField takes ftp:// too)."""
    if value and not value.lower().startswith(("https://", "http://")):
        raise ValidationError(_("Give a web address that starts with https://."))
    return value


class UploadForm(forms.Form):
    """A form with a `file` field, declared by the form itself (its label and place differ from
    form to form), whose upload is checked from its content and cleaned to a CheckedFile, its
    metadata removed (core/scrub.py); the field's help text tells the uploader so.

    `oversized` is the name of a file the upload handler stopped reading as too large
    (core/uploads.py): such a file never reaches the form, which would otherwise say nothing or
    that no file was given, so the form says the file was too large."""

    def __init__(self, *args: Any, oversized: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.oversized = oversized
        # Per form, not on the field: the limit is a setting, the words the request's language.
        limits = gettext("Up to %(size)s: %(types)s.") % {
            "size": filesizeformat(settings.COCREA_EVIDENCE_MAX_BYTES),
            "types": accepted_types(),
        }
        # What core/scrub.py does to every file, said where the file is chosen.
        scrubbed = gettext(
            "Before the file is kept and published we remove what it says about who made it: "
            "author, organisation, software and dates of documents, and the place (GPS), "
            "camera and time of photos."
        )
        self.fields["file"].help_text = f"{limits} {scrubbed}"

    def check_upload(self, upload: UploadedFile) -> CheckedFile:
        return file_check(upload)

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
        return self.check_upload(upload) if upload else None
