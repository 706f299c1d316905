"""The OGP-wide explorer: members compared by their commitments, by policy area and by OGP
value, and the commitments behind every figure. Public, GET only, cached like every public
page; the figures are aggregates in the database (selectors.py)."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from cocrea.core.decorators import public_page
from cocrea.explorer import selectors
from cocrea.explorer.forms import FIGURE_LABELS, VIEWS, ExplorerForm, FigureForm
from cocrea.tracking.charts import Bar

CHART_BARS = 20


def _page_number(request: HttpRequest) -> str:
    value = request.GET.get("page", "1")
    return value if value.isdigit() and 0 < len(value) < 6 else "1"


@public_page
def index(request: HttpRequest) -> HttpResponse:
    form = ExplorerForm(request.GET or None)
    filters = form.filters()
    view = form.view()
    rows = selectors.figures(view, filters)
    total = None
    if not view:
        total = selectors.with_links(
            [selectors.total_row(rows, _("All the members shown"))], filters
        )[0]
    charted = sorted(rows, key=lambda r: (-r.total, r.label))[:CHART_BARS]
    keep = filters.params()
    return render(
        request,
        "explorer/index.html",
        {
            "form": form,
            "filters": filters,
            "view": view,
            "views": [
                (key, label, urlencode({**keep, "por": key} if key else keep))
                for key, label in VIEWS.items()
            ],
            "rows": rows,
            "total": total,
            "charted": charted,
            "bars": [Bar(r.label, r.total) for r in charted],
            "chart_cut": len(rows) > len(charted),
            "figures": [(key, str(label)) for key, label in FIGURE_LABELS.items()],
            "filtered": bool(keep),
            "without_filters": urlencode({"por": view}) if view else "",
        },
    )


@public_page
def commitments(request: HttpRequest) -> HttpResponse:
    form = FigureForm(request.GET or None)
    filters = form.filters()
    figure = form.figure()
    page = selectors.figure_commitments(filters, figure, _page_number(request))
    keep = {**filters.params(), "figura": figure}
    return render(
        request,
        "explorer/commitments.html",
        {
            "form": form,
            "filters": filters,
            "figure": figure,
            "figure_label": FIGURE_LABELS[figure],
            "member": form.chosen_member,
            "area": next((a for a in form.areas if a.slug == filters.area), None),
            "value_label": selectors.VALUES.get(filters.value),
            "level_label": dict(form.fields["nivel"].choices).get(filters.level)  # type: ignore[attr-defined]
            if filters.level
            else None,
            "page": page,
            "query_string": urlencode(keep),
            "back": urlencode({k: v for k, v in filters.params().items() if k != "miembro"}),
        },
    )
