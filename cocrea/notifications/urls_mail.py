"""Email preferences and the signed one-click unsubscribe."""

from django.urls import URLPattern, path

from cocrea.notifications import views_mail

urlpatterns: list[URLPattern] = [
    path("notificaciones/preferencias/", views_mail.preferences, name="preferences"),
    path("notificaciones/baja/<str:token>/", views_mail.unsubscribe, name="unsubscribe"),
]
