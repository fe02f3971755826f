"""Forms of the workbench registry pages (共享数据维护): they parse what the browser sent; whether
an ID number, a name or a field's value will do, and whether the user may send it, is
``exchange.services``' to say, so the page and the API refuse alike."""

from __future__ import annotations

from django import forms

from yiwang.common.forms import PageNumberField
from yiwang.exchange.models import RecordStatus, Registry, RegistryRecord
from yiwang.licences.models import HolderKind

# The form's own names for the subject, so that no declared field can shadow them.
FIELD_PREFIX = "field_"


class RecordFilterForm(forms.Form):
    q = forms.CharField(label="名称或完整证件号码", required=False, max_length=100)
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), *RecordStatus.choices])
    page = PageNumberField()


class RecordForm(forms.Form):
    """A subject's record: the subject (only when adding; a record's subject never changes) and
    one text box per field the registry declares, in the declared order."""

    subject_id_number = forms.CharField(required=False, max_length=30)
    subject_name = forms.CharField(label="数据主体名称", required=False, max_length=200)

    def __init__(self, registry: Registry, *args, record: RegistryRecord | None = None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        if record is not None:
            initial = {"subject_name": record.subject_name,
                       **{FIELD_PREFIX + name: value for name, value in record.data.items()},
                       **initial}
        super().__init__(*args, initial=initial, **kwargs)
        self.registry, self.record = registry, record
        company = registry.subject_kind == HolderKind.COMPANY
        self.fields["subject_id_number"].label = "统一社会信用代码" if company else "居民身份证号"
        self.fields["subject_name"].label = "单位名称" if company else "姓名"
        if record is not None:
            del self.fields["subject_id_number"]
        for field in registry.fields:
            self.fields[FIELD_PREFIX + field["name"]] = forms.CharField(
                label=field["label"], required=False, max_length=500)

    def data_fields(self):
        """The bound fields of the registry's own data, for the template."""
        return [self[name] for name in self.fields if name.startswith(FIELD_PREFIX)]

    def record_data(self) -> dict:
        """The values filled in; an empty box is a field the record does not have (the service
        refuses it if the field is required)."""
        return {name.removeprefix(FIELD_PREFIX): value.strip()
                for name, value in self.cleaned_data.items()
                if name.startswith(FIELD_PREFIX) and value.strip()}


class CancelForm(forms.Form):
    reason = forms.CharField(label="注销原因", required=False, max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}))
