"""The 一件事 pages, in the ``portal`` namespace (included from portal/urls.py under bundles/)."""

from django.urls import path

from . import bundle_views as views

urlpatterns = [
    path("<slug:slug>/", views.bundle, name="bundle"),
    path("<slug:slug>/apply/", views.bundle_apply, name="bundle-apply"),
    path("applications/<int:pk>/", views.bundle_application, name="bundle-application"),
    path("applications/<int:pk>/edit/", views.bundle_edit, name="bundle-edit"),
    path("applications/<int:pk>/delete/", views.bundle_delete, name="bundle-delete"),
    path("applications/<int:pk>/files/", views.bundle_upload, name="bundle-upload"),
    path("applications/<int:pk>/licence/", views.bundle_licence, name="bundle-licence"),
    path("applications/<int:pk>/record/", views.bundle_record, name="bundle-record"),
    path("applications/<int:pk>/submit/", views.bundle_submit, name="bundle-submit"),
]
