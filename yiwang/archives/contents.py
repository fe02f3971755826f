"""What a closed case's package holds, gathered from the case and what hangs off it.

Reads (never writes) the cases, catalogue, licence and audit records through their own
accessors: the package is a copy of the record at closing, so the archive keeps the full
record, unmasked — the applicant's ID number and mobile number included, because an archive
that masks them is no longer the record (真实性, 完整性). Who may open it is restricted instead
(archivists of the case's department or region, every download audited), and the pages that
list packages mask the applicant."""

from __future__ import annotations

from yiwang.cases.models import Case, CaseFile
from yiwang.cases.selectors import decision_title
from yiwang.catalog.guide import guide_to_dict
from yiwang.supervision.audit import records_about

from .errors import ArchiveError
from .packaging import JSON_TYPE, Category, Entry, json_bytes, safe_name


def case_metadata(case: Case) -> dict:
    """办件元数据 in the element names docs/archiving.md maps to GB/T 42727 (事项名称, 事项编码,
    办件编号, 申请人, 实施主体, 受理/办结时间, 办理结果 …)."""
    item, department = case.item, case.department
    company = case.company
    return {
        "number": case.number,
        "item": {"name": case.version.name, "basic_code": item.basic_code,
                 "implementation_code": item.implementation_code,
                 "handling_code": item.handling_code, "item_type": item.item_type,
                 "item_type_label": item.get_item_type_display(),
                 "guide_version": case.version.number},
        "department": {"name": department.name, "uscc": department.uscc},
        "region": {"code": case.region.code, "name": case.region.full_name or case.region.name},
        "applicant": {"kind": "company" if company else "person", "name": case.applicant_name,
                      "id_number": case.applicant_id_number},
        "company": {"name": company.name, "uscc": company.uscc} if company else None,
        "contact": {"name": case.contact_name, "mobile": case.contact_mobile},
        "bundle_application": case.bundle_application_id,
        "commitment": case.commitment,
        "tolerated": case.tolerated,
        "time_limit_working_days": case.time_limit,
        "submitted_at": case.submitted_at,
        "accepted_at": case.accepted_at,
        "decided_at": case.decided_at,
        "closed_at": case.closed_at,
        "due_date": case.due_date,
        "status": case.status,
        "outcome": case.get_status_display(),
        "outcome_reason": case.outcome_reason,
    }


# Metadata elements a package must carry (完整性): the case's identity, who, where, when, outcome.
REQUIRED_METADATA = (
    ("number", "办件编号"), ("item.name", "事项名称"), ("item.implementation_code", "实施编码"),
    ("department.name", "实施主体"), ("department.uscc", "实施主体统一社会信用代码"),
    ("applicant.name", "申请人"), ("applicant.id_number", "申请人证件号码"),
    ("submitted_at", "申请时间"), ("closed_at", "办结时间"), ("outcome", "办理结果"),
)


def entries_of(case: Case) -> list[Entry]:
    """Every file of the package but the manifest and the signature, in package order."""
    entries = [
        Entry("metadata/case.json", Category.METADATA, "办件元数据", JSON_TYPE,
              json_bytes(case_metadata(case))),
        Entry("metadata/guide.json", Category.METADATA, f"办事指南（第{case.version.number}版）",
              JSON_TYPE, json_bytes(guide_to_dict(case.version))),
        Entry("application/form.json", Category.APPLICATION, "申请表", JSON_TYPE, json_bytes({
            "form_definition": case.version.form_definition, "values": case.form_data,
            "prefill": case.prefill, "commitment_text": case.commitment_text})),
    ]
    entries += _materials(case)
    entries += _results(case)
    entries += _process(case)
    entries.append(Entry("audit/records.json", Category.AUDIT, "审计记录", JSON_TYPE,
                         json_bytes(records_about(case))))
    return entries


def _materials(case: Case) -> list[Entry]:
    entries = []
    files = case.files.select_related("material", "licence").order_by("material_id", "uploaded_at", "id")
    for index, case_file in enumerate(files, start=1):
        material = case_file.material.name if case_file.material_id else "其他材料"
        title = material + ("（已被替换）" if case_file.superseded else "")
        about = {"material": material, "original_name": case_file.original_name,
                 "uploaded_at": case_file.uploaded_at, "superseded": case_file.superseded,
                 "sha256": case_file.sha256}
        if case_file.reused:
            entries.append(Entry(f"materials/{index:02d}-{safe_name(material)}.json",
                                 Category.MATERIAL, f"{title}（免提交）", JSON_TYPE,
                                 json_bytes({**about, **_reuse(case_file)})))
            continue
        entries.append(Entry(f"materials/{index:02d}-{safe_name(case_file.original_name)}",
                             Category.MATERIAL, title, case_file.content_type,
                             read_stored(case_file.file,
                                         f"办件材料“{case_file.original_name}”的文件已不在存储中，不能归档",
                                         details={"file": case_file.pk})))
    return entries


def read_stored(stored, missing: str, *, details=None) -> bytes:
    """The whole content of a stored file (a FileField's file); a file gone from storage is the
    ArchiveError ``archive.file_missing`` with the message ``missing``."""
    try:
        with stored.open("rb") as handle:
            return handle.read()
    except (OSError, ValueError) as exc:  # ValueError: Django's "file cannot be reopened" when gone
        raise ArchiveError(missing, code="archive.file_missing", details=details) from exc


def _reuse(case_file: CaseFile) -> dict:
    if case_file.licence_id:
        licence = case_file.licence
        return {"source": "licence", "licence_identifier": licence.identifier,
                "licence_type": licence.type_name, "issuer": licence.issuer_name}
    return {"source": "registry", "snapshot": case_file.registry_snapshot}


def _results(case: Case) -> list[Entry]:
    closing = case.events.filter(to_status=case.status).order_by("-at", "-id").first()
    decision = case.events.filter(action="decide").order_by("-at", "-id").first()
    result = {
        "outcome": case.get_status_display(), "status": case.status,
        "document": decision_title(case),
        "reason": case.outcome_reason or (closing.reason if closing else ""),
        "decided_at": case.decided_at, "closed_at": case.closed_at,
        "decided_by": _actor(decision), "closed_by": _actor(closing),
    }
    entries = [Entry("results/result.json", Category.RESULT, "办理结果", JSON_TYPE,
                     json_bytes(result))]
    licence = getattr(case, "licence", None)
    if licence is not None:
        # Upward import (licences builds on cases): the licence's signed content is its own
        # service's definition, which no signal could hand back.
        from yiwang.licences.services import signed_content

        entries.append(Entry("results/licence.json", Category.RESULT,
                             f"电子证照：{licence.type_name}", JSON_TYPE, json_bytes({
                                 "identifier": licence.identifier, "content": signed_content(licence),
                                 "signature": licence.signature, "qr_signature": licence.qr_signature,
                                 "status": licence.status, "issued_at": licence.issued_at,
                                 "delivered_at": licence.delivered_at})))
    return entries


def _actor(event) -> dict | None:
    if event is None:
        return None
    return {"name": event.actor_name, "department": event.actor_department, "at": event.at}


def _process(case: Case) -> list[Entry]:
    events = [{"action": e.action, "label": e.label, "from": e.from_status, "to": e.to_status,
               "actor": e.actor_name, "department": e.actor_department, "on_behalf": e.on_behalf,
               "reason": e.reason, "data": e.data, "at": e.at}
              for e in case.events.order_by("at", "id")]
    tasks = [{"kind": t.kind, "name": t.name, "stage": t.stage, "department": t.department.name,
              "status": t.status, "assignee": _username(t.assignee), "opinion": t.opinion,
              "created_at": t.created_at, "completed_at": t.completed_at,
              "completed_by": _username(t.completed_by)}
             for t in case.tasks.select_related("department", "assignee", "completed_by")]
    corrections = {
        "corrections": [{"defects": c.defects, "note": c.note, "requested_at": c.requested_at,
                         "stops_clock": c.stops_clock, "resolved_at": c.resolved_at}
                        for c in case.corrections.all()],
        "special_procedures": [{"kind": p.kind, "kind_label": p.get_kind_display(),
                                "reason": p.reason, "expected_days": p.expected_days,
                                "started_at": p.started_at, "ended_at": p.ended_at,
                                "result": p.result} for p in case.special_procedures.all()],
    }
    return [
        Entry("process/events.json", Category.PROCESS, "办理过程记录", JSON_TYPE, json_bytes(events)),
        Entry("process/tasks.json", Category.PROCESS, "办理环节", JSON_TYPE, json_bytes(tasks)),
        Entry("process/corrections.json", Category.PROCESS, "补正告知和特别程序", JSON_TYPE,
              json_bytes(corrections)),
    ]


def _username(user) -> str:
    return user.get_full_name() or user.get_username() if user is not None else ""
