"""Who may report, publish and assess. Objects are checked, not only roles: an official reports
only on milestones their own institution is responsible for."""

from typing import Any

import rules

from cocrea.accounts.rules import desk_permissions
from cocrea.plans.models import Commitment, Membership, Milestone
from cocrea.plans.rules import (
    has_mfa,
    has_verified_email,
    is_civil_society_member,
    runs_its_member,
)
from cocrea.tracking.models import ProgressReport


def _reports_for(user: Any, institution_id: int | None) -> bool:
    return bool(
        institution_id is not None
        and getattr(user, "is_authenticated", False)
        and Membership.objects.filter(
            user=user,
            institution_id=institution_id,
            role__in=Membership.REPORTING_ROLES,
            status=Membership.Status.APPROVED,
        ).exists()
    )


@rules.predicate
def reports_for_the_milestone(user: Any, milestone: Milestone | None) -> bool:
    return milestone is not None and _reports_for(user, milestone.responsible_institution_id)


@rules.predicate
def reports_for_the_report(user: Any, report: ProgressReport | None) -> bool:
    return report is not None and _reports_for(user, report.institution_id)


@rules.predicate
def is_editable(user: object, report: ProgressReport | None) -> bool:
    return report is not None and report.is_editable


@rules.predicate
def is_submitted(user: object, report: ProgressReport | None) -> bool:
    return report is not None and report.status == ProgressReport.Status.SUBMITTED


@rules.predicate
def is_published(user: object, report: ProgressReport | None) -> bool:
    return report is not None and report.status == ProgressReport.Status.PUBLISHED


@rules.predicate
def commitment_exists(user: object, commitment: Commitment | None) -> bool:
    return commitment is not None


can_report = has_verified_email & reports_for_the_milestone
can_edit_report = has_verified_email & reports_for_the_report & is_editable
can_publish_report = is_submitted & runs_its_member & has_mfa
can_view_report = is_published | reports_for_the_report | runs_its_member
can_assess = commitment_exists & has_verified_email & is_civil_society_member
can_record_irm_review = commitment_exists & runs_its_member & has_mfa

rules.add_perm("tracking.report_progress", can_report)
rules.add_perm("tracking.edit_report", can_edit_report)
rules.add_perm("tracking.submit_report", can_edit_report)
rules.add_perm("tracking.publish_report", can_publish_report)
rules.add_perm("tracking.return_report", can_publish_report)
rules.add_perm("tracking.view_report", can_view_report)
rules.add_perm("tracking.assess", can_assess)
rules.add_perm("tracking.record_irm_review", can_record_irm_review)

# The point of contact's desk in the administration (accounts/rules.py): reports and assessments
# read there; reports are published or returned on their pages, by the rules above.
desk_permissions("tracking", {"progressreport": ("view",), "assessment": ("view",)})
