"""The applicant's case pages, in the ``portal`` namespace (included from portal/urls.py)."""

from django.urls import path

from . import case_views as views

urlpatterns = [
    path("items/<str:code>/apply/", views.apply, name="case-apply"),
    path("cases/", views.my_cases, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:pk>/files/", views.case_upload, name="case-upload"),
    path("cases/<int:pk>/files/<int:file_pk>/", views.case_file, name="case-file"),
    path("cases/<int:pk>/files/<int:file_pk>/delete/", views.case_file_delete, name="case-file-delete"),
    path("cases/<int:pk>/submit/", views.case_submit, name="case-submit"),
    path("cases/<int:pk>/resubmit/", views.case_resubmit, name="case-resubmit"),
    path("cases/<int:pk>/receipt/", views.case_receipt, name="case-receipt"),
    path("cases/<int:pk>/correction-notice/", views.case_correction_notice,
         name="case-correction-notice"),
    path("cases/<int:pk>/decision/", views.case_decision, name="case-decision"),
    path("cases/<int:pk>/withdraw/", views.case_withdraw, name="case-withdraw"),
    path("cases/<int:pk>/delete/", views.case_delete, name="case-delete"),
    path("cases/<int:pk>/tolerated/", views.case_tolerated, name="case-tolerated"),
    path("cases/<int:pk>/licence/", views.case_licence, name="case-licence"),
    path("cases/<int:pk>/record/", views.case_record, name="case-record"),
    path("progress/", views.progress, name="progress"),
]
