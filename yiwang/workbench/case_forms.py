"""Forms of the workbench case pages. They only parse what the browser sent into the arguments
of one service; whether the action is allowed, and with which values, is the service's to say."""

from __future__ import annotations

from django import forms
from django.forms import formset_factory

from yiwang.cases.models import ACTIVE_TASK_STATUSES, Case, SpecialProcedure, Status, TaskKind
from yiwang.cases.prereview import prereview
from yiwang.cases.queues import TABS, WARNINGS
from yiwang.cases.services import DELIVERY_METHODS
from yiwang.common.forms import PageNumberField
from yiwang.orgs.models import Department


class QueueFilterForm(forms.Form):
    tab = forms.ChoiceField(label="范围", required=False, choices=list(TABS.items()))
    kind = forms.ChoiceField(label="任务类型", required=False, choices=[("", "全部类型"), *TaskKind.choices])
    department = forms.ModelChoiceField(label="办理部门", required=False, queryset=None,
                                        empty_label="全部部门")
    warning = forms.ChoiceField(label="预警", required=False, choices=[("", "全部"), *WARNINGS.items()])
    q = forms.CharField(label="事项名称或办件编号", required=False, max_length=100)
    page = PageNumberField()

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments

    def filters(self) -> dict:
        data = self.cleaned_data
        return {"tab": data["tab"] or "all", "kind": data["kind"], "department": data["department"],
                "warning": data["warning"], "q": data["q"]}


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False, choices=[
        ("", "全部状态"), *[c for c in Status.choices if c[0] != Status.DRAFT]])
    warning = forms.ChoiceField(label="预警", required=False, choices=[("", "全部"), *WARNINGS.items()])
    q = forms.CharField(label="事项名称或办件编号", required=False, max_length=100)
    page = PageNumberField()


# --- one form per action of the case page ----------------------------------------------------------


class CaseForm(forms.Form):
    """An action form: knows its case, so that task choices are the case's own tasks."""

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case


class AcceptForm(CaseForm):
    tolerated = forms.BooleanField(label="容缺受理", required=False)
    tolerated_until = forms.DateField(label="容缺材料补交期限", required=False,
                                      widget=forms.DateInput(attrs={"type": "date"}))
    decide_now = forms.BooleanField(label="当场办结（即办件）", required=False)
    reason = forms.CharField(label="受理意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class BundleForm(CaseForm):
    def clean(self):
        if self.case.bundle_application_id is None:
            raise forms.ValidationError("该办件不属于“一件事”申请")
        return super().clean()


class ReasonForm(CaseForm):
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(CaseForm):
    note = forms.CharField(label="备注", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResultForm(CaseForm):
    result = forms.CharField(label="结果", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(ReasonForm):
    outcome = forms.ChoiceField(label="决定", choices=[("approved", "通过"), ("denied", "不通过")],
                                widget=forms.RadioSelect)


class DeliverForm(NoteForm):
    method = forms.ChoiceField(label="送达方式", choices=list(DELIVERY_METHODS.items()))


class SpecialForm(CaseForm):
    kind = forms.ChoiceField(label="特别程序类别", choices=SpecialProcedure.Kind.choices)
    reason = forms.CharField(label="理由", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    expected_days = forms.IntegerField(label="预计时长（工作日）")


def _yes(value: str) -> bool:
    return value == "yes"


class TaskForm(CaseForm):
    """An action on one task of the case (each department answers its own review task)."""

    task_kind: str = ""
    task = forms.ModelChoiceField(label="任务", queryset=None, widget=forms.HiddenInput,
                                  error_messages={"invalid_choice": "该任务不存在或已办结"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["task"].queryset = self.case.tasks.filter(kind=self.task_kind,
                                                              status__in=ACTIVE_TASK_STATUSES)


class ReviewForm(TaskForm):
    task_kind = TaskKind.REVIEW
    approve = forms.TypedChoiceField(label="审查意见", choices=[("yes", "同意"), ("no", "不同意")],
                                     coerce=_yes, widget=forms.RadioSelect)
    opinion = forms.CharField(label="意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class VerifyForm(TaskForm):
    task_kind = TaskKind.VERIFY
    confirmed = forms.TypedChoiceField(label="核查结果", choices=[("yes", "属实"), ("no", "不属实")],
                                       coerce=_yes, widget=forms.RadioSelect)
    note = forms.CharField(label="核查情况", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CorrectionForm(CaseForm):
    """一次性告知: every checked line of the checklist (``defect`` = ``material:<id>`` or
    ``field:<name>``, its text in ``message-<key>``) and one defect per line of ``other``."""

    other = forms.CharField(label="其他需要补正的内容（每行一项）", required=False,
                            widget=forms.Textarea(attrs={"rows": 3}))
    note = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        defects = []
        for key in self.data.getlist("defect"):
            kind, _, target = key.partition(":")
            defects.append({"kind": kind, "target": target,
                            "message": self.data.get(f"message-{key}", "")})
        defects += [{"kind": "other", "target": "", "message": line}
                    for line in data.get("other", "").splitlines() if line.strip()]
        data["defects"] = defects
        return data


def correction_checklist(case: Case) -> list[dict]:
    """The lines of the correction form: each material and form field of the guide, checked and
    worded as 预审 suggests where it found a defect."""
    found = {f"{d['kind']}:{d['target']}": d["message"] for d in prereview(case).defects}
    lines = [("material", str(m.pk), m.name) for m in case.version.materials.all()]
    lines += [("field", f["name"], f["label"]) for f in case.version.form_definition]
    return [{"key": f"{kind}:{target}", "kind": "材料" if kind == "material" else "表单",
             "label": label, "checked": f"{kind}:{target}" in found,
             "message": found.get(f"{kind}:{target}", "")} for kind, target, label in lines]


def error_text(form: forms.Form) -> str:
    """Every problem of a refused form in one message."""
    return "；".join(f"{form.fields[name].label}：{' '.join(errors)}" if name in form.fields
                     else " ".join(errors) for name, errors in form.errors.items())


# --- the workflow editor ---------------------------------------------------------------------------


class WorkflowStepForm(forms.Form):
    stage = forms.IntegerField(label="阶段", min_value=1, max_value=99,
                               widget=forms.NumberInput(attrs={"aria-label": "阶段"}))
    name = forms.CharField(label="环节名称", max_length=60,
                           widget=forms.TextInput(attrs={"aria-label": "环节名称"}))
    department = forms.ModelChoiceField(label="办理部门", queryset=Department.objects.none(),
                                        empty_label="请选择",
                                        widget=forms.Select(attrs={"aria-label": "办理部门"}))

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = departments


WorkflowFormSet = formset_factory(WorkflowStepForm, extra=2, can_delete=True)


def workflow_formset(item, steps, data=None):
    """Departments of the item's whole region tree (a county item may be reviewed by a city
    bureau), the rows of the current steps and two blank ones."""
    root = item.region.path.split("/", 1)[0] + "/"
    departments = Department.objects.filter(region__path__startswith=root).order_by("region__path", "name")
    initial = [{"stage": s.stage, "name": s.name, "department": s.department} for s in steps]
    return WorkflowFormSet(data, initial=initial, prefix="steps",
                           form_kwargs={"departments": departments})


def workflow_steps(formset) -> list[dict]:
    return [{"stage": f.cleaned_data["stage"], "name": f.cleaned_data["name"],
             "department": f.cleaned_data["department"].pk}
            for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
