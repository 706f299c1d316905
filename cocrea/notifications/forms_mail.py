"""The email preferences form: one choice per kind of notification, and the emails' language."""

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from cocrea.notifications.models import DEFAULT_DELIVERY, Delivery, Kind, Preference


class PreferencesForm(forms.Form):
    language = forms.ChoiceField(label=_("Language of the emails"), choices=settings.LANGUAGES)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        chosen = dict(Preference.objects.filter(user=user).values_list("kind", "delivery"))
        initial = {"language": user.language}
        for kind in Kind.values:
            initial[kind] = chosen.get(kind, DEFAULT_DELIVERY[kind])
        kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Delivery.choices, widget=forms.RadioSelect
            )

    def deliveries(self) -> dict[str, str]:
        return {kind: self.cleaned_data[kind] for kind in Kind.values}
