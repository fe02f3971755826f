"""未解答的咨询 in the workbench, in the ``workbench`` namespace (under consult/)."""

from django.urls import path

from . import consult_views as views

urlpatterns = [
    path("questions/", views.question_list, name="consult-questions"),
    path("questions/<int:pk>/handle/", views.question_handle, name="consult-question-handle"),
]
