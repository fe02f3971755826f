"""Bulk catalogue generator (事项批量生成) for benchmarks and load tests.

``generate_items(count, seed=…)`` writes ``count`` published items with guides and materials
straight into the tables with ``bulk_create`` (100,000 items take about a minute on SQLite), so it
bypasses the review flow: generated items have one published version and no history.

What it writes looks like a provincial catalogue: the province, its cities and counties (loaded
from GB/T 2260 when missing), one department per kind and region (an existing department with
the kind's code is reused), and item names composed from each kind's subjects and the usual
actions (核发、变更、延续、注销、补领 …), so that two-character queries such as 社保、护照、营业
have realistic hit counts. Codes follow GB/T 39554.1: one item template has one 基本编码 in
every region that implements it, sequence numbers continue after those already in use, and
further rounds of the same templates become 子项 (001, 002 …).

The same seed on the same database gives the same catalogue.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Substr
from django.utils import timezone
from stdnum.cn import uscc as uscc_std

from yiwang.catalog import codes
from yiwang.catalog.models import (
    Audience,
    GuideVersion,
    HandlingKind,
    ItemLevel,
    Material,
    MaterialForm,
    MaterialSource,
    Necessity,
    ServiceItem,
    VersionStatus,
)
from yiwang.orgs.models import Department
from yiwang.regions.models import Region, RegionLevel
from yiwang.regions.services import load_divisions


@dataclass(frozen=True)
class Kind:
    """A kind of department: its two-digit code (the same as the demo dataset's), its name in
    the province and below (``{region}`` is the region's name), the laws it applies, what it
    handles, and the materials particular to it."""

    code: str
    province: str
    local: str
    laws: tuple[str, ...]
    subjects: tuple[str, ...]
    materials: tuple[str, ...] = ()
    in_counties: bool = True


KINDS = (
    Kind("11", "吉林省公安厅", "{region}公安局",
         ("《中华人民共和国居民身份证法》", "《中华人民共和国护照法》", "《中华人民共和国户口登记条例》",
          "《中华人民共和国道路交通安全法》", "《居住证暂行条例》"),
         ("居民身份证", "普通护照", "往来港澳通行证", "往来台湾通行证", "户口迁移", "出生登记",
          "机动车驾驶证", "机动车登记", "居住证", "无犯罪记录证明"),
         ("户口簿", "近期免冠彩色证件照片")),
    Kind("12", "吉林省市场监督管理厅", "{region}市场监督管理局",
         ("《中华人民共和国市场主体登记管理条例》", "《中华人民共和国食品安全法》",
          "《中华人民共和国药品管理法》", "《中华人民共和国特种设备安全法》"),
         ("营业执照", "个体工商户营业执照", "食品经营许可证", "食品生产许可证", "药品经营许可证",
          "医疗器械经营备案", "特种设备使用登记", "股权出质登记", "计量器具检定"),
         ("营业执照副本", "经营场所使用证明")),
    Kind("13", "吉林省人力资源和社会保障厅", "{region}人力资源和社会保障局",
         ("《中华人民共和国社会保险法》", "《中华人民共和国就业促进法》", "《工伤保险条例》",
          "《失业保险条例》"),
         ("社会保险登记", "社保卡", "基本养老保险待遇", "失业保险金", "工伤保险待遇", "就业创业证",
          "职业资格证书", "社会保险关系转移", "职业技能培训补贴"),
         ("社会保障卡",)),
    Kind("14", "吉林省医疗保障局", "{region}医疗保障局",
         ("《中华人民共和国社会保险法》", "《医疗保障基金使用监督管理条例》"),
         ("医疗保险参保登记", "医保电子凭证", "异地就医备案", "医疗费用报销", "门诊慢特病待遇",
          "生育保险待遇", "医保关系转移", "医疗救助"),
         ("医保电子凭证或社会保障卡", "医疗费用发票")),
    Kind("15", "吉林省民政厅", "{region}民政局",
         ("《婚姻登记条例》", "《社会救助暂行办法》", "《社会团体登记管理条例》", "《殡葬管理条例》"),
         ("结婚登记", "离婚登记", "最低生活保障", "特困人员救助供养", "社会团体登记", "养老机构备案",
          "临时救助", "高龄津贴"),
         ("户口簿", "家庭收入情况说明")),
    Kind("16", "吉林省教育厅", "{region}教育局",
         ("《中华人民共和国教师法》", "《中华人民共和国民办教育促进法》", "《教师资格条例》"),
         ("教师资格证", "民办学校办学许可证", "学生资助", "学历证明", "转学手续"),
         ("学历证书",)),
    Kind("17", "吉林省卫生健康委员会", "{region}卫生健康委员会",
         ("《中华人民共和国医师法》", "《护士条例》", "《医疗机构管理条例》", "《中华人民共和国母婴保健法》"),
         ("医师执业证书", "护士执业证书", "医疗机构执业许可证", "出生医学证明", "公共场所卫生许可证",
          "放射诊疗许可", "生育登记"),
         ("健康体检证明",)),
    Kind("18", "吉林省交通运输厅", "{region}交通运输局",
         ("《中华人民共和国道路运输条例》", "《中华人民共和国公路法》",
          "《网络预约出租汽车经营服务管理暂行办法》"),
         ("道路运输经营许可证", "道路运输从业资格证", "出租汽车驾驶员证", "网络预约出租汽车运输证",
          "超限运输车辆通行证", "公路涉路施工许可"),
         ("机动车行驶证",), in_counties=False),
    Kind("19", "吉林省住房和城乡建设厅", "{region}住房和城乡建设局",
         ("《中华人民共和国建筑法》", "《城市房地产开发经营管理条例》", "《城镇燃气管理条例》"),
         ("建筑工程施工许可证", "建筑业企业资质", "商品房预售许可证", "房屋租赁登记备案",
          "燃气经营许可证", "城市道路占用挖掘许可"),
         ("建设工程规划许可证",)),
    Kind("20", "吉林省自然资源厅", "{region}自然资源局",
         ("《不动产登记暂行条例》", "《中华人民共和国城乡规划法》", "《中华人民共和国矿产资源法》"),
         ("不动产登记", "建设用地规划许可证", "建设工程规划许可证", "乡村建设规划许可证",
          "采矿许可证", "测绘资质"),
         ("不动产权证书", "宗地图"), in_counties=False),
    Kind("21", "吉林省生态环境厅", "{region}生态环境局",
         ("《排污许可管理条例》", "《中华人民共和国环境影响评价法》", "《危险废物经营许可证管理办法》"),
         ("排污许可证", "建设项目环境影响评价", "危险废物经营许可证", "辐射安全许可证"),
         ("环境影响报告书",), in_counties=False),
    Kind("22", "国家税务总局吉林省税务局", "国家税务总局{region}税务局",
         ("《中华人民共和国税收征收管理法》", "《中华人民共和国个人所得税法》",
          "《中华人民共和国发票管理办法》"),
         ("税务登记", "增值税发票", "个人所得税汇算", "纳税证明", "社会保险费缴纳", "出口退税",
          "车辆购置税", "契税"),
         ("营业执照副本",)),
    Kind("23", "吉林省退役军人事务厅", "{region}退役军人事务局",
         ("《中华人民共和国退役军人保障法》", "《军人抚恤优待条例》"),
         ("退役军人优待证", "伤残抚恤", "退役士兵安置", "优抚对象补助", "烈士褒扬金"),
         ("退役证",)),
    Kind("24", "吉林省文化和旅游厅", "{region}文化广播电视和旅游局",
         ("《营业性演出管理条例》", "《旅行社条例》", "《娱乐场所管理条例》"),
         ("营业性演出许可证", "旅行社业务经营许可证", "导游证", "娱乐场所经营许可证",
          "网络文化经营许可证"),
         ("营业执照副本",), in_counties=False),
    Kind("26", "吉林省农业农村厅", "{region}农业农村局",
         ("《农药管理条例》", "《兽药管理条例》", "《中华人民共和国种子法》", "《中华人民共和国动物防疫法》"),
         ("农药经营许可证", "兽药经营许可证", "动物防疫条件合格证", "种子生产经营许可证",
          "农机购置补贴", "渔业捕捞许可证"),
         ("营业执照副本",)),
    Kind("27", "吉林省应急管理厅", "{region}应急管理局",
         ("《安全生产许可证条例》", "《危险化学品安全管理条例》", "《烟花爆竹安全管理条例》"),
         ("安全生产许可证", "危险化学品经营许可证", "烟花爆竹经营许可证", "特种作业操作证"),
         ("安全生产管理制度",)),
    Kind("28", "吉林省司法厅", "{region}司法局",
         ("《法律援助法》", "《中华人民共和国律师法》", "《中华人民共和国公证法》"),
         ("法律援助", "律师执业证", "公证员执业证", "人民调解", "司法鉴定许可证"),
         ("经济困难状况说明表",)),
    Kind("29", "吉林省残疾人联合会", "{region}残疾人联合会",
         ("《中华人民共和国残疾人保障法》", "《残疾人就业条例》"),
         ("残疾人证", "残疾人康复救助", "辅助器具适配", "重度残疾人护理补贴"),
         ("残疾评定表",)),
    Kind("30", "吉林省住房公积金管理中心", "{region}住房公积金管理中心",
         ("《住房公积金管理条例》",),
         ("住房公积金缴存登记", "住房公积金提取", "住房公积金贷款", "住房公积金异地转移",
          "公积金缴存证明"),
         ("住房公积金联名卡",), in_counties=False),
)

# What can be done with a subject, by what the subject is, with the item type (GB/T 39046).
ACTIONS = {
    "licence": (("{s}核发", "01"), ("{s}变更", "01"), ("{s}延续", "01"), ("{s}注销", "01"),
                ("{s}补领", "20"), ("{s}换领", "20"), ("{s}信息查询", "20")),
    "registration": (("{s}", "07"), ("{s}变更", "07"), ("{s}注销", "07"), ("{s}信息查询", "20"),
                     ("{s}证明开具", "20")),
    "benefit": (("{s}申领", "05"), ("{s}资格认定", "07"), ("{s}发放", "05"), ("{s}停发", "05"),
                ("{s}查询", "20")),
    "service": (("{s}办理", "20"), ("{s}申请", "20"), ("{s}进度查询", "20")),
}
SUPERVISION = (("对违反{s}管理规定行为的行政处罚", "02"), ("{s}监督检查", "06"),
               ("{s}相关物品查封扣押", "03"), ("{s}工作先进集体和个人表彰", "08"))
# Sub-items (子项): the same item split by who applies or how.
SUB_ITEMS = ("个人", "企业", "首次申请", "网上办理", "窗口办理", "本地户籍", "外地户籍", "委托代办",
             "加急", "跨省通办", "港澳台居民", "外国人")

CONDITIONS = {
    "licence": "申请人首次申请{s}的，应当符合{law}规定的条件，{extra}。",
    "registration": "办理{s}的，登记事项应当真实、合法、有效，{extra}。",
    "benefit": "符合{law}规定的享受条件，经审核确认后可申请{s}，{extra}。",
    "service": "申请人可通过线上或线下渠道申请{s}，{extra}。",
}
EXTRAS = ("申请材料齐全、符合法定形式", "由申请人本人或其委托的代理人办理", "无不良信用记录",
          "已按规定缴纳相关费用", "近三年内未受到相关行政处罚", "持有效身份证明")
STEPS = (("申请", "申请人通过吉林省政务服务网、“吉事办”移动端或政务服务中心窗口提交{s}申请"),
         ("受理", "窗口工作人员核验申请材料，材料齐全的当场受理，不齐全的一次性告知需要补正的材料"),
         ("审查", "承办机构对申请材料进行审查，必要时进行现场核查"),
         ("决定", "作出准予或者不予{name}的决定"),
         ("送达", "通过窗口领取、邮寄或电子证照方式送达办理结果"))
# Short forms people type (社保、医保、身份证); an item's alias is its name written with them.
ABBREVIATIONS = (("社会保险", "社保"), ("医疗保险", "医保"), ("居民身份证", "身份证"),
                 ("机动车驾驶证", "驾照"), ("住房公积金", "公积金"), ("营业执照", "执照"),
                 ("最低生活保障", "低保"), ("往来港澳通行证", "港澳通行证"), ("普通护照", "护照"))
COMPANY_WORDS = ("许可", "营业", "企业", "资质", "经营", "备案", "单位", "机构")
AREA_CODES = {"2201": "0431", "2202": "0432", "2203": "0434", "2204": "0437", "2205": "0435",
              "2206": "0439", "2207": "0438", "2208": "0436", "2224": "0433"}
FORM = [
    {"name": "applicant_name", "label": "申请人姓名或单位名称", "type": "text", "required": True,
     "max_length": 100},
    {"name": "contact_phone", "label": "联系电话", "type": "phone", "required": True},
]
CHINESE_DIGITS = "零一二三四五六七八九"


def _chinese_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    return ((f"{CHINESE_DIGITS[tens]}十" if tens > 1 else "十" if tens else "")
            + (CHINESE_DIGITS[ones] if ones else "")) or "零"


def subject_class(subject: str) -> str:
    if subject.endswith(("证", "照", "证书", "许可", "凭证")):
        return "licence"
    if subject.endswith(("登记", "备案", "资质")):
        return "registration"
    if any(word in subject for word in ("补贴", "待遇", "救助", "津贴", "保障", "抚恤", "褒扬", "保险金",
                                        "供养", "资助", "报销", "补助")):
        return "benefit"
    return "service"


def _alias(name: str) -> str:
    for long, short in ABBREVIATIONS:
        if long in name:
            return name.replace(long, short)
    return ""


@dataclass(frozen=True)
class Template:
    """One catalogue item as the province defines it; each region's department implements it."""

    kind: Kind
    name: str
    subject: str
    subject_class: str
    item_type: str
    area_class: str
    sequence: int


def _templates(rng: random.Random, province_prefix: str) -> dict[str, list[Template]]:
    """Templates per department code, with sequence numbers after the ones already used."""
    used = dict(ServiceItem.objects.order_by().annotate(prefix=Substr("basic_code", 1, 6))
                .values("prefix").annotate(last=Max("basic_code")).values_list("prefix", "last"))
    next_sequence: dict[str, int] = {}
    by_code: dict[str, list[Template]] = {}
    for kind in KINDS:
        for subject in kind.subjects:
            cls = subject_class(subject)
            for pattern, item_type in ACTIONS[cls] + SUPERVISION[:rng.randint(1, len(SUPERVISION))]:
                # Most items are set by national law (area class 00); some only in this province.
                area_class = "00" if rng.random() < 0.8 else province_prefix
                prefix = f"{area_class}{item_type}{kind.code}"
                if prefix not in next_sequence:
                    last = used.get(prefix)
                    next_sequence[prefix] = int(last[6:9]) + 1 if last else 1
                sequence = next_sequence[prefix]
                if sequence > 999:
                    continue
                next_sequence[prefix] = sequence + 1
                by_code.setdefault(kind.code, []).append(Template(
                    kind, pattern.format(s=subject), subject, cls, item_type, area_class, sequence))
    return by_code


def _regions(province: str) -> list[Region]:
    code = province[:2].ljust(6, "0")
    if not Region.objects.filter(code=code).exists():
        load_divisions(code)
    return list(Region.objects.filter(path__startswith=f"{code}/", level__lte=RegionLevel.COUNTY)
                .order_by("code"))


LEVEL_OF_REGION = {RegionLevel.PROVINCE: ItemLevel.PROVINCE, RegionLevel.CITY: ItemLevel.CITY,
                   RegionLevel.COUNTY: ItemLevel.COUNTY}


def _uscc(region: Region, kind: Kind, taken: set[str]) -> str:
    """A valid 统一社会信用代码 of a government organ (1, 1) in the region, not yet in use."""
    for serial in range(100):
        body = f"11{region.code[:6]}G{kind.code}{region.code[2:6]}{serial:02d}"
        uscc = body + uscc_std.calc_check_digit(body)
        if uscc not in taken:
            taken.add(uscc)
            return uscc
    raise RuntimeError(f"no free USCC for {kind.code} in {region.code}")


@transaction.atomic
def _departments(regions: list[Region]) -> list[tuple[Department, Kind, Region]]:
    existing = {(d.region_id, d.code): d for d in Department.objects.filter(region__in=regions)}
    taken = set(Department.objects.values_list("uscc", flat=True))
    result = []
    for region in regions:
        for kind in KINDS:
            if region.level == RegionLevel.COUNTY and not kind.in_counties:
                continue
            department = existing.get((region.pk, kind.code))
            if department is None:
                name = kind.province if region.level == RegionLevel.PROVINCE else (
                    kind.local.format(region=region.name))
                department = Department.objects.create(
                    name=name, code=kind.code, region=region, uscc=_uscc(region, kind, taken))
            result.append((department, kind, region))
    return result


def _guide(rng: random.Random, template: Template, name: str, region: Region
           ) -> tuple[dict, list[dict]]:
    kind, subject, cls = template.kind, template.subject, template.subject_class
    audience = (Audience.COMPANY if any(w in subject for w in COMPANY_WORDS) else Audience.PERSON)
    law = rng.choice(kind.laws)
    immediate = cls != "licence" and rng.random() < 0.35
    legal = rng.choice((5, 10, 15, 20, 30, 60))
    visits = rng.choice((0, 0, 1, 1, 2))
    steps = STEPS[:2] if immediate else STEPS
    materials = [
        "法定代表人居民身份证" if audience == Audience.COMPANY else "居民身份证",
        f"{subject}申请表",
        *rng.sample(kind.materials, k=rng.randint(0, len(kind.materials))),
    ]
    if cls == "licence" and not template.name.endswith("核发"):
        materials.append(f"原{subject}")
    if rng.random() < 0.3:
        materials.append("授权委托书及受托人居民身份证（委托办理的）")
    area_code = AREA_CODES.get(region.code[:4], "0431")
    guide = {
        "name": name,
        "aliases": _alias(name),
        "audience": audience,
        "legal_basis": f"{law}第{_chinese_number(rng.randint(2, 60))}条",
        "conditions": CONDITIONS[cls].format(s=subject, law=law, extra=rng.choice(EXTRAS)),
        "process_steps": [{"name": step, "description": text.format(s=subject, name=name)}
                          for step, text in steps],
        "legal_time_limit": legal,
        "promised_time_limit": 0 if immediate else max(1, legal // rng.choice((2, 3, 4))),
        "handling_kind": HandlingKind.IMMEDIATE if immediate else HandlingKind.PROMISED,
        "visits": visits,
        "online_depth": rng.choice((5, 6, 7)) if visits == 0 else rng.choice((3, 4, 5)),
        "fees": ([{"name": "证照工本费", "amount": "10.00", "basis": "吉发改收费〔2020〕12号"}]
                 if cls == "licence" and rng.random() < 0.2 else []),
        "location": f"{region.name}政务服务中心{rng.randint(1, 60)}号窗口",
        "office_hours": "周一至周五 8:30-11:30、13:00-17:00（法定节假日除外）",
        "consult_phone": f"{area_code}-8{rng.randint(1000000, 9999999)}",
        "supervise_phone": "12345",
        "result_name": subject if cls == "licence" else f"{name}结果告知书",
        "channels": ["pc", "mobile", "hall"],
        "single_window": True,
        "commitment_allowed": rng.random() < 0.2,
        "form_definition": FORM,
    }
    papers = []
    for name_of_material in materials:
        form = rng.choice((MaterialForm.ELECTRONIC, MaterialForm.PAPER, MaterialForm.BOTH))
        papers.append({
            "name": name_of_material,
            "necessity": rng.choice((Necessity.REQUIRED,) * 4 + (Necessity.TOLERATED,)),
            "form": form,
            "paper_copies": 0 if form == MaterialForm.ELECTRONIC else rng.randint(1, 2),
            "source": (MaterialSource.GOVERNMENT if name_of_material.startswith(("原", "居民身份证"))
                       else MaterialSource.APPLICANT),
            "acceptance_standard": "内容完整、真实有效，复印件与原件一致",
        })
    return guide, papers


def _plan(rng: random.Random, departments, templates):
    """(department, region, template, sub_item) in the order items are made: every department
    implements each of its kind's templates once, in shuffled order, before sub-items start."""
    pairs = [(d, r, t) for d, k, r in departments for t in templates.get(k.code, [])]
    for sub_item in range(1000 if pairs else 0):
        rng.shuffle(pairs)
        for department, region, template in pairs:
            yield department, region, template, sub_item


def generate_items(count: int, *, seed: int = 0, province: str = "22", batch_size: int = 1000,
                   progress: Callable[[int], None] | None = None) -> int:
    """Create ``count`` published items under ``province``; returns the number created."""
    rng = random.Random(seed)
    regions = _regions(province)
    departments = _departments(regions)
    templates = _templates(rng, province[:2])
    existing = set(ServiceItem.objects.filter(department__in=[d for d, _k, _r in departments])
                   .values_list("implementation_code", flat=True))
    now = timezone.now()
    batch: list = []
    created = 0

    def flush():
        nonlocal created
        with transaction.atomic():
            items = ServiceItem.objects.bulk_create([item for item, _g, _m in batch])
            versions = GuideVersion.objects.bulk_create([
                GuideVersion(item=item, number=1, status=VersionStatus.PUBLISHED,
                             published_at=now, **guide)
                for item, guide, _m in batch])
            Material.objects.bulk_create([
                Material(version=version, order=order, **material)
                for version, (_i, _g, materials) in zip(versions, batch, strict=True)
                for order, material in enumerate(materials, start=1)])
            ServiceItem.objects.filter(pk__in=[item.pk for item in items]).update(
                published_version=Subquery(GuideVersion.objects.filter(
                    item=OuterRef("pk"), number=1).values("pk")[:1]))
        created += len(batch)
        batch.clear()
        if progress:
            progress(created)

    for department, region, template, sub_item in _plan(rng, departments, templates):
        if created + len(batch) == count:
            break
        basic = codes.build_basic_code(area_class=template.area_class, item_type=template.item_type,
                                       department_code=department.code,
                                       sequence=template.sequence, sub_item=sub_item)
        handling = codes.build_handling_code(uscc=department.uscc,
                                             level=LEVEL_OF_REGION[region.level], basic=basic)
        implementation = str(handling.implementation)
        if implementation in existing:
            continue
        existing.add(implementation)
        name = template.name
        if sub_item:
            variant = SUB_ITEMS[(sub_item - 1) % len(SUB_ITEMS)]
            round_ = (sub_item - 1) // len(SUB_ITEMS)
            name += f"（{variant}，第{_chinese_number(round_ + 1)}类）" if round_ else f"（{variant}）"
        guide, materials = _guide(rng, template, name, region)
        item = ServiceItem(basic_code=str(basic), implementation_code=implementation,
                           handling_code=str(handling), item_type=template.item_type,
                           level=LEVEL_OF_REGION[region.level], department=department,
                           region=region)
        batch.append((item, guide, materials))
        if len(batch) >= batch_size:
            flush()
    if batch:
        flush()
    return created
