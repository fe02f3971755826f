from django.urls import include, path

from . import views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("transfer/", include("yiwang.workbench.import_urls")),
]
