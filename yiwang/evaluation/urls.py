"""Public and citizen pages of 好差评 (namespace ``evaluation``): each part's own URL module."""

from django.urls import include, path

app_name = "evaluation"

urlpatterns = [
    path("", include("yiwang.evaluation.urls_rectify")),
    path("", include("yiwang.evaluation.urls_stats")),
    path("", include("yiwang.evaluation.urls_ratings")),
]
