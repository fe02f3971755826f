"""The applicant's side: draft, upload or use an electronic licence or a shared registry record
instead (免提交), submit (idempotently, re-checking what was reused), fix a correction, supply a
容缺 material, withdraw."""

from __future__ import annotations

import datetime as dt

from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone

from yiwang.accounts.services import act_as, require_assurance
from yiwang.catalog.models import Audience, Necessity, OnlineDepth, ServiceItem
from yiwang.common.errors import Conflict, NotFound, ValidationError
from yiwang.exchange.models import RecordStatus, RegistryRecord
from yiwang.exchange.selectors import licence_type_of, records_of, registry_code_of
from yiwang.exchange.services import (
    PURPOSE_ATTACHED,
    record_licence_use,
    record_registry_use,
    registry_source,
    snapshot,
    snapshot_digest,
)
from yiwang.licences import selectors as licence_selectors
from yiwang.licences.models import Licence
from yiwang.licences.services import judge
from yiwang.supervision import audit

from .. import deadlines, statemachine
from ..access import require_applicant
from ..models import Case, CaseFile, Channel, DeliveryMethod, Status, TaskKind
from ..prereview import PreReview, defect, prereview
from ..uploads import check_upload
from ._base import (
    acting_for,
    cancel_open_tasks,
    clean_reason,
    lock,
    move,
    next_number,
    on_behalf,
    open_task,
    person_name,
    record,
    require_editable,
    tell_applicant,
)
from .prefilling import prefill_case

MAX_FORM_VALUE = 2000
MAX_KEY = 64


def published_version(item: ServiceItem):
    """The version one may apply for now, or a clear refusal for a withdrawn or unpublished item."""
    item = ServiceItem.objects.select_related("published_version").get(pk=item.pk)
    if item.published_version is None:
        raise Conflict("该事项已撤回或尚未发布，暂不能申请", code="case.item_withdrawn")
    return item.published_version


def _check_applicant(user, version, company_id: int | None):
    require_assurance(user, version.min_assurance_level, purpose=f"申请“{version.name}”")
    if version.audience == Audience.COMPANY and company_id is None:
        raise ValidationError("该事项的服务对象为法人，请选择以哪个单位的名义申请",
                              code="case.company_required")
    if version.audience == Audience.PERSON and company_id is not None:
        raise ValidationError("该事项的服务对象为个人，请以个人名义申请", code="case.person_only")
    return act_as(user, company_id, item_code=version.item.basic_code)


def open_drafts(user, item: ServiceItem):
    """The applicant's unsubmitted drafts of ``item`` outside any 一件事, newest first."""
    return (Case.objects.filter(applicant=user, item=item, status=Status.DRAFT,
                                bundle_application__isnull=True)
            .select_related("company", "version").order_by("-updated_at", "-pk"))


@transaction.atomic
def start_application(user, item: ServiceItem, *, company_id: int | None = None,
                      bundle_application=None) -> Case:
    """A draft (草稿) for the published version of ``item``; nothing is checked but who applies,
    and that the guide offers online application at all (网上受理 or deeper). The applicant's open
    draft of the same version for the same company (or for themselves) is continued rather than
    a second one started, so applying again never piles up drafts. What the platform knows of the
    applicant is filled in (``prefilling.prefill_case``)."""
    version = published_version(item)
    if version.online_depth < OnlineDepth.ONLINE_ACCEPT:
        raise Conflict("该事项暂不支持网上申请，请按办事指南到窗口办理", code="case.not_online")
    actor = _check_applicant(user, version, company_id)
    if bundle_application is None:
        draft = open_drafts(user, item).filter(version=version, company=actor.company).first()
        if draft is not None:
            return draft
    return _new_draft(user, item, version, actor, bundle_application=bundle_application)


def _new_draft(user, item: ServiceItem, version, actor, **fields) -> Case:
    return prefill_case(Case.objects.create(
        item=item, version=version, department=item.department, region=item.region,
        applicant=user, company=actor.company, agent_authorization=actor.authorization, **fields))


@transaction.atomic
def start_in_person(user, item: ServiceItem, *, company_id: int | None = None,
                    channel: str = Channel.WINDOW, delivery_method: str = DeliveryMethod.WINDOW,
                    proxy_authorization=None) -> Case:
    """A new draft for ``user`` made at a counter or a terminal (窗口收件): every published item
    may be applied for in person, whatever its online depth, and the applicant chooses how the
    result reaches them (窗口领取 by default). The caller — the hall's front desk — has checked
    who stands at the counter and the clerk's right to act there; a 帮办代办 authorisation it
    checked is recorded on the case. The applicant's own online drafts are left alone."""
    if channel == Channel.ONLINE:
        raise ValidationError("网上申请请用在线申请", code="case.channel_invalid")
    if delivery_method not in DeliveryMethod.values:
        raise ValidationError("送达方式无效", code="case.delivery_method")
    version = published_version(item)
    actor = _check_applicant(user, version, company_id)
    return _new_draft(user, item, version, actor, channel=channel,
                      delivery_method=delivery_method, proxy_authorization=proxy_authorization)


def clean_form_data(version, data: dict) -> dict:
    """Keep only the form's own fields, as strings or booleans of bounded length; the rules of
    each field are applied by pre-review at submission, so a half-filled draft can be saved."""
    if not isinstance(data, dict):
        raise ValidationError("申请表数据应为对象", code="case.form_not_object")
    names = {f["name"] for f in version.form_definition}
    cleaned = {}
    for name, value in data.items():
        if name not in names:
            continue
        if not isinstance(value, bool):
            value = "" if value is None else str(value)
            if len(value) > MAX_FORM_VALUE:
                raise ValidationError(f"“{name}”的内容过长", code="case.form_value_too_long")
        cleaned[name] = value
    return cleaned


@transaction.atomic
def save_draft(case: Case, user, form_data: dict, *, commitment: bool | None = None,
               commitment_text: str | None = None) -> Case:
    case = lock(case)
    require_editable(case, user)
    case.form_data = {**case.form_data, **clean_form_data(case.version, form_data)}
    if commitment is not None:
        if commitment and not case.version.commitment_allowed:
            raise ValidationError("该事项不适用承诺办理", code="case.commitment_not_allowed")
        case.commitment = commitment
    if commitment_text is not None:
        case.commitment_text = clean_reason(commitment_text, required=False, what="承诺书")
    case.save(update_fields=["form_data", "commitment", "commitment_text", "updated_at"])
    return case


def _material(case: Case, material_id):
    material = case.version.materials.filter(pk=material_id).first() if str(material_id).isdigit() else None
    if material is None:
        raise NotFound("该事项没有这项申请材料", code="case.material_not_found")
    return material


def store_file(case: Case, material, upload, user, *, stored_name: str | None = None,
               checked=None) -> CaseFile:
    """Save an upload and replace the material's current file. In a draft the old file is
    deleted; later (补正, 容缺) it is kept as superseded so the history shows what came first."""
    checked = checked or check_upload(upload)
    name = stored_name or default_storage.save(f"cases/{timezone.now():%Y/%m}/{checked.sha256[:16]}"
                                               f"{checked.name[checked.name.rfind('.'):]}", upload)
    _retire_current(case, material)
    return CaseFile.objects.create(
        case=case, material=material, file=name, original_name=checked.name,
        content_type=checked.content_type, size=checked.size, sha256=checked.sha256,
        uploaded_by=user)


def _retire_current(case: Case, material) -> None:
    old = case.files.filter(material=material, superseded=False)
    if case.status == Status.DRAFT:
        for f in old:
            discard_file(f)
    else:
        old.update(superseded=True)


def discard_file(case_file: CaseFile) -> None:
    name = case_file.file.name
    case_file.delete()
    # A bundle shares one stored file; a licence row has none.
    if name and not CaseFile.objects.filter(file=name).exists():
        transaction.on_commit(lambda: default_storage.delete(name))


@transaction.atomic
def attach_file(case: Case, user, material_id, upload, *, clerk=None) -> CaseFile:
    """Upload a material for the applicant ``user``; a window clerk who scans the paper for them
    is ``clerk`` and is recorded as the uploader."""
    case = lock(case)
    require_editable(case, user)
    case_file = store_file(case, _material(case, material_id), upload, clerk or user)
    if case.status != Status.DRAFT:
        record(case, "file_uploaded", actor=clerk or user, label="上传补正材料",
               on_behalf=acting_for(case, clerk),
               data={"file": case_file.original_name, "sha256": case_file.sha256})
    return case_file


@transaction.atomic
def attach_licence(case: Case, user, material_id, licence_id, *, consent: bool) -> CaseFile:
    """免提交: with the applicant's consent, one of their electronic licences of the type the
    guide names for the material takes the place of an upload. The licence must be the applicant's
    (the company's when applying for it; anyone else's is NotFound) and pass verification; the
    verdict is kept in the case's history and the use in the holder's usage log."""
    case = lock(case)
    require_editable(case, user)
    material = _material(case, material_id)
    type_code = licence_type_of(material)
    if type_code is None:
        raise ValidationError(f"材料“{material.name}”不能以电子证照替代", code="case.not_licence_exemptible")
    if consent is not True:
        raise ValidationError("请确认同意使用该电子证照", code="case.licence_consent_required")
    licence = licence_selectors.held_licence(licence_id, user=user, company=case.company)
    if licence.licence_type.code != type_code:
        raise ValidationError(f"{licence.type_name}不能替代材料“{material.name}”",
                              code="case.licence_type_mismatch")
    check = judge(licence)
    if not check.ok:
        raise Conflict(check.reason, code=check.code)
    _retire_current(case, material)
    case_file = CaseFile.objects.create(
        case=case, material=material, licence=licence, original_name=str(licence),
        content_type="", size=0, sha256="", uploaded_by=user)
    record(case, "licence_attached", actor=user, label="使用电子证照", on_behalf=on_behalf(case),
           data={"material": material.name, "identifier": licence.identifier,
                 "verification": check.code, "verification_reason": check.reason})
    record_licence_use(licence, case, purpose=PURPOSE_ATTACHED, actor=user)
    return case_file


@transaction.atomic
def attach_record(case: Case, user, material_id, record_id=None, *, consent: bool) -> CaseFile:
    """免提交 from shared data: with the applicant's consent, their record in the registry the
    guide names for the material (``data:<registry code>``) takes the place of an upload. The
    record is found by the applicant's verified identity — the ID number of their real-name
    account, or the company's USCC when applying for it; ``record_id``, if given, must be that
    record (anyone else's is NotFound). The case keeps a snapshot of the fields with the
    registry's time of the record, so it shows what was used whatever the registry does later;
    the use goes to the subject's usage log."""
    case = lock(case)
    require_editable(case, user)
    material = _material(case, material_id)
    code = registry_code_of(material)
    if code is None:
        raise ValidationError(f"材料“{material.name}”不能以共享数据替代", code="case.not_data_exemptible")
    if consent is not True:
        raise ValidationError("请确认同意使用该共享数据", code="case.data_consent_required")
    mine = records_of(case)
    if record_id not in (None, ""):
        found = mine.filter(pk=record_id).first() if str(record_id).isdigit() else None
        if found is None:
            # Another person's record does not exist for the applicant, as a licence does not.
            raise NotFound("共享数据记录不存在", code="case.record_not_found")
        if found.registry.code != code:
            raise ValidationError(f"{found.registry.name}不能替代材料“{material.name}”",
                                  code="case.registry_mismatch")
    else:
        found = mine.filter(registry__code=code).first()
        if found is None:
            raise NotFound(f"数据共享平台没有{_whose(case)}可替代“{material.name}”的共享数据，请上传该材料",
                           code="case.no_matching_record")
    refusal = _record_refusal(found)
    if refusal:
        raise Conflict(f"该{found.registry.name}{refusal}，请上传该材料", code="case.record_invalid")
    _retire_current(case, material)
    shown = snapshot(found)
    case_file = CaseFile.objects.create(
        case=case, material=material, registry_record=found, registry_snapshot=shown,
        original_name=registry_source(found), content_type="", size=0,
        sha256=snapshot_digest(shown), uploaded_by=user)
    record(case, "record_attached", actor=user, label="使用共享数据", on_behalf=on_behalf(case),
           data={"material": material.name, "registry": found.registry.code,
                 "record_updated_at": shown["record_updated_at"], "sha256": case_file.sha256})
    record_registry_use(found, case, purpose=PURPOSE_ATTACHED, actor=user)
    return case_file


def _whose(case: Case) -> str:
    return "该单位" if case.company_id else "您本人"


def _record_refusal(record: RegistryRecord) -> str:
    """Why a registry record cannot be used now, or ''."""
    if record.status == RecordStatus.CANCELLED:
        return f"已注销（{record.status_reason}）" if record.status_reason else "已注销"
    if not record.registry.active:
        return "已暂停共享"
    return ""


# How a licence that no longer verifies reads in a refusal at submission.
LICENCE_PHRASES = {"licence.revoked": "已被注销", "licence.suspended": "已被暂停使用",
                   "licence.expired": "已过期"}


def _licence_refusal(licence: Licence, check) -> str:
    if check.code == "licence.expired":
        return f"已于 {licence.valid_until:%Y-%m-%d} 到期"
    if check.code in LICENCE_PHRASES:
        phrase = LICENCE_PHRASES[check.code]
        return f"{phrase}（{licence.status_reason}）" if licence.status_reason else phrase
    return f"未通过核验（{check.reason}）"


def recheck_reused(case: Case) -> None:
    """At submission, what was reused must still hold: a licence attached to the draft may have
    been revoked, suspended or have expired since, a registry record cancelled or changed (the
    applicant consented to what they saw; the case must not carry data they never saw). The
    licence and record rows are locked first, so a revocation committed while the case is
    submitted is either seen here or comes after the submission."""
    lapsed = lapsed_reuses(case, lock=True)
    if lapsed:
        raise lapsed[0][1]


def lapsed_reuses(case: Case, *, lock: bool = False) -> list[tuple[CaseFile, Conflict]]:
    """Each reused licence or record of ``case`` that no longer holds, with the refusal that
    submission would give it; with ``lock``, the licence and record rows stay locked until the
    caller's transaction ends."""
    reused = list(case.files.filter(superseded=False).exclude(
        licence__isnull=True, registry_record__isnull=True).select_related("material"))
    if not reused:
        return []
    licence_ids = sorted(f.licence_id for f in reused if f.licence_id)
    record_ids = sorted(f.registry_record_id for f in reused if f.registry_record_id)
    if lock:
        # Lock the rows alone, then read them with what they refer to (see ``_base.lock``).
        list(Licence.objects.select_for_update().order_by("pk").filter(pk__in=licence_ids)
             .values_list("pk"))
        list(RegistryRecord.objects.select_for_update().order_by("pk").filter(pk__in=record_ids)
             .values_list("pk"))
    licences = Licence.objects.select_related("licence_type", "issuer").in_bulk(licence_ids)
    records = RegistryRecord.objects.select_related("registry__provider").in_bulk(record_ids)
    lapsed = []
    for case_file in reused:
        if case_file.licence_id:
            refusal = _lapsed_licence(case_file, licences[case_file.licence_id])
        else:
            refusal = _lapsed_record(case_file, records[case_file.registry_record_id])
        if refusal:
            lapsed.append((case_file, refusal))
    return lapsed


def _reused_name(case_file: CaseFile) -> str:
    return case_file.material.name if case_file.material_id else case_file.original_name


def _lapsed_licence(case_file: CaseFile, licence: Licence) -> Conflict | None:
    check = judge(licence)
    if check.ok:
        return None
    why = f"电子证照{_licence_refusal(licence, check)}"
    return Conflict(f"材料“{_reused_name(case_file)}”所用的{why}，请改为上传或选择其他证照",
                    code="case.licence_invalid",
                    details={"material": case_file.material_id, "licence": licence.identifier,
                             "reason": check.code, "why": why})


def _lapsed_record(case_file: CaseFile, found: RegistryRecord) -> Conflict | None:
    name, details = _reused_name(case_file), {"material": case_file.material_id,
                                              "registry": found.registry.code}
    refusal = _record_refusal(found)
    if refusal:
        why = f"{found.registry.name}{refusal}"
        return Conflict(f"材料“{name}”所用的{why}，请改为上传该材料",
                        code="case.record_invalid", details={**details, "why": why})
    used = case_file.registry_snapshot.get("record_updated_at")
    if used is None or dt.datetime.fromisoformat(used) != found.updated_at:
        when = f"{timezone.localtime(found.updated_at):%Y-%m-%d %H:%M}"
        return Conflict(f"材料“{name}”所用的{found.registry.name}在您同意使用后已更新（{when}），"
                        "请重新确认使用或改为上传", code="case.record_changed",
                        details={**details, "why": f"{found.registry.name}已于 {when} 更新"})
    return None


def reuse_warnings(case: Case) -> dict[int, str]:
    """By case file pk, in a few words, why a reused licence or record would not be accepted now:
    for the pages that list a case's materials, so none reads 已核验 when it no longer holds.
    Once the case is submitted and not in 补正, a record updated since is no defect (the case is
    handled on the snapshot it was submitted with); a licence revoked, suspended or expired, or a
    record cancelled, since still is news to the clerk."""
    editable = case.status in (Status.DRAFT, Status.CORRECTING)
    return {case_file.pk: refusal.details["why"] for case_file, refusal in lapsed_reuses(case)
            if editable or refusal.code != "case.record_changed"}


@transaction.atomic
def remove_file(case: Case, user, file_id) -> None:
    case = lock(case)
    require_editable(case, user)
    case_file = case.files.filter(pk=file_id, superseded=False).first() if str(file_id).isdigit() else None
    if case_file is None:
        raise NotFound("文件不存在", code="case.file_not_found")
    if case.status != Status.DRAFT:
        raise Conflict("补正期间请上传新文件替换，原文件保留备查", code="case.file_kept")
    discard_file(case_file)


def check_draft(case: Case) -> PreReview:
    """Pre-review a draft as submission would, without submitting (the 预审 button): the guide's
    rules, and every reused licence or record that has lapsed since it was attached, all at once."""
    review = prereview(case)
    for case_file, refusal in lapsed_reuses(case):
        review.defects.append(defect("material", case_file.material_id, _reused_name(case_file),
                                     refusal.message))
    return review


def _refresh_version(case: Case) -> None:
    """A draft follows its item: if the guide was republished meanwhile, the draft moves to the
    new version and is pre-reviewed against it; a withdrawn item cannot be applied for."""
    current = published_version(case.item)
    if current.pk != case.version_id:
        case.version = current
        case.form_data = clean_form_data(current, case.form_data)
        case.files.exclude(material__version=current).delete()


def receive(case: Case, user, *, key: str | None, accept_department=None, clerk=None) -> Case:
    """The locked draft becomes 已接件: checked, numbered, and queued for acceptance. A case
    taken in at a window is submitted by the ``clerk`` for the applicant ``user``: the history
    names the clerk, for whom they acted, the channel and any 帮办代办 authorisation."""
    _refresh_version(case)
    require_assurance(user, case.version.min_assurance_level, purpose=f"申请“{case.version.name}”")
    recheck_reused(case)
    review = prereview(case)
    review.raise_if_failed()
    applicant = require_applicant(user, case)
    now = timezone.now()
    case.number = next_number(case.item, timezone.localdate(now))
    case.form_data = review.form
    case.submission_key = key
    case.submitted_at = now
    case.applicant_name = case.company.name if case.company_id else applicant.citizen.name
    case.applicant_id_number = case.company.uscc if case.company_id else applicant.citizen.id_number
    case.contact_name, case.contact_mobile = applicant.citizen.name, applicant.citizen.mobile
    case.save()
    data = {"missing_tolerated": [d["label"] for d in review.missing_tolerated]}
    if case.channel != Channel.ONLINE:
        data["channel"] = case.get_channel_display()
        data["delivery_method"] = case.get_delivery_method_display()
    if case.proxy_authorization_id:
        data["proxy_authorization"] = case.proxy_authorization_id
        data["proxy"] = person_name(case.proxy_authorization.proxy)
    move(case, "submit", actor=clerk or user, on_behalf=acting_for(case, clerk), data=data)
    open_task(case, TaskKind.ACCEPT, department=accept_department or case.department)
    tell_applicant(case, "申请已提交", "已提交，等待受理。")
    return case


def clean_key(key: str | None) -> str | None:
    key = (key or "").strip() or None
    if key is not None and len(key) > MAX_KEY:
        raise ValidationError(f"幂等键不能超过{MAX_KEY}个字符", code="case.key_too_long")
    return key


def submit(case: Case, user, *, key: str | None = None, clerk=None) -> Case:
    """Submit a draft. Idempotent: submitting an already submitted case, or a retry with a key
    already used by this applicant, returns the case that was created and changes nothing.
    ``clerk`` submits a case taken in at a window for its applicant ``user`` (see ``receive``);
    an online application is submitted by the applicant alone."""
    key = clean_key(key)
    if key is not None:
        done = Case.objects.filter(applicant=user, submission_key=key).first()
        if done is not None:
            return done
    try:
        with transaction.atomic():
            locked = lock(case)
            require_applicant(user, locked)
            if locked.bundle_application_id is not None:
                # Its sibling cases would be left behind: a bundle is submitted whole.
                raise Conflict("该办件属于“一件事”申请，请在一件事申请中一并提交",
                               code="case.in_bundle")
            if clerk is not None and locked.channel == Channel.ONLINE:
                raise Conflict("网上申请须由申请人本人提交", code="case.not_in_person")
            if locked.status != Status.DRAFT:
                if locked.submission_key and key and locked.submission_key != key:
                    raise Conflict("该申请已提交", code="case.already_submitted")
                return locked
            return receive(locked, user, key=key, clerk=clerk)
    except IntegrityError:
        # The same key raced in from a second request: the first one won, return its case.
        done = Case.objects.filter(applicant=user, submission_key=key).first() if key else None
        if done is None:
            raise
        return done


@transaction.atomic
def resubmit(case: Case, user) -> Case:
    """补正结束: the applicant has fixed every defect of the notice; the case returns to where it
    was and, if the clock was stopped, its deadline moves."""
    case = lock(case)
    require_applicant(user, case)
    statemachine.check("resubmit", case.status)
    correction = open_correction(case)
    review = prereview(case)
    fresh = {f.material_id for f in case.files.filter(superseded=False,
                                                      uploaded_at__gte=correction.requested_at)}
    for d in correction.defects:
        if d["kind"] == "material" and d["target"].isdigit() and int(d["target"]) not in fresh:
            review.defects.append({**d, "message": f"请重新上传“{d['label']}”"})
    review.raise_if_failed("补正材料")
    # A licence or record reused before the notice may have lapsed while the case waited.
    recheck_reused(case)
    case.form_data = review.form
    case.save(update_fields=["form_data", "updated_at"])
    correction.resolved_at = timezone.now()
    correction.save(update_fields=["resolved_at"])
    move(case, "resubmit", actor=user, on_behalf=on_behalf(case))
    if correction.stops_clock:
        deadlines.refresh(case)
    tell_applicant(case, "补正材料已提交", "的补正材料已提交，办理继续。")
    return case


@transaction.atomic
def supply_tolerated(case: Case, user, material_id, upload) -> CaseFile:
    """补交容缺材料 after 容缺受理, before or after the decision."""
    case = lock(case)
    require_applicant(user, case)
    material = _material(case, material_id)
    if not case.tolerated or material.necessity != Necessity.TOLERATED:
        raise Conflict("该材料不是本办件的容缺材料", code="case.not_tolerated")
    if case.status in (Status.WITHDRAWN, Status.REVOKED, Status.NOT_ACCEPTED, Status.DENIED):
        raise Conflict(f"办件已{case.get_status_display()}", code="case.closed")
    case_file = store_file(case, material, upload, user)
    record(case, "tolerated_supplied", actor=user, label="补交容缺材料", on_behalf=on_behalf(case),
           data={"material": material.name, "sha256": case_file.sha256})
    return case_file


@transaction.atomic
def withdraw(case: Case, user, reason: str = "") -> Case:
    """撤回: the applicant stops the case before a decision."""
    case = lock(case)
    require_applicant(user, case)
    if case.status == Status.DRAFT:
        raise Conflict("草稿无需撤回，可直接删除", code="case.is_draft")
    move(case, "withdraw", actor=user, reason=clean_reason(reason, required=False),
         on_behalf=on_behalf(case))
    cancel_open_tasks(case)
    case.closed_at = timezone.now()
    case.save(update_fields=["closed_at", "updated_at"])
    tell_applicant(case, "办件已撤回", "已按您的申请撤回。")
    return case


@transaction.atomic
def delete_draft(case: Case, user) -> None:
    """删除草稿: the applicant discards a draft that was never submitted, with its uploaded files;
    the audit log keeps that it existed. A draft of a 一件事 belongs to its bundle application and
    is not deleted alone."""
    case = lock(case)
    require_applicant(user, case)
    if case.status != Status.DRAFT:
        raise Conflict("只能删除草稿", code="case.not_draft")
    if case.bundle_application_id:
        raise Conflict("该草稿属于一件事申请，请在一件事页面办理", code="case.in_bundle")
    discard_draft(case, user)


def discard_draft(case: Case, user) -> None:
    """Delete a locked draft the caller has checked, with its files; the audit log keeps that it
    existed (``delete_draft``, and every case of a 一件事 draft in ``delete_bundle_draft``)."""
    audit.record("case.draft_deleted", actor=user, subject=case, on_behalf=on_behalf(case),
                 summary=f"删除草稿：{case.version.name}",
                 data={"item": case.item.handling_code, "files": case.files.count()})
    for f in case.files.all():
        discard_file(f)
    case.delete()


def open_correction(case: Case):
    return case.corrections.filter(resolved_at__isnull=True).order_by("-requested_at").first()

