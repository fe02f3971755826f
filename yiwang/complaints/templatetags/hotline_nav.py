"""The workbench navigation's 12345 links: the console and queues for the hotline's operators, the
inbox for a department's 12345承办员. Takes the navigation's ``staff_roles``, so pages pay no
query for it."""

from django import template
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def hotline_links(roles, path: str = ""):
    inbox = reverse("hotline:inbox")
    links = []
    if roles.get("hotline_operator"):
        links.append((reverse("hotline:console"), "12345热线",
                      path.startswith("/workbench/hotline/") and not path.startswith(inbox)))
    if roles.get("hotline_handler"):
        links.append((inbox, "12345工单", path.startswith(inbox)))
    return format_html_join("\n", '<a href="{}"{}>{}</a>', (
        (url, mark_safe(' aria-current="page"') if current else "", label)
        for url, label, current in links))
