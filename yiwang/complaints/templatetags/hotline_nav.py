"""The workbench navigation's 12345 links: the console and queues for the hotline's operators, the
inbox for a department's 12345承办员. Takes the navigation's ``staff_roles``, so pages pay no
query for it. And the 红黄牌 of a deadline in the lists."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

from .. import access, selectors
from ..models import AssignmentStatus

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


@register.inclusion_tag("complaints/hotline/_home_cards.html")
def hotline_home_cards(user, roles):
    """The workbench home's 12345 cards: the hotline's queues with their counts for operators, the
    department's open assignments for its 12345承办员."""
    context = {"queues": None, "inbox": None}
    if roles.get("hotline_operator"):
        counts = selectors.queue_counts(user)
        context["queues"] = [(name, label, counts[name]) for name, label in selectors.QUEUES.items()
                             if name != selectors.TO_ARBITRATE or access.arbitrates(user)]
    if roles.get("hotline_handler"):
        open_assignments = selectors.inbox(user)
        context["inbox"] = {
            "pending": open_assignments.filter(status=AssignmentStatus.PENDING).count(),
            "handling": open_assignments.filter(status=AssignmentStatus.HANDLING).count(),
            "overdue": open_assignments.filter(due_on__lt=timezone.localdate()).count(),
        }
    return context
