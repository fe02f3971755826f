"""电子档案 pages, mounted under /workbench/archives/ so that the staff second factor guards them."""

from django.urls import path

from . import views

app_name = "archives"

urlpatterns = [
    path("", views.package_list, name="list"),
    path("disposals/", views.disposal_list, name="disposals"),
    path("<int:pk>/", views.package_detail, name="detail"),
    path("<int:pk>/download/", views.package_download, name="download"),
    path("<int:pk>/recheck/", views.package_recheck, name="recheck"),
    path("<int:pk>/dispose/", views.package_dispose, name="dispose"),
]
