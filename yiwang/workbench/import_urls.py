"""Workbench pages for catalogue import and export."""

urlpatterns: list = []
