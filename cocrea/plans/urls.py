from django.urls import path

from cocrea.plans import views

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("planes/", views.plan_list, name="plan_list"),
    path("planes/<slug:slug>/", views.plan_detail, name="plan"),
    path(
        "planes/<slug:plan_slug>/compromisos/<slug:slug>/",
        views.commitment_detail,
        name="commitment",
    ),
    path("instituciones/", views.institution_list, name="institution_list"),
    path("instituciones/<slug:slug>/", views.institution_detail, name="institution"),
]
