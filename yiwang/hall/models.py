"""What a service hall is made of and what happens in it.

The hall itself (``orgs.ServiceHall``: name, region, level, policies) belongs to ``orgs``; this
app holds its windows and queues, the items stationed in it, opening hours, rosters and window
sign-ins, appointments, queue tickets and calls, window records of cases, result pick-ups and
terminals. Rules live in ``services``; these models only say what is stored and what must be
unique.

Partial unique constraints (``condition=``) are not enforced by MariaDB, so every rule of the
kind "at most one open X per Y" is kept by the service that locks Y's row first; the constraints
below that have a condition are a second line on PostgreSQL and SQLite only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from yiwang.common.fields import BlindIndexField, EncryptedTextField, PersonalDataModel


class WindowKind(models.TextChoices):
    """窗口类别."""

    COMPREHENSIVE = "comprehensive", "综合受理窗口"
    SPECIALISED = "specialised", "专业窗口"
    PICKUP = "pickup", "出件窗口"
    CONSULT = "consult", "咨询/帮办窗口"


class Category(models.TextChoices):
    """综合窗口分类: the class of items a 综合受理窗口 takes (分领域综合受理)."""

    ENTERPRISE = "enterprise", "企业开办与经营"
    CONSTRUCTION = "construction", "投资项目与工程建设"
    PROPERTY = "property", "不动产登记"
    SOCIAL = "social", "社会事务"
    POLICE = "police", "公安服务"
    OTHER = "other", "其他事项"


class DayKind(models.TextChoices):
    """Which opening hours a day uses. A day the working-day calendar calls a working day (make-up
    Saturdays and Sundays included) uses ``workday``; a rest day that is no public holiday uses
    its weekday's own hours (延时服务); public holidays are closed."""

    WORKDAY = "workday", "工作日"
    SATURDAY = "saturday", "周六（非节假日）"
    SUNDAY = "sunday", "周日（非节假日）"


class HallRole(models.TextChoices):
    """Roles held in one hall (大厅人员角色), beside the department roles of ``orgs``."""

    MANAGER = "manager", "大厅管理员"
    CLERK = "clerk", "综合窗口人员"
    PROXY = "proxy", "帮办代办员"


class HallMember(models.Model):
    """A staff user's role in one hall: the hall's own staff (综合窗口, 出件, 咨询) are no
    department's members, and a village 代办员 belongs to the village's service station."""

    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="大厅", on_delete=models.CASCADE,
                             related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="人员",
                             on_delete=models.CASCADE, related_name="hall_memberships")
    role = models.CharField("角色", max_length=16, choices=HallRole.choices)

    class Meta:
        verbose_name = "大厅人员角色"
        verbose_name_plural = "大厅人员角色"
        constraints = [models.UniqueConstraint(fields=["hall", "user", "role"],
                                               name="uniq_hall_member")]

    def __str__(self) -> str:
        return f"{self.user} · {self.hall} · {self.get_role_display()}"


class OpeningPeriod(models.Model):
    """One opening period of a hall on one kind of day: 8:30–11:30 and 13:00–17:00 are two."""

    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="大厅", on_delete=models.CASCADE,
                             related_name="opening_periods")
    day_kind = models.CharField("日期类别", max_length=10, choices=DayKind.choices)
    start = models.TimeField("开始")
    end = models.TimeField("结束")

    class Meta:
        verbose_name = "办公时间"
        verbose_name_plural = "办公时间"
        ordering = ["hall_id", "day_kind", "start"]
        constraints = [models.CheckConstraint(condition=Q(start__lt=F("end")),
                                              name="opening_period_starts_before_end")]

    def __str__(self) -> str:
        return f"{self.get_day_kind_display()} {self.start:%H:%M}-{self.end:%H:%M}"


class Queue(models.Model):
    """排队队列: tickets of one queue are numbered together (A001, A002 …) and called by the
    windows that serve it. A queue is for one window kind and, for 综合 windows, one category,
    for 专业 windows one department."""

    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="大厅", on_delete=models.CASCADE,
                             related_name="queues")
    code = models.CharField("号段字母", max_length=2, help_text="票号前缀，如 A、B")
    name = models.CharField("队列名称", max_length=40)
    window_kind = models.CharField("窗口类别", max_length=16, choices=WindowKind.choices)
    category = models.CharField("综合窗口分类", max_length=16, choices=Category.choices, blank=True)
    department = models.ForeignKey("orgs.Department", verbose_name="专业窗口部门", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    order = models.PositiveSmallIntegerField("排序", default=0)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "排队队列"
        verbose_name_plural = "排队队列"
        ordering = ["hall_id", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["hall", "code"], name="uniq_queue_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Window(models.Model):
    """窗口. Open while a staff member is signed in to it (``WindowSession``)."""

    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="大厅", on_delete=models.CASCADE,
                             related_name="windows")
    number = models.CharField("窗口号", max_length=10, help_text="显示在叫号屏上，如 3、A12")
    name = models.CharField("窗口名称", max_length=40)
    kind = models.CharField("窗口类别", max_length=16, choices=WindowKind.choices)
    department = models.ForeignKey("orgs.Department", verbose_name="部门（专业窗口）", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="+")
    queues = models.ManyToManyField(Queue, verbose_name="服务队列", blank=True,
                                    related_name="windows")
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "窗口"
        verbose_name_plural = "窗口"
        ordering = ["hall_id", "number"]
        constraints = [models.UniqueConstraint(fields=["hall", "number"], name="uniq_window_number")]

    def __str__(self) -> str:
        return f"{self.number}号窗口（{self.name}）"


class HallItem(models.Model):
    """进驻事项: an item handled in the hall, at which kind of window, in which queue, and how long
    one case of it takes at the counter on average (which sizes the appointment slots)."""

    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="大厅", on_delete=models.CASCADE,
                             related_name="stationed_items")
    item = models.ForeignKey("catalog.ServiceItem", verbose_name="事项", on_delete=models.CASCADE,
                             related_name="hall_entries")
    window_kind = models.CharField("受理窗口类别", max_length=16, choices=WindowKind.choices,
                                   default=WindowKind.COMPREHENSIVE)
    category = models.CharField("综合窗口分类", max_length=16, choices=Category.choices, blank=True)
    queue = models.ForeignKey(Queue, verbose_name="排队队列", on_delete=models.PROTECT,
                              related_name="items")
    average_minutes = models.PositiveSmallIntegerField("平均办理时长（分钟）", default=15)
    bookable = models.BooleanField("可预约", default=True)
    active = models.BooleanField("启用", default=True)

    class Meta:
        verbose_name = "进驻事项"
        verbose_name_plural = "进驻事项"
        ordering = ["hall_id", "queue_id", "id"]
        constraints = [models.UniqueConstraint(fields=["hall", "item"], name="uniq_hall_item")]

    def __str__(self) -> str:
        return f"{self.hall} · {self.item_id}"


class Shift(models.Model):
    """排班: who works at which window on which day."""

    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.CASCADE,
                               related_name="shifts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="人员",
                             on_delete=models.CASCADE, related_name="hall_shifts")
    date = models.DateField("日期")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="排班人", null=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "排班"
        verbose_name_plural = "排班"
        ordering = ["date", "window_id"]
        constraints = [models.UniqueConstraint(fields=["window", "user", "date"],
                                               name="uniq_shift")]


class WindowSession(models.Model):
    """A staff member signed in to a window; the window is open until ``ended_at``. At most one
    open session per window and per user (kept by ``services.windows`` under a lock)."""

    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.CASCADE,
                               related_name="sessions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="人员",
                             on_delete=models.CASCADE, related_name="window_sessions")
    started_at = models.DateTimeField("签入时间")
    ended_at = models.DateTimeField("签出时间", null=True, blank=True)

    class Meta:
        verbose_name = "窗口签入"
        verbose_name_plural = "窗口签入"
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["window", "ended_at"], name="window_session_open")]


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", "已预约"
    CHECKED_IN = "checked_in", "已签到"
    CANCELLED = "cancelled", "已取消"
    NO_SHOW = "no_show", "爽约"


ACTIVE_APPOINTMENT_STATUSES = (AppointmentStatus.BOOKED,)


class Channel(models.TextChoices):
    """Where something was done: booked, a ticket taken."""

    PC = "pc", "电脑端"
    MOBILE = "mobile", "移动端"
    API = "api", "开放接口"
    TERMINAL = "terminal", "自助终端"
    WINDOW = "window", "窗口"


class SlotCounter(models.Model):
    """The bookings held on one slot of one queue: the row the booking service locks, so two
    people booking the last place of a slot at once cannot both get it."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    start = models.TimeField()
    booked = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "预约时段计数"
        verbose_name_plural = "预约时段计数"
        constraints = [models.UniqueConstraint(fields=["queue", "date", "start"],
                                               name="uniq_slot_counter")]


class Appointment(models.Model):
    """预约: a person's slot for an item at a hall. Linked to the draft or case it was made
    from, so the clerk opens the application at once; the ticket it is checked in with points
    back here."""

    code = models.CharField("预约码", max_length=12, unique=True)
    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="大厅", on_delete=models.PROTECT,
                             related_name="appointments")
    hall_item = models.ForeignKey(HallItem, verbose_name="事项", on_delete=models.PROTECT,
                                  related_name="appointments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="预约人",
                             on_delete=models.PROTECT, related_name="appointments")
    company = models.ForeignKey("accounts.Company", verbose_name="办事单位", null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name="关联办件", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    bundle_application = models.ForeignKey("cases.BundleApplication", verbose_name="关联一件事申请",
                                           null=True, blank=True, on_delete=models.SET_NULL,
                                           related_name="+")
    date = models.DateField("日期")
    start = models.TimeField("开始时间")
    end = models.TimeField("结束时间")
    status = models.CharField("状态", max_length=12, choices=AppointmentStatus.choices,
                              default=AppointmentStatus.BOOKED, db_index=True)
    channel = models.CharField("预约渠道", max_length=10, choices=Channel.choices,
                               default=Channel.PC)
    rescheduled = models.PositiveSmallIntegerField("改约次数", default=0)
    created_at = models.DateTimeField("预约时间", auto_now_add=True)
    checked_in_at = models.DateTimeField("签到时间", null=True, blank=True)
    cancelled_at = models.DateTimeField("取消时间", null=True, blank=True)

    class Meta:
        verbose_name = "预约"
        verbose_name_plural = "预约"
        ordering = ["date", "start", "id"]
        indexes = [
            models.Index(fields=["hall", "date", "status"], name="appointment_hall_day"),
            models.Index(fields=["user", "status"], name="appointment_user_status"),
        ]

    def __str__(self) -> str:
        return f"预约 {self.code}"


class BookingSuspension(models.Model):
    """Booking suspended after too many no-shows in 30 days (``ServiceHall.no_show_limit``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户",
                             on_delete=models.CASCADE, related_name="booking_suspensions")
    no_shows = models.PositiveSmallIntegerField("30日内爽约次数")
    starts_on = models.DateField("暂停开始")
    ends_on = models.DateField("暂停结束", help_text="该日及以后可再次预约")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "预约暂停"
        verbose_name_plural = "预约暂停"
        ordering = ["-ends_on", "-id"]


class TicketCounter(models.Model):
    """The last ticket sequence issued in one queue on one day, incremented by an UPDATE that
    locks the row (as ``cases.CaseCounter``), so concurrent ticket takers never share a number."""

    queue = models.ForeignKey(Queue, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    value = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = "票号计数器"
        verbose_name_plural = "票号计数器"
        constraints = [models.UniqueConstraint(fields=["queue", "date"], name="uniq_ticket_counter")]


class TicketStatus(models.TextChoices):
    WAITING = "waiting", "等待"
    CALLED = "called", "已叫号"
    SERVING = "serving", "办理中"
    DONE = "done", "完成"
    MISSED = "missed", "过号"
    CANCELLED = "cancelled", "取消"
    TRANSFERRED = "transferred", "转窗"


OPEN_TICKET_STATUSES = (TicketStatus.WAITING, TicketStatus.CALLED, TicketStatus.SERVING)


class PriorityGroup(models.TextChoices):
    """优先群体 (适老化 and the like), called before ordinary arrivals."""

    NONE = "", "无"
    ELDERLY = "elderly", "老年人"
    DISABLED = "disabled", "残疾人"
    PREGNANT = "pregnant", "孕妇"
    MILITARY = "military", "军人及优抚对象"


class Ticket(PersonalDataModel):
    """排队票. ``number`` (A001) is unique per queue and day. A transferred ticket ends as 转窗
    and a new ticket in the other queue points back to it with the same ``arrived_at``, so it
    keeps its place. The ID number is kept encrypted, for finding the person's cases and bookings;
    lists show it masked."""

    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="大厅", on_delete=models.PROTECT,
                             related_name="tickets")
    queue = models.ForeignKey(Queue, verbose_name="队列", on_delete=models.PROTECT,
                              related_name="tickets")
    date = models.DateField("日期")
    sequence = models.PositiveIntegerField("序号")
    number = models.CharField("票号", max_length=8)
    status = models.CharField("状态", max_length=12, choices=TicketStatus.choices,
                              default=TicketStatus.WAITING, db_index=True)
    channel = models.CharField("取号渠道", max_length=10, choices=Channel.choices)
    hall_item = models.ForeignKey(HallItem, verbose_name="事项", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="tickets")
    appointment = models.ForeignKey(Appointment, verbose_name="预约", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="tickets")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办事人账号", null=True,
                             blank=True, on_delete=models.SET_NULL, related_name="hall_tickets")
    name = models.CharField("办事人", max_length=50, blank=True)
    id_number = EncryptedTextField("证件号码", max_length=18, blank=True)
    id_number_index = BlindIndexField(source="id_number", normalise="id_number", db_index=True)
    mobile = EncryptedTextField("手机号", max_length=11, blank=True)
    priority_group = models.CharField("优先群体", max_length=10, choices=PriorityGroup.choices,
                                      blank=True)
    terminal = models.ForeignKey("Terminal", verbose_name="取号终端", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="tickets")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="代取号人员", null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    transferred_from = models.ForeignKey("self", verbose_name="转自", null=True, blank=True,
                                         on_delete=models.SET_NULL, related_name="transfers")
    # The page on the citizen's phone is reached with this, not with the guessable number.
    access_key = models.CharField("查看码", max_length=32, unique=True)
    window = models.ForeignKey(Window, verbose_name="窗口", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="tickets")
    served_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="办理人员", null=True,
                                  blank=True, on_delete=models.SET_NULL, related_name="+")
    call_count = models.PositiveSmallIntegerField("叫号次数", default=0)
    arrived_at = models.DateTimeField("到达时间", help_text="转窗后保留原到达时间")
    taken_at = models.DateTimeField("取号时间")
    called_at = models.DateTimeField("叫号时间", null=True, blank=True)
    started_at = models.DateTimeField("开始办理", null=True, blank=True)
    finished_at = models.DateTimeField("结束时间", null=True, blank=True)
    reminded_at = models.DateTimeField("临近提醒时间", null=True, blank=True)

    class Meta:
        verbose_name = "排队票"
        verbose_name_plural = "排队票"
        ordering = ["date", "queue_id", "sequence"]
        constraints = [models.UniqueConstraint(fields=["queue", "date", "sequence"],
                                               name="uniq_ticket_number")]
        indexes = [models.Index(fields=["queue", "date", "status"], name="ticket_queue_day"),
                   models.Index(fields=["hall", "date", "status"], name="ticket_hall_day")]

    def __str__(self) -> str:
        return self.number


class Call(models.Model):
    """叫号: one call (or recall) of a ticket at a window. The display page streams these."""

    class Kind(models.TextChoices):
        CALL = "call", "叫号"
        RECALL = "recall", "重呼"

    hall = models.ForeignKey("orgs.ServiceHall", on_delete=models.CASCADE, related_name="calls")
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="calls")
    window = models.ForeignKey(Window, on_delete=models.CASCADE, related_name="calls")
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.CALL)
    called_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="+")
    at = models.DateTimeField()

    class Meta:
        verbose_name = "叫号记录"
        verbose_name_plural = "叫号记录"
        ordering = ["id"]
        indexes = [models.Index(fields=["hall", "id"], name="call_hall_stream")]


class WindowCase(models.Model):
    """A case taken in or finished at a window: 一窗受理 收件, 核验原件. What the 一窗受理 share
    and the trace from ticket to case are computed from; the case knows nothing of halls."""

    class Action(models.TextChoices):
        RECEIVED = "received", "窗口收件"
        ACCEPTED = "accepted", "窗口受理"
        ORIGINALS_CHECKED = "originals_checked", "核验原件"

    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="大厅", on_delete=models.PROTECT,
                             related_name="+")
    window = models.ForeignKey(Window, verbose_name="窗口", on_delete=models.PROTECT,
                               related_name="cases")
    case = models.ForeignKey("cases.Case", verbose_name="办件", on_delete=models.CASCADE,
                             related_name="+")
    ticket = models.ForeignKey(Ticket, verbose_name="排队票", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="cases")
    action = models.CharField("操作", max_length=20, choices=Action.choices)
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="窗口人员",
                              on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("时间")

    class Meta:
        verbose_name = "窗口办件记录"
        verbose_name_plural = "窗口办件记录"
        ordering = ["-at", "-id"]


class PickupStatus(models.TextChoices):
    READY = "ready", "待领取"
    COLLECTED = "collected", "已领取"


class ResultPickup(PersonalDataModel):
    """统一出件: a result waiting at a hall's 出件窗口 for a 窗口领取 case, and its hand-over
    (who handed what to whom, when), which completes 送达."""

    case = models.OneToOneField("cases.Case", verbose_name="办件", on_delete=models.CASCADE,
                                related_name="+")
    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="出件大厅", on_delete=models.PROTECT,
                             related_name="pickups")
    code = models.CharField("取件码", max_length=8, db_index=True)
    status = models.CharField("状态", max_length=10, choices=PickupStatus.choices,
                              default=PickupStatus.READY)
    contents = models.JSONField("出件内容", default=list, blank=True,
                                help_text='如 ["证照打印件", "决定书", "退还原件：营业执照正本"]')
    ready_at = models.DateTimeField("待取时间")
    collected_at = models.DateTimeField("领取时间", null=True, blank=True)
    window = models.ForeignKey(Window, verbose_name="出件窗口", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="+")
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="出件人员", null=True,
                                  blank=True, on_delete=models.PROTECT, related_name="+")
    recipient_name = models.CharField("领取人", max_length=50, blank=True)
    recipient_id_number = EncryptedTextField("领取人证件号码", max_length=18, blank=True)
    proof = models.CharField("核对方式", max_length=20, blank=True,
                             help_text="id_number（本人证件）或 pickup_code（取件码）")

    class Meta:
        verbose_name = "统一出件"
        verbose_name_plural = "统一出件"
        ordering = ["-ready_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["hall", "code"], name="uniq_pickup_code")]


class TerminalStatus(models.TextChoices):
    ACTIVE = "active", "在用"
    REVOKED = "revoked", "已停用"


class Terminal(models.Model):
    """自助终端: a registered device (in a hall, a bank branch, a post office) with its own
    credential. Only a keyed hash of the credential is stored; every action records the
    terminal."""

    code = models.CharField("终端编号", max_length=32, unique=True)
    name = models.CharField("名称", max_length=60)
    hall = models.ForeignKey("orgs.ServiceHall", verbose_name="所属大厅", null=True, blank=True,
                             on_delete=models.PROTECT, related_name="terminals",
                             help_text="取号、签到在该大厅；银行、邮政网点的终端可不属于大厅")
    region = models.ForeignKey("regions.Region", verbose_name="所在区划", on_delete=models.PROTECT,
                               related_name="+")
    location = models.CharField("放置地点", max_length=200)
    # 评价器: a terminal bound to one window, which offers the rating of the ticket just finished
    # there (hall.services.pads) and nothing else.
    window = models.ForeignKey(Window, verbose_name="评价器所在窗口", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="pads")
    key_hash = models.CharField("凭据摘要", max_length=128)
    status = models.CharField("状态", max_length=10, choices=TerminalStatus.choices,
                              default=TerminalStatus.ACTIVE)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="登记人",
                                      on_delete=models.PROTECT, related_name="+")
    registered_at = models.DateTimeField("登记时间", auto_now_add=True)
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    last_seen_at = models.DateTimeField("最近在线", null=True, blank=True)

    class Meta:
        verbose_name = "自助终端"
        verbose_name_plural = "自助终端"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"
