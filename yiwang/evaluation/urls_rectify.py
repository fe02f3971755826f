"""The rater's view of the fix of their 差评 (part B of 好差评)."""

from django.urls import path

from . import rectify_views as views

urlpatterns = [
    path("evaluation/rectifications/<int:pk>/", views.rater_view, name="rectification"),
]
