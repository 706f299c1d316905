from django.urls import path

from cocrea.explorer import views

app_name = "explorer"

urlpatterns = [
    path("explorar/", views.index, name="index"),
    path("explorar/compromisos/", views.commitments, name="commitments"),
]
