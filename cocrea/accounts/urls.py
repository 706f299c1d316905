from django.urls import path

from cocrea.accounts import views

app_name = "accounts"

urlpatterns = [
    path("mi-espacio/", views.my_space, name="my_space"),
    path("mi-espacio/mis-datos/", views.data_export, name="data_export"),
    path("mi-espacio/eliminar-cuenta/", views.account_delete, name="delete"),
    path("personas/<str:public_id>/", views.profile, name="profile"),
    path("privacidad/", views.privacy, name="privacy"),
]
