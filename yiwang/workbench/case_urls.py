"""Workbench pages for case handling (办件办理) and items' review workflows."""

from django.urls import path

from . import case_views

urlpatterns = [
    path("cases/", case_views.case_queue, name="case-queue"),
    path("cases/claim/", case_views.task_claim_many, name="case-claim-many"),
    path("cases/all/", case_views.case_list, name="case-list"),
    path("cases/tasks/<int:pk>/claim/", case_views.task_claim, name="case-task-claim"),
    path("cases/tasks/<int:pk>/release/", case_views.task_release, name="case-task-release"),
    path("cases/<int:pk>/", case_views.case_detail, name="case-detail"),
    path("cases/<int:pk>/files/<int:file_pk>/", case_views.case_file, name="case-file"),
    path("cases/<int:pk>/documents/<slug:kind>/", case_views.case_document, name="case-document"),
    *[path(f"cases/<int:pk>/{action}/", case_views.case_action, {"action": action},
           name=f"case-{action}") for action in case_views.CASE_ACTIONS],
    path("items/<int:pk>/workflow/", case_views.item_workflow, name="item-workflow"),
]
