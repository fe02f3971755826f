"""差评整改 and 申诉复核 in the workbench (part B of 好差评)."""

from django.urls import path

from . import rectify_views as views

urlpatterns = [
    path("rectifications/", views.rectification_list, name="rectifications"),
    path("rectifications/<int:pk>/", views.rectification_detail, name="rectification"),
    path("appeals/", views.appeal_list, name="appeals"),
    path("appeals/<int:pk>/", views.appeal_decide, name="appeal"),
]
