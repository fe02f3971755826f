"""Forms of the workbench licence pages: they parse what the browser sent; whether the change is
allowed, and whether the reason will do, is the service's to say."""

from __future__ import annotations

from django import forms

from yiwang.common.forms import PageNumberField


class LicenceFilterForm(forms.Form):
    q = forms.CharField(label="证照标识或持证主体", required=False, max_length=100)
    page = PageNumberField()


class ReasonForm(forms.Form):
    reason = forms.CharField(label="原因", required=False, widget=forms.Textarea(attrs={"rows": 2}))
