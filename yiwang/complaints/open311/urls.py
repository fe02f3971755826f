"""/open311/: the discovery document and GeoReport v2 under v2/, each in .json and .xml."""

from django.urls import re_path

from . import views

app_name = "open311"
FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, views.discovery, name="discovery"),
    re_path(r"^v2/services" + FORMAT, views.service_list, name="services"),
    re_path(r"^v2/services/(?P<code>[-\w]{1,40})" + FORMAT, views.service_definition,
            name="service"),
    re_path(r"^v2/requests" + FORMAT, views.request_list, name="requests"),
    re_path(r"^v2/requests/(?P<number>[0-9A-Za-z]{1,30})" + FORMAT, views.request_detail,
            name="request"),
    re_path(r"^v2/tokens/(?P<token>[-\w]{1,100})" + FORMAT, views.token, name="token"),
]
