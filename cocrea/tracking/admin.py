"""Reports and assessments in the admin: read only. Every change goes through the services and
their pages, so it is checked by the rules and recorded in the audit log."""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from cocrea.accounts.desk import MemberScoped
from cocrea.tracking.models import Assessment, ProgressReport


class ReadOnly(MemberScoped, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ProgressReport)
class ProgressReportAdmin(ReadOnly):
    member_path = "milestone__commitment__plan__member"
    list_display = ["milestone", "institution", "completion", "percent", "status", "facts_date"]
    list_filter = ["status", "completion"]
    list_select_related = ["milestone", "institution"]


@admin.register(Assessment)
class AssessmentAdmin(ReadOnly):
    member_path = "commitment__plan__member"
    list_display = ["commitment", "organisation", "completion", "published_at"]
    list_select_related = ["commitment", "organisation"]
