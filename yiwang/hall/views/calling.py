"""The window clerk's 叫号台 (/workbench/hall/calling/): the window they are signed in to, the
ticket at the window, 叫下一位 / 重呼 / 开始办理 / 办结 / 过号 / 转窗, and how many wait in the
window's queues. Each POST calls one ``calling`` service; a refusal is shown as its message."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, re_path, reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiwang.common.errors import DomainError
from yiwang.common.identifiers import mask_id, mask_name
from yiwang.workbench.views import any_staff_required

from ..models import PriorityGroup, Queue, Ticket, TicketStatus
from ..services import calling, tickets, windows

RECENT = 10


def _frontdesk_url(ticket: Ticket) -> str:
    # Part D's page (一窗受理 for this ticket); absent until that part is installed.
    try:
        return reverse("hall:frontdesk-serve", args=[ticket.pk])
    except NoReverseMatch:
        return ""


@any_staff_required
def desk(request):
    session = windows.current_session(request.user)
    if session is None:
        return render(request, "hall/calling/desk.html", {"session": None})
    window = session.window
    ticket = calling.serving_ticket(request.user)
    queue_ids = list(window.queues.filter(active=True).values_list("pk", flat=True))
    today = timezone.localdate()
    waiting = dict(Ticket.objects.filter(queue_id__in=queue_ids, date=today,
                                         status=TicketStatus.WAITING)
                   .values("queue_id").annotate(n=Count("pk")).values_list("queue_id", "n"))
    queues = [{"queue": q, "waiting": waiting.get(q.pk, 0)}
              for q in Queue.objects.filter(pk__in=queue_ids)]
    recent = (Ticket.objects.filter(window=window, date=today).exclude(status__in=calling.AT_WINDOW)
              .select_related("queue").order_by("-finished_at", "-pk")[:RECENT])
    context = {"session": session, "window": window, "ticket": ticket, "queues": queues,
               "hall_queues": Queue.objects.filter(hall=window.hall, active=True),
               "priority_groups": PriorityGroup.choices[1:],
               "elderly_age": settings.HALL_ELDERLY_AGE,
               "recent": recent, "transfer_queues": Queue.objects.filter(
                   hall=window.hall, active=True).exclude(pk=ticket.queue_id) if ticket else []}
    if ticket is not None:
        appointment = ticket.appointment
        context.update({
            "person": mask_name(ticket.name), "id_masked": mask_id(ticket.id_number)
            if ticket.id_number else "",
            "case_url": reverse("workbench:case-detail", args=[appointment.case_id])
            if appointment and appointment.case_id else "",
            "frontdesk_url": _frontdesk_url(ticket) if ticket.id_number or appointment else ""})
    return render(request, "hall/calling/desk.html", context)


@any_staff_required
@require_POST
def act(request, action: str):
    session = windows.current_session(request.user)
    if session is None:
        messages.error(request, "您没有签入窗口")
        return redirect("hall:calling")
    try:
        if action == "call":
            ticket = calling.call_next(request.user, session.window)
            if ticket is None:
                messages.info(request, "当前没有等候的号")
            else:
                messages.success(request, f"已叫号 {ticket.number}")
            return redirect("hall:calling")
        ticket_id = request.POST.get("ticket", "")
        ticket = calling.ticket_for_clerk(request.user, int(ticket_id)) \
            if ticket_id.isdigit() and len(ticket_id) < 19 else None
        if ticket is None:
            messages.error(request, "请选择排队号")
            return redirect("hall:calling")
        _do(request, action, ticket)
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("hall:calling")


@any_staff_required
@require_POST
def issue(request):
    """代取号 for a visitor at the window (an elderly or disabled person without a phone, a
    咨询): the new number is shown for the clerk to tell or print."""
    choice = request.POST.get("queue", "")
    queue = Queue.objects.filter(pk=int(choice)).first() if choice.isdigit() and len(choice) < 19 \
        else None
    if queue is None:
        messages.error(request, "请选择队列")
        return redirect("hall:calling")
    try:
        ticket = tickets.issue_ticket(request.user, queue, id_number=request.POST.get("id_number", ""),
                                      name=request.POST.get("name", ""),
                                      priority_group=request.POST.get("priority_group", ""))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        group = f"（优先：{ticket.get_priority_group_display()}）" if ticket.priority_group else ""
        messages.success(request, f"已代取号 {ticket.number}{group}")
    return redirect("hall:calling")


def _do(request, action: str, ticket: Ticket) -> None:
    clerk = request.user
    if action == "recall":
        ticket = calling.recall(clerk, ticket)
        messages.success(request, f"已重呼 {ticket.number}（第 {ticket.call_count} 次）")
    elif action == "start":
        messages.success(request, f"{calling.start(clerk, ticket).number} 开始办理")
    elif action == "finish":
        ticket = calling.finish(clerk, ticket)
        messages.success(request, f"{ticket.number} 已办结。请提示办事人对本次服务评价（一次一评）。")
    elif action == "skip":
        ticket = calling.skip(clerk, ticket)
        messages.info(request, f"{ticket.number} 已过号" if ticket.status == TicketStatus.MISSED
                      else f"{ticket.number} 未到，已重新排队")
    elif action == "transfer":
        choice = request.POST.get("queue", "")
        queue = Queue.objects.filter(hall_id=ticket.hall_id, pk=int(choice)).first() \
            if choice.isdigit() and len(choice) < 19 else None
        if queue is None:
            messages.error(request, "请选择转入的队列")
            return
        new = calling.transfer(clerk, ticket, queue)
        messages.success(request,
                         f"{ticket.number} 已转到{queue.name}，新号码 {new.number}（保留原到达时间）")
    elif action == "cancel":
        messages.info(request, f"{calling.cancel(clerk, ticket).number} 已取消")


urlpatterns = [
    path("calling/", desk, name="calling"),
    path("calling/issue/", issue, name="calling-issue"),
    re_path(r"^calling/(?P<action>call|recall|start|finish|skip|transfer|cancel)/$", act,
            name="calling-act"),
]
