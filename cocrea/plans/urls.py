from django.urls import path

from cocrea.plans import views, views_history, views_members, views_membership

app_name = "plans"

urlpatterns = [
    path("", views.home, name="home"),
    path("miembros/", views_members.member_list, name="member_list"),
    path("miembros/<slug:slug>/", views_members.member_detail, name="member"),
    path("planes/", views.plan_list, name="plan_list"),
    path("planes/<slug:slug>/", views.plan_detail, name="plan"),
    path(
        "planes/<slug:plan_slug>/compromisos/<slug:slug>/",
        views.commitment_detail,
        name="commitment",
    ),
    path(
        "planes/<slug:plan_slug>/compromisos/<slug:slug>/historial/",
        views_history.commitment_history,
        name="commitment_history",
    ),
    path("instituciones/", views.institution_list, name="institution_list"),
    path("instituciones/<slug:slug>/", views.institution_detail, name="institution"),
    path(
        "instituciones/<slug:slug>/unirse/",
        views_membership.membership_request,
        name="membership_request",
    ),
    path(
        "membresias/<str:public_id>/decidir/",
        views_membership.membership_decide,
        name="membership_decide",
    ),
]
