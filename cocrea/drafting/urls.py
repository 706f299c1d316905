from django.urls import path

from cocrea.drafting import views

app_name = "drafting"

urlpatterns = [
    path("consultas/<slug:slug>/borradores/", views.draft_list, name="draft_list"),
    path("consultas/<slug:slug>/borradores/nuevo/", views.draft_new, name="draft_new"),
    path("borradores/<str:public_id>/", views.draft_detail, name="draft"),
    path(
        "borradores/<str:public_id>/versiones/<int:number>/",
        views.version_detail,
        name="version",
    ),
    path("borradores/<str:public_id>/comparar/", views.compare, name="compare"),
    path("borradores/<str:public_id>/nueva-version/", views.version_new, name="version_new"),
    path("borradores/<str:public_id>/comentar/", views.comment_add, name="comment_add"),
    path("borradores/<str:public_id>/aprobar/", views.approve, name="approve"),
    path("borradores/<str:public_id>/retirar/", views.withdraw, name="withdraw"),
    path(
        "borradores/comentarios/<str:public_id>/ocultar/",
        views.comment_hide,
        name="comment_hide",
    ),
]
