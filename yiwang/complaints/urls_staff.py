"""12345 pages of the workbench (namespace ``hotline``, under /workbench/hotline/)."""

from django.urls import path

from .views import attachments
from .views import workbench as views

app_name = "hotline"

urlpatterns = [
    path("console/", views.console, name="console"),
    path("queues/<str:name>/", views.queue, name="queue"),
    path("inbox/", views.inbox, name="inbox"),
    path("requests/<str:number>/", views.request_detail, name="request"),
    path("requests/<str:number>/attachments/<str:pk>/", attachments.staff_attachment,
         name="attachment"),
    path("assignments/<int:pk>/", views.assignment_action, name="assignment"),
]
