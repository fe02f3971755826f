"""自助终端管理 for hall managers (/workbench/hall/terminals/): the hall's terminals with their
state and when each was last seen, registering one (its secret shown on the answer page, once;
bound to a window it is that window's 评价器) and revoking one."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_POST

from yiwang.common.errors import DomainError, NotFound, PermissionDenied
from yiwang.common.pagination import paginate
from yiwang.common.views import shows_domain_errors

from ..models import Window
from ..services import terminals

PAGE_SIZE = 30


def _halls(user):
    halls = terminals.manageable_halls(user)
    if not user.is_superuser and not halls.exists():
        raise PermissionDenied("只有大厅管理员可以管理自助终端", code="permission.hall_role_required")
    return halls


def _page(request, halls, *, form=None, error=None, status=200):
    page = paginate(terminals.managed_terminals(request.user), request.GET.get("page"), PAGE_SIZE)
    windows = Window.objects.filter(hall__in=halls, active=True).select_related("hall")
    return render(request, "hall/terminals/list.html",
                  {"page": page, "halls": halls, "windows": windows, "form": form or {},
                   "error": error}, status=status)


@login_required
@shows_domain_errors
def terminal_list(request):
    """The list, and registering a terminal (POST)."""
    halls = _halls(request.user)
    if request.method != "POST":
        return _page(request, halls)
    form = {key: request.POST.get(key, "").strip()
            for key in ("hall", "name", "location", "window")}
    hall = halls.filter(pk=form["hall"]).first() if _is_pk(form["hall"]) else None
    window = Window.objects.filter(pk=form["window"]).first() if _is_pk(form["window"]) else None
    try:
        if hall is None:
            raise NotFound("请选择您管理的大厅", code="terminal.hall_required")
        if form["window"] and window is None:
            raise NotFound("请选择该大厅的窗口", code="terminal.window_mismatch")
        terminal, secret = terminals.register_terminal(request.user, name=form["name"], hall=hall,
                                                       location=form["location"], window=window)
    except DomainError as exc:
        return _page(request, halls, form=form, error=exc, status=exc.status)
    return render(request, "hall/terminals/registered.html",
                  {"terminal": terminal, "secret": secret}, status=201)


def _is_pk(text: str) -> bool:
    return text.isdigit() and len(text) < 19


@login_required
@require_POST
@shows_domain_errors
def terminal_revoke(request, pk: int):
    terminal = terminals.managed_terminals(request.user).filter(pk=pk).first()
    if terminal is None:
        raise NotFound("终端不存在", code="terminal.not_found")
    terminals.revoke_terminal(request.user, terminal)
    messages.success(request, f"已停用终端 {terminal.code}，它的下一次操作即被拒绝")
    return redirect("hall:terminals")


urlpatterns = [
    path("terminals/", terminal_list, name="terminals"),
    path("terminals/<int:pk>/revoke/", terminal_revoke, name="terminal-revoke"),
]
