from django.urls import include, path

from . import identity_views, views

app_name = "workbench"
urlpatterns = [
    path("", views.home, name="home"),
    path("items/", views.item_list, name="items"),
    path("items/new/", views.item_create, name="item-new"),
    path("items/<int:pk>/", views.item_detail, name="item-detail"),
    path("items/<int:pk>/history/", views.item_history, name="item-history"),
    path("items/<int:pk>/diff/", views.item_diff, name="item-diff"),
    path("items/<int:pk>/revise/", views.item_revise, name="item-revise"),
    path("items/<int:pk>/withdraw/", views.item_withdraw, name="item-withdraw"),
    path("items/<int:pk>/topics/", views.item_topics, name="item-topics"),
    path("versions/<int:pk>/", views.version_detail, name="version-detail"),
    path("versions/<int:pk>/edit/", views.version_edit, name="version-edit"),
    *[path(f"versions/<int:pk>/{action}/", views.version_action, {"action": action},
           name=f"version-{action}") for action in views.VERSION_ACTIONS],
    path("review/", views.review_queue, name="review"),
    path("identity/verify/", identity_views.identity_verify, name="identity-verify"),
    path("security/events/", identity_views.auth_events, name="auth-events"),
    path("staff/", identity_views.staff_roles, name="staff"),
    path("staff/<int:pk>/revoke/", identity_views.staff_role_revoke, name="staff-revoke"),
    path("transfer/", include("yiwang.workbench.import_urls")),
    path("licences/", include("yiwang.workbench.licence_urls")),
    path("registries/", include("yiwang.workbench.registry_urls")),
    path("bundles/", include("yiwang.workbench.bundle_urls")),
    path("consult/", include("yiwang.workbench.consult_urls")),
    path("", include("yiwang.workbench.case_urls")),
]
