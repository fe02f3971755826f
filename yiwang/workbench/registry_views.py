"""Staff pages of the shared registries a department provides (共享数据维护): the registries, a
registry's records, the form that adds or updates a subject's record and the 注销 form. Only a
部门管理员 of the providing department finds a registry (``exchange.selectors.maintained_registry``:
another department's registry does not exist for them); each change is one service call, and a
refusal comes back as its message with its status code."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from yiwang.common.errors import DomainError
from yiwang.common.identifiers import mask_id
from yiwang.common.pagination import paginate
from yiwang.exchange import selectors, services
from yiwang.exchange.models import RecordStatus

from .case_forms import error_text
from .registry_forms import CancelForm, RecordFilterForm, RecordForm
from .views import _found, staff_who

# A 部门管理员 of a department that provides a registry.
registry_admin_required = staff_who(selectors.maintains_registries, selectors.NOT_A_PROVIDER)


@registry_admin_required
def registry_list(request):
    registries = list(selectors.maintained_registries(request.user))
    return render(request, "workbench/registries/list.html", {"registries": registries})


@registry_admin_required
def record_list(request, code: str):
    registry = _found(selectors.maintained_registry, request.user, code)
    form = RecordFilterForm(request.GET)
    context = {"registry": registry, "form": form, "page": None}
    if not form.is_valid():
        return render(request, "workbench/registries/records.html", context, status=400)
    records = selectors.registry_records(registry, q=form.cleaned_data["q"],
                                        status=form.cleaned_data["status"])
    page = paginate(records, form.cleaned_data["page"] or 1)
    labels = [(f["name"], f["label"]) for f in registry.fields]
    for record in page.items:
        record.masked_id = mask_id(record.subject_id_number)
        # The first two declared fields say enough to tell records apart on a phone screen.
        record.summary = [(label, record.data.get(name, "")) for name, label in labels[:2]]
    context.update(page=page, cancelled=RecordStatus.CANCELLED)
    return render(request, "workbench/registries/records.html", context)


def _render_form(request, registry, form, *, record=None, status: int = 200):
    return render(request, "workbench/registries/record_form.html", {
        "registry": registry, "form": form, "record": record,
        "masked_id": mask_id(record.subject_id_number) if record else "",
        "cancel_form": CancelForm() if record and record.status == RecordStatus.VALID else None,
    }, status=status)


def _save(request, registry, *, record=None):
    """Add (``record`` None) or update a record from the posted form."""
    form = RecordForm(registry, request.POST or None, record=record)
    if request.method != "POST":
        return _render_form(request, registry, form, record=record)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return _render_form(request, registry, form, record=record, status=400)
    number = record.subject_id_number if record else form.cleaned_data["subject_id_number"]
    try:
        saved = services.put_record(registry, actor=request.user, subject_id_number=number,
                                    subject_name=form.cleaned_data["subject_name"],
                                    data=form.record_data())
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_form(request, registry, form, record=record, status=exc.status)
    messages.success(request, f"已保存{saved.subject_name}（{mask_id(saved.subject_id_number)}）的记录")
    return redirect("workbench:registry-records", code=registry.code)


@registry_admin_required
def record_new(request, code: str):
    registry = _found(selectors.maintained_registry, request.user, code)
    return _save(request, registry)


@registry_admin_required
def record_edit(request, code: str, pk: int):
    registry = _found(selectors.maintained_registry, request.user, code)
    record = _found(lambda: selectors.registry_record(registry, pk=pk))
    return _save(request, registry, record=record)


@registry_admin_required
@require_POST
def record_cancel(request, code: str, pk: int):
    registry = _found(selectors.maintained_registry, request.user, code)
    record = _found(lambda: selectors.registry_record(registry, pk=pk))
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, error_text(form))
        return _render_form(request, registry, RecordForm(registry, record=record), record=record,
                            status=400)
    try:
        services.cancel_record(record, actor=request.user, reason=form.cleaned_data["reason"])
    except DomainError as exc:
        messages.error(request, exc.message)
        return _render_form(request, registry, RecordForm(registry, record=record), record=record,
                            status=exc.status)
    messages.success(request, f"已注销{record.subject_name}（{mask_id(record.subject_id_number)}）的记录")
    return redirect("workbench:registry-records", code=registry.code)
