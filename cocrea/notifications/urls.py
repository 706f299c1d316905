"""Addresses of notifications: following and the person's notifications (`urls_follow`), email
preferences and the signed unsubscribe link (`urls_mail`), under one namespace."""

from cocrea.notifications import urls_follow, urls_mail

app_name = "notifications"
urlpatterns = [*urls_follow.urlpatterns, *urls_mail.urlpatterns]
