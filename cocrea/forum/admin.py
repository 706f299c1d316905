"""The forum in the admin: the forum itself (name, mandate, rules) and its seats are edited here,
through the services, so every change is checked by the rules and recorded in the public audit
log. Meetings are read only here: they are announced, changed and documented on their pages."""

from typing import Any

from django.contrib import admin
from django.db import models
from django.forms import ModelForm
from django.http import HttpRequest

from cocrea.accounts.desk import MemberScoped
from cocrea.forum import services
from cocrea.forum.models import Forum, ForumSeat, Meeting


class NoDelete(admin.ModelAdmin):
    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Forum)
class ForumAdmin(MemberScoped, NoDelete):
    choice_paths = {"member": "pk"}
    # A link typed without a scheme is https (Django 6 default; the form would warn).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "member", "established_on", "rules_published_on"]
    prepopulated_fields = {"slug": ["name"]}

    def save_model(self, request: HttpRequest, obj: Forum, form: ModelForm, change: bool) -> None:
        services.forum_save(actor=request.user, forum=obj)


@admin.register(ForumSeat)
class ForumSeatAdmin(MemberScoped, NoDelete):
    member_path = "forum__member"
    choice_paths = {"forum": "member", "institution": "member"}
    list_display = ["institution", "forum", "sector", "role", "start_date", "end_date"]
    list_filter = ["forum", "sector", "role"]
    list_select_related = ["institution", "forum"]
    autocomplete_fields = ["institution"]
    search_fields = ["institution__name", "institution__acronym", "representative"]

    def save_model(
        self, request: HttpRequest, obj: ForumSeat, form: ModelForm, change: bool
    ) -> None:
        services.seat_save(actor=request.user, seat=obj)


@admin.register(Meeting)
class MeetingAdmin(MemberScoped, admin.ModelAdmin):
    member_path = "forum__member"
    list_display = ["title", "forum", "kind", "status", "starts_at"]
    list_filter = ["forum", "kind", "status"]
    list_select_related = ["forum"]
    date_hierarchy = "starts_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
