"""The action plan as a document in OGP's structure (introduction, the co-creation process with
its figures, each commitment in the template with its milestones), and a draft of the
government's end-of-term self-assessment built from the data (completion and results per
commitment). Each is a printable page and a PDF made from the same HTML with WeasyPrint, which
is imported only when a PDF is asked for (it needs Pango from the system)."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.staticfiles import finders
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from cocrea.participation.selectors import consultation_figures, consultation_of_plan
from cocrea.plans.models import ActionPlan, Commitment, Milestone
from cocrea.plans.progress import commitment_completion, commitment_progress
from cocrea.tracking.models import Assessment, ProgressReport


@dataclass
class CommitmentResult:
    commitment: Commitment
    milestones: list[Milestone]
    progress: int | None
    completion: str | None
    latest_reports: dict[int, ProgressReport] = field(default_factory=dict)  # by milestone pk
    assessments: list[Assessment] = field(default_factory=list)


def plan_document(*, plan: ActionPlan, process: bool = True) -> dict[str, Any]:
    """What the plan document shows (without the co-creation figures when `process` is
    false): a fixed number of queries."""
    commitments = list(
        Commitment.objects.filter(plan=plan)
        .select_related("lead_institution", "irm_review")
        .prefetch_related(
            "supporting_institutions",
            "policy_areas",
            Prefetch(
                "milestones",
                Milestone.objects.select_related("responsible_institution").order_by("number"),
            ),
        )
        .order_by("number_sort")
    )
    consultation = consultation_of_plan(plan_id=plan.pk) if process else None
    return {
        "plan": plan,
        "commitments": commitments,
        "consultation": consultation,
        "figures": consultation_figures(consultation=consultation) if consultation else None,
        "today": timezone.localdate(),
    }


def self_assessment(*, plan: ActionPlan) -> dict[str, Any]:
    """Completion and results per commitment, from the milestones' official completion, the
    latest published report of each milestone, civil society's assessments and the IRM."""
    context = plan_document(plan=plan, process=False)
    reports = (
        ProgressReport.objects.filter(
            milestone__commitment__plan=plan, status=ProgressReport.Status.PUBLISHED
        )
        .select_related("institution")
        .order_by("milestone_id", "-facts_date", "-published_at")
    )
    latest: dict[int, ProgressReport] = {}
    for report in reports:
        latest.setdefault(report.milestone_id, report)
    assessments: dict[int, list[Assessment]] = {}
    for assessment in (
        Assessment.objects.filter(commitment__plan=plan)
        .select_related("organisation", "milestone")
        .order_by("-published_at")
    ):
        assessments.setdefault(assessment.commitment_id, []).append(assessment)
    reviews = {c.pk: getattr(c, "irm_review", None) for c in context["commitments"]}
    results = []
    for commitment in context["commitments"]:
        milestones = list(commitment.milestones.all())
        results.append(
            CommitmentResult(
                commitment=commitment,
                milestones=milestones,
                progress=commitment_progress(milestones),
                completion=commitment_completion(milestones),
                latest_reports={m.pk: latest[m.pk] for m in milestones if m.pk in latest},
                assessments=assessments.get(commitment.pk, []),
            )
        )
    context.update(results=results, reviews=reviews)
    return context


def as_pdf(
    request: HttpRequest, template: str, context: dict[str, Any], filename: str
) -> HttpResponse:
    """The page's HTML made into a PDF, with the print stylesheet read from disk (no request to
    ourselves, no network)."""
    import weasyprint

    html = render_to_string(template, {**context, "pdf": True}, request=request)
    stylesheet = finders.find("cocrea/print.css")
    document = weasyprint.HTML(
        string=html, base_url=str(request.build_absolute_uri("/")), url_fetcher=_no_fetch
    )
    pdf = document.write_pdf(
        stylesheets=[weasyprint.CSS(filename=stylesheet)] if stylesheet else None
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> Any:
    """The document needs nothing from outside: any fetch is refused."""
    raise ValueError(f"Not fetched: {url}")
