"""The workbench navigation's links to 好差评's staff pages, each only for who may use it. Takes
the navigation's ``staff_roles`` so that most pages pay no query for it."""

from django import template
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from ..services import reasons as reason_services

register = template.Library()

LINK = '<a href="{}">{}</a>'
CURRENT = '<a href="{}" aria-current="page">{}</a>'


@register.simple_tag
def evaluation_rating_links(user, roles, path: str = ""):
    links = []
    if roles.get("supervisor"):
        links.append((reverse("evaluation_staff:inspections"), "监督查评"))
    # 区域管理员 are among staff_admin (with 部门管理员, who may not keep the list).
    if roles.get("staff_admin") and reason_services.may_manage(user):
        links.append((reverse("evaluation_staff:reasons"), "差评原因"))
    return format_html_join("\n", "{}", (
        (format_html(CURRENT if path.startswith(url) else LINK, url, label),) for url, label in links))
