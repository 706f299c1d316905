"""Following and unfollowing, and the person's notifications."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
