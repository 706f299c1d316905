"""The point of contact prepares a consultation and its timeline here; every save goes through
the services (validated, audited), and "publish the timeline" is an action. People's proposals,
comments and answers are read-only here: they change through the public pages' rules."""

from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cocrea.accounts.desk import MemberScoped
from cocrea.participation import services
from cocrea.participation.models import Consultation, Phase, Proposal, Workshop


class PhaseInline(MemberScoped, admin.TabularInline):
    member_path = "consultation__plan__member"
    model = Phase
    extra = 0
    fields = ["kind", "starts_on", "ends_on", "description"]


@admin.register(Consultation)
class ConsultationAdmin(MemberScoped, admin.ModelAdmin):
    member_path = "plan__member"
    choice_paths = {"plan": "member"}
    list_display = ["title", "plan", "published_at"]
    search_fields = ["title"]
    prepopulated_fields = {"slug": ["title"]}
    readonly_fields = ["published_at"]
    inlines = [PhaseInline]
    actions = ["publish"]

    def save_model(
        self, request: HttpRequest, obj: Consultation, form: ModelForm, change: bool
    ) -> None:
        services.consultation_save(actor=request.user, consultation=obj)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        phases = formset.save(commit=False)
        for phase in phases:
            services.phase_save(actor=request.user, phase=phase)
        for phase in formset.deleted_objects:
            if phase.consultation.is_published:
                raise PermissionDenied
            phase.delete()

    @admin.action(description=_("Publish the timeline"))
    def publish(self, request: HttpRequest, queryset: QuerySet[Consultation]) -> None:
        for consultation in queryset:
            try:
                services.consultation_publish(actor=request.user, consultation=consultation)
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(getattr(error, "messages", [])) or _("Not allowed.")
                messages.error(request, f"{consultation}: {text}")
            else:
                # Outside the f-string, where makemessages cannot see it.
                done = _("timeline published.")
                messages.success(request, f"{consultation}: {done}")


class ReadOnly(MemberScoped, admin.ModelAdmin):
    member_path = "consultation__plan__member"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(Proposal)
class ProposalAdmin(ReadOnly):
    list_display = ["title", "consultation", "created_at", "support_count", "comment_count"]
    list_filter = ["consultation"]
    search_fields = ["title"]


@admin.register(Workshop)
class WorkshopAdmin(ReadOnly):
    list_display = ["title", "consultation", "held_on", "participants"]

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).select_related("consultation")
