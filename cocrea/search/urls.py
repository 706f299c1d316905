from django.urls import path

from cocrea.search import views

app_name = "search"

urlpatterns = [path("buscar/", views.search_page, name="search")]
