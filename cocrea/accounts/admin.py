from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from cocrea.accounts import services
from cocrea.accounts.models import RoleGrant, User


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    extra = 0
    fields = ["role", "member", "granted_at"]
    readonly_fields = ["granted_at"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["public_name", "public_id", "email", "is_staff", "is_active"]
    search_fields = ["public_name", "public_id", "email"]
    readonly_fields = ["public_id", "deleted_at"]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        (None, {"fields": ["public_name", "public_id", "deleted_at"]}),
    )
    inlines = [RoleGrantInline]

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        """Roles are granted and revoked through the services, so each change is audited."""
        user: Any = form.instance
        grants = formset.save(commit=False)  # sets deleted_objects; saves nothing
        for grant in formset.deleted_objects:
            services.role_revoke(
                actor=request.user, user=user, role=grant.role, member=grant.member
            )
        for grant in grants:
            if grant.pk is None:
                services.role_grant(
                    actor=request.user, user=user, role=grant.role, member=grant.member
                )
