"""Workbench pages for the shared registries a department provides (共享数据维护)."""

from django.urls import path

from . import registry_views

urlpatterns = [
    path("", registry_views.registry_list, name="registries"),
    path("<slug:code>/", registry_views.record_list, name="registry-records"),
    path("<slug:code>/new/", registry_views.record_new, name="registry-record-new"),
    path("<slug:code>/records/<int:pk>/", registry_views.record_edit, name="registry-record-edit"),
    path("<slug:code>/records/<int:pk>/cancel/", registry_views.record_cancel,
         name="registry-record-cancel"),
]
