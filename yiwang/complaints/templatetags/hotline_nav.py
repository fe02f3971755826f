"""The workbench navigation's 12345 links: the console and queues for the hotline's operators, the
inbox for a department's 12345承办员. Takes the navigation's ``staff_roles``, so pages pay no
query for it. And the 红黄牌 of a deadline in the lists."""

from django import template
from django.urls import reverse
from django.utils import timezone
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


@register.simple_tag
def due_badge(due_on, is_open: bool = True):
    """红黄牌 of a deadline still running: 已超期 after the day, 今日到期 on it; nothing otherwise."""
    if not is_open or due_on is None:
        return ""
    today = timezone.localdate()
    if due_on < today:
        return mark_safe('<span class="badge warning-red">已超期</span>')
    if due_on == today:
        return mark_safe('<span class="badge warning-yellow">今日到期</span>')
    return ""
