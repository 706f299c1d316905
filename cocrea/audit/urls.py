from django.urls import path

from cocrea.audit import views

app_name = "audit"

urlpatterns = [
    path("registro-publico/", views.log, name="log"),
    path("registro-publico/registro.jsonl", views.log_download, name="log_download"),
]
