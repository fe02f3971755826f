"""The demo's electronic licences: every licence type a demo guide names (a material that a
licence of the applicant's replaces, ``licence:<code>``) or an item results in, a licence seal
(电子证照专用章) for every department that issues one, and the licences the demo people and
companies already hold, entered as 历史纸质证照入库 through ``licences.services.import_licence``
(signed by the issuing department's seal, delivered into the holder's wallet), so that 免提交 is
offered on those materials."""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.utils import timezone

from yiwang.licences.models import HolderKind, LicenceType
from yiwang.licences.services import add_years, import_licence
from yiwang.orgs import services as orgs
from yiwang.orgs.models import Department, Role
from yiwang.seals.models import SealKind
from yiwang.seals.services import create_seal

from .identities import ASSOCIATION, COMPANY, COMPANY_DOMICILE, MINING_COMPANY, PEOPLE, UNREGISTERED_COMPANY
from .items import ITEMS
from .places import KIND_BY_KEY, PLACES, department_uscc
from .registries import HOME_ADDRESS, fields, household_address

SEAL_YEARS = 5
# The 制证员 who entered the paper licences the demo people held before the platform: an account
# with the 制证员 role in each issuing department and no password (nobody signs in as it).
IMPORT_CLERK = "licence_import"


@dataclass(frozen=True)
class Kind:
    """A licence type: ``dept`` is the kind of department that issues it, at ``level`` (P the
    province, C the holder's city, X the holder's district where it has such a department, else
    its city)."""

    code: str
    name: str
    issuer_kind: str
    dept: str
    level: str
    fields: list[dict]
    validity_years: int | None = None


PREMISES_FIELDS = fields(premises="经营场所", category="经营项目")
PROJECT_FIELDS = fields(project="项目名称", site="建设位置", scale="建设规模")
KINDS = (
    Kind("jmsfz", "居民身份证", "公安机关", "police", "X", fields(address="住址"), 20),
    Kind("hkb", "居民户口簿", "公安机关", "police", "X", fields(address="住址", household_head="户主")),
    # 居住证 has no end date: it is endorsed (签注) every year.
    Kind("jzz", "居住证", "公安机关", "police", "C", fields(address="居住地址")),
    Kind("wfzjlzm", "无犯罪记录证明", "公安机关", "police", "C", fields(result="查询结果")),
    Kind("jsz", "机动车驾驶证", "公安机关交通管理部门", "police", "C", fields(vehicle_class="准驾车型"), 10),
    Kind("xsz", "机动车行驶证", "公安机关交通管理部门", "police", "C",
         fields(plate="号牌号码", vehicle="车辆类型")),
    Kind("sbk", "社会保障卡", "人力资源社会保障部门", "hrss", "C", fields(bank="金融账户开户银行"), 10),
    Kind("zyjnzs", "职业技能等级证书", "人力资源社会保障部门", "hrss", "C",
         fields(occupation="职业（工种）", grade="等级")),
    Kind("jhz", "结婚证", "婚姻登记机关", "civil", "X", fields(spouse="配偶姓名", registered_on="登记日期")),
    Kind("sttfrdjzs", "社会团体法人登记证书", "社会团体登记管理机关", "civil", "X",
         fields(scope="业务范围", domicile="住所"), 5),
    Kind("cjrz", "残疾人证", "残疾人联合会", "disabled", "X",
         fields(category="残疾类别", grade="残疾等级"), 10),
    Kind("cjjrz", "中华人民共和国残疾军人证", "退役军人事务部门", "veterans", "P",
         fields(grade="残疾等级", cause="致残性质")),
    Kind("csyxzm", "出生医学证明", "卫生健康部门", "health", "C",
         fields(child="新生儿姓名", born_on="出生日期", place="出生地点")),
    Kind("yszgzs", "医师资格证书", "卫生健康部门", "health", "P",
         fields(category="类别", qualified_on="取得日期")),
    Kind("ggcswsxkz", "公共场所卫生许可证", "卫生健康部门", "health", "C",
         [PREMISES_FIELDS[0], {"name": "category", "label": "场所类别"}], 5),
    Kind("yyzz", "营业执照", "市场监督管理部门", "market", "C",
         fields(kind="类型", scope="经营范围", domicile="住所")),
    Kind("spjyxkz", "食品经营许可证", "市场监督管理部门", "market", "C", PREMISES_FIELDS, 5),
    Kind("bdcqzs", "不动产权证书", "不动产登记机构", "land", "C",
         fields(location="坐落", use="用途", area="面积")),
    Kind("jsydghxkz", "建设用地规划许可证", "自然资源主管部门", "land", "C", PROJECT_FIELDS),
    Kind("jsgcghxkz", "建设工程规划许可证", "自然资源主管部门", "land", "C", PROJECT_FIELDS),
    Kind("ckxkz", "采矿许可证", "自然资源主管部门", "land", "P",
         fields(mine="矿山名称", mineral="开采矿种", area="矿区面积"), 10),
    Kind("sgxkz", "建筑工程施工许可证", "住房城乡建设主管部门", "construction", "C", PROJECT_FIELDS),
    Kind("pwxkz", "排污许可证", "生态环境主管部门", "environment", "C",
         fields(site="生产经营场所", industry="行业类别"), 5),
    Kind("dlysjyxkz", "道路运输经营许可证", "道路运输管理机构", "transport", "C",
         fields(scope="经营范围"), 4),
)


@dataclass(frozen=True)
class Held:
    """A licence a demo holder (a person or a company of ``identities``, by name) held on paper
    before the platform, issued on ``issued_on``; ``region`` overrides where it was issued."""

    type: str
    holder: str
    issued_on: dt.date
    data: dict
    region: str = ""


D = dt.date
REGISTERED = [person for person in PEOPLE if person.level is not None]
FAMILY_HOME = {"location": HOME_ADDRESS, "use": "住宅", "area": "98.60平方米"}
RESORT = "松花湖国际度假区游客服务中心"
RESORT_SITE = "吉林市丰满区松花湖风景区"
HELD = (
    *(Held("jmsfz", p.name, D(2018, 4, 2), {"address": household_address(p)}) for p in PEOPLE),
    # The 户口簿 and 社保卡 of the people with an account: nobody else can use them here.
    *(Held("hkb", p.name, D(2015, 6, 8), {"address": household_address(p), "household_head": p.name})
      for p in REGISTERED),
    *(Held("sbk", p.name, D(2021, 9, 1), {"bank": "中国工商银行吉林省分行"}) for p in REGISTERED),
    Held("jhz", "张伟", D(2012, 5, 20), {"spouse": "王芳", "registered_on": "2012-05-20"}),
    Held("jhz", "王芳", D(2012, 5, 20), {"spouse": "张伟", "registered_on": "2012-05-20"}),
    Held("bdcqzs", "张伟", D(2023, 5, 16), FAMILY_HOME),
    Held("bdcqzs", "王芳", D(2023, 5, 16), FAMILY_HOME),
    Held("csyxzm", "王芳", D(2026, 9, 12),
         {"child": "张小雨", "born_on": "2026-09-12", "place": "吉林省长春市朝阳区（吉林大学第一医院）"}),
    Held("jsz", "张伟", D(2020, 3, 9), {"vehicle_class": "C1"}),
    Held("jsz", "刘洋", D(2021, 8, 23), {"vehicle_class": "C1"}),
    Held("xsz", "刘洋", D(2026, 11, 25), {"plate": "吉B·3K721", "vehicle": "小型轿车"}),
    # 刘洋's household is in 吉林市; he works for the demo company in 长春市.
    Held("jzz", "刘洋", D(2026, 3, 1), {"address": "长春市净月高新技术产业开发区生态大街2666号"}, "220100"),
    Held("wfzjlzm", "刘洋", D(2026, 11, 2), {"result": "未发现有犯罪记录"}),
    Held("cjrz", "孙丽", D(2022, 10, 14), {"category": "肢体残疾", "grade": "三级"}),
    Held("cjjrz", "赵磊", D(2015, 3, 6), {"grade": "八级", "cause": "因公"}),
    Held("zyjnzs", "赵磊", D(2025, 11, 28), {"occupation": "电工", "grade": "四级/中级工"}),
    Held("yszgzs", "李明", D(2011, 12, 20), {"category": "临床", "qualified_on": "2011-12-20"}),
    # The 个体工商户 张伟 runs beside his job: a person's 营业执照.
    Held("yyzz", "张伟", D(2024, 7, 3),
         {"kind": "个体工商户", "scope": "小吃服务；预包装食品销售", "domicile": "长春市朝阳区湖西路1299号"}),
    Held("yyzz", COMPANY[0], D(2016, 4, 18),
         {"kind": "有限责任公司（自然人投资或控股）", "scope": "食品生产；食品销售；餐饮服务",
          "domicile": COMPANY_DOMICILE}),
    Held("spjyxkz", COMPANY[0], D(2024, 8, 30), {"premises": COMPANY_DOMICILE, "category": "预包装食品销售"}),
    Held("bdcqzs", COMPANY[0], D(2017, 2, 10),
         {"location": COMPANY_DOMICILE, "use": "工业", "area": "3260.00平方米"}),
    Held("xsz", COMPANY[0], D(2024, 4, 11), {"plate": "吉A·F2388", "vehicle": "轻型厢式货车"}),
    Held("pwxkz", COMPANY[0], D(2024, 6, 18), {"site": COMPANY_DOMICILE, "industry": "其他方便食品制造"}),
    Held("yyzz", UNREGISTERED_COMPANY[0], D(2012, 8, 6),
         {"kind": "有限责任公司（自然人投资或控股）", "scope": "旅游开发；酒店管理；旅客运输",
          "domicile": "吉林省吉林市丰满区松花湖风景区1号"}),
    Held("dlysjyxkz", UNREGISTERED_COMPANY[0], D(2025, 5, 8), {"scope": "旅游客运"}),
    Held("jsydghxkz", UNREGISTERED_COMPANY[0], D(2025, 3, 17),
         {"project": RESORT, "site": RESORT_SITE, "scale": "用地面积28600平方米"}),
    Held("jsgcghxkz", UNREGISTERED_COMPANY[0], D(2025, 7, 2),
         {"project": RESORT, "site": RESORT_SITE, "scale": "建筑面积12400平方米"}),
    Held("sgxkz", UNREGISTERED_COMPANY[0], D(2025, 9, 26),
         {"project": RESORT, "site": RESORT_SITE, "scale": "合同价格8650万元"}),
    Held("yyzz", MINING_COMPANY[0], D(2009, 3, 27),
         {"kind": "有限责任公司（自然人投资或控股）", "scope": "铜镍矿开采、选矿",
          "domicile": "吉林省磐石市红旗岭镇矿区路8号"}),
    Held("ckxkz", MINING_COMPANY[0], D(2021, 1, 15), {"mine": "磐石市红旗岭铜镍矿", "mineral": "铜、镍",
                                                      "area": "2.36平方千米"}),
    Held("sttfrdjzs", ASSOCIATION[0], D(2025, 4, 21),
         {"scope": "助残志愿服务、残疾人康复知识宣传", "domicile": "长春市朝阳区前进大街2288号"}),
)
ORGANISATIONS = {name: uscc for name, uscc, _ in (COMPANY, UNREGISTERED_COMPANY, MINING_COMPANY, ASSOCIATION)}


def seal_image(size: int = 96) -> bytes:
    """A red ring on transparent ground, as PNG: a stand-in for a scanned seal impression."""
    centre, outer, inner = (size - 1) / 2, size / 2 - 1, size / 2 - 7

    def pixel(x: int, y: int) -> bytes:
        distance = ((x - centre) ** 2 + (y - centre) ** 2) ** 0.5
        return b"\xd0\x10\x10\xff" if inner <= distance <= outer else b"\x00\x00\x00\x00"

    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(size)) for y in range(size))

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _holder(name: str) -> tuple[str, str, str]:
    """(holder kind, ID number or USCC, region code of the issuer's area) of a demo holder."""
    if name in ORGANISATIONS:
        return HolderKind.COMPANY, ORGANISATIONS[name], ORGANISATIONS[name][2:8]
    number = next(p.id_number for p in PEOPLE if p.name == name)
    return HolderKind.PERSON, number, number[:6]


def _issuer(kind: Kind, area: str) -> Department:
    """The department of ``kind.dept`` at ``kind.level`` for a holder of ``area``."""
    county = area if area in PLACES["X"] and "X" in KIND_BY_KEY[kind.dept].places else None
    region = {"P": "220000", "C": f"{area[:4]}00", "X": county or f"{area[:4]}00"}[kind.level]
    return Department.objects.get(uscc=department_uscc(region, KIND_BY_KEY[kind.dept].code))


def _issuing_departments(kinds: dict[str, LicenceType]) -> set[tuple[str, str]]:
    """(department kind, region) of every department whose items result in one of the types:
    each needs a seal to 制证."""
    return {(spec.dept, region) for spec in ITEMS if spec.licence in kinds
            for place in spec.at for region in PLACES[place]}


def load_licences(admin_username: str) -> int:
    """The licence types, one licence seal per issuing department and the demo holders'
    licences; the number of licences."""
    admin = get_user_model().objects.get(username=admin_username)
    clerk, _ = get_user_model().objects.get_or_create(username=IMPORT_CLERK, defaults={
        "first_name": "历史证照入库", "password": make_password(None)})
    today = timezone.localdate()
    # A type an administrator already made (same code) is kept as it is.
    types = {kind.code: LicenceType.objects.get_or_create(code=kind.code, defaults={
        "name": kind.name, "issuer_kind": kind.issuer_kind, "fields": kind.fields,
        "validity_years": kind.validity_years})[0] for kind in KINDS}
    kinds = {kind.code: kind for kind in KINDS}
    held = [(h, kinds[h.type], *_holder(h.holder)) for h in HELD]
    departments = {_issuer(kind, h.region or area) for h, kind, _, _, area in held}
    departments |= {Department.objects.get(uscc=department_uscc(region, KIND_BY_KEY[dept].code))
                    for dept, region in _issuing_departments(types)}
    image = seal_image()
    for department in sorted(departments, key=lambda d: d.uscc):
        orgs.grant_role(clerk, department, Role.CERTIFIER)
        if department.seals.filter(kind=SealKind.LICENCE).exists():
            continue
        create_seal(department=department, name=SealKind.LICENCE.label, kind=SealKind.LICENCE,
                    image=ContentFile(image, name="seal.png"), valid_from=today,
                    valid_until=today + dt.timedelta(days=365 * SEAL_YEARS), actor=admin)
    for n, (h, kind, holder_kind, number, area) in enumerate(held, start=1):
        issuer = _issuer(kind, h.region or area)
        import_licence(
            types[kind.code], issuer=issuer, actor=clerk, holder_kind=holder_kind,
            holder_name=h.holder, holder_id_number=number, valid_from=h.issued_on,
            valid_until=add_years(h.issued_on, kind.validity_years) if kind.validity_years else None,
            paper_number=f"吉{h.issued_on:%Y}{kind.code.upper()}{n:05d}", data=h.data)
    return len(held)


def load_platform_seal(admin_username: str) -> None:
    """The platform's 平台存证专用章, which signs the audit chain's checkpoints: a seal of the
    province's 政务服务和数字化建设管理局, the department that runs the platform."""
    province = PLACES["P"][0]
    department = Department.objects.get(uscc=department_uscc(province,
                                                             KIND_BY_KEY["government_services"].code))
    if department.seals.filter(kind=SealKind.AUDIT).exists():
        return
    today = timezone.localdate()
    create_seal(department=department, name=SealKind.AUDIT.label, kind=SealKind.AUDIT,
                image=ContentFile(seal_image(), name="seal.png"), valid_from=today,
                valid_until=today + dt.timedelta(days=365 * SEAL_YEARS),
                actor=get_user_model().objects.get(username=admin_username))
