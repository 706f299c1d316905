from django.urls import path

from cocrea.tracking import views, views_dashboards

app_name = "tracking"

urlpatterns = [
    path("planes/<slug:slug>/tablero/", views_dashboards.plan_dashboard, name="plan_dashboard"),
    path(
        "instituciones/<slug:slug>/tablero/",
        views_dashboards.institution_dashboard,
        name="institution_dashboard",
    ),
    path(
        "planes/<slug:plan_slug>/compromisos/<slug:slug>/hitos/<int:number>/informar/",
        views.report_new,
        name="report_new",
    ),
    path(
        "planes/<slug:plan_slug>/compromisos/<slug:slug>/valorar/",
        views.assessment_new,
        name="assessment_new",
    ),
    path(
        "planes/<slug:plan_slug>/compromisos/<slug:slug>/irm/",
        views.irm_review,
        name="irm_review",
    ),
    path("informes/<str:public_id>/", views.report_detail, name="report"),
    path("informes/<str:public_id>/enviar/", views.report_submit, name="report_submit"),
    path("informes/<str:public_id>/publicar/", views.report_publish, name="report_publish"),
    path("informes/<str:public_id>/devolver/", views.report_return, name="report_return"),
    path("evidencias/<str:public_id>/", views.evidence_file, name="evidence"),
]
