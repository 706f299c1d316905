from django.contrib import admin
from django.http import HttpRequest

from cocrea.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the log is append-only, even for administrators."""

    list_display = ["id", "created_at", "action", "target_repr", "actor_name", "public"]
    list_filter = ["public", "action", "target_type"]
    search_fields = ["target_repr", "actor_name", "action"]
    readonly_fields = [f.name for f in AuditEvent._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
