"""The demo's shared registries on the 数据共享交换平台, so that a material naming one of them
(``data:<code>``) can be taken from shared data instead of an upload (免提交): every ``data:``
source a demo guide names is one of these registries, about the kind of subject (person or
company) that applies for the item, so the material is offered for reuse and counts in 一证通办率
(``exchange.metrics``).

Every demo person has a record in the population registries (户籍, 相片, 社保卡, 医保, 不动产) and
every demo company in the company ones (市场主体, 清税, 社保缴费); the others hold only the people
or companies they are about (the married couple, the home buyers, the teacher applicant, the
veteran who lost his job, the drivers …), as real registries would."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from yiwang.exchange import services
from yiwang.exchange.models import Registry
from yiwang.licences.models import HolderKind
from yiwang.orgs.models import Department

from .identities import COMPANY, COMPANY_DOMICILE, MINING_COMPANY, PEOPLE, UNREGISTERED_COMPANY, Person
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
# 从业人员健康证明 by employer: a company applies for a food or public-place licence with its staff's
# certificates, so the registry answers for the employer (by USCC), not for each employee.
HEALTH_FIELDS = [{"name": "staff", "label": "从业人员"},
                 {"name": "certificates", "label": "健康证明编号"},
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


def fields(**labels: str) -> list[dict]:
    """Declared fields of a registry or a licence type, in order: name=label, …"""
    return [{"name": name, "label": label} for name, label in labels.items()]


REAL_ESTATE_FIELDS = fields(holdings="名下不动产", checked_on="查询日期")
MEDICAL_INSURANCE_FIELDS = fields(scheme="参保类别", place="参保地", since="参保日期", paid_until="缴费至")
# 张伟 and 王芳 work in the demo company's food business; 刘洋 in the tourism company's hotel.
HEALTH_CERTIFIED = {COMPANY: ("王芳", "张伟"), UNREGISTERED_COMPANY: ("刘洋",)}
# 张伟 and 王芳 are married to each other and bought their home in 朝阳区; 孙丽 receives 低保.
MARRIED = ("张伟", "王芳")
HOME_BUYERS = ("张伟", "王芳")
HOME_ADDRESS = "长春市朝阳区湖西路1288号3栋2单元1501室"
HOME = f"{HOME_ADDRESS}（住宅，98.60平方米，夫妻共有）"
ASSISTED = ("孙丽",)
# 主管税务机关 by the area of the company's USCC.
TAX_AUTHORITY = {"220100": "国家税务总局长春市税务局", "220200": "国家税务总局吉林市税务局"}
# 户籍地址 by the area of the ID number.
ADDRESSES = {"220104": "吉林省长春市朝阳区西民主大街{n}号", "220203": "吉林省吉林市龙潭区遵义东路{n}号"}
COMPANIES = (
    (COMPANY, COMPANY_DOMICILE, "500万元人民币", dt.date(2016, 4, 18)),
    (UNREGISTERED_COMPANY, "吉林省吉林市丰满区松花湖风景区1号", "1000万元人民币", dt.date(2012, 8, 6)),
    (MINING_COMPANY, "吉林省磐石市红旗岭镇矿区路8号", "3000万元人民币", dt.date(2009, 3, 27)),
)


# (code, name, providing department kind, subject kind, fields) of each registry.
REGISTRIES = (
    ("hukou", "户籍信息", "police", HolderKind.PERSON, HUKOU_FIELDS),
    ("id_photo", "人口库相片", "police", HolderKind.PERSON, PHOTO_FIELDS),
    ("sscard_bank", "社会保障卡金融账户", "hrss", HolderKind.PERSON, BANK_FIELDS),
    ("health_cert", "从业人员健康证明", "health", HolderKind.COMPANY, HEALTH_FIELDS),
    ("market_entity", "市场主体登记信息", "market", HolderKind.COMPANY, ENTITY_FIELDS),
    ("tax_clearance", "清税信息", "tax", HolderKind.COMPANY, TAX_CLEARANCE_FIELDS),
    ("social_insurance", "社会保险缴费信息", "hrss", HolderKind.COMPANY, CONTRIBUTION_FIELDS),
    ("marriage", "婚姻登记档案", "civil", HolderKind.PERSON, MARRIAGE_FIELDS),
    ("housing_contract", "商品房网签备案信息", "construction", HolderKind.PERSON, CONTRACT_FIELDS),
    ("deed_tax", "契税完税信息", "tax", HolderKind.PERSON, DEED_TAX_FIELDS),
    ("social_assistance", "社会救助对象信息", "civil", HolderKind.PERSON, ASSISTANCE_FIELDS),
    ("real_estate", "不动产登记信息", "land", HolderKind.PERSON, REAL_ESTATE_FIELDS),
    ("medical_insurance", "基本医疗保险参保信息", "medical", HolderKind.PERSON, MEDICAL_INSURANCE_FIELDS),
    ("insured_person", "职工社会保险参保信息", "hrss", HolderKind.PERSON,
     fields(employer="参保单位", schemes="参保险种", since="参保日期")),
    ("iit_withholding", "个人所得税扣缴申报信息", "tax", HolderKind.PERSON,
     fields(year="所属年度", income="收入额", withheld="已扣缴税额", withholder="扣缴义务人")),
    ("hospital_delivery", "住院分娩信息", "health", HolderKind.PERSON,
     fields(hospital="助产机构", delivered_on="分娩日期", settlement="医保结算")),
    ("labour_termination", "劳动关系解除信息", "hrss", HolderKind.PERSON,
     fields(employer="原用人单位", ended_on="解除日期", reason="解除原因")),
    ("employment_card", "就业创业证信息", "hrss", HolderKind.PERSON,
     fields(card_no="就业创业证号", status="就业失业状态", group="人员类别")),
    ("veteran", "退役军人信息", "veterans", HolderKind.PERSON,
     fields(discharged_on="退出现役时间", category="退役类别", placement="安置方式")),
    ("education_record", "学历学位信息", "education", HolderKind.PERSON,
     fields(school="毕业院校", level="学历", major="专业", graduated_on="毕业日期")),
    ("teacher_exam", "中小学教师资格考试成绩", "education", HolderKind.PERSON,
     fields(subject="考试类别", result="考试结果", valid_until="合格证明有效期至")),
    ("putonghua_test", "普通话水平测试成绩", "education", HolderKind.PERSON,
     fields(grade="测试等级", certificate_no="证书编号", tested_on="测试日期")),
    ("driver_medical", "驾驶人体检信息", "health", HolderKind.PERSON,
     fields(hospital="体检机构", examined_on="体检日期", result="体检结论")),
    ("vehicle_invoice", "机动车销售统一发票信息", "tax", HolderKind.PERSON,
     fields(invoice_no="发票号码", seller="销售单位", vehicle="车辆", amount="价税合计")),
    ("vehicle_purchase_tax", "车辆购置税完税信息", "tax", HolderKind.PERSON,
     fields(voucher_no="完税凭证号", vehicle="车辆识别代号", amount="税额")),
)
# The records of the registries above that hold only the few people they are about, by name.
PERSON_RECORDS = {
    "insured_person": {
        "王芳": {"employer": COMPANY[0], "schemes": "养老、医疗、失业、工伤", "since": "2016-05-01"},
        "刘洋": {"employer": COMPANY[0], "schemes": "养老、医疗、失业、工伤", "since": "2019-07-01"},
        "张伟": {"employer": "灵活就业人员", "schemes": "养老、医疗", "since": "2010-09-01"},
        "李明": {"employer": "吉林大学第一医院", "schemes": "养老、医疗、失业、工伤", "since": "2010-08-01"},
        "周强": {"employer": MINING_COMPANY[0], "schemes": "养老、医疗、失业、工伤", "since": "2009-04-01"},
    },
    "iit_withholding": {
        "王芳": {"year": "2025", "income": "186000.00元", "withheld": "7680.00元", "withholder": COMPANY[0]},
        "刘洋": {"year": "2025", "income": "98000.00元", "withheld": "1140.00元", "withholder": COMPANY[0]},
        "李明": {"year": "2025", "income": "215000.00元", "withheld": "12300.00元",
                 "withholder": "吉林大学第一医院"},
    },
    "hospital_delivery": {
        "王芳": {"hospital": "吉林大学第一医院", "delivered_on": "2026-09-12",
                 "settlement": "已医保直接结算"},
    },
    "labour_termination": {
        "赵磊": {"employer": "长春市宏运物流有限公司", "ended_on": "2026-06-30",
                 "reason": "劳动合同期满终止"},
    },
    "employment_card": {
        "赵磊": {"card_no": "2201040026000311", "status": "失业", "group": "退役军人"},
    },
    "veteran": {
        "赵磊": {"discharged_on": "2014-12-01", "category": "退役士兵", "placement": "自主就业"},
    },
    "education_record": {
        "陈静": {"school": "东北师范大学", "level": "大学本科", "major": "汉语言文学",
                 "graduated_on": "2023-06-30"},
        "李明": {"school": "吉林大学", "level": "硕士研究生", "major": "临床医学",
                 "graduated_on": "2010-06-30"},
        "刘洋": {"school": "长春大学", "level": "大学本科", "major": "旅游管理",
                 "graduated_on": "2015-06-30"},
    },
    "teacher_exam": {
        "陈静": {"subject": "高级中学·语文", "result": "笔试、面试合格", "valid_until": "2029-06-30"},
    },
    "putonghua_test": {
        "陈静": {"grade": "二级甲等", "certificate_no": "2222000123456", "tested_on": "2022-05-14"},
    },
    "driver_medical": {
        "张伟": {"hospital": "长春市朝阳区人民医院", "examined_on": "2026-10-09", "result": "合格"},
        "刘洋": {"hospital": "吉林市人民医院", "examined_on": "2026-11-20", "result": "合格"},
    },
    "vehicle_invoice": {
        "刘洋": {"invoice_no": "26222000000001234567", "seller": "吉林市一汽丰越汽车销售有限公司",
                 "vehicle": "一汽红旗 H5 小型轿车", "amount": "159800.00元"},
    },
    "vehicle_purchase_tax": {
        "刘洋": {"voucher_no": "322026000123456", "vehicle": "LFP8C7PC5R1****21", "amount": "14141.59元"},
    },
}


def household_address(person: Person) -> str:
    """户籍地址 of a demo person, as the 户籍 registry and the person's licences give it."""
    return ADDRESSES[person.id_number[:6]].format(n=101 + PEOPLE.index(person))


def _provider(kind: str) -> Department:
    return Department.objects.get(uscc=department_uscc(PROVINCE, KIND_BY_KEY[kind].code))


def load_registries() -> int:
    """The registries and their records; the number of records."""
    registries = {code: Registry.objects.create(code=code, name=name, provider=_provider(provider),
                                                subject_kind=kind, fields=labels)
                  for code, name, provider, kind, labels in REGISTRIES}
    sent = timezone.now() - dt.timedelta(days=30)
    made = 0

    def put(target: Registry, number: str, name: str, data: dict) -> None:
        nonlocal made
        # The platform loads the registries' feeds itself: a system change (actor None).
        services.put_record(target, actor=None, subject_id_number=number, subject_name=name,
                            data=data, updated_at=sent)
        made += 1

    for n, person in enumerate(PEOPLE, start=1):
        address = household_address(person)
        put(registries["hukou"], person.id_number, person.name,
            {"address": address, "household_head": person.name, "relation": "户主"})
        put(registries["id_photo"], person.id_number, person.name,
            {"taken_on": "2024-05-20", "photo_no": f"JL{person.id_number[:6]}{n:06d}"})
        put(registries["sscard_bank"], person.id_number, person.name,
            {"bank": "中国工商银行吉林省分行", "account": f"6212 **** **** {1000 + n}"})
        put(registries["medical_insurance"], person.id_number, person.name,
            {"scheme": "城乡居民基本医疗保险" if person.name not in PERSON_RECORDS["insured_person"]
             else "职工基本医疗保险", "place": address[:address.index("市") + 1],
             "since": "2012-01-01", "paid_until": f"{sent:%Y年%m月}"})
        put(registries["real_estate"], person.id_number, person.name,
            {"holdings": HOME if person.name in HOME_BUYERS else "无", "checked_on": f"{sent:%Y-%m-%d}"})
        if person.name in MARRIED:
            spouse = next(name for name in MARRIED if name != person.name)
            put(registries["marriage"], person.id_number, person.name,
                {"status": "已婚", "spouse": spouse, "registered_on": "2012-05-20",
                 "office": "长春市朝阳区民政局婚姻登记处"})
        if person.name in HOME_BUYERS:
            put(registries["housing_contract"], person.id_number, person.name,
                {"contract_no": "CY2023000518", "address": HOME_ADDRESS,
                 "area": "98.60", "filed_on": "2023-04-11"})
            put(registries["deed_tax"], person.id_number, person.name,
                {"voucher_no": f"322016230{n:07d}", "amount": "17748.00元", "paid_on": "2023-04-25"})
        if person.name in ASSISTED:
            put(registries["social_assistance"], person.id_number, person.name,
                {"category": "最低生活保障", "since": "2024-03-01"})
    by_name = {person.name: person for person in PEOPLE}
    for code, records in PERSON_RECORDS.items():
        for name, data in records.items():
            put(registries[code], by_name[name].id_number, name, data)
    for (name, uscc, representative), domicile, capital, established in COMPANIES:
        put(registries["market_entity"], uscc, name, {
            "name": name, "kind": "有限责任公司（自然人投资或控股）", "legal_representative": representative,
            "domicile": domicile, "capital": capital, "established": established.isoformat()})
        put(registries["tax_clearance"], uscc, name, {
            "tax_authority": TAX_AUTHORITY[uscc[2:8]], "result": "未发现欠缴税款、滞纳金和罚款",
            "checked_on": f"{sent:%Y-%m-%d}"})
        put(registries["social_insurance"], uscc, name,
            {"insured": "12", "paid_until": f"{sent:%Y年%m月}", "arrears": "无"})
    health_valid_until = (timezone.localdate() + dt.timedelta(days=300)).isoformat()
    for n, ((name, uscc, _), staff) in enumerate(HEALTH_CERTIFIED.items(), start=1):
        put(registries["health_cert"], uscc, name, {
            "staff": "、".join(staff), "category": "食品生产经营和公共场所服务",
            "certificates": "、".join(f"JKZ2026{n:03d}{i:03d}" for i in range(1, len(staff) + 1)),
            "valid_until": health_valid_until})
    return made
