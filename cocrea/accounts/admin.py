from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from cocrea.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "public_name", "is_staff", "is_active"]
    search_fields = ["username", "public_name"]
    fieldsets = (*(BaseUserAdmin.fieldsets or ()), (None, {"fields": ["public_name"]}))
