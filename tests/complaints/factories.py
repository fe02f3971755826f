"""The world of the 12345 tests: 吉林省 with 长春市 (and its 朝阳区) and 吉林市; 长春市's 市场监督管理局
and 卫生健康委员会 with their 12345承办员, 朝阳区's 市场监督管理局 as a sub-unit, 吉林市's; the hotline's
话务员 and 热线管理员 of 长春市, a 话务员 of 吉林市; the citizen 王芳 and a stranger."""

from __future__ import annotations

from tests.accounts.factories import citizen
from tests.factories import DepartmentFactory, RegionFactory, UserFactory, staff
from yiwang.complaints.models import RequestChannel, RequestKind
from yiwang.complaints.services import requests as svc
from yiwang.orgs.models import RegionRole, Role
from yiwang.orgs.services import grant_region_role
from yiwang.regions.models import RegionLevel

WANG_FANG_MOBILE = "13904310002"


def _user(username: str):
    user = UserFactory(username=username)
    user.save()  # keeps the factory's password, so force_login's session survives
    return user


class HotlineWorld:
    def __init__(self):
        self.province = RegionFactory()
        self.changchun = RegionFactory(code="220100", name="长春市", level=RegionLevel.CITY,
                                       path="220000/220100/")
        self.chaoyang = RegionFactory(code="220104", name="朝阳区", level=RegionLevel.COUNTY,
                                      path="220000/220100/220104/")
        self.jilin = RegionFactory(code="220200", name="吉林市", level=RegionLevel.CITY,
                                   path="220000/220200/")
        self.market = DepartmentFactory(name="长春市市场监督管理局", code="12", region=self.changchun)
        self.health = DepartmentFactory(name="长春市卫生健康委员会", code="17", region=self.changchun)
        self.sub_market = DepartmentFactory(name="长春市朝阳区市场监督管理局", code="12",
                                            region=self.chaoyang)
        self.jilin_market = DepartmentFactory(name="吉林市市场监督管理局", code="12", region=self.jilin)
        self.handler = staff(self.market, Role.HOTLINE, username="scjg_hotline")
        self.health_handler = staff(self.health, Role.HOTLINE, username="wjw_hotline")
        self.sub_handler = staff(self.sub_market, Role.HOTLINE, username="cy_scjg_hotline")
        self.market_admin = staff(self.market, Role.DEPARTMENT_ADMIN, username="scjg_admin")
        self.operator = _user("hotline_op")
        grant_region_role(self.operator, self.changchun, RegionRole.HOTLINE_OPERATOR)
        self.admin = _user("hotline_admin")
        grant_region_role(self.admin, self.changchun, RegionRole.HOTLINE_ADMIN)
        self.jilin_operator = _user("jl_hotline_op")
        grant_region_role(self.jilin_operator, self.jilin, RegionRole.HOTLINE_OPERATOR)
        self.wang = citizen("王芳", mobile=WANG_FANG_MOBILE)
        self.citizen = self.wang.user
        self.stranger = citizen("赵强").user

    def submit(self, *, actor=None, kind=RequestKind.COMPLAINT, title="小区门口餐馆油烟扰民",
               content="长春市朝阳区某小区楼下餐馆每晚油烟很大，窗户都不敢开。", region=None,
               channel=RequestChannel.WEB, **kwargs):
        """A request as 王芳 files it on the web (or as ``actor`` on ``channel``)."""
        return svc.submit_request(actor or self.citizen, kind=kind, title=title, content=content,
                                  channel=channel, region=region or self.changchun, **kwargs)

    def call(self, **kwargs):
        """A caller's request registered by the 长春市 operator."""
        kwargs.setdefault("requester_name", "李明")
        kwargs.setdefault("requester_phone", "13804310099")
        return self.submit(actor=self.operator, channel=RequestChannel.PHONE, **kwargs)

    def registered(self, **kwargs):
        return self.submit(**kwargs)[0]

    def dispatched(self, department=None, **kwargs):
        request = self.registered(**kwargs)
        return svc.dispatch(self.operator, request, department or self.market)

    def handling(self, **kwargs):
        assignment = self.dispatched(**kwargs)
        return svc.accept(self.handler, assignment)

    def answered(self, text="经现场检查，该餐馆已安装油烟净化设备并限期整改。", **kwargs):
        assignment = self.handling(**kwargs)
        svc.answer(self.handler, assignment, text)
        assignment.request.refresh_from_db()
        return assignment.request
