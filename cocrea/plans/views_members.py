"""The OGP members' pages: the list of members (`/miembros/`), national members with their local
members under them, filtered by region and level; and each member's home (`/miembros/<slug>/`),
the same page the site's home is for the default member."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cocrea.core.decorators import public_page
from cocrea.plans import selectors_members as members
from cocrea.plans.views import level_choices, member_home


@public_page
def member_list(request: HttpRequest) -> HttpResponse:
    rows = members.member_rows()
    filters = members.member_filters(request.GET, rows)
    groups = members.member_groups(rows, members.filtered_member_ids(filters, rows))
    return render(
        request,
        "plans/member_list.html",
        {
            "groups": groups,
            "count": sum(1 + len(g.locals) for g in groups),
            "filters": filters,
            "regions": members.regions(rows),
            "levels": level_choices(),
        },
    )


@public_page
def member_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return member_home(request, members.member_get(slug=slug), site_home=False)
