from django.urls import path

from cocrea.participation import views

app_name = "participation"

CONTENT = "<str:kind>/<str:public_id>"  # kind: "propuestas" or "comentarios"

urlpatterns = [
    path("consultas/", views.consultation_list, name="consultation_list"),
    path("consultas/<slug:slug>/", views.consultation, name="consultation"),
    path("consultas/<slug:slug>/propuestas/", views.proposals, name="proposals"),
    path("consultas/<slug:slug>/propuestas/nueva/", views.proposal_new, name="proposal_new"),
    path("consultas/<slug:slug>/talleres/nuevo/", views.workshop_new, name="workshop_new"),
    path("propuestas/<str:public_id>/", views.proposal, name="proposal"),
    path("propuestas/<str:public_id>/apoyar/", views.support, name="support"),
    path("propuestas/<str:public_id>/comentar/", views.comment, name="comment"),
    path("propuestas/<str:public_id>/responder/", views.respond, name="respond"),
    path("moderacion/", views.moderation_log, name="moderation_log"),
    path("moderacion/<kind>/<str:public_id>/denunciar/", views.flag, name="flag"),
    path("moderacion/<kind>/<str:public_id>/ocultar/", views.hide, name="hide"),
    path("planes/<slug:slug>/cocreacion/", views.standards, name="standards"),
    path("planes/<slug:slug>/cocreacion/valorar/", views.standard_assess, name="standard_assess"),
]
