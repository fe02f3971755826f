"""The demo's 12345 hotline in 长春市: its 话务员 (``hotline_op``) and 热线管理员 (``hotline_admin``),
the 12345承办员 of 长春市市场监督管理局 (``scjg_hotline``) and 卫生健康委员会 (``wjw_hotline``), a few
dispatch rules (食品、餐饮 … → 市场监管; 医院、诊所 → 卫健), a shorter 举报 deadline for 长春市, and
a dozen requests taken through the services into every state: 待派单, 办理中 (auto-dispatched,
accepted, passed on to 朝阳区), 退单待仲裁, 已答复 (王芳's, waiting for her rating; a 咨询 answered
on the phone, waiting for 回访), 已办结 (rated online, revisited by phone), 已合并, and one overdue
and escalated. The requests go through ``complaints.services.requests`` so their numbers, 流转记录,
audit records and messages are what real ones would have."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from yiwang.accounts.models import Citizen
from yiwang.complaints.models import (
    DispatchRule,
    HotlineRequest,
    ReplyDeadline,
    RequestChannel,
    RequestKind,
    Revisit,
    Satisfaction,
)
from yiwang.complaints.services import requests as svc
from yiwang.orgs import services as orgs
from yiwang.orgs.models import Department, RegionRole, Role
from yiwang.regions.models import Region

from .identities import DEMO_TOTP_KEY_HEX
from .places import KIND_BY_KEY, department_uscc

CITY, DISTRICT = "220100", "220104"


@dataclass(frozen=True)
class HotlineStaff:
    username: str
    name: str
    role: str
    region: str = ""  # a region role over this region
    department: str = ""  # else a department role in 长春市's department of this kind


HOTLINE_STAFF = (
    HotlineStaff("hotline_op", "刘敏", RegionRole.HOTLINE_OPERATOR, region=CITY),
    HotlineStaff("hotline_admin", "郑红", RegionRole.HOTLINE_ADMIN, region=CITY),
    HotlineStaff("scjg_hotline", "高峰", Role.HOTLINE, department="market"),
    HotlineStaff("wjw_hotline", "吴倩", Role.HOTLINE, department="health"),
)
# (kind, keywords, department kind)
RULES = ((RequestKind.COMPLAINT, "食品 餐饮 餐馆 过期", "market"),
         (RequestKind.REPORT, "食品 餐饮 餐馆 过期", "market"),
         (RequestKind.COMPLAINT, "医院 诊所 挂号", "health"))


@dataclass
class Demo:
    """What the stories need: the people and the departments."""

    staff: dict = field(default_factory=dict)
    citizens: dict = field(default_factory=dict)
    departments: dict = field(default_factory=dict)
    regions: dict = field(default_factory=dict)
    now: dt.datetime = field(default_factory=timezone.now)

    def web(self, citizen: str, kind, title: str, content: str, *, days_ago: int = 0,
            region=CITY, **kwargs) -> HotlineRequest:
        return svc.submit_request(
            self.citizens[citizen], kind=kind, title=title, content=content,
            channel=RequestChannel.WEB, region=self.regions[region],
            now=self.now - dt.timedelta(days=days_ago), **kwargs)[0]

    def call(self, caller: str, phone: str, kind, title: str, content: str, *, days_ago: int = 0,
             region=CITY, **kwargs) -> HotlineRequest:
        return svc.submit_request(
            self.staff["hotline_op"], kind=kind, title=title, content=content,
            channel=RequestChannel.PHONE, region=self.regions[region], requester_name=caller,
            requester_phone=phone, now=self.now - dt.timedelta(days=days_ago), **kwargs)[0]

    def handler(self, department: str):
        return self.staff["scjg_hotline" if department == "market" else "wjw_hotline"]

    def assignment(self, request: HotlineRequest):
        return request.assignments.filter(parent__isnull=True).latest("dispatched_at", "pk")

    def dispatch(self, request, department: str, instructions: str = ""):
        return svc.dispatch(self.staff["hotline_op"], request, self.departments[department],
                            instructions=instructions)

    def accept(self, request, department: str):
        return svc.accept(self.handler(department), self.assignment(request))

    def answer(self, request, department: str, text: str):
        assignment = self.accept(request, department)
        svc.answer(self.handler(department), assignment, text)
        request.refresh_from_db()
        return request


def _staff(password_hash: str, kept: list[str], departments: dict) -> tuple[dict, int]:
    users, made = {}, 0
    for person in HOTLINE_STAFF:
        user, created = get_user_model().objects.get_or_create(
            username=person.username, defaults={"password": password_hash,
                                                "first_name": person.name})
        if not created:
            kept.append(person.username)
        made += created
        if person.region:
            orgs.grant_region_role(user, Region.objects.get(code=person.region), person.role)
        else:
            orgs.grant_role(user, departments[person.department], person.role)
        TOTPDevice.objects.get_or_create(user=user, defaults={
            "name": "演示动态口令", "key": DEMO_TOTP_KEY_HEX, "confirmed": True})
        users[person.username] = user
    return users, made


def _department(kind: str, region: str = CITY) -> Department:
    return Department.objects.get(uscc=department_uscc(region, KIND_BY_KEY[kind].code))


def _rules(demo: Demo) -> None:
    city = demo.regions[CITY]
    for order, (kind, keywords, department) in enumerate(RULES):
        DispatchRule.objects.get_or_create(region=city, kind=kind, keywords=keywords, defaults={
            "department": demo.departments[department], "order": order})
    # 长春市 asks a 举报 be answered in 10 working days instead of the province's 15.
    ReplyDeadline.objects.get_or_create(region=city, kind=RequestKind.REPORT,
                                        defaults={"working_days": 10})


def _stories(demo: Demo) -> None:
    # 待派单: a call no rule matches, and a suggestion on the web.
    demo.call("孙女士", "13604318821", RequestKind.HELP, "小区供暖温度不达标",
              "朝阳区桂林路某小区12号楼，室内温度只有15度左右，家里有老人和孩子，请帮忙协调供热公司。",
              region=DISTRICT, address="长春市朝阳区桂林路某小区12号楼")
    demo.web("张伟", RequestKind.SUGGESTION, "建议在净月潭公园增设公共卫生间",
             "净月潭公园北门到木栈道一段两公里没有卫生间，周末游客多，建议增设。")
    # 办理中: dispatched by the rule (待签收) — and a caller's duplicate of it, merged.
    restaurant = demo.web("陈静", RequestKind.COMPLAINT, "餐馆后厨卫生脏乱",
                          "西安大路某家常菜馆后厨地面油污、生熟食品混放，服务员不戴口罩。",
                          address="长春市朝阳区西安大路某家常菜馆", days_ago=1)
    duplicate = demo.call("赵先生", "13944012345", RequestKind.COMPLAINT, "同一家餐馆卫生问题",
                          "西安大路那家家常菜馆后厨很脏，吃完肚子不舒服。")
    svc.merge(demo.staff["hotline_op"], duplicate, restaurant, note="同一餐馆、同一问题")
    # 办理中: accepted by 市场监管, and one passed on to 朝阳区 (二级派单).
    pharmacy = demo.call("钱女士", "13756781234", RequestKind.REPORT, "药店违规销售处方药",
                         "红旗街某药店不凭处方出售抗生素。", days_ago=2)
    demo.dispatch(pharmacy, "market", "请核查并依法处理")
    demo.accept(pharmacy, "market")
    stall = demo.web("刘洋", RequestKind.COMPLAINT, "农贸市场摊位缺斤短两",
                     "朝阳区清和街农贸市场一家水果摊的秤不准，买两斤少了三两。", region=DISTRICT,
                     days_ago=1)
    demo.dispatch(stall, "market", "请核查计量器具")
    svc.subdispatch(demo.handler("market"), demo.accept(stall, "market"),
                    demo.departments["district_market"], instructions="请朝阳区局现场检查计量器具")
    # 退单待仲裁: the rule sent a clinic's prices to 卫健, which returns it.
    clinic = demo.web("张伟", RequestKind.COMPLAINT, "诊所收费不明码标价",
                      "朝阳区某口腔诊所洗牙收费没有价目表，结账时比咨询时贵了一倍。", days_ago=1)
    svc.return_assignment(demo.handler("health"), demo.assignment(clinic),
                          "收费不明码标价属价格违法行为，由市场监管部门查处，请改派")
    # 已答复: 王芳's, waiting for her rating.
    bread = demo.web("王芳", RequestKind.COMPLAINT, "超市售卖过期面包",
                     "我在人民大街某超市买的面包已过保质期两天，超市不给退换。", days_ago=3)
    demo.answer(bread, "market", "经执法人员现场检查，该超市确有销售过期食品的行为，已责令下架全部过期"
                                 "食品并立案调查，超市已同意为您退款。感谢您的监督。")
    # 已答复 by the operator at once: a 咨询, waiting for 回访.
    licence = demo.call("周先生", "13804316677", RequestKind.CONSULT, "食品经营许可证办理需要多久",
                        "想开一家小饭馆，问食品经营许可证要多久能办下来。")
    svc.answer_at_once(demo.staff["hotline_op"], licence,
                       "食品经营许可承诺10个工作日内办结，可在吉林省政务服务网在线申请，"
                       "也可到长春市政务服务中心企业开办窗口办理。")
    # 已办结: rated online, and revisited by phone.
    hospital = demo.web("刘洋", RequestKind.COMPLAINT, "医院挂号排队时间过长",
                        "市中心医院早上挂号窗口排队一个多小时，自助机经常故障。", days_ago=5)
    demo.answer(hospital, "health", "已要求该院增设挂号窗口、全面检修自助机，并推广网上预约挂号。")
    svc.rate_answer(hospital, satisfaction=Satisfaction.SATISFIED, comment="现在排队快多了",
                    user=demo.citizens["刘洋"])
    fumes = demo.call("李女士", "13504315566", RequestKind.HELP, "楼下餐饮店油烟扰民",
                      "楼下烧烤店油烟直冲楼上住户窗户，晚上十二点还在营业。", days_ago=4)
    demo.dispatch(fumes, "market")
    fumes = demo.answer(fumes, "market", "已责令该店加装油烟净化设备并调整排烟口位置，复查合格。")
    svc.record_revisit(demo.staff["hotline_op"], fumes, method=Revisit.Method.PHONE,
                       satisfaction=Satisfaction.BASICALLY, note="诉求人表示油烟明显减少，基本满意")
    # 超期: registered two weeks ago, dispatched by the rule, never accepted; escalated.
    demo.web("陈静", RequestKind.COMPLAINT, "学校周边流动摊贩售卖三无食品",
             "朝阳区某小学门口放学时段有流动摊贩售卖无标签的辣条和饮料。", days_ago=14,
             region=DISTRICT)
    svc.escalate_overdue(demo.now)


def load_hotline(password_hash: str, kept: list[str]) -> int:
    """Load the demo's 12345 (see the module docstring); returns the accounts made. The requests
    are written once: a database that already has requests keeps them."""
    departments = {"market": _department("market"), "health": _department("health"),
                   "district_market": _department("market", DISTRICT)}
    users, made = _staff(password_hash, kept, departments)
    demo = Demo(staff=users, departments=departments,
                regions={code: Region.objects.get(code=code) for code in (CITY, DISTRICT)},
                citizens={c.name: c.user for c in Citizen.objects.select_related("user")})
    _rules(demo)
    if not HotlineRequest.objects.exists():
        _stories(demo)
    return made


def hotline_logins() -> list[tuple[str, str]]:
    """(role and where, log-in name) of the demo 12345 staff, for ``load_demo --print-logins``."""
    labels = {**{r.value: r.label for r in Role}, **{r.value: r.label for r in RegionRole}}
    logins = []
    for person in HOTLINE_STAFF:
        if person.region:
            where = Region.objects.filter(code=person.region).values_list("full_name", flat=True)
        else:
            where = Department.objects.filter(uscc=department_uscc(
                CITY, KIND_BY_KEY[person.department].code)).values_list("name", flat=True)
        logins.append((f"{labels[person.role]}（{where.first() or ''}）", person.username))
    return logins
