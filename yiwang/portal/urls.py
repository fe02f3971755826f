from django.urls import include, path

from . import consult_views, views

app_name = "portal"
MOBILE = {"mobile": True}

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search, name="search"),
    path("topics/", views.topics, name="topics"),
    path("topics/<slug:slug>/", views.topic_detail, name="topic"),
    path("departments/", views.departments, name="departments"),
    path("departments/<int:pk>/", views.department_detail, name="department"),
    path("regions/", views.regions, name="regions"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("items/<str:code>/", views.item_guide, name="item"),
    path("items/<str:code>/print/", views.item_guide, {"printable": True}, name="item_print"),
    path("items/<str:code>/implementations/", views.item_implementations,
         name="item_implementations"),
    path("consult/", consult_views.consult_page, name="consult"),
    path("m/", views.home, MOBILE, name="m_home"),
    path("m/search/", views.search, MOBILE, name="m_search"),
    path("m/topics/<slug:slug>/", views.topic_detail, MOBILE, name="m_topic"),
    path("m/items/<str:code>/", views.item_guide, MOBILE, name="m_item"),
    path("m/consult/", consult_views.consult_page, MOBILE, name="m_consult"),
    path("", include("yiwang.portal.case_urls")),
    path("bundles/", include("yiwang.portal.bundle_urls")),
]
