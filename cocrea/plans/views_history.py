"""A commitment's public history: every public change to it and to its milestones, from the
audit log, each with the hash that matches it in the downloadable log."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cocrea.audit.selectors import history_page
from cocrea.core.decorators import public_page
from cocrea.plans import selectors


@public_page
def commitment_history(request: HttpRequest, plan_slug: str, slug: str) -> HttpResponse:
    commitment = selectors.commitment_heading(plan_slug=plan_slug, slug=slug)
    page = history_page(
        context_type=commitment._meta.label_lower,
        context_id=str(commitment.pk),
        number=request.GET.get("page"),
    )
    return render(
        request, "plans/commitment_history.html", {"commitment": commitment, "page": page}
    )
