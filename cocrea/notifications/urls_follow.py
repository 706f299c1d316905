"""Following and unfollowing, and the person's notifications."""

from django.urls import URLPattern, path

from cocrea.notifications import views

urlpatterns: list[URLPattern] = [
    path("seguir/", views.follow, name="follow"),
    path("dejar-de-seguir/", views.unfollow, name="unfollow"),
    path("notificaciones/", views.notification_list, name="list"),
    path("notificaciones/marcar-leidas/", views.mark_read, name="mark_read"),
]
