"""好差评公示 (part C): the public statistics, the ratings behind them, JSON and CSV."""

from django.urls import path

from . import views_stats

urlpatterns = [
    path("evaluation/", views_stats.statistics_page, name="statistics"),
    path("evaluation/ratings/", views_stats.ratings_page, name="ratings"),
    path("evaluation/statistics.json", views_stats.statistics_json, name="statistics-json"),
    path("evaluation/statistics.csv", views_stats.statistics_csv, name="statistics-csv"),
]
