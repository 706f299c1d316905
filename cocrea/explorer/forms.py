"""The explorer's filters, a GET form that works without JavaScript. Every value is checked
against a whitelist (the view's names, the levels, OGP's values, the figures) or the rows that
exist (regions, policy areas, members); a bad value is reported and left out, never passed on."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cocrea.explorer import selectors
from cocrea.explorer.selectors import Filters
from cocrea.plans.models import Member, PolicyArea

VIEWS = {"": _("By member"), "area": _("By policy area"), "valor": _("By OGP value")}
FIGURE_LABELS = {
    selectors.TOTAL: _("Commitments"),
    selectors.COMPLETE: pgettext_lazy("how many commitments", "Complete"),
    selectors.STARRED: _("Starred"),
    selectors.DISPUTED: _("Disputed"),
}


class ExplorerForm(forms.Form):
    por = forms.ChoiceField(label=_("View"), required=False, choices=list(VIEWS.items()))
    region = forms.ChoiceField(label=_("Region"), required=False)
    nivel = forms.ChoiceField(
        label=_("Level"),
        required=False,
        choices=[
            ("", _("All levels")),
            (selectors.NATIONAL, _("National")),
            (selectors.LOCAL, _("Local")),
        ],
    )
    area = forms.ChoiceField(label=_("Policy area"), required=False)
    valor = forms.ChoiceField(
        label=_("OGP value"),
        required=False,
        choices=[("", _("All values")), *selectors.VALUES.items()],
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [  # type: ignore[attr-defined]
            ("", _("All regions")),
            *[(region, region) for region in selectors.region_choices()],
        ]
        self.areas = selectors.area_choices()
        themes: dict[int | None, list[PolicyArea]] = {}
        for area in self.areas:
            themes.setdefault(area.parent_id, []).append(area)
        # Labels as text now (the request's language): the template tells groups from options
        # by whether the label is text.
        grouped: list[Any] = [("", str(_("All policy areas")))]
        for theme in themes.get(None, []):
            grouped.append(
                (
                    theme.name,
                    [
                        (theme.slug, str(_("%(theme)s: the whole theme") % {"theme": theme.name})),
                        *[(area.slug, area.name) for area in themes.get(theme.pk, [])],
                    ],
                )
            )
        self.fields["area"].choices = grouped  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        """The filters that passed their checks; the others are left out."""
        if self.is_bound:
            self.is_valid()
        data = getattr(self, "cleaned_data", {})
        area = data.get("area") or ""
        area_ids: tuple[int, ...] = ()
        if area:
            chosen = next(a for a in self.areas if a.slug == area)
            area_ids = (chosen.pk, *tuple(a.pk for a in self.areas if a.parent_id == chosen.pk))
        return Filters(
            region=data.get("region") or "",
            level=data.get("nivel") or "",
            area=area,
            area_ids=area_ids,
            value=data.get("valor") or "",
            member=data.get("miembro") or "",
        )

    def view(self) -> str:
        if self.is_bound:
            self.is_valid()
        return str(getattr(self, "cleaned_data", {}).get("por") or "")


class FigureForm(ExplorerForm):
    """The commitments page's address: the explorer's filters, a member and a figure."""

    miembro = forms.SlugField(label=_("Member"), required=False, max_length=80)
    figura = forms.ChoiceField(
        label=_("Figure"), required=False, choices=[("", "—"), *FIGURE_LABELS.items()]
    )

    chosen_member: Member | None = None

    def clean_miembro(self) -> str:
        """The member named must exist: one query, only when one is named."""
        slug: str = self.cleaned_data["miembro"]
        if slug:
            self.chosen_member = Member.objects.filter(slug=slug).first()
            if self.chosen_member is None:
                raise forms.ValidationError(_("That OGP member does not exist."))
        return slug

    def figure(self) -> str:
        return str(getattr(self, "cleaned_data", {}).get("figura") or selectors.TOTAL)
