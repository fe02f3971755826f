"""The demo's Open311 services in 长春市: what an outside 311 app (随手拍) may file, each mapped to a
12345 request kind and the department it goes to. No client key: keys are secrets, made with
``manage.py open311_client <name>`` (docs/open311.md)."""

from __future__ import annotations

from yiwang.complaints.models import Open311Attribute, Open311Service, RequestKind
from yiwang.orgs.models import Department
from yiwang.regions.models import Region

from .places import KIND_BY_KEY, department_uscc

CITY = "220100"
Datatype = Open311Attribute.Datatype

SERVICES = (
    ("streetlight", "路灯损坏", "路灯不亮、常亮、闪烁或灯杆损坏", "市政设施", "路灯 灯杆 照明",
     RequestKind.HELP, "construction",
     (("fault", Datatype.SINGLEVALUELIST, True, "故障情况", 1,
       [("dark", "不亮"), ("always_on", "白天常亮"), ("flicker", "闪烁"), ("pole", "灯杆损坏")]),
      ("pole_number", Datatype.STRING, False, "灯杆编号（灯杆上的喷码）", 2, []))),
    ("pothole", "道路破损", "路面坑洼、塌陷或井盖缺失", "市政设施", "道路 坑洼 井盖",
     RequestKind.HELP, "transport",
     (("size", Datatype.SINGLEVALUELIST, False, "破损大小", 1,
       [("small", "小于一米"), ("large", "一米以上")]),)),
    ("street_vending", "占道经营", "店外经营、流动摊贩占用道路或人行道", "市容环境", "占道 摊贩 出店经营",
     RequestKind.COMPLAINT, "market", ()),
    ("noise", "噪音扰民", "施工、商业或社会生活噪声扰民", "市容环境", "噪音 噪声 扰民 施工",
     RequestKind.COMPLAINT, "environment",
     (("source", Datatype.SINGLEVALUELIST, True, "噪声来源", 1,
       [("construction", "建筑施工"), ("business", "商业经营"), ("social", "社会生活")]),
      ("hours", Datatype.MULTIVALUELIST, False, "发生时段", 2,
       [("day", "白天"), ("evening", "晚间（22时前）"), ("night", "夜间（22时后）")]))),
)

LIST_HINTS = {Datatype.SINGLEVALUELIST: "请选择一项", Datatype.MULTIVALUELIST: "可多选"}


def load_open311() -> int:
    """The services and their attributes; returns how many services."""
    region = Region.objects.get(code=CITY)
    for code, name, description, group, keywords, kind, department, attributes in SERVICES:
        service = Open311Service.objects.create(
            code=code, name=name, description=description, group=group, keywords=keywords,
            kind=kind, region=region, department=Department.objects.get(
                uscc=department_uscc(CITY, KIND_BY_KEY[department].code)))
        Open311Attribute.objects.bulk_create(
            Open311Attribute(service=service, code=attr, datatype=datatype, required=required,
                             description=label, order=order,
                             datatype_description=LIST_HINTS.get(datatype, ""),
                             values=[{"key": key, "name": text} for key, text in values])
            for attr, datatype, required, label, order, values in attributes)
    return len(SERVICES)
