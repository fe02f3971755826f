"""Read-side questions about cases that the portal and the API both ask: what the applicant is
to do next, the public progress query (办件进度查询) with its per-address limit, and the
published 一件事 that the search, topic and guide pages show."""

from __future__ import annotations

import re

from django.conf import settings
from django.db.models import QuerySet

from yiwang.catalog.models import ItemType
from yiwang.common.errors import TooManyRequests
from yiwang.common.identifiers import mask_name
from yiwang.common.ratelimit import over_limit

from .models import FINAL_STATUSES, Bundle, Case, Status
from .services import reuse_warnings

# 居民身份证号 and USCC alike: 18 letters and digits, which no person's or company's name is.
ID_NUMBER = re.compile(r"[0-9A-Za-z]{18}")

NEXT_STEPS = {
    Status.DRAFT: "继续填写",
    Status.RECEIVED: "等待受理",
    Status.ACCEPTED: "等待部门审查",
    Status.CORRECTING: "请补正",
    Status.REVIEWING: "部门审查中",
    Status.SPECIAL: "特别程序中（不计入办理时限）",
    Status.APPROVED: "等待制证",
    Status.APPROVED_TOLERATED: "请补交容缺材料，等待制证",
    Status.DENIED: "办结（不通过），可查看办理意见",
    Status.CERTIFIED: "等待送达或领取",
    Status.DELIVERED: "已送达，办理完毕",
    Status.NOT_ACCEPTED: "不予受理，可查看理由",
    Status.WITHDRAWN: "已撤回",
    Status.REVOKED: "已撤销",
}


def next_step(case: Case) -> str:
    return NEXT_STEPS[case.status]


def progress_lookup(number: str, name: str) -> Case | None:
    """The submitted case with exactly this 办件编号 and applicant name — or applicant 证件号码
    (居民身份证号 or USCC, 18 characters, matched through its blind index) — or None either way:
    the answer must not tell whether a number exists. One query on the unique index of
    ``number``."""
    number, name = (number or "").strip(), (name or "").strip()
    if not number or not name:
        return None
    applicant = ({"applicant_id_number": name} if ID_NUMBER.fullmatch(name)
                 else {"applicant_name": name})
    # The answer shows none of the encrypted columns: deferring them spares their decryption.
    cases = Case.objects.select_related("version", "department").defer(
        "applicant_id_number", "contact_mobile", "form_data", "prefill")
    try:
        return cases.get(number=number, **applicant)
    except Case.DoesNotExist:
        return None


def public_progress(case: Case) -> dict:
    """What a public progress answer shows of a case (the portal's page, the hall's terminals):
    where it stands, the applicant's name masked."""
    return {"number": case.number, "item": case.version.name, "status": case.get_status_display(),
            "step": next_step(case), "applicant": mask_name(case.applicant_name),
            "submitted_at": case.submitted_at, "accepted_at": case.accepted_at,
            "due_date": case.due_date, "provisional": case.deadline_provisional,
            "department": case.department.name}


def progress_queries_per_minute() -> int:
    return int(getattr(settings, "CASE_PROGRESS_QUERIES_PER_MINUTE", 10))


def throttle_progress_query(ip: str | None) -> None:
    """Count one query from ``ip`` in a fixed 60-second window; refuse once over the limit, so the
    form cannot be used to guess numbers and names at speed."""
    if over_limit(f"cases:progress:{ip or 'unknown'}", limit=progress_queries_per_minute(),
                  window=60):
        raise TooManyRequests("查询过于频繁，请一分钟后再试", code="progress.rate_limited")


def closed_cases() -> QuerySet[Case]:
    """Submitted cases in a final state (送达, 不予受理, 办结-不通过, 撤回, 撤销): what is archived."""
    return Case.objects.filter(status__in=FINAL_STATUSES).exclude(number__isnull=True)


def shown_files(case: Case) -> list:
    """The case's files as its pages list them (material preloaded), each with ``lapse``: why a
    reused licence or record no longer holds (``services.reuse_warnings``), or None."""
    warnings = reuse_warnings(case)
    files = list(case.files.select_related("material", "licence"))
    for case_file in files:
        case_file.lapse = warnings.get(case_file.pk)
    return files


def decision_title(case: Case) -> str | None:
    """The name of the 决定书 of a decided case (准予/不予 + 行政许可 for 行政许可 items, 办理 for
    the others), or None before 办结."""
    if case.decided_at is None:
        return None
    verdict = "不予" if case.status == Status.DENIED else "准予"
    what = "行政许可" if case.item.item_type == ItemType.LICENSING else "办理"
    return f"{verdict}{what}决定书"


# --- 一件事 on the portal ------------------------------------------------------------------------

ALIAS_SEPARATORS = re.compile(r"[、，,；;\s]+")


def published_bundles() -> QuerySet[Bundle]:
    """Bundles the public can apply for, with their published version, by name."""
    return (Bundle.objects.filter(published_version__isnull=False)
            .select_related("published_version__lead_department")
            .order_by("published_version__name"))


def bundles_with_item(item) -> list[Bundle]:
    """可作为一件事办理: the published bundles whose published version contains ``item``."""
    return list(published_bundles().filter(published_version__items=item))


def bundles_on_topic(topic) -> list[Bundle]:
    return list(published_bundles().filter(topics=topic))


def bundles_matching(query: str) -> list[Bundle]:
    """Published bundles a search query names: the query within the bundle's name or keywords,
    or one of them within the query ("怎么开餐馆" names 开餐馆). There are few bundles, so they are
    matched here rather than in the item index."""
    query = (query or "").strip().lower()
    if not query:
        return []
    found = []
    for bundle in published_bundles():
        version = bundle.published_version
        terms = [version.name.lower(), *(t.lower() for t in ALIAS_SEPARATORS.split(version.aliases) if t)]
        if any(query in term or (len(term) >= 2 and term in query) for term in terms):
            found.append(bundle)
    return found
