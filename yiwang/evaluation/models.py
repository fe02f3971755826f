"""好差评 (GB/T 39734-2020 “一次一评”“一事一评”, GB/T 39735-2020 政务服务评价工作指南).

A ``Rating`` is one person's verdict on one service event: a case (一事一评), a hall ticket, a
terminal use or a call (一次一评), or a hall or department as a whole (综合点评); an inspector's
rating is 监督查评. ``event_key`` names the event (``case:12``, ``ticket:7``…), so that one
person rates one event once (they may change it within the rating window; each change is kept in
``RatingChange``). Levels 4 and 5 are 差评: they carry standard reasons and a text, and open a
``Rectification`` (整改) for the responsible department on the working-day clock. A department
may appeal a rating (``Appeal``, 申诉); an upheld appeal leaves the rating in place but outside
the statistics. ``RatingStat`` holds the monthly counts the public page reads, kept by
``services.statistics``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Level(models.IntegerChoices):
    """评价等级, 1 best … 5 worst (DESIGN.md)."""

    VERY_SATISFIED = 1, "非常满意"
    SATISFIED = 2, "满意"
    BASICALLY_SATISFIED = 3, "基本满意"
    DISSATISFIED = 4, "不满意"
    VERY_DISSATISFIED = 5, "非常不满意"


# 差评: the levels that need reasons and a text and open a rectification.
BAD_LEVELS = (Level.DISSATISFIED, Level.VERY_DISSATISFIED)
# 好评率 counts 非常满意 + 满意 + 基本满意 over all ratings (the definition).
GOOD_LEVELS = (Level.VERY_SATISFIED, Level.SATISFIED, Level.BASICALLY_SATISFIED)


class RatingKind(models.TextChoices):
    CASE = "case", "一事一评"
    EVENT = "event", "一次一评"
    OVERALL = "overall", "综合点评"
    INSPECTION = "inspection", "监督查评"


class RatingChannel(models.TextChoices):
    PC = "pc", "网上办事大厅"
    MOBILE = "mobile", "移动端"
    HALL = "hall", "窗口评价器"
    TERMINAL = "terminal", "自助终端"
    SMS = "sms", "短信"
    HOTLINE = "hotline", "12345热线"


class BadReviewReason(models.Model):
    """差评原因: the standard list an administrator keeps; a 差评 chooses at least one."""

    code = models.SlugField("代码", max_length=40, unique=True)
    name = models.CharField("原因", max_length=60)
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = verbose_name_plural = "差评原因"

    def __str__(self) -> str:
        return self.name


class EvaluationPolicy(models.Model):
    """A region's rating window and rectification deadline; regions without one inherit the
    nearest ancestor's, and the settings' defaults above all (EVALUATION_RATING_DAYS,
    EVALUATION_RECTIFICATION_WORKING_DAYS)."""

    region = models.OneToOneField("regions.Region", verbose_name="区划", on_delete=models.CASCADE,
                                  related_name="evaluation_policy")
    rating_days = models.PositiveSmallIntegerField("可评价天数（事后）")
    rectification_working_days = models.PositiveSmallIntegerField("整改期限（工作日）")

    class Meta:
        verbose_name = verbose_name_plural = "评价规则"


class Rating(models.Model):
    kind = models.CharField("评价类型", max_length=12, choices=RatingKind.choices)
    channel = models.CharField("评价渠道", max_length=12, choices=RatingChannel.choices)
    event_key = models.CharField("评价对象", max_length=60, db_index=True)
    level = models.PositiveSmallIntegerField("评价等级", choices=Level.choices)
    reasons = models.ManyToManyField(BadReviewReason, verbose_name="差评原因", blank=True)
    text = models.TextField("评价内容", blank=True)
    # Who rated: the person served, or their agent (代办人) for them.
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="评价人", null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="ratings_given")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="代为评价人", null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    # What was rated; region and department are always set (statistics and rectification).
    case = models.ForeignKey("cases.Case", verbose_name="办件", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="ratings")
    ticket = models.ForeignKey("hall.Ticket", verbose_name="排队票", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="ratings")
    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="大厅", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="ratings")
    window = models.ForeignKey("hall.Window", verbose_name="窗口", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="ratings")
    staff = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="服务人员", null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="ratings_received")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="ratings")
    # The responsible party: the department of the item (or case), or, for what no department
    # answers for (a hall's queueing, a window without an item), the hall and its managers.
    department = models.ForeignKey("orgs.Department", verbose_name="责任部门", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="ratings")
    region = models.ForeignKey("regions.Region", verbose_name="区划", on_delete=models.PROTECT,
                               related_name="ratings")
    event_at = models.DateTimeField("服务时间")
    created_at = models.DateTimeField("评价时间", db_index=True)
    updated_at = models.DateTimeField("修改时间")
    # 申诉 upheld: kept, shown as 已复核剔除, left out of every figure.
    excluded = models.BooleanField("不计入统计", default=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = verbose_name_plural = "评价"
        constraints = [
            # One rating per event and person; an anonymous rating (rater null) is 监督查评 or a
            # hotline record, which constraints on NULL do not restrict.
            models.UniqueConstraint(fields=["event_key", "rater"], name="uniq_rating_per_event"),
            models.CheckConstraint(condition=models.Q(level__gte=1, level__lte=5),
                                   name="rating_level_1_to_5"),
            models.CheckConstraint(condition=models.Q(department__isnull=False)
                                   | models.Q(hall__isnull=False),
                                   name="rating_has_a_responsible_party"),
        ]
        indexes = [models.Index(fields=["region", "created_at"]),
                   models.Index(fields=["department", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_level_display()}（{self.event_key}）"

    @property
    def is_bad(self) -> bool:
        return self.level in BAD_LEVELS


class RatingChange(models.Model):
    """A change of a rating within its window: what it was before."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="changes")
    old_level = models.PositiveSmallIntegerField("原等级", choices=Level.choices)
    old_text = models.TextField("原内容", blank=True)
    old_reasons = models.JSONField("原差评原因", default=list)
    changed_at = models.DateTimeField("修改时间")

    class Meta:
        ordering = ["changed_at", "pk"]


class RatingInvitation(models.Model):
    """An invitation to rate one event (an SMS or web link with a one-time token, no log-in
    needed): only the token's SHA-256 is stored; ``used_at`` is set by the rating it led to."""

    event_key = models.CharField("评价对象", max_length=60, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="被邀请人",
                             on_delete=models.CASCADE, related_name="rating_invitations")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="rating_invitations")
    ticket = models.ForeignKey("hall.Ticket", null=True, blank=True, on_delete=models.CASCADE,
                               related_name="rating_invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    channel = models.CharField("发送渠道", max_length=12, choices=RatingChannel.choices)
    created_at = models.DateTimeField("发送时间")
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)


class RectificationStatus(models.TextChoices):
    PENDING = "pending", "待核实"
    RECTIFYING = "rectifying", "整改中"
    RECTIFIED = "rectified", "已整改"
    REVISITED = "revisited", "已回访"


class Rectification(models.Model):
    """整改 of one 差评 by its responsible department, due ``due_on`` (working days from the
    rating). The reply goes to the rater; 回访 records how they were asked and their verdict."""

    class Verdict(models.TextChoices):
        SATISFIED = "satisfied", "满意"
        DISSATISFIED = "dissatisfied", "不满意"

    class RevisitMethod(models.TextChoices):
        PHONE = "phone", "电话回访"
        ONLINE = "online", "网上回访"

    rating = models.OneToOneField(Rating, on_delete=models.CASCADE, related_name="rectification")
    # The rating's responsible party: its department, else its hall (the hall's managers).
    department = models.ForeignKey("orgs.Department", verbose_name="整改部门", null=True,
                                   blank=True, on_delete=models.PROTECT,
                                   related_name="rectifications")
    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="整改大厅", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="rectifications")
    region = models.ForeignKey("regions.Region", verbose_name="区划", on_delete=models.PROTECT,
                               related_name="rectifications")
    status = models.CharField("状态", max_length=12, choices=RectificationStatus.choices,
                              default=RectificationStatus.PENDING)
    opened_at = models.DateTimeField("生成时间")
    due_on = models.DateField("整改期限")
    finding = models.TextField("核实情况", blank=True)
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    verified_at = models.DateTimeField("核实时间", null=True, blank=True)
    reply = models.TextField("整改答复", blank=True)
    replied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    replied_at = models.DateTimeField("答复时间", null=True, blank=True)
    revisit_method = models.CharField("回访方式", max_length=10, choices=RevisitMethod.choices,
                                      blank=True)
    revisit_note = models.TextField("回访记录", blank=True)
    revisited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    revisited_at = models.DateTimeField("回访时间", null=True, blank=True)
    verdict = models.CharField("评价人对整改的评价", max_length=14, choices=Verdict.choices,
                               blank=True)
    verdict_at = models.DateTimeField(null=True, blank=True)
    # The daily reminder (黄灯/红灯) goes out once a day however often the task runs.
    last_reminded_on = models.DateField("最近提醒日期", null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = verbose_name_plural = "差评整改"
        indexes = [models.Index(fields=["department", "status", "due_on"])]


class AppealStatus(models.TextChoices):
    PENDING = "pending", "待复核"
    UPHELD = "upheld", "申诉成立"
    REJECTED = "rejected", "申诉不成立"


class Appeal(models.Model):
    """申诉: the department holds a rating malicious or off-topic; a supervisor decides (复核)."""

    class Ground(models.TextChoices):
        MALICIOUS = "malicious", "恶意差评"
        OFF_TOPIC = "off_topic", "与服务无关"

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="appeals")
    department = models.ForeignKey("orgs.Department", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="rating_appeals")
    hall = models.ForeignKey("orgs.ServiceHall", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="rating_appeals")
    ground = models.CharField("申诉理由", max_length=12, choices=Ground.choices)
    statement = models.TextField("申诉说明")
    filed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                 related_name="+")
    filed_at = models.DateTimeField("申诉时间")
    status = models.CharField("状态", max_length=10, choices=AppealStatus.choices,
                              default=AppealStatus.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField("复核时间", null=True, blank=True)
    decision = models.TextField("复核意见", blank=True)

    class Meta:
        ordering = ["-filed_at", "-pk"]
        verbose_name = verbose_name_plural = "差评申诉"
        constraints = [models.UniqueConstraint(
            fields=["rating"], condition=models.Q(status="pending"),
            name="one_pending_appeal_per_rating")]


class RatingStat(models.Model):
    """Monthly counts per region, department (or hall), item and channel: what the public statistics
    read, so a page over a million ratings sums a few thousand rows. Rebuilt for a month by
    ``statistics.aggregate_month``; ``item`` null is a rating of no item (a hall, a call)."""

    month = models.DateField("月份")  # the first day of the month
    region = models.ForeignKey("regions.Region", on_delete=models.CASCADE, related_name="+")
    department = models.ForeignKey("orgs.Department", null=True, blank=True,
                                   on_delete=models.CASCADE, related_name="+")
    hall = models.ForeignKey("orgs.ServiceHall", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    item = models.ForeignKey("catalog.ServiceItem", null=True, blank=True, on_delete=models.CASCADE,
                             related_name="+")
    channel = models.CharField(max_length=12, choices=RatingChannel.choices)
    ratings = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)  # 非常满意 + 满意 + 基本满意
    bad = models.PositiveIntegerField(default=0)  # 不满意 + 非常不满意
    rectified = models.PositiveIntegerField(default=0)  # 差评 whose rectification is done
    rectified_on_time = models.PositiveIntegerField(default=0)
    revisited = models.PositiveIntegerField(default=0)
    level_sum = models.PositiveIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month", "region"]),
                   models.Index(fields=["month", "department"])]
