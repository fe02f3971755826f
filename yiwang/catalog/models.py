from django.conf import settings
from django.db import models

from yiwang.accounts.models import AssuranceLevel


class ItemType(models.TextChoices):
    """事项类型 (GB/T 39046)."""

    LICENSING = "01", "行政许可"
    PENALTY = "02", "行政处罚"
    ENFORCEMENT = "03", "行政强制"
    LEVY = "04", "行政征收"
    BENEFIT = "05", "行政给付"
    INSPECTION = "06", "行政检查"
    CONFIRMATION = "07", "行政确认"
    REWARD = "08", "行政奖励"
    ADJUDICATION = "09", "行政裁决"
    OTHER_POWER = "10", "其他行政权力"
    PUBLIC_SERVICE = "20", "公共服务"


class ItemLevel(models.TextChoices):
    """行使层级 (GB/T 39554.1)."""

    NATIONAL = "1", "国家级"
    PROVINCE = "2", "省级"
    CITY = "3", "市级"
    COUNTY = "4", "县级"
    TOWN = "5", "乡镇/街道"
    VILLAGE = "6", "村/社区"


class HandlingKind(models.TextChoices):
    """办件类型."""

    IMMEDIATE = "1", "即办件"
    PROMISED = "2", "承诺件"


class OnlineDepth(models.IntegerChoices):
    """网上办理深度."""

    CONSULT = 1, "网上咨询"
    DOWNLOAD = 2, "表格下载"
    PRE_REVIEW = 3, "网上预审"
    ONLINE_ACCEPT = 4, "网上受理"
    ONLINE_HANDLE = 5, "网上办理"
    ONLINE_RESULT = 6, "网上反馈结果"
    E_LICENCE = 7, "电子证照反馈"


class RetentionPeriod(models.TextChoices):
    """保管期限 of a case's archive (DA/T 22 codes: Y 永久, D30 定期30年, D10 定期10年). Counted
    from the 1st of January after the year the case closed."""

    PERMANENT = "Y", "永久"
    YEARS_30 = "D30", "30年"
    YEARS_10 = "D10", "10年"

    @property
    def years(self) -> int | None:
        return {"D30": 30, "D10": 10}.get(self.value)


class Audience(models.TextChoices):
    PERSON = "person", "个人"
    COMPANY = "company", "法人"


class Topic(models.Model):
    """人生事件 (life event, e.g. 出生、入学) or 主题 (theme, e.g. 社会保障) used to browse items."""

    class Kind(models.TextChoices):
        LIFE_EVENT = "life_event", "人生事件"
        THEME = "theme", "主题"

    kind = models.CharField("类别", max_length=16, choices=Kind.choices)
    audience = models.CharField("服务对象", max_length=16, choices=Audience.choices,
                                default=Audience.PERSON)
    name = models.CharField("名称", max_length=40)
    slug = models.SlugField("标识", max_length=40, unique=True)
    description = models.CharField("说明", max_length=200, blank=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = "人生事件/主题"
        verbose_name_plural = "人生事件/主题"
        ordering = ["kind", "order", "name"]

    def __str__(self) -> str:
        return self.name


class ServiceItem(models.Model):
    """事项: the stable identity of a service item and its codes. What the public reads lives in
    ``GuideVersion``; ``published_version`` points at the one version that is public, if any."""

    basic_code = models.CharField("基本编码", max_length=12, db_index=True)
    implementation_code = models.CharField("实施编码", max_length=31, unique=True)
    handling_code = models.CharField("业务办理项编码", max_length=33, unique=True)
    item_type = models.CharField("事项类型", max_length=2, choices=ItemType.choices)
    level = models.CharField("行使层级", max_length=1, choices=ItemLevel.choices)
    department = models.ForeignKey("orgs.Department", verbose_name="实施主体",
                                   on_delete=models.PROTECT, related_name="items")
    region = models.ForeignKey("regions.Region", verbose_name="所属区划",
                               on_delete=models.PROTECT, related_name="items")
    topics = models.ManyToManyField(Topic, verbose_name="人生事件/主题", blank=True,
                                    related_name="items")
    published_version = models.OneToOneField(
        "GuideVersion", verbose_name="当前发布版本", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "事项"
        verbose_name_plural = "事项"
        ordering = ["implementation_code"]

    def __str__(self) -> str:
        return self.handling_code


class VersionStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待审核"
    APPROVED = "approved", "已审核"
    PUBLISHED = "published", "已发布"
    WITHDRAWN = "withdrawn", "已撤回"
    SUPERSEDED = "superseded", "历史版本"


class GuideVersion(models.Model):
    """办事指南的一个版本. Published and superseded versions are never edited; editing a
    published item starts a new draft that copies it."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    status = models.CharField("状态", max_length=16, choices=VersionStatus.choices,
                              default=VersionStatus.DRAFT, db_index=True)

    name = models.CharField("事项名称", max_length=200)
    aliases = models.CharField("别名", max_length=300, blank=True, help_text="多个别名用顿号或逗号分隔")
    audience = models.CharField("服务对象", max_length=16, choices=Audience.choices,
                                default=Audience.PERSON)
    legal_basis = models.TextField("设定依据", blank=True)
    conditions = models.TextField("受理条件", blank=True)
    process_steps = models.JSONField("办理流程", default=list, blank=True,
                                     help_text='[{"name": "受理", "description": "…"}]')
    legal_time_limit = models.PositiveIntegerField("法定办结时限（工作日）", default=0)
    promised_time_limit = models.PositiveIntegerField("承诺办结时限（工作日）", default=0)
    handling_kind = models.CharField("办件类型", max_length=1, choices=HandlingKind.choices,
                                     default=HandlingKind.PROMISED)
    visits = models.PositiveSmallIntegerField("到办事现场次数", default=0)
    min_assurance_level = models.PositiveSmallIntegerField(
        "申请人最低实名等级", choices=AssuranceLevel.choices,
        default=AssuranceLevel.SELF_DECLARED,
        help_text="网上申请时申请人账号至少应达到的实名等级")
    online_depth = models.PositiveSmallIntegerField("网上办理深度", choices=OnlineDepth.choices,
                                                    default=OnlineDepth.ONLINE_ACCEPT)
    fees = models.JSONField("收费标准", default=list, blank=True,
                            help_text='[{"name": "工本费", "amount": "10.00", "basis": "…"}]；空表示不收费')
    location = models.CharField("办理地点", max_length=300, blank=True)
    office_hours = models.CharField("办理时间", max_length=200, blank=True)
    consult_phone = models.CharField("咨询电话", max_length=60, blank=True)
    supervise_phone = models.CharField("监督投诉电话", max_length=60, blank=True)
    result_name = models.CharField("审批结果名称", max_length=100, blank=True)
    result_licence_type = models.CharField("结果证照类型代码", max_length=40, blank=True)
    retention_period = models.CharField("档案保管期限", max_length=3, choices=RetentionPeriod.choices,
                                        default=RetentionPeriod.YEARS_30,
                                        help_text="办结后归档的电子档案的保管期限")
    channels = models.JSONField("办理渠道", default=list, blank=True,
                                help_text='如 ["pc", "mobile", "hall"]')
    single_window = models.BooleanField("进驻一窗受理", default=True)
    commitment_allowed = models.BooleanField("可承诺办理", default=False)
    form_definition = models.JSONField("申请表单定义", default=list, blank=True)

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="起草人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField("发布时间", null=True, blank=True)

    class Meta:
        verbose_name = "办事指南版本"
        verbose_name_plural = "办事指南版本"
        ordering = ["item_id", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="uniq_guide_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.name}（第{self.number}版）"

    @property
    def is_editable(self) -> bool:
        return self.status == VersionStatus.DRAFT


class Necessity(models.TextChoices):
    REQUIRED = "required", "必要"
    OPTIONAL = "optional", "非必要"
    TOLERATED = "tolerated", "容缺"


class MaterialForm(models.TextChoices):
    PAPER = "paper", "纸质"
    ELECTRONIC = "electronic", "电子"
    BOTH = "both", "纸质和电子"


class MaterialSource(models.TextChoices):
    APPLICANT = "applicant", "申请人自备"
    GOVERNMENT = "government", "政府部门核发"
    OTHER = "other", "其他"


class Material(models.Model):
    """申请材料 of one guide version."""

    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="materials")
    order = models.PositiveSmallIntegerField("序号", default=0)
    name = models.CharField("材料名称", max_length=200)
    necessity = models.CharField("必要性", max_length=16, choices=Necessity.choices,
                                 default=Necessity.REQUIRED)
    form = models.CharField("材料形式", max_length=16, choices=MaterialForm.choices,
                            default=MaterialForm.ELECTRONIC)
    paper_copies = models.PositiveSmallIntegerField("纸质份数", default=0)
    source = models.CharField("来源渠道", max_length=16, choices=MaterialSource.choices,
                              default=MaterialSource.APPLICANT)
    source_note = models.CharField("来源说明", max_length=200, blank=True)
    blank_form_url = models.CharField("空白表格", max_length=300, blank=True)
    sample_url = models.CharField("示例样表", max_length=300, blank=True)
    acceptance_standard = models.TextField("受理标准", blank=True)
    exemption_source = models.CharField(
        "免提交来源", max_length=100, blank=True,
        help_text="可由电子证照或共享数据替代时填写证照类型代码或数据项，如 licence:jmsfz",
    )
    note = models.CharField("备注", max_length=300, blank=True)

    class Meta:
        verbose_name = "申请材料"
        verbose_name_plural = "申请材料"
        ordering = ["version_id", "order", "id"]

    def __str__(self) -> str:
        return self.name

    @property
    def exemptible(self) -> bool:
        return bool(self.exemption_source)


class GuideFaq(models.Model):
    """常见问题 of one guide version: written by the item's editors with the rest of the guide,
    reviewed and published with it, and read by the consultation box."""

    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="faqs")
    order = models.PositiveSmallIntegerField("序号", default=0)
    question = models.CharField("问题", max_length=200)
    answer = models.TextField("解答", max_length=2000)

    class Meta:
        verbose_name = "常见问题"
        verbose_name_plural = "常见问题"
        ordering = ["version_id", "order", "id"]

    def __str__(self) -> str:
        return self.question


class VersionEvent(models.Model):
    """History of a guide version: who did what, when, why, and which fields changed."""

    class Action(models.TextChoices):
        CREATED = "created", "创建"
        EDITED = "edited", "修改"
        SUBMITTED = "submitted", "提交审核"
        APPROVED = "approved", "审核通过"
        REJECTED = "rejected", "退回修改"
        PUBLISHED = "published", "发布"
        WITHDRAWN = "withdrawn", "撤回"
        SUPERSEDED = "superseded", "被新版本替代"
        IMPORTED = "imported", "导入"

    version = models.ForeignKey(GuideVersion, on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=16, choices=Action.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="操作人", null=True,
                              on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField("时间", auto_now_add=True)
    comment = models.TextField("说明", blank=True)
    changes = models.JSONField("变更字段", default=dict, blank=True)

    class Meta:
        verbose_name = "版本记录"
        verbose_name_plural = "版本记录"
        ordering = ["at", "id"]


class Synonym(models.Model):
    """同义词, maintained by administrators: a query for ``term`` also finds ``expansions``
    (社保 → 社会保险). A term may also be a citizen's colloquial phrase (开公司 → 企业设立登记):
    the search keeps a term whole when it cuts a query into words."""

    term = models.CharField("词语", max_length=40, unique=True,
                            help_text="同义词或群众的口语说法，如“社保”“开公司”；搜索时作为一个词保留")
    expansions = models.CharField("同义词", max_length=300, help_text="多个同义词用逗号分隔")

    class Meta:
        verbose_name = "同义词"
        verbose_name_plural = "同义词"
        ordering = ["term"]

    def __str__(self) -> str:
        return f"{self.term} → {self.expansions}"

    def expansion_list(self) -> list[str]:
        return [w.strip() for w in self.expansions.replace("，", ",").split(",") if w.strip()]


class ImportJob(models.Model):
    """One catalogue import (CSV, XLSX or JSON): runs as a background task and reports progress.
    All or nothing: rows are written only if every row is valid."""

    class Status(models.TextChoices):
        PENDING = "pending", "排队中"
        VALIDATING = "validating", "校验中"
        WRITING = "writing", "写入中"
        SUCCEEDED = "succeeded", "导入成功"
        FAILED = "failed", "导入失败"

    file = models.FileField("导入文件", upload_to="catalog-imports/%Y/%m/")
    original_name = models.CharField("原文件名", max_length=200)
    file_format = models.CharField("格式", max_length=8)
    status = models.CharField("状态", max_length=16, choices=Status.choices,
                              default=Status.PENDING)
    total = models.PositiveIntegerField("总行数", default=0)
    processed = models.PositiveIntegerField("已处理行数", default=0)
    created_count = models.PositiveIntegerField("新增事项数", default=0)
    publish = models.BooleanField("导入后直接发布", default=False)
    errors = models.JSONField(
        "错误", default=list, blank=True,
        help_text='[{"line": 3, "sheet": null, "where": "第3行", "field": "basic_code", '
                  '"code": "item_code.basic_length", "message": "…"}]')
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="导入人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    started_at = models.DateTimeField("开始时间", null=True, blank=True)
    write_started_at = models.DateTimeField("开始写入时间", null=True, blank=True)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = "事项导入任务"
        verbose_name_plural = "事项导入任务"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name}（{self.get_status_display()}）"


class UnansweredQuestion(models.Model):
    """A question the consultation box (智能咨询) could not answer well, for the catalogue
    editors: asked again, the same question (after normalisation) counts up instead of adding a
    row."""

    text = models.CharField("问题", max_length=200)
    normalized = models.CharField("规范化问题", max_length=200, unique=True)
    count = models.PositiveIntegerField("提问次数", default=1)
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    best_item = models.ForeignKey(ServiceItem, verbose_name="最接近的事项", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    first_asked_at = models.DateTimeField("首次提问", auto_now_add=True)
    last_asked_at = models.DateTimeField("最近提问", db_index=True)
    handled_at = models.DateTimeField("处理时间", null=True, blank=True)
    handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="处理人", null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "未解答的咨询"
        verbose_name_plural = "未解答的咨询"
        ordering = ["-last_asked_at", "-id"]

    def __str__(self) -> str:
        return self.text
