from django import forms
from django.utils.translation import gettext_lazy as _

from cocrea.plans.models import Membership, Milestone


class PlanFilterForm(forms.Form):
    """The plan page's filters. Every value is checked against a fixed list: request parameters
    never reach `filter()` directly."""

    area = forms.ChoiceField(label=_("Policy area"), required=False)
    institution = forms.ChoiceField(label=_("Institution"), required=False)
    completion = forms.ChoiceField(label=_("Completion"), required=False)
    agreement = forms.ChoiceField(
        label=_("Civil society's view"),
        required=False,
        choices=[("", _("Any")), ("disputed", _("Differs from the official view"))],
    )

    def __init__(
        self,
        *args: object,
        areas: list[tuple[str, str]],
        institutions: list[tuple[str, str]],
        **kwargs: object,
    ) -> None:
        """`areas` and `institutions` are (slug, label) pairs of those present in the plan."""
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["area"].choices = [("", _("All policy areas")), *areas]  # type: ignore[attr-defined]
        self.fields["institution"].choices = [  # type: ignore[attr-defined]
            ("", _("All institutions")),
            *institutions,
        ]
        self.fields["completion"].choices = [  # type: ignore[attr-defined]
            ("", _("Any completion")),
            *Milestone.Completion.choices,
            ("none", _("No milestones")),
        ]


class MembershipRequestForm(forms.Form):
    role = forms.ChoiceField(label=_("Role you ask for"), choices=Membership.Role.choices)
    show_on_profile = forms.BooleanField(
        label=_("Show this organisation on my public profile"), required=False
    )


class MembershipDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("refuse", _("Refuse"))]
    )
    reason = forms.CharField(label=_("Reason"), required=False, max_length=2000)
