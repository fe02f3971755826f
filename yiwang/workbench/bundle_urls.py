"""一件事 definitions in the workbench, in the ``workbench`` namespace (under bundles/)."""

from django.urls import path

from . import bundle_views as views

urlpatterns = [
    path("", views.bundle_list, name="bundles"),
    path("new/", views.bundle_create, name="bundle-new"),
    path("<int:pk>/", views.bundle_detail, name="bundle-detail"),
    path("<int:pk>/revise/", views.bundle_revise, name="bundle-revise"),
    path("<int:pk>/withdraw/", views.bundle_withdraw, name="bundle-withdraw"),
    path("<int:pk>/topics/", views.bundle_topics, name="bundle-topics"),
    path("versions/<int:pk>/edit/", views.bundle_version_edit, name="bundle-version-edit"),
    *[path(f"versions/<int:pk>/{action}/", views.bundle_version_action, {"action": action},
           name=f"bundle-version-{action}") for action in views.BUNDLE_VERSION_ACTIONS],
]
