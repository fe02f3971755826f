"""Workbench pages for the licences a department issued (证照管理)."""

from django.urls import path

from . import licence_views

urlpatterns = [
    path("", licence_views.licence_list, name="licences"),
    path("<int:pk>/", licence_views.licence_detail, name="licence-detail"),
    *[path(f"<int:pk>/{action}/", licence_views.licence_action, {"action": action},
           name=f"licence-{action}") for action in licence_views.LICENCE_ACTIONS],
]
