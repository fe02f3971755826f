"""Cases (办件) and what hangs off them. State changes happen only in ``services``."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q

from yiwang.catalog.models import VersionEvent, VersionStatus
from yiwang.common.fields import (
    BlindIndexField,
    EncryptedJSONField,
    EncryptedTextField,
    PersonalDataModel,
)


class Status(models.TextChoices):
    """办件状态 (DESIGN.md, GB/T case states). 补正结束 and 特别程序结束 are events that return
    the case to the state it had, not states of their own."""

    DRAFT = "draft", "草稿"
    RECEIVED = "received", "已接件"
    ACCEPTED = "accepted", "已受理"
    NOT_ACCEPTED = "not_accepted", "不予受理"
    CORRECTING = "correcting", "补正中"
    REVIEWING = "reviewing", "审查中"
    SPECIAL = "special", "特别程序中"
    APPROVED = "approved", "办结（通过）"
    APPROVED_TOLERATED = "approved_tolerated", "办结（容缺通过）"
    DENIED = "denied", "办结（不通过）"
    CERTIFIED = "certified", "已制证"
    DELIVERED = "delivered", "已送达"
    WITHDRAWN = "withdrawn", "已撤回"
    REVOKED = "revoked", "已撤销"


# States in which the case is still being handled: the clock runs (or stands) and tasks are open.
OPEN_STATUSES = (Status.RECEIVED, Status.ACCEPTED, Status.CORRECTING, Status.REVIEWING, Status.SPECIAL)
DECIDED_STATUSES = (Status.APPROVED, Status.APPROVED_TOLERATED, Status.DENIED)
FINAL_STATUSES = (Status.NOT_ACCEPTED, Status.DENIED, Status.DELIVERED, Status.WITHDRAWN, Status.REVOKED)


class Bundle(models.Model):
    """一件事: several items a life event needs (开办餐饮店), applied for with one merged form and
    one set of materials, accepted at one window (the lead department) and handled as one case
    per item. This is the stable identity; what the public sees is defined by ``BundleVersion``
    and ``published_version`` points at the one version that is public, as for items."""

    slug = models.SlugField("标识", max_length=60, unique=True)
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               related_name="bundles")
    topics = models.ManyToManyField("catalog.Topic", verbose_name="人生事件/主题", blank=True,
                                    related_name="bundles")
    published_version = models.OneToOneField(
        "BundleVersion", verbose_name="当前发布版本", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "一件事"
        verbose_name_plural = "一件事"
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.slug


class BundleVersion(models.Model):
    """一件事的一个版本: its items, the fields it reconciles (``shared_fields``: a field name the
    items define differently, asked once under the bundle's label), the materials it merges
    (``material_groups``: differently named materials that are one document) and the lead
    department. Drafted, reviewed (四眼原则), published and superseded like a guide version."""

    bundle = models.ForeignKey(Bundle, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=16, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT, db_index=True)
    name = models.CharField("名称", max_length=100)
    aliases = models.CharField("关键词", max_length=300, blank=True,
                               help_text="市民可能搜索的说法，用顿号或逗号分隔")
    description = models.TextField("说明", blank=True)
    lead_department = models.ForeignKey("orgs.Department", verbose_name="牵头部门（综合受理）",
                                        on_delete=models.PROTECT, related_name="led_bundles")
    items = models.ManyToManyField("catalog.ServiceItem", through="BundleItem", verbose_name="事项",
                                   related_name="bundle_versions")
    shared_fields = models.JSONField("合并字段", default=list, blank=True,
                                     help_text='[{"name": "premises", "label": "经营场所"}]')
    material_groups = models.JSONField("合并材料", default=list, blank=True,
                                       help_text='[{"name": "从业人员健康证明", "materials": ["…", "…"]}]')
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "一件事版本"
        verbose_name_plural = "一件事版本"
        ordering = ["bundle_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["bundle", "number"], name="uniq_bundle_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.number}版）"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class BundleItem(models.Model):
    version = models.ForeignKey(BundleVersion, on_delete=models.CASCADE, related_name="entries")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT,
                             related_name="+")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        verbose_name = "一件事所含事项"
        verbose_name_plural = "一件事所含事项"
        ordering = ["version_id", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["version", "item"], name="uniq_bundle_version_item")]


class BundleEvent(models.Model):
    """History of a bundle version, with the actions of a guide version's history."""

    version = models.ForeignKey(BundleVersion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=16, choices=VersionEvent.Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("说明", blank=True)
    changes = models.JSONField("变更字段", default=dict, blank=True)

    class Meta:
        verbose_name = "一件事版本记录"
        verbose_name_plural = "一件事版本记录"
        ordering = ["-at", "-id"]


class BundleApplication(PersonalDataModel):
    """One application for a bundle version: the merged form and the applicant; its cases do the
    rest. ``result_sent_at`` marks the one combined result notice (办结通知)."""

    bundle = models.ForeignKey(Bundle, on_delete=models.PROTECT, related_name="applications")
    version = models.ForeignKey(BundleVersion, verbose_name="一件事版本", on_delete=models.PROTECT,
                                related_name="applications")
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人账号",
                                  on_delete=models.PROTECT, related_name="bundle_applications")
    company = models.ForeignKey("accounts.Company", verbose_name="申请单位", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    form_data = EncryptedJSONField("合并表单", default=dict, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    result_sent_at = models.DateTimeField("合并结果通知时间", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "一件事申请"
        verbose_name_plural = "一件事申请"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.version.name}（{self.pk}）"


class WorkflowStep(models.Model):
    """One review step of an item's workflow (流程定义), edited by administrators as data. Steps
    with the same ``stage`` run in parallel (并联审批) and all join before the next stage; after the
    last stage the item's own department decides. An item without steps is reviewed by its own
    department in one step."""

    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", on_delete=models.CASCADE,
                             related_name="workflow_steps")
    stage = models.PositiveSmallIntegerField("阶段", default=1)
    name = models.CharField("环节名称", max_length=60)
    department = models.ForeignKey("orgs.Department", verbose_name="办理部门",
                                   on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "审批环节"
        verbose_name_plural = "审批环节"
        ordering = ["item_id", "stage", "id"]
        constraints = [
            models.UniqueConstraint(fields=["item", "stage", "department"],
                                    name="uniq_workflow_step_department"),
        ]

    def __str__(self) -> str:
        return f"{self.stage}. {self.name}"


class CaseCounter(models.Model):
    """The last sequence number used for one 实施编码 on one day. Incremented with an UPDATE that
    locks the row, so concurrent submissions never share a number."""

    prefix = models.CharField(max_length=40, unique=True)
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "办件编号计数器"
        verbose_name_plural = "办件编号计数器"


class Channel(models.TextChoices):
    """申请渠道: where the application was made. All channels share one pipeline."""

    ONLINE = "online", "网上申请"
    WINDOW = "window", "窗口"
    TERMINAL = "terminal", "自助终端"


class DeliveryMethod(models.TextChoices):
    """How the applicant asked to receive the result (送达方式)."""

    ONLINE = "online", "网上送达"
    WINDOW = "window", "窗口领取"
    POST = "post", "邮寄送达"


class Case(PersonalDataModel):
    """办件. A draft until submitted; then numbered (办件编号 = 实施编码 + yyyyMMdd + sequence) and
    handled through ``services``. The applicant's identity is copied at submission so that what
    was applied for stays readable whatever happens to the account."""

    number = models.CharField("办件编号", max_length=50, unique=True, null=True, blank=True)
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", on_delete=models.PROTECT,
                             related_name="cases")
    version = models.ForeignKey("catalog.GuideVersion", verbose_name="办事指南版本",
                                on_delete=models.PROTECT, related_name="cases")
    department = models.ForeignKey("orgs.Department", verbose_name="实施部门",
                                   on_delete=models.PROTECT, related_name="cases")
    region = models.ForeignKey("regions.Region", verbose_name="所属区划", on_delete=models.PROTECT,
                               related_name="cases")
    bundle_application = models.ForeignKey(BundleApplication, verbose_name="一件事申请", null=True,
                                           blank=True, on_delete=models.PROTECT, related_name="cases")
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT,
                              db_index=True)
    # Before a correction or special procedure, so that ending it returns to where the case was.
    resume_status = models.CharField(max_length=20, choices=Status.choices, blank=True)

    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="申请人账号",
                                  on_delete=models.PROTECT, related_name="cases")
    company = models.ForeignKey("accounts.Company", verbose_name="申请单位", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="cases")
    agent_authorization = models.ForeignKey("accounts.AgentAuthorization", verbose_name="经办授权",
                                            null=True, blank=True, on_delete=models.PROTECT,
                                            related_name="+")
    proxy_authorization = models.ForeignKey("accounts.ProxyAuthorization",
                                            verbose_name="帮办代办授权", null=True, blank=True,
                                            on_delete=models.PROTECT, related_name="cases")
    channel = models.CharField("申请渠道", max_length=10, choices=Channel.choices,
                               default=Channel.ONLINE)
    delivery_method = models.CharField("送达方式", max_length=10, choices=DeliveryMethod.choices,
                                       default=DeliveryMethod.ONLINE)
    applicant_name = models.CharField("申请人", max_length=200, blank=True)
    applicant_id_number = EncryptedTextField("申请人证件号码", max_length=18, blank=True)
    applicant_id_number_index = BlindIndexField(source="applicant_id_number",
                                                normalise="id_number", db_index=True)
    contact_name = models.CharField("经办人", max_length=50, blank=True)
    contact_mobile = EncryptedTextField("联系电话", max_length=11, blank=True)
    form_data = EncryptedJSONField("申请表", default=dict, blank=True)
    # 预填: which fields the platform filled in and from where, with the value it gave (so a
    # change by the applicant shows): {"uscc": {"value": "…", "source": "company", "from": "法人账号"}}.
    prefill = EncryptedJSONField("预填来源", default=dict, blank=True)

    commitment = models.BooleanField("承诺办理", default=False)
    commitment_text = models.TextField("承诺书", blank=True)
    tolerated = models.BooleanField("容缺受理", default=False)
    tolerated_until = models.DateField("容缺材料补交期限", null=True, blank=True)

    submission_key = models.CharField("提交幂等键", max_length=64, null=True, blank=True)
    submitted_at = models.DateTimeField("提交时间", null=True, blank=True)
    accepted_at = models.DateTimeField("受理时间", null=True, blank=True)
    decided_at = models.DateTimeField("办结时间", null=True, blank=True)
    closed_at = models.DateTimeField("终结时间", null=True, blank=True)
    time_limit = models.PositiveIntegerField("承诺时限（工作日）", default=0)
    due_date = models.DateField("承诺办结日期", null=True, blank=True, db_index=True)
    deadline_provisional = models.BooleanField("截止日期为暂定", default=False)
    last_reminded_on = models.DateField("最近提醒日期", null=True, blank=True)
    outcome_reason = models.TextField("办理意见", blank=True)

    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = "办件"
        verbose_name_plural = "办件"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["applicant", "submission_key"],
                                    name="uniq_case_submission_key"),
        ]
        indexes = [
            models.Index(fields=["applicant", "-created_at"], name="case_applicant_recent"),
            models.Index(fields=["department", "status", "due_date"], name="case_department_queue"),
        ]

    def __str__(self) -> str:
        return self.number or f"草稿 {self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class CaseFile(PersonalDataModel):
    """An uploaded material (or a document the department adds), or an electronic licence or a
    shared registry record the applicant consented to use in its place (``licence`` or
    ``registry_record``, no file). Stored through Django's storage
    API outside the web root and served only through a permission-checked, audited view. A file
    replaced during 补正 is kept, marked superseded, so the history shows what was first sent."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="files")
    material = models.ForeignKey("catalog.Material", verbose_name="对应材料", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+")
    # Empty when the material is satisfied by an electronic licence (免提交) instead of an upload.
    file = models.FileField("文件", upload_to="cases/%Y/%m/", max_length=200, blank=True)
    licence = models.ForeignKey("licences.Licence", verbose_name="电子证照（免提交）", null=True,
                                blank=True, on_delete=models.PROTECT, related_name="case_files")
    # Or by a record of a shared registry (data:<registry>); the snapshot keeps what was used, as
    # the registry sent it then, so the case reads the same after the registry changes.
    registry_record = models.ForeignKey("exchange.RegistryRecord", verbose_name="共享数据（免提交）",
                                        null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="case_files")
    registry_snapshot = EncryptedJSONField("共享数据快照", default=dict, blank=True)
    original_name = models.CharField("原文件名", max_length=200)
    content_type = models.CharField("类型", max_length=60)
    size = models.PositiveBigIntegerField("大小（字节）")
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)
    superseded = models.BooleanField("已被替换", default=False)

    class Meta:
        verbose_name = "办件材料"
        verbose_name_plural = "办件材料"
        ordering = ["case_id", "material_id", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name

    @property
    def reused(self) -> bool:
        """Satisfied by a licence or shared data (免提交) rather than an upload."""
        return self.licence_id is not None or self.registry_record_id is not None

    @property
    def record_time(self) -> dt.datetime | None:
        """The registry's time of the record the snapshot was taken from."""
        value = self.registry_snapshot.get("record_updated_at")
        return dt.datetime.fromisoformat(value) if value else None


class TaskKind(models.TextChoices):
    ACCEPT = "accept", "受理"
    REVIEW = "review", "审查"
    DECIDE = "decide", "决定"
    CERTIFY = "certify", "制证"
    DELIVER = "deliver", "送达"
    VERIFY = "verify", "承诺核查"


class TaskStatus(models.TextChoices):
    WAITING = "waiting", "待前序环节"
    OPEN = "open", "待办"
    CLAIMED = "claimed", "办理中"
    DONE = "done", "已完成"
    REJECTED = "rejected", "不同意"
    CANCELLED = "cancelled", "已取消"


ACTIVE_TASK_STATUSES = (TaskStatus.OPEN, TaskStatus.CLAIMED)


class CaseTask(models.Model):
    """A piece of work on a case for one department and role: what the workbench queues show.
    Review tasks of one stage run in parallel; the other kinds come one at a time."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    kind = models.CharField("类型", max_length=10, choices=TaskKind.choices)
    name = models.CharField("环节", max_length=60)
    stage = models.PositiveSmallIntegerField("阶段", default=0)
    department = models.ForeignKey("orgs.Department", verbose_name="办理部门", on_delete=models.PROTECT,
                                   related_name="case_tasks")
    role = models.CharField("办理角色", max_length=32)
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices,
                              default=TaskStatus.OPEN, db_index=True)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人", null=True,
                                 blank=True, on_delete=models.PROTECT, related_name="case_tasks")
    claimed_at = models.DateTimeField("认领时间", null=True, blank=True)
    completed_at = models.DateTimeField("完成时间", null=True, blank=True)
    completed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="完成人", null=True,
                                     blank=True, on_delete=models.PROTECT, related_name="+")
    opinion = models.TextField("意见", blank=True)
    due_date = models.DateField("核查期限", null=True, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = "办件任务"
        verbose_name_plural = "办件任务"
        # Opened in workflow order (受理, the review stages, 决定, 制证, 送达), so the order
        # they were made in is the order they are shown in; ``stage`` is 0 for all but reviews.
        ordering = ["case_id", "id"]
        indexes = [models.Index(fields=["department", "role", "status"], name="task_queue")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="claimed") | Q(assignee__isnull=False),
                                   name="claimed_task_has_assignee"),
        ]

    def __str__(self) -> str:
        return f"{self.case} {self.name}"


class Correction(models.Model):
    """补正: every defect listed at once (一次性告知); the applicant fixes them in one go. A
    correction after acceptance stops the clock from the day it is asked to the day it ends."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="corrections")
    defects = models.JSONField("补正内容", default=list,
                               help_text='[{"kind": "material", "target": "12", "label": "…",'
                                         ' "message": "…"}]')
    note = models.TextField("说明", blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="告知人",
                                     on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField("告知时间")
    stops_clock = models.BooleanField("暂停计时", default=False)
    resolved_at = models.DateTimeField("补正完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "补正告知"
        verbose_name_plural = "补正告知"
        ordering = ["case_id", "requested_at", "id"]


class SpecialProcedure(models.Model):
    """特别程序 (听证, 专家评审, 现场勘验…): the clock stands still while it runs."""

    class Kind(models.TextChoices):
        HEARING = "hearing", "听证"
        EXPERT = "expert", "专家评审"
        INSPECTION = "inspection", "现场勘验"
        TESTING = "testing", "检验检测"
        OTHER = "other", "其他"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="special_procedures")
    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    reason = models.TextField("理由")
    expected_days = models.PositiveSmallIntegerField("预计时长（工作日）")
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="发起人",
                                   on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField("开始时间")
    ended_at = models.DateTimeField("结束时间", null=True, blank=True)
    result = models.TextField("结果", blank=True)

    class Meta:
        verbose_name = "特别程序"
        verbose_name_plural = "特别程序"
        ordering = ["case_id", "started_at", "id"]


class CaseEvent(models.Model):
    """The history of a case as the applicant and staff read it: who, when, what and why. The
    same facts go to the hash-chained audit log (``supervision``), which is what proves them."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=30)
    label = models.CharField("操作名称", max_length=40)
    from_status = models.CharField("原状态", max_length=20, blank=True)
    to_status = models.CharField("新状态", max_length=20, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField("操作人姓名", max_length=200, blank=True)
    actor_department = models.CharField(
        "操作部门", max_length=200, blank=True,
        help_text="工作人员为哪个部门操作。申请人和公众看到的是部门，不是工作人员的账号或姓名")
    on_behalf = models.CharField("代为办理单位", max_length=200, blank=True)
    reason = models.TextField("理由/意见", blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "办件记录"
        verbose_name_plural = "办件记录"
        ordering = ["case_id", "at", "id"]

    @property
    def public_actor(self) -> str:
        """Who acted, as the applicant reads it: the department for staff, the person's own name
        for the applicant (or their agent), 系统 for the platform."""
        return self.actor_department or self.actor_name or "系统"
