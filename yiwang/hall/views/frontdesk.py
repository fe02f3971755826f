"""The 一窗受理 front desk (综合/专业窗口): read the ID card, find or register the person, choose
the item among the hall's stationed items, fill in the form, scan the paper, 预审, 受理 or
一次性告知; 核验原件 for an online case; 帮办代办 authorisations. The pages only parse the
request and call ``services.frontdesk`` / ``services.proxy``; the clerk must be signed in to a
front-desk window, which the services check on every request."""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from yiwang.accounts import services as accounts
from yiwang.accounts.models import Citizen, ProxyAuthorization
from yiwang.cases.models import Case, DeliveryMethod, Status
from yiwang.cases.prereview import current_files
from yiwang.common.errors import DomainError, NotFound, ValidationError
from yiwang.common.identifiers import mask_id, mask_phone

from .. import idcard
from ..models import HallItem, HallMember, HallRole
from ..services import frontdesk
from ..services import proxy as proxies

PERSON_KEY = "hall_frontdesk_person"
CARD_FIELDS = ("name", "id_number", "sex", "nation", "birth_date", "address", "issuer",
               "valid_from", "valid_until")


def desk_page(view):
    """A clerk's page: signed in to the site; the window check is the services'. A refusal
    renders the page's own message with its status, never a 500."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except DomainError as exc:
            return render(request, "hall/frontdesk/refused.html", {"error": exc},
                          status=exc.status)

    return wrapper


def _person_key(ticket) -> str:
    # One person per ticket served: the next ticket starts with nobody at the counter.
    return f"{PERSON_KEY}:{ticket.pk if ticket else ''}"


def _person(request, ticket) -> Citizen | None:
    pk = request.session.get(_person_key(ticket))
    return Citizen.objects.select_related("user").filter(pk=pk).first() if pk else None


def _id_from_post(request, name: str):
    value = request.POST.get(name, "")
    return int(value) if value.isdigit() else None


def _desk_context(request, session, ticket, person, **more) -> dict:
    context = {"session": session, "window": session.window, "ticket": ticket,
               "person": person, "reader": idcard.reader(),
               "items": frontdesk.stationed_items(session.window),
               "delivery_methods": DeliveryMethod.choices, **more}
    if ticket is not None:
        context["ticket_masked_id"] = mask_id(ticket.id_number) if ticket.id_number else ""
    if person is not None:
        context.update(person_masked_id=mask_id(person.id_number),
                       person_masked_mobile=mask_phone(person.mobile),
                       companies=accounts.companies_of(person.user),
                       proxies=[a for a in proxies.authorizations_for(person.user,
                                                                       session.window.hall)
                                if proxies.proxy_state(a) == "active"],
                       drafts=Case.objects.filter(applicant=person.user, status=Status.DRAFT,
                                                  channel="window").select_related("version")[:10])
    return context


@desk_page
def desk(request, ticket_id: int | None = None):
    """读卡 → 办事人 → 选择事项 → 收件. A ticket from the 叫号台 carries its item and person."""
    session = frontdesk.require_front_desk(request.user)
    ticket = frontdesk.serving_ticket(request.user, ticket_id) if ticket_id is not None else None
    here = request.path
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "read":
                payload = {k: request.POST.get(k, "").strip() for k in CARD_FIELDS}
                reading = idcard.reader().decode(payload)
                person = frontdesk.person_from_card(request.user, reading,
                                                    mobile=request.POST.get("mobile", "").strip())
                request.session[_person_key(ticket)] = person.pk
                messages.success(request, f"已核验身份：{person.name}（{mask_id(person.id_number)}），"
                                          "实名等级 L3")
                return redirect(here)
            if action == "principal":
                # 帮办代办: the principal is not here; found by number, never raised to L3.
                person = frontdesk.find_person(request.user, request.POST.get("principal_id", ""))
                if person is None:
                    raise NotFound("委托人尚未注册", code="citizen.not_found")
                request.session[_person_key(ticket)] = person.pk
                return redirect(here)
            if action == "clear":
                request.session.pop(_person_key(ticket), None)
                return redirect(here)
            if action == "start":
                return _start(request, session, ticket)
        except DomainError as exc:
            return render(request, "hall/frontdesk/desk.html",
                          _desk_context(request, session, ticket, _person(request, ticket), error=exc,
                                        posted=request.POST), status=exc.status)
    return render(request, "hall/frontdesk/desk.html",
                  _desk_context(request, session, ticket, _person(request, ticket)))


def _start(request, session, ticket):
    person = _person(request, ticket)
    if person is None:
        raise ValidationError("请先读取办事人的身份证", code="hall.person_required")
    hall_item = HallItem.objects.filter(pk=_id_from_post(request, "hall_item")).first()
    if hall_item is None:
        raise NotFound("请选择本窗口受理的事项", code="hall.item_not_stationed")
    company = None
    company_id = _id_from_post(request, "company")
    if company_id is not None:
        company = next((c for c, _ in accounts.companies_of(person.user) if c.pk == company_id),
                       None)
        if company is None:
            raise NotFound("该办事人不能代表此单位申请", code="company.not_found")
    proxy = None
    proxy_id = _id_from_post(request, "proxy")
    if proxy_id is not None:
        proxy = ProxyAuthorization.objects.filter(pk=proxy_id, principal=person.user).first()
        if proxy is None:
            raise NotFound("帮办代办授权不存在", code="proxy.not_found")
    case = frontdesk.start_window_application(
        request.user, session.window, person, hall_item, ticket=ticket, company=company,
        proxy=proxy, delivery_method=request.POST.get("delivery_method") or DeliveryMethod.WINDOW)
    return redirect("hall:frontdesk-case", pk=case.pk)


def _date(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise ValidationError("日期格式不正确", code="hall.bad_date") from None


def _posted_form(definition: list[dict], post) -> dict:
    return {f["name"]: (f["name"] in post) if f["type"] == "checkbox" else post.get(f["name"], "")
            for f in definition}


def _case_context(request, session, case, *, review=None, posted=None, error=None) -> dict:
    defects = review.defects if review else []
    errors = {(d["kind"], d["target"]): d["message"] for d in defects}
    values = posted or case.form_data
    files = current_files(case)
    return {
        "session": session, "window": session.window, "case": case, "version": case.version,
        "review": review, "defects": defects, "error": error,
        "masked_id": mask_id(case.applicant.citizen.id_number),
        "fields": [{**f, "value": values.get(f["name"], ""),
                    "error": errors.get(("field", f["name"]))}
                   for f in case.version.form_definition],
        "materials": [{"material": m, "files": files.get(m.pk, []),
                       "error": errors.get(("material", str(m.pk)))}
                      for m in case.version.materials.all()],
        "delivery_methods": DeliveryMethod.choices,
        "tolerated_until": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
    }


@desk_page
def case_page(request, pk: int):
    """The application taken in at this hall: 填表, 扫描上传, 预审, 受理 / 一次性告知."""
    session = frontdesk.require_front_desk(request.user)
    window = session.window
    case = frontdesk.window_case(request.user, window, pk)
    if request.method != "POST" or case.status != Status.DRAFT:
        return render(request, "hall/frontdesk/case.html", _case_context(request, session, case))
    # Each material's upload button names the material (no script: the CSP forbids inline).
    action = "upload" if request.POST.get("upload") else request.POST.get("action", "save")
    posted = _posted_form(case.version.form_definition, request.POST)
    try:
        case = frontdesk.fill_form(request.user, window, case, posted,
                                   delivery_method=request.POST.get("delivery_method") or None)
        if action == "upload":
            material_id = request.POST["upload"]
            upload = request.FILES.get(f"file-{material_id}")
            if upload is None:
                raise ValidationError("请选择要上传的扫描件", code="case.file_required")
            frontdesk.upload_scan(request.user, window, case, material_id, upload)
            messages.success(request, "扫描件已上传")
        elif action == "check":
            review = frontdesk.prereview(request.user, window, case)
            return render(request, "hall/frontdesk/case.html",
                          _case_context(request, session, case, review=review))
        elif action == "accept":
            tolerated = "tolerated" in request.POST
            case = frontdesk.accept_at_window(
                request.user, window, case, tolerated=tolerated,
                tolerated_until=_date(request.POST.get("tolerated_until")) if tolerated else None,
                note=request.POST.get("note", ""))
            messages.success(request, f"已受理，办件编号 {case.number}")
            return redirect("hall:frontdesk-receipt", pk=case.pk)
        elif action == "notice":
            notice = frontdesk.issue_notice(request.user, window, case,
                                            note=request.POST.get("note", ""))
            return render(request, "hall/frontdesk/notice.html",
                          {"notice": notice, "window": window, "case": notice.case})
        else:
            messages.success(request, "已保存")
    except DomainError as exc:
        review = None
        if exc.code == "case.prereview_failed":
            review = frontdesk.prereview(request.user, window, case)
        return render(request, "hall/frontdesk/case.html",
                      _case_context(request, session, case, review=review, posted=posted,
                                    error=exc), status=exc.status)
    return redirect("hall:frontdesk-case", pk=case.pk)


@desk_page
def receipt(request, pk: int):
    """受理回执, to print and hand over."""
    session = frontdesk.require_front_desk(request.user)
    case = frontdesk.window_case(request.user, session.window, pk)
    if not case.number:
        raise NotFound("该办件尚未提交", code="hall.case_not_found")
    return render(request, "hall/frontdesk/receipt.html", {
        "case": case, "window": session.window, "masked_id": mask_id(case.applicant_id_number),
        "reviews": case.tasks.filter(kind="review").select_related("department")})


@desk_page
def originals(request):
    """核验原件: find an online case by number and the applicant's ID, check the originals."""
    session = frontdesk.require_front_desk(request.user)
    window, context, status = session.window, {"window": session.window}, 200
    if request.method == "POST":
        try:
            case = frontdesk.find_case_for_originals(request.user, window,
                                                     request.POST.get("number", ""),
                                                     request.POST.get("id_number", ""))
            if request.POST.get("action") == "check":
                frontdesk.check_originals(request.user, window, case,
                                          material_ids=request.POST.getlist("material"),
                                          note=request.POST.get("note", ""))
                messages.success(request, f"办件{case.number}已核验原件")
                context["checked"] = True
            context.update(case=case, originals=frontdesk.originals_of(case),
                           masked_id=mask_id(case.applicant_id_number),
                           number=case.number, id_number=request.POST.get("id_number", ""),
                           can_accept=case.status == Status.RECEIVED)
        except DomainError as exc:
            context["error"], status = exc, exc.status
    return render(request, "hall/frontdesk/originals.html", context, status=status)


@desk_page
@require_POST
def accept_checked(request, pk: int):
    """受理 an online case whose originals were checked here."""
    session = frontdesk.require_front_desk(request.user)
    case = frontdesk.window_case(request.user, session.window, pk)
    case = frontdesk.accept_at_window(request.user, session.window, case)
    messages.success(request, f"已受理，办件编号 {case.number}")
    return redirect("hall:frontdesk-receipt", pk=case.pk)


@desk_page
def proxy_page(request):
    """帮办代办授权: register one (principal by ID number, the hall's proxy, items, end date, the
    signed paper scanned) and revoke one; at a 综合, 专业 or 咨询/帮办 window."""
    session = frontdesk.require_front_desk(request.user, kinds=frontdesk.PROXY_DESK_KINDS)
    hall = session.window.hall
    context, status = {"window": session.window}, 200
    if request.method == "POST":
        try:
            if request.POST.get("action") == "revoke":
                authorization = ProxyAuthorization.objects.filter(
                    pk=_id_from_post(request, "authorization"), hall=hall).first()
                if authorization is None:
                    raise NotFound("授权不存在", code="proxy.not_found")
                proxies.revoke_proxy(request.user, authorization,
                                     reason=request.POST.get("reason", ""))
                messages.success(request, "授权已撤销")
                return redirect("hall:frontdesk-proxies")
            principal = frontdesk.find_person(request.user, request.POST.get("id_number", ""),
                                              kinds=frontdesk.PROXY_DESK_KINDS)
            if principal is None:
                raise NotFound("委托人尚未注册，请先读取其身份证现场注册",
                               code="citizen.not_found")
            member = HallMember.objects.filter(
                hall=hall, pk=_id_from_post(request, "proxy"),
                role__in=proxies.PROXIES).select_related("user").first()
            if member is None:
                raise ValidationError("请选择代办人", code="proxy.not_hall_staff")
            if "document" not in request.FILES:
                raise ValidationError("请上传签字的授权书扫描件", code="proxy.document_required")
            until = _date(request.POST.get("valid_until"))
            if until is None:
                raise ValidationError("请填写授权截止日期", code="proxy.until_required")
            proxies.grant_proxy(request.user, principal=principal, proxy=member.user, hall=hall,
                                item_codes=request.POST.getlist("item_codes"), valid_until=until,
                                document=request.FILES["document"])
            messages.success(request, f"已登记{principal.name}的帮办代办授权")
            return redirect("hall:frontdesk-proxies")
        except DomainError as exc:
            context["error"], status = exc, exc.status
    rows = (ProxyAuthorization.objects.filter(hall=hall)
            .select_related("principal__citizen", "proxy")[:50])
    context.update(
        authorizations=[{"authorization": a, "state": proxies.proxy_state(a),
                         "principal": a.principal.citizen.name,
                         "masked_id": mask_id(a.principal.citizen.id_number)} for a in rows],
        members=HallMember.objects.filter(hall=hall, role__in=proxies.PROXIES)
        .select_related("user"),
        items=HallItem.objects.filter(hall=hall, active=True,
                                      item__published_version__isnull=False)
        .select_related("item__published_version"),
        default_until=(timezone.localdate() + dt.timedelta(days=90)).isoformat(),
        roles=dict(HallRole.choices))
    return render(request, "hall/frontdesk/proxies.html", context, status=status)


urlpatterns = [
    path("frontdesk/", desk, name="frontdesk"),
    path("frontdesk/<int:ticket_id>/", desk, name="frontdesk-serve"),
    path("frontdesk/cases/<int:pk>/", case_page, name="frontdesk-case"),
    path("frontdesk/cases/<int:pk>/receipt/", receipt, name="frontdesk-receipt"),
    path("frontdesk/cases/<int:pk>/accept/", accept_checked, name="frontdesk-accept"),
    path("frontdesk/originals/", originals, name="frontdesk-originals"),
    path("frontdesk/proxies/", proxy_page, name="frontdesk-proxies"),
]
