"""12345 政务服务便民热线 requests (诉求工单) and 曝光纠错 reports.

A ``HotlineRequest`` is what a caller, a web or mobile user, an API client or an Open311 app asks
of the government: 咨询, 求助, 投诉, 举报, 建议 or 表扬. It gets a number and a reply deadline in
working days by kind (``ReplyDeadline``, else ``settings.COMPLAINTS_REPLY_WORKING_DAYS``). The
hotline's operators (RegionRole HOTLINE_OPERATOR) register and dispatch it (派单), by hand or by a
``DispatchRule``; each dispatch is an ``Assignment`` to one department, which may pass it on to a
sub-unit (二级派单, an assignment whose ``parent`` is the department's), return it with a reason
(退单, the hotline's administrator arbitrates), and answers it (办结). The requester rates the
answer; 回访 (``Revisit``) records how the hotline asked them; an unsatisfied requester's request
is reopened to the same department. Duplicates are merged into a parent request. Every step is a
``RequestEvent`` (the 流转记录 the requester sees, without staff names).

An ``ErrorReport`` is a 曝光纠错 report from the public column: a wrong guide, a dead link or a
bad experience. It becomes a task for the editors of the item's department; the corrected guide
goes through the normal review flow (``catalog.services``) with the report linked
(``guide_version``), and the column shows the published outcome.

``Open311Service`` / ``Open311Attribute`` / ``Open311Client`` carry the GeoReport v2 interface:
the services an outside 311 app may file, their attributes and the API keys of those apps.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from yiwang.common.fields import EncryptedTextField, PersonalDataModel


class RequestKind(models.TextChoices):
    CONSULT = "consult", "咨询"
    HELP = "help", "求助"
    COMPLAINT = "complaint", "投诉"
    REPORT = "report", "举报"
    SUGGESTION = "suggestion", "建议"
    PRAISE = "praise", "表扬"


class RequestChannel(models.TextChoices):
    WEB = "web", "网站"
    MOBILE = "mobile", "移动端"
    PHONE = "phone", "12345电话"
    API = "api", "接口"
    OPEN311 = "open311", "Open311"


class RequestStatus(models.TextChoices):
    REGISTERED = "registered", "待派单"  # at the hotline: new, or back after an upheld 退单
    DISPATCHED = "dispatched", "办理中"  # with a department (its assignment is open)
    ARBITRATION = "arbitration", "退单待仲裁"  # a department returned it; the hotline decides
    ANSWERED = "answered", "已答复"  # 办结 by the department; waiting for the requester's rating
    CLOSED = "closed", "已办结"  # rated or revisited satisfied, or answered at once by the operator
    MERGED = "merged", "已合并"  # a duplicate, merged into ``parent``


OPEN_REQUEST_STATUSES = (RequestStatus.REGISTERED, RequestStatus.DISPATCHED,
                         RequestStatus.ARBITRATION)


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", "满意"
    BASICALLY = "basically", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class HotlineRequest(PersonalDataModel):
    """12345 诉求工单."""

    number = models.CharField("工单编号", max_length=24, unique=True)
    kind = models.CharField("诉求类型", max_length=12, choices=RequestKind.choices)
    channel = models.CharField("来源渠道", max_length=10, choices=RequestChannel.choices)
    title = models.CharField("标题", max_length=100)
    content = models.TextField("诉求内容")
    status = models.CharField("状态", max_length=12, choices=RequestStatus.choices,
                              default=RequestStatus.REGISTERED, db_index=True)
    # Who asked: an account when they have one; the name and phone always (a caller has no
    # account). Both are personal data: encrypted, masked in every list and log.
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="诉求人账号", null=True,
                                  blank=True, on_delete=models.SET_NULL,
                                  related_name="hotline_requests")
    requester_name = EncryptedTextField("诉求人", max_length=40, blank=True)
    requester_phone = EncryptedTextField("联系电话", max_length=20, blank=True)
    # The phone's last four digits in clear, so that the hotline's queues can find a caller by
    # them (the encrypted phone cannot be searched); the masked phone shows the same digits.
    phone_tail = models.CharField("电话尾号", max_length=4, blank=True, db_index=True)
    # 举报 may be anonymous: no name or phone is kept, and no rating or 回访 is asked.
    anonymous = models.BooleanField("匿名", default=False)
    # Only the SHA-256 of the token that lets the requester follow it without an account (the
    # SMS link, the Open311 token).
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)
    # What it is about (all optional) and where.
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               related_name="hotline_requests")
    case = models.ForeignKey("cases.Case", verbose_name="关联办件", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="hotline_requests")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="关联事项", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="hotline_requests")
    about_department = models.ForeignKey("orgs.Department", verbose_name="涉及部门", null=True,
                                         blank=True, on_delete=models.SET_NULL, related_name="+")
    address = models.CharField("地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    # Where it stands: the department answering now (the open top-level assignment's), the reply
    # deadline (working days by kind from registration; a reopening sets a new one).
    department = models.ForeignKey("orgs.Department", verbose_name="承办部门", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="hotline_requests")
    due_on = models.DateField("答复期限")
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人", null=True,
                                      blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("登记时间", db_index=True)
    answer = models.TextField("答复内容", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)
    closed_at = models.DateTimeField("办结时间", null=True, blank=True)
    satisfaction = models.CharField("满意度", max_length=14, choices=Satisfaction.choices,
                                    blank=True)
    satisfaction_comment = models.TextField("评价意见", blank=True)
    rated_at = models.DateTimeField("评价时间", null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField("重办次数", default=0)
    # Overdue escalation (超期督办) is sent once per deadline.
    escalated_at = models.DateTimeField("超期督办时间", null=True, blank=True)
    parent = models.ForeignKey("self", verbose_name="合并至", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="duplicates")
    # Open311: the service it was filed under and its attribute values.
    open311_service = models.ForeignKey("Open311Service", null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="requests")
    attributes = models.JSONField("附加信息", default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "12345诉求"
        indexes = [models.Index(fields=["department", "status", "due_on"]),
                   models.Index(fields=["region", "status", "created_at"])]

    def __str__(self) -> str:
        return self.number


class RequestCounter(models.Model):
    """The last sequence used for one 工单编号 prefix (region and day), see common.counters."""

    prefix = models.CharField(max_length=20, unique=True)
    value = models.PositiveIntegerField(default=0)


class RequestAttachment(models.Model):
    """A photo or document attached to a request (checked like a case material upload)."""

    request = models.ForeignKey(HotlineRequest, on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.FileField("文件", upload_to="complaints/%Y/%m/", max_length=200)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=60)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间")

    class Meta:
        ordering = ["uploaded_at", "pk"]


class AssignmentStatus(models.TextChoices):
    PENDING = "pending", "待签收"
    HANDLING = "handling", "办理中"
    RETURNED = "returned", "已退单"  # waiting for the hotline's arbitration
    ANSWERED = "answered", "已答复"
    CLOSED = "closed", "已结束"  # superseded: return upheld, merged, or taken back


class Assignment(models.Model):
    """派单: the request sent to one department (``parent`` null, by the hotline) or passed on by
    that department to a sub-unit (二级派单, ``parent`` the department's assignment; the sub-unit's
    answer goes to the department, which answers the requester)."""

    request = models.ForeignKey(HotlineRequest, on_delete=models.CASCADE,
                                related_name="assignments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="children")
    department = models.ForeignKey("orgs.Department", verbose_name="承办单位",
                                   on_delete=models.PROTECT, related_name="hotline_assignments")
    status = models.CharField("状态", max_length=10, choices=AssignmentStatus.choices,
                              default=AssignmentStatus.PENDING)
    instructions = models.TextField("派单意见", blank=True)
    rule = models.ForeignKey("DispatchRule", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    dispatched_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    dispatched_at = models.DateTimeField("派单时间")
    due_on = models.DateField("办理期限")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField("签收时间", null=True, blank=True)
    return_reason = models.TextField("退单理由", blank=True)
    returned_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    returned_at = models.DateTimeField("退单时间", null=True, blank=True)
    # 仲裁: upheld → the request goes back to the hotline to be dispatched elsewhere; rejected →
    # the department must handle it.
    return_upheld = models.BooleanField("退单成立", null=True, blank=True)
    arbitration_note = models.TextField("仲裁意见", blank=True)
    arbitrated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    arbitrated_at = models.DateTimeField("仲裁时间", null=True, blank=True)
    answer = models.TextField("办理结果", blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    answered_at = models.DateTimeField("答复时间", null=True, blank=True)

    class Meta:
        ordering = ["dispatched_at", "pk"]
        verbose_name = verbose_name_plural = "派单"
        indexes = [models.Index(fields=["department", "status"])]


class RequestEvent(models.Model):
    """流转记录: one step of a request. ``public`` steps are shown to the requester (with the
    department's name, never a staff member's)."""

    class Action(models.TextChoices):
        REGISTERED = "registered", "登记"
        ANSWERED_AT_ONCE = "answered_at_once", "直接答复"
        DISPATCHED = "dispatched", "派单"
        SUBDISPATCHED = "subdispatched", "二级派单"
        ACCEPTED = "accepted", "签收"
        RETURNED = "returned", "退单"
        RETURN_UPHELD = "return_upheld", "退单成立"
        RETURN_REJECTED = "return_rejected", "退单驳回"
        MERGED = "merged", "合并"
        ANSWERED = "answered", "答复"
        RATED = "rated", "评价"
        REVISITED = "revisited", "回访"
        REOPENED = "reopened", "重新办理"
        ESCALATED = "escalated", "超期督办"
        CLOSED = "closed", "办结"

    request = models.ForeignKey(HotlineRequest, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("环节", max_length=20, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    department = models.ForeignKey("orgs.Department", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    note = models.TextField("说明", blank=True)
    public = models.BooleanField(default=True)
    at = models.DateTimeField("时间")

    class Meta:
        ordering = ["at", "pk"]


class Revisit(models.Model):
    """回访: the hotline asks the requester about the answer (by phone, SMS or online)."""

    class Method(models.TextChoices):
        PHONE = "phone", "电话回访"
        SMS = "sms", "短信回访"
        ONLINE = "online", "网上回访"

    request = models.ForeignKey(HotlineRequest, on_delete=models.CASCADE, related_name="revisits")
    method = models.CharField("回访方式", max_length=8, choices=Method.choices)
    satisfaction = models.CharField("满意度", max_length=14, choices=Satisfaction.choices,
                                    blank=True)
    note = models.TextField("回访记录", blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                           on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("回访时间")

    class Meta:
        ordering = ["at", "pk"]


class DispatchRule(models.Model):
    """自动派单规则: a request of ``kind`` (any when blank) in ``region`` (or below) about ``item``,
    or whose title or content contains one of ``keywords`` (space-separated), goes to
    ``department``. Rules are tried by ``order``; an item or case link beats keywords."""

    region = models.ForeignKey("regions.Region", verbose_name="适用区划", on_delete=models.CASCADE,
                               related_name="+")
    kind = models.CharField("诉求类型", max_length=12, choices=RequestKind.choices, blank=True)
    keywords = models.CharField("关键词", max_length=200, blank=True,
                                help_text="空格分隔，任一命中即派")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("orgs.Department", verbose_name="派往部门",
                                   on_delete=models.CASCADE, related_name="+")
    order = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = verbose_name_plural = "派单规则"


class ReplyDeadline(models.Model):
    """A region's reply deadline for one kind, in working days; regions without one inherit the
    nearest ancestor's, then ``settings.COMPLAINTS_REPLY_WORKING_DAYS``."""

    region = models.ForeignKey("regions.Region", verbose_name="区划", on_delete=models.CASCADE,
                               related_name="+")
    kind = models.CharField("诉求类型", max_length=12, choices=RequestKind.choices)
    working_days = models.PositiveSmallIntegerField("答复期限（工作日）")

    class Meta:
        verbose_name = verbose_name_plural = "答复期限"
        constraints = [models.UniqueConstraint(fields=["region", "kind"],
                                               name="uniq_reply_deadline")]


class ErrorReportKind(models.TextChoices):
    WRONG_GUIDE = "wrong_guide", "办事指南有误"
    DEAD_LINK = "dead_link", "链接失效"
    BAD_EXPERIENCE = "bad_experience", "办事体验不佳"
    OTHER = "other", "其他"


class ErrorReportStatus(models.TextChoices):
    SUBMITTED = "submitted", "待处理"
    FIXING = "fixing", "整改中"  # a corrected guide is being written or reviewed
    FIXED = "fixed", "已纠正"  # the corrected guide is published
    REJECTED = "rejected", "不予采纳"  # with the reason, shown in the column


class ErrorReport(PersonalDataModel):
    """曝光纠错: a public report of a wrong guide, a dead link or a bad experience."""

    number = models.CharField("编号", max_length=24, unique=True)
    kind = models.CharField("问题类型", max_length=16, choices=ErrorReportKind.choices)
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="error_reports")
    url = models.CharField("页面地址", max_length=500, blank=True)
    description = models.TextField("问题描述")
    # Who reported it: an account or nobody; a contact phone if they want an answer.
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="error_reports")
    contact_phone = EncryptedTextField("联系电话", max_length=20, blank=True)
    # The department whose editors answer it: the item's, else chosen by the hotline.
    department = models.ForeignKey("orgs.Department", verbose_name="责任部门", null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="error_reports")
    status = models.CharField("状态", max_length=10, choices=ErrorReportStatus.choices,
                              default=ErrorReportStatus.SUBMITTED, db_index=True)
    created_at = models.DateTimeField("提交时间", db_index=True)
    due_on = models.DateField("处理期限")
    # The corrected guide: the draft started from this report, published through the normal
    # review flow; the column links the published version.
    guide_version = models.ForeignKey("catalog.GuideVersion", verbose_name="纠正后的指南版本",
                                      null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="error_reports")
    outcome = models.TextField("处理结果", blank=True)  # public
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    resolved_at = models.DateTimeField("办结时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "曝光纠错"


class Open311Service(models.Model):
    """A GeoReport v2 service: what an outside 311 app may file, mapped to a request kind and,
    when set, a department to dispatch to."""

    code = models.SlugField("service_code", max_length=40, unique=True)
    name = models.CharField("service_name", max_length=60)
    description = models.CharField("description", max_length=300, blank=True)
    group = models.CharField("group", max_length=40, blank=True)
    keywords = models.CharField("keywords", max_length=200, blank=True)
    kind = models.CharField("诉求类型", max_length=12, choices=RequestKind.choices)
    region = models.ForeignKey("regions.Region", verbose_name="区划", on_delete=models.PROTECT,
                               related_name="+")
    department = models.ForeignKey("orgs.Department", verbose_name="默认派往部门", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["group", "code"]
        verbose_name = verbose_name_plural = "Open311服务"

    @property
    def has_metadata(self) -> bool:
        return self.attributes.exists()


class Open311Attribute(models.Model):
    """A service definition's attribute (GeoReport v2 ``attributes``)."""

    class Datatype(models.TextChoices):
        STRING = "string", "string"
        NUMBER = "number", "number"
        DATETIME = "datetime", "datetime"
        TEXT = "text", "text"
        SINGLEVALUELIST = "singlevaluelist", "singlevaluelist"
        MULTIVALUELIST = "multivaluelist", "multivaluelist"

    service = models.ForeignKey(Open311Service, on_delete=models.CASCADE,
                                related_name="attributes")
    code = models.SlugField(max_length=40)
    datatype = models.CharField(max_length=16, choices=Datatype.choices)
    required = models.BooleanField(default=False)
    description = models.CharField(max_length=200)
    datatype_description = models.CharField(max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)
    # For the list types: [{"key": "…", "name": "…"}, …]
    values = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["service", "code"],
                                               name="uniq_open311_attribute")]


class Open311Client(models.Model):
    """An outside 311 app's API key (only its SHA-256 is stored)."""

    name = models.CharField("应用名称", max_length=100)
    key_hash = models.CharField(max_length=64, unique=True)
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField("创建时间")

    class Meta:
        verbose_name = verbose_name_plural = "Open311客户端"
