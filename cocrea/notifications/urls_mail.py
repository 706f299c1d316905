"""Email preferences and the signed one-click unsubscribe."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
