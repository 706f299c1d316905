"""The search page: one box and its filters, results a page at a time, working without
JavaScript. Public: everything in the index is public (documents.py)."""

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cocrea.core.decorators import public_page
from cocrea.search.forms import SearchForm
from cocrea.search.models import Kind
from cocrea.search.selectors import Filters, Results, search


@public_page
def search_page(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results: Results | None = None
    institution = None
    filtered = False
    if form.is_bound and form.is_valid():
        filters, institution = form.filters()
        filtered = filters != Filters()
        results = search(form.cleaned_data["q"], filters, page=_page_number(request))
    keep = {
        key: value
        for key, value in request.GET.items()
        if key != "page" and value and len(key) < 20
    }
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "institution": institution,
            "filtered": filtered,
            "kinds": dict(Kind.choices),
            "query_string": urlencode(keep),
            "without_filters": urlencode({"q": request.GET.get("q", "")}),
        },
    )


def _page_number(request: HttpRequest) -> int:
    value = request.GET.get("page", "1")
    return int(value) if value.isdigit() and 0 < len(value) < 6 else 1
