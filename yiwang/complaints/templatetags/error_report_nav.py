"""The workbench navigation's 曝光纠错 link, for catalogue editors and region administrators. Takes
the navigation's ``staff_roles`` so that only a 区域管理员 without an editor role pays a query."""

from django import template
from django.urls import reverse
from django.utils.html import format_html

from .. import error_report_access as access

register = template.Library()


@register.simple_tag
def error_report_link(user, roles, path: str = ""):
    if not (roles.get("editor") or (roles.get("staff_admin") and access.admin_regions(user))):
        return ""
    url = reverse("error_reports_staff:list")
    if path.startswith(url):
        return format_html('<a href="{}" aria-current="page">曝光纠错</a>', url)
    return format_html('<a href="{}">曝光纠错</a>', url)
