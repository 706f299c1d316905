"""The search form: what to look for and the filters. Every filter is checked against a fixed
list (plans, departments, policy areas, kinds) or parsed as a date; the query is bounded."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cocrea.participation.models import Department
from cocrea.plans.models import ActionPlan, Institution, PolicyArea
from cocrea.search import engine
from cocrea.search.models import Kind
from cocrea.search.selectors import Filters


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=engine.MAX_QUERY,
        error_messages={
            "max_length": _("Write at most %(limit_value)d characters (you wrote %(show_value)d).")
        },
    )
    kind = forms.ChoiceField(label=_("Type"), required=False)
    plan = forms.ChoiceField(label=_("Action plan"), required=False)
    department = forms.ChoiceField(label=_("Department"), required=False)
    area = forms.ChoiceField(label=_("Policy area"), required=False)
    since = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    until = forms.DateField(
        label=_("Until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    # Set by links from an institution's page ("search in this institution"), not a list.
    institution = forms.SlugField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Everything")), *Kind.choices]  # type: ignore[attr-defined]
        plans = ActionPlan.objects.order_by("-start_date", "pk").values_list("slug", "title")
        self.fields["plan"].choices = [("", _("All plans")), *plans]  # type: ignore[attr-defined]
        self.fields["department"].choices = [  # type: ignore[attr-defined]
            ("", _("All departments")),
            *Department.choices,
        ]
        areas = PolicyArea.objects.filter(parent__isnull=False).order_by("position")
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", _("All policy areas")),
            *[(area.slug, area.name) for area in areas],
        ]

    def clean_institution(self) -> str:
        slug: str = self.cleaned_data["institution"]
        if slug and not Institution.objects.filter(slug=slug).exists():
            raise forms.ValidationError(_("That institution does not exist."))
        return slug

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("The end of the period cannot be before its start."))
        return data

    def filters(self) -> tuple[Filters, Institution | None]:
        """The filters chosen (valid form only), and the institution they name if any."""
        data = self.cleaned_data
        plan = ActionPlan.objects.filter(slug=data["plan"]).values_list("pk", flat=True).first()
        institution = (
            Institution.objects.filter(slug=data["institution"]).first()
            if data["institution"]
            else None
        )
        return (
            Filters(
                kind=data["kind"],
                plan=plan,
                institution=institution.pk if institution else None,
                department=data["department"],
                policy_area=data["area"],
                since=data["since"],
                until=data["until"],
            ),
            institution,
        )
