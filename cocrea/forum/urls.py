from django.urls import path

from cocrea.forum import views

app_name = "forum"

urlpatterns = [
    path("foro/", views.index, name="index"),
    path("foro/documentos/<str:public_id>/", views.document_file, name="document"),
    path("foro/<slug:slug>/", views.forum_detail, name="forum"),
    path("foro/<slug:slug>/reuniones/nueva/", views.meeting_new, name="meeting_new"),
    path("foro/<slug:slug>/reuniones/<str:public_id>/", views.meeting_detail, name="meeting"),
    path(
        "foro/<slug:slug>/reuniones/<str:public_id>/editar/",
        views.meeting_edit,
        name="meeting_edit",
    ),
    path(
        "foro/<slug:slug>/reuniones/<str:public_id>/cancelar/",
        views.meeting_cancel,
        name="meeting_cancel",
    ),
    path(
        "foro/<slug:slug>/reuniones/<str:public_id>/acta/",
        views.meeting_minutes,
        name="meeting_minutes",
    ),
    path(
        "foro/<slug:slug>/reuniones/<str:public_id>/documentos/nuevo/",
        views.document_new,
        name="document_new",
    ),
]
