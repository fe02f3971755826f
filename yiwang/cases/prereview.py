"""预审: the rules of an item's guide applied to an application — required fields, formats,
required materials — with every defect listed at once (一次性告知)."""

from __future__ import annotations

from dataclasses import dataclass, field

from yiwang.catalog.formdef import validate_submission
from yiwang.catalog.models import MaterialForm, Necessity
from yiwang.common.errors import ValidationError

from .models import Case


def defect(kind: str, target, label: str, message: str) -> dict:
    """One defect as the notice, the API and the correction record carry it."""
    return {"kind": kind, "target": str(target), "label": label, "message": message}


@dataclass
class PreReview:
    defects: list[dict] = field(default_factory=list)
    missing_tolerated: list[dict] = field(default_factory=list)  # 容缺 materials not yet supplied
    form: dict = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.defects

    def raise_if_failed(self, what: str = "申请") -> None:
        if self.defects:
            raise ValidationError(
                f"{what}预审未通过，共{len(self.defects)}处需要修改：" + "；".join(
                    d["message"] for d in self.defects),
                code="case.prereview_failed", details={"defects": self.defects})


def online_materials(version):
    """Materials the applicant sends online; paper-only ones are handed in at the window."""
    return [m for m in version.materials.all() if m.form != MaterialForm.PAPER]


def current_files(case: Case) -> dict[int, list]:
    files: dict[int, list] = {}
    for f in case.files.all():
        if not f.superseded and f.material_id:
            files.setdefault(f.material_id, []).append(f)
    return files


def prereview(case: Case) -> PreReview:
    result = PreReview()
    version = case.version
    try:
        result.form = validate_submission(version.form_definition, case.form_data)
    except ValidationError as exc:
        labels = {f["name"]: f["label"] for f in version.form_definition}
        for name, message in (exc.details or {}).get("fields", {}).items():
            result.defects.append(defect("field", name, labels.get(name, name), message))
    files = current_files(case)
    for material in online_materials(version):
        if files.get(material.pk):
            continue
        entry = defect("material", material.pk, material.name, f"缺少材料“{material.name}”")
        if material.necessity == Necessity.REQUIRED:
            result.defects.append(entry)
        elif material.necessity == Necessity.TOLERATED:
            result.missing_tolerated.append(entry)
    if case.commitment:
        if not version.commitment_allowed:
            result.defects.append(defect("commitment", "commitment", "承诺办理",
                                         "该事项不适用承诺办理"))
        elif not case.commitment_text.strip():
            result.defects.append(defect("commitment", "commitment_text", "承诺书",
                                         "选择承诺办理须填写承诺书"))
    return result
