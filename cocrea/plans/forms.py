from django import forms
from django.utils.translation import gettext_lazy as _

from cocrea.plans.models import Institution, Milestone, PolicyArea


class PlanFilterForm(forms.Form):
    """The plan page's filters. Every value is checked against a fixed list: request parameters
    never reach `filter()` directly."""

    area = forms.ModelChoiceField(
        label=_("Policy area"),
        queryset=PolicyArea.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All policy areas"),
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        queryset=Institution.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("All institutions"),
    )
    completion = forms.ChoiceField(label=_("Completion"), required=False)

    def __init__(
        self, *args: object, areas: object, institutions: object, **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["institution"].queryset = institutions  # type: ignore[attr-defined]
        self.fields["completion"].choices = [  # type: ignore[attr-defined]
            ("", _("Any completion")),
            *Milestone.Completion.choices,
            ("none", _("No milestones")),
        ]
