"""The administration: every save goes through the services, so admin edits are validated the
same way and leave the same audit trail as any other change."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Model
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from cocrea.accounts.desk import MemberScoped
from cocrea.plans import services
from cocrea.plans.models import (
    ActionPlan,
    Commitment,
    Institution,
    Member,
    Membership,
    Milestone,
    PolicyArea,
)


@admin.register(Member)
class MemberAdmin(MemberScoped, admin.ModelAdmin):
    member_path = "pk"
    choice_paths = {"national": "pk"}
    list_display = ["name", "code", "level", "region", "national", "is_default"]
    list_filter = ["level", "region"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Member, form: ModelForm, change: bool) -> None:
        services.member_save(actor=request.user, member=obj)


@admin.register(Institution)
class InstitutionAdmin(MemberScoped, admin.ModelAdmin):
    choice_paths = {"member": "pk"}
    # A link typed without a scheme is https (Django 6 default; the form would warn).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "acronym", "kind", "member"]
    list_filter = ["member", "kind"]
    search_fields = ["name", "acronym"]
    prepopulated_fields = {"slug": ["acronym"]}

    def save_model(
        self, request: HttpRequest, obj: Institution, form: ModelForm, change: bool
    ) -> None:
        services.institution_save(actor=request.user, institution=obj)


@admin.register(PolicyArea)
class PolicyAreaAdmin(admin.ModelAdmin):
    """OGP's taxonomy is reference data loaded by a migration: readable, not editable here."""

    list_display = ["name_es", "name_en", "ogp_column", "parent"]
    list_filter = ["parent"]
    search_fields = ["name_es", "name_en", "ogp_column"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


@admin.register(ActionPlan)
class ActionPlanAdmin(MemberScoped, admin.ModelAdmin):
    choice_paths = {"member": "pk"}
    list_display = ["title", "member", "number", "start_date", "end_date", "status", "ogp_id"]
    list_filter = ["status", "member"]
    search_fields = ["title", "ogp_id", "slug"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}

    def save_model(
        self, request: HttpRequest, obj: ActionPlan, form: ModelForm, change: bool
    ) -> None:
        services.action_plan_save(actor=request.user, plan=obj)


class MilestoneInline(MemberScoped, admin.TabularInline):
    member_path = "commitment__plan__member"
    choice_paths = {"responsible_institution": "member"}
    model = Milestone
    extra = 0
    fields = [
        "number",
        "description",
        "expected_output",
        "start_date",
        "end_date",
        "responsible_institution",
        "weight",
        "completion",
        "carried_over",
    ]
    autocomplete_fields = ["responsible_institution"]


@admin.register(Commitment)
class CommitmentAdmin(MemberScoped, admin.ModelAdmin):
    member_path = "plan__member"
    choice_paths = {
        "plan": "member",
        "lead_institution": "member",
        "supporting_institutions": "member",
    }
    list_display = ["__str__", "plan", "number_shown", "lead_institution", "is_demo"]
    list_filter = ["plan__member", "plan", "policy_areas", "is_demo"]
    list_select_related = ["plan", "lead_institution"]
    search_fields = [
        "title",
        "ogp_id",
        "slug",
        "lead_institution__name",
        "lead_institution__acronym",
    ]
    autocomplete_fields = ["lead_institution", "supporting_institutions"]
    filter_horizontal = ["policy_areas"]
    inlines = [MilestoneInline]
    prepopulated_fields = {"slug": ["title"]}

    # Sorting the column by the number's text would put 10 before 2.
    @admin.display(description=_("number"), ordering="number_sort")
    def number_shown(self, commitment: Commitment) -> str:
        return commitment.number

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "plan",
                    "number",
                    "ogp_id",
                    "title",
                    "slug",
                    "short_description",
                    "is_demo",
                ]
            },
        ),
        (
            _("OGP template"),
            {"fields": ["problem", "causes", "description", "how_it_helps", "ambition"]},
        ),
        (
            _("Relevance to OGP values"),
            {
                "fields": [
                    "access_to_information",
                    "access_to_information_text",
                    "civic_participation",
                    "civic_participation_text",
                    "public_accountability",
                    "public_accountability_text",
                    "technology_innovation",
                    "technology_innovation_text",
                    "inclusion",
                    "inclusion_text",
                ]
            },
        ),
        (
            _("Dates and actors"),
            {
                "fields": [
                    "start_date",
                    "end_date",
                    "lead_institution",
                    "supporting_institutions",
                    "responsible_name",
                    "responsible_position",
                    "responsible_email",
                    "responsible_phone",
                ]
            },
        ),
        (
            _("Budget, links and policy areas"),
            {
                "fields": [
                    "budget_amount",
                    "budget_currency",
                    "budget_notes",
                    "national_plan_links",
                    "policy_areas",
                    "sdg_goals",
                    "carried_forward",
                ]
            },
        ),
    ]

    def save_model(
        self, request: HttpRequest, obj: Commitment, form: ModelForm, change: bool
    ) -> None:
        services.commitment_save(
            actor=request.user,
            commitment=obj,
            supporting_institutions=form.cleaned_data.get("supporting_institutions", []),
            policy_areas=form.cleaned_data.get("policy_areas", []),
        )

    def save_related(
        self, request: HttpRequest, form: ModelForm, formsets: Any, change: bool
    ) -> None:
        # The many-to-many fields were set by the service in save_model.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        milestones = formset.save(commit=False)
        for milestone in formset.deleted_objects:
            services.milestone_delete(actor=request.user, milestone=milestone)
        for milestone in milestones:
            services.milestone_save(actor=request.user, milestone=milestone)


@admin.register(Membership)
class MembershipAdmin(MemberScoped, admin.ModelAdmin):
    member_path = "institution__member"
    """Read-only here: requests are decided in My space, through the rules and the services."""

    list_display = ["user", "institution", "role", "status", "decided_at"]
    list_filter = ["status", "role"]
    search_fields = ["user__public_name", "institution__name", "institution__acronym"]
    list_select_related = ["user", "institution"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False
