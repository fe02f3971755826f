from django import forms

from yiwang.catalog.models import RetentionPeriod

# Far past any real page count, and inside every database's integer range.
MAX_PAGE = 100_000


class ArchiveFilterForm(forms.Form):
    q = forms.CharField(label="办件编号或事项名称", required=False, max_length=100)
    retention = forms.ChoiceField(label="保管期限", required=False,
                                  choices=[("", "全部"), *RetentionPeriod.choices])
    year = forms.IntegerField(label="办结年度", required=False, min_value=2000, max_value=2999)
    page = forms.IntegerField(label="页码", required=False, min_value=1, max_value=MAX_PAGE)


class DisposalForm(forms.Form):
    reason = forms.CharField(label="销毁意见", max_length=500,
                             widget=forms.Textarea(attrs={"rows": 2}),
                             help_text="如：保管期限已满，经鉴定无继续保存价值")
