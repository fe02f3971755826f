"""The demo's shared registries on the 数据共享交换平台, so that a material naming one of them
(``data:<code>``) can be taken from shared data instead of an upload (免提交): 户籍信息 and 人口库相片
from the province's police, 市场主体登记信息 from its market regulator, 社会保障卡金融账户 and the
employers' 社会保险缴费信息 from human resources and social security, 从业人员健康证明 from the
health commission, 清税信息 and 契税完税信息 from the tax bureau, 婚姻登记档案 and 社会救助对象信息
from civil affairs, and 商品房网签备案信息 from housing and construction.

Every demo person has a record in the population registries (户籍, 相片, 社保卡) and every demo
company in the company ones (市场主体, 清税, 社保缴费); the others hold only the people they are
about (the health certificate for the people who work in food or public places, the married
couple, the home buyers, the assistance recipient), as real registries would.

Other ``data:`` sources the demo guides name by a Chinese label (学历学位信息, 网上审批平台 …) have
no registry here: their materials are never offered for reuse and do not count in 一证通办率
(``exchange.metrics``)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yiwang.exchange import services
from yiwang.exchange.models import Registry
from yiwang.licences.models import HolderKind
from yiwang.orgs.models import Department

from .identities import COMPANY, PEOPLE, UNREGISTERED_COMPANY
from .places import KIND_BY_KEY, department_uscc

PROVINCE = "220000"
# ``key``: what a field means for pre-filling a form (``catalog.formdef.PREFILL_KEYS``).
HUKOU_FIELDS = [{"name": "address", "label": "户籍地址", "key": "person.address"},
                {"name": "household_head", "label": "户主"},
                {"name": "relation", "label": "与户主关系"}]
ENTITY_FIELDS = [{"name": "name", "label": "名称", "key": "company.name"}, {"name": "kind", "label": "类型"},
                 {"name": "legal_representative", "label": "法定代表人",
                  "key": "company.legal_representative"},
                 {"name": "domicile", "label": "住所", "key": "company.address"},
                 {"name": "capital", "label": "注册资本"},
                 {"name": "established", "label": "成立日期"}]
PHOTO_FIELDS = [{"name": "taken_on", "label": "采集日期"}, {"name": "photo_no", "label": "相片编号"}]
BANK_FIELDS = [{"name": "bank", "label": "开户银行"}, {"name": "account", "label": "社会保障卡金融账号"}]
HEALTH_FIELDS = [{"name": "certificate_no", "label": "健康证明编号"},
                 {"name": "category", "label": "从业类别"}, {"name": "valid_until", "label": "有效期至"}]
TAX_CLEARANCE_FIELDS = [{"name": "tax_authority", "label": "主管税务机关"},
                        {"name": "result", "label": "清税结果"}, {"name": "checked_on", "label": "核查日期"}]
CONTRIBUTION_FIELDS = [{"name": "insured", "label": "参保人数"},
                       {"name": "paid_until", "label": "缴费至"}, {"name": "arrears", "label": "欠费情况"}]
MARRIAGE_FIELDS = [{"name": "status", "label": "婚姻状况"}, {"name": "spouse", "label": "配偶姓名"},
                   {"name": "registered_on", "label": "登记日期"}, {"name": "office", "label": "登记机关"}]
CONTRACT_FIELDS = [{"name": "contract_no", "label": "网签合同编号"}, {"name": "address", "label": "房屋坐落"},
                   {"name": "area", "label": "建筑面积（平方米）"}, {"name": "filed_on", "label": "备案日期"}]
DEED_TAX_FIELDS = [{"name": "voucher_no", "label": "完税凭证号"}, {"name": "amount", "label": "契税金额"},
                   {"name": "paid_on", "label": "缴纳日期"}]
ASSISTANCE_FIELDS = [{"name": "category", "label": "救助类别"}, {"name": "since", "label": "认定日期"}]
# 张伟 and 王芳 run the demo's food businesses.
HEALTH_CERTIFIED = ("张伟", "王芳")
# 张伟 and 王芳 are married to each other and bought their home in 朝阳区; 孙丽 receives 低保.
MARRIED = ("张伟", "王芳")
HOME_BUYERS = ("张伟", "王芳")
ASSISTED = ("孙丽",)
# 主管税务机关 by the area of the company's USCC.
TAX_AUTHORITY = {"220100": "国家税务总局长春市税务局", "220200": "国家税务总局吉林市税务局"}
# 户籍地址 by the area of the ID number.
ADDRESSES = {"220104": "吉林省长春市朝阳区西民主大街{n}号", "220203": "吉林省吉林市龙潭区遵义东路{n}号"}
COMPANIES = (
    (COMPANY, "长春市净月高新技术产业开发区净月大街2888号", "500万元人民币", dt.date(2016, 4, 18)),
    (UNREGISTERED_COMPANY, "吉林省吉林市丰满区松花湖风景区1号", "1000万元人民币", dt.date(2012, 8, 6)),
)


# (code, name, providing department kind, subject kind, fields) of each registry.
REGISTRIES = (
    ("hukou", "户籍信息", "police", HolderKind.PERSON, HUKOU_FIELDS),
    ("id_photo", "人口库相片", "police", HolderKind.PERSON, PHOTO_FIELDS),
    ("sscard_bank", "社会保障卡金融账户", "hrss", HolderKind.PERSON, BANK_FIELDS),
    ("health_cert", "从业人员健康证明", "health", HolderKind.PERSON, HEALTH_FIELDS),
    ("market_entity", "市场主体登记信息", "market", HolderKind.COMPANY, ENTITY_FIELDS),
    ("tax_clearance", "清税信息", "tax", HolderKind.COMPANY, TAX_CLEARANCE_FIELDS),
    ("social_insurance", "社会保险缴费信息", "hrss", HolderKind.COMPANY, CONTRIBUTION_FIELDS),
    ("marriage", "婚姻登记档案", "civil", HolderKind.PERSON, MARRIAGE_FIELDS),
    ("housing_contract", "商品房网签备案信息", "construction", HolderKind.PERSON, CONTRACT_FIELDS),
    ("deed_tax", "契税完税信息", "tax", HolderKind.PERSON, DEED_TAX_FIELDS),
    ("social_assistance", "社会救助对象信息", "civil", HolderKind.PERSON, ASSISTANCE_FIELDS),
)


def _provider(kind: str) -> Department:
    return Department.objects.get(uscc=department_uscc(PROVINCE, KIND_BY_KEY[kind].code))


def load_registries() -> int:
    """The registries and their records; the number of records."""
    registries = {code: Registry.objects.create(code=code, name=name, provider=_provider(provider),
                                                subject_kind=kind, fields=fields)
                  for code, name, provider, kind, fields in REGISTRIES}
    sent = timezone.now() - dt.timedelta(days=30)
    made = 0

    def put(target: Registry, number: str, name: str, data: dict) -> None:
        nonlocal made
        # The platform loads the registries' feeds itself: a system change (actor None).
        services.put_record(target, actor=None, subject_id_number=number, subject_name=name,
                            data=data, updated_at=sent)
        made += 1

    for n, person in enumerate(PEOPLE, start=1):
        address = ADDRESSES.get(person.id_number[:6], ADDRESSES["220104"]).format(n=100 + n)
        put(registries["hukou"], person.id_number, person.name,
            {"address": address, "household_head": person.name, "relation": "户主"})
        put(registries["id_photo"], person.id_number, person.name,
            {"taken_on": "2024-05-20", "photo_no": f"JL{person.id_number[:6]}{n:06d}"})
        put(registries["sscard_bank"], person.id_number, person.name,
            {"bank": "中国工商银行吉林省分行", "account": f"6212 **** **** {1000 + n}"})
        if person.name in HEALTH_CERTIFIED:
            put(registries["health_cert"], person.id_number, person.name,
                {"certificate_no": f"JKZ2026{n:06d}", "category": "食品生产经营",
                 "valid_until": (timezone.localdate() + dt.timedelta(days=300)).isoformat()})
        if person.name in MARRIED:
            spouse = next(name for name in MARRIED if name != person.name)
            put(registries["marriage"], person.id_number, person.name,
                {"status": "已婚", "spouse": spouse, "registered_on": "2012-05-20",
                 "office": "长春市朝阳区民政局婚姻登记处"})
        if person.name in HOME_BUYERS:
            put(registries["housing_contract"], person.id_number, person.name,
                {"contract_no": "CY2023000518", "address": "长春市朝阳区湖西路1288号3栋2单元1501室",
                 "area": "98.60", "filed_on": "2023-04-11"})
            put(registries["deed_tax"], person.id_number, person.name,
                {"voucher_no": f"322016230{n:07d}", "amount": "17748.00元", "paid_on": "2023-04-25"})
        if person.name in ASSISTED:
            put(registries["social_assistance"], person.id_number, person.name,
                {"category": "最低生活保障", "since": "2024-03-01"})
    for (name, uscc, representative), domicile, capital, established in COMPANIES:
        put(registries["market_entity"], uscc, name, {
            "name": name, "kind": "有限责任公司（自然人投资或控股）", "legal_representative": representative,
            "domicile": domicile, "capital": capital, "established": established.isoformat()})
        put(registries["tax_clearance"], uscc, name, {
            "tax_authority": TAX_AUTHORITY[uscc[2:8]], "result": "未发现欠缴税款、滞纳金和罚款",
            "checked_on": f"{sent:%Y-%m-%d}"})
        put(registries["social_insurance"], uscc, name,
            {"insured": "12", "paid_until": f"{sent:%Y年%m月}", "arrears": "无"})
    return made
