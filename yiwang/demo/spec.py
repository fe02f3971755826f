"""Building blocks for writing demo items by hand: the item specification, shared materials and
form fields, and the standard process flows. An ``ItemSpec`` says what an item is; where it is
implemented (``at``) and who implements it (``dept``) turn it into one item per region.

Defaults follow the item type (a 行政处罚 is handled at the window, reports only a consultation
depth and ends in a 处罚决定书), so a spec only states what is particular to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from yiwang.catalog.models import (
    Audience,
    HandlingKind,
    ItemLevel,
    ItemType,
    MaterialForm,
    MaterialSource,
    Necessity,
    OnlineDepth,
)

PERSON, COMPANY = Audience.PERSON, Audience.COMPANY
REQUIRED, OPTIONAL, TOLERATED = Necessity.REQUIRED, Necessity.OPTIONAL, Necessity.TOLERATED
PAPER, ELECTRONIC, BOTH = MaterialForm.PAPER, MaterialForm.ELECTRONIC, MaterialForm.BOTH
APPLICANT, GOVERNMENT, OTHER = MaterialSource.APPLICANT, MaterialSource.GOVERNMENT, MaterialSource.OTHER

# Where an item is implemented: P 省级, C 每个设区的市, X 演示县区, T 演示街道.
LEVEL_OF_PLACE = {"P": ItemLevel.PROVINCE, "C": ItemLevel.CITY, "X": ItemLevel.COUNTY,
                  "T": ItemLevel.TOWN}


@dataclass(frozen=True)
class ItemSpec:
    """One service item as the catalogue of every implementing region lists it.

    ``limits`` is (法定时限, 承诺时限) in working days; a promise of 0 makes it a 即办件. ``group``
    puts items under one 主项: they share the sequence number and take 子项 001, 002 … in order.
    ``national`` is False for items set by provincial rules (area class 22 instead of 00).
    """

    key: str
    dept: str
    type: str
    name: str
    at: str
    basis: str
    conditions: str
    materials: tuple[dict, ...]
    form: tuple[dict, ...] = ()
    topics: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    audience: str = PERSON
    limits: tuple[int, int] = (20, 10)
    visits: int = 1
    depth: int | None = None
    fees: tuple[dict, ...] = ()
    result: str = ""
    licence: str = ""
    flow: tuple[tuple[str, str], ...] | None = None
    channels: tuple[str, ...] | None = None
    single_window: bool | None = None
    commitment: bool = False
    location: str = ""
    group: str = ""
    national: bool = True
    faqs: tuple[tuple[str, str], ...] = ()  # 常见问题: (question, answer)

    @property
    def handling_kind(self) -> str:
        return HandlingKind.IMMEDIATE if self.limits[1] == 0 else HandlingKind.PROMISED


# --- materials -------------------------------------------------------------------------------


def material(name: str, *, necessity: str = REQUIRED, form: str = ELECTRONIC,
             copies: int | None = None, source: str = APPLICANT, standard: str = "",
             exempt: str = "", source_note: str = "", note: str = "") -> dict:
    """A material as the guide stores it; paper forms default to one copy."""
    if copies is None:
        copies = 1 if form in (PAPER, BOTH) else 0
    return {"name": name, "necessity": necessity, "form": form, "paper_copies": copies,
            "source": source, "source_note": source_note, "acceptance_standard": standard,
            "exemption_source": exempt, "note": note}


def issued(name: str, licence: str, issuer: str, standard: str = "原件，在有效期内",
           **extra) -> dict:
    """A certificate a government body issued; the e-licence of type ``licence`` replaces it."""
    return material(name, source=GOVERNMENT, source_note=issuer, standard=standard,
                    exempt=f"licence:{licence}", **extra)


def shared(name: str, registry: str, issuer: str, standard: str, **extra) -> dict:
    """A certificate whose facts a registry of the exchange platform holds: the applicant's record
    in ``registry`` replaces it (免提交). ``registry`` is the code of one of the registries of
    yiwang/demo/registries.py: a source no registry provides is never offered for reuse, and
    ``exchange.metrics`` does not count it in 一证通办率."""
    return material(name, source=GOVERNMENT, source_note=issuer, standard=standard,
                    exempt=f"data:{registry}", **extra)


def premises(name: str, standard: str = "不动产权证书或租赁合同", **extra) -> dict:
    """Proof of the right to use a place; the 不动产权证书 e-licence replaces it."""
    return material(name, exempt="licence:bdcqzs", standard=standard, **extra)


def application(title: str, **extra) -> dict:
    """The signed application form; an online application generates it from the form data."""
    return material(f"《{title}》", form=BOTH, standard="按要求填写完整，申请人签字（单位加盖公章）",
                    note="网上申请的，由系统根据在线填写的内容自动生成", **extra)


ID_CARD = issued("申请人居民身份证", "jmsfz", "公安机关", "原件，在有效期内，人像和号码清晰")
# 户籍信息 and 市场主体登记信息 are shared by the police and market regulation (yiwang/demo/registries.py).
HOUSEHOLD_REGISTER = shared("居民户口簿", "hukou", "公安机关", "原件，含户主页和本人页")
BUSINESS_LICENCE = shared("营业执照", "market_entity", "市场监督管理部门",
                          "在有效期内，经营范围与申请事项相符")
# A person's ID card on a company's application: the company's licences are offered, never its
# representative's own (licences.selectors.held_for), so no licence replaces it.
LEGAL_REP_ID = material("法定代表人居民身份证", source=GOVERNMENT, source_note="公安机关",
                        standard="原件或加盖公章的复印件")
MARRIAGE_CERT = issued("结婚证", "jhz", "民政部门", "原件，夫妻双方信息完整")
SOCIAL_SECURITY_CARD = issued("社会保障卡", "sbk", "人力资源社会保障部门", "已激活金融功能")
PROPERTY_CERT = issued("不动产权证书", "bdcqzs", "不动产登记机构", "原件，权利人与申请人一致")
PARTY_ID = material("当事人身份证明", source=GOVERNMENT, exempt="licence:jmsfz",
                    standard="个人提交居民身份证，单位提交营业执照和法定代表人身份证明")
PROXY = material("授权委托书及受托人居民身份证", necessity=OPTIONAL, form=PAPER,
                 standard="委托他人办理时提交；委托书载明委托事项和权限，委托人签字（盖章）")
ID_PHOTO = material("近期免冠白底证件照电子版", exempt="data:id_photo",
                    standard="能从人口信息库获取相片的免予提交")
BANK_ACCOUNT = material("本人银行账户信息", necessity=OPTIONAL,
                        standard="户名与申请人一致；已激活社会保障卡金融功能的可不提交",
                        exempt="data:sscard_bank")


def photos(count: int, spec: str = "近期二寸白底免冠彩色证件照") -> dict:
    return material(f"{spec}{count}张", form=PAPER, copies=count,
                    standard="正面免冠、五官清晰、不着制式服装；窗口可现场采集")


def statement(title: str = "陈述、申辩意见及相关证据") -> dict:
    return material(title, necessity=OPTIONAL, form=BOTH,
                    standard="当事人要求陈述、申辩或者听证的，在告知之日起5个工作日内提出")


HEARING = material("听证申请书", necessity=OPTIONAL, form=PAPER,
                   standard="拟作出较大数额罚款、没收较大数额违法所得、吊销许可证件等决定的，当事人可在"
                            "被告知后5个工作日内提出")


# --- form fields -----------------------------------------------------------------------------


def field(name: str, label: str, kind: str = "text", *, required: bool = True, **extra) -> dict:
    return {"name": name, "label": label, "type": kind, "required": required, **extra}


def choice(name: str, label: str, *options: str, required: bool = True) -> dict:
    return field(name, label, "select", required=required, options=list(options))


def text(name: str, label: str, *, required: bool = True, length: int = 100) -> dict:
    return field(name, label, required=required, max_length=length)


def note(name: str, label: str, *, required: bool = False) -> dict:
    return field(name, label, "textarea", required=required, max_length=1000)


def date(name: str, label: str, *, required: bool = True) -> dict:
    return field(name, label, "date", required=required)


PERSON_FORM = (
    text("applicant_name", "申请人姓名", length=50),
    field("id_number", "居民身份证号", "id_number"),
    field("phone", "联系电话", "phone"),
)
COMPANY_FORM = (
    text("company_name", "单位名称"),
    field("uscc", "统一社会信用代码", "uscc"),
    text("legal_representative", "法定代表人", length=50),
    text("company_address", "单位住所", length=200),
    text("contact_name", "联系人", length=50),
    field("phone", "联系电话", "phone"),
)
ADDRESS = text("address", "联系地址", length=200)
CHILD = (text("child_name", "儿童姓名", length=20), field("child_id", "儿童居民身份证号", "id_number"))
DELIVERY = choice("delivery", "领取方式", "窗口领取", "邮寄送达")
STATEMENT = field("statement_text", "陈述申辩意见", "textarea", required=False, max_length=1000)


def base_form(audience: str) -> tuple[dict, ...]:
    return COMPANY_FORM if audience == COMPANY else PERSON_FORM


# --- process flows ---------------------------------------------------------------------------

ONLINE = "通过吉林省政务服务网、“吉事办”移动端或政务服务大厅综合窗口"
STEP_TEXT = {
    "申请": f"{ONLINE}提交申请和材料",
    "受理": "核验材料，齐全且符合法定形式的予以受理；不齐全的一次性告知需要补正的全部内容",
    "审查": "对申请材料的实质内容进行审查，需要现场核查的组织核查",
    "决定": "作出准予或者不予的书面决定；不予的说明理由并告知申请复议、提起诉讼的权利",
    "办结": "符合条件的当场办结并出具结果",
    "送达": "窗口领取或免费邮寄送达；电子证照同步推送至“吉事办”个人（法人）证照夹",
    "审核": "核实申请人的资格条件和相关信息，必要时入户调查或者向有关部门核查",
    "公示": "对审核结果在申请人居住地村（社区）公示7天，公示无异议的进入审批",
    "发放": "审批通过后按月（次）发放至申请人社会保障卡银行账户",
    "立案": "对检查发现、投诉举报和移送的违法线索进行核查，符合立案条件的予以立案",
    "调查取证": "两名以上执法人员出示执法证件，依法收集证据，制作笔录",
    "告知": "作出决定前告知拟作出的决定及事实、理由、依据，以及陈述、申辩和要求听证的权利",
    "处罚决定": "经法制审核后作出行政处罚决定，制作行政处罚决定书",
    "执行": "当事人在规定期限内履行；逾期不履行的依法强制执行",
    "审批": "经负责人批准，制作决定书，载明措施、理由、依据、期限和救济途径",
    "实施": "现场实施措施，制作现场笔录并交当事人签字，清单一式二份",
    "处理决定": "在期限内查清事实，作出解除或者没收、销毁等处理决定",
    "制定计划": "按照“双随机、一公开”要求制定年度检查计划，随机抽取检查对象和执法人员",
    "现场检查": "出示执法证件，查阅资料、现场检查并制作检查笔录，由被检查单位签字确认",
    "结果处理": "检查结果依法公示；发现违法行为的责令改正或者立案查处",
    "评审": "组织评审，确定奖励对象和奖励标准，并予以公示",
    "奖励": "作出奖励决定，奖金直接发放至受奖励人账户，对举报人信息严格保密",
    "调查": "通知被申请人答辩，调查核实证据，必要时组织现场勘验",
    "调解": "在查明事实、分清是非的基础上先行调解，达成协议的制作调解书",
    "裁决": "调解不成的依法作出行政裁决书并送达当事人",
}
FLOW_BY_TYPE = {
    ItemType.LICENSING: ("申请", "受理", "审查", "决定", "送达"),
    ItemType.PENALTY: ("立案", "调查取证", "告知", "处罚决定", "送达", "执行"),
    ItemType.ENFORCEMENT: ("审批", "实施", "处理决定", "送达"),
    ItemType.LEVY: ("申请", "受理", "审核", "办结"),
    ItemType.BENEFIT: ("申请", "受理", "审核", "发放"),
    ItemType.INSPECTION: ("制定计划", "现场检查", "结果处理"),
    ItemType.CONFIRMATION: ("申请", "受理", "审查", "决定", "送达"),
    ItemType.REWARD: ("申请", "受理", "评审", "奖励"),
    ItemType.ADJUDICATION: ("申请", "受理", "调查", "调解", "裁决"),
    ItemType.OTHER_POWER: ("申请", "受理", "审核", "办结"),
    ItemType.PUBLIC_SERVICE: ("申请", "受理", "审核", "办结"),
}
IMMEDIATE_FLOW = ("申请", "受理", "办结")


def flow(*names: str, **custom: str) -> tuple[tuple[str, str], ...]:
    """Steps by name with their standard text; ``custom`` gives a step its own text."""
    return tuple((name, custom.get(name) or STEP_TEXT[name]) for name in names)


def steps_for(spec: ItemSpec) -> tuple[tuple[str, str], ...]:
    if spec.flow is not None:
        return spec.flow
    if spec.limits[1] == 0 and spec.type in (ItemType.CONFIRMATION, ItemType.PUBLIC_SERVICE,
                                             ItemType.OTHER_POWER, ItemType.LEVY):
        return flow(*IMMEDIATE_FLOW)
    return flow(*FLOW_BY_TYPE[spec.type])


# Enforcement is done to a party, not applied for: handled at the window, consultation only online.
ENFORCEMENT_TYPES = {ItemType.PENALTY, ItemType.ENFORCEMENT, ItemType.INSPECTION}
RESULT_BY_TYPE = {
    ItemType.PENALTY: "行政处罚决定书",
    ItemType.ENFORCEMENT: "查封（扣押）决定书及清单",
    ItemType.INSPECTION: "现场检查笔录及检查结果告知书",
    ItemType.ADJUDICATION: "行政裁决书",
    ItemType.REWARD: "奖励决定",
}


def guide_for(spec: ItemSpec, *, hall: str, department_window: str, office_hours: str,
              consult_phone: str, supervise_phone: str) -> dict:
    """The guide (as ``catalog.guide.clean_guide`` takes it) of ``spec`` in one region. Items of
    the 一窗受理 are accepted at the hall's 综合受理窗口, the others at the department's window."""
    enforcement = spec.type in ENFORCEMENT_TYPES
    single_window = (not enforcement) if spec.single_window is None else spec.single_window
    window = "综合受理窗口" if single_window else department_window
    if spec.depth is not None:
        depth = spec.depth
    elif enforcement:
        depth = OnlineDepth.CONSULT
    else:
        depth = OnlineDepth.ONLINE_RESULT if spec.visits == 0 else OnlineDepth.ONLINE_ACCEPT
    if spec.channels is not None:
        channels = spec.channels
    elif enforcement:
        channels = ("hall",)
    else:
        channels = ("pc", "mobile", "hall")
    return {
        "name": spec.name,
        "aliases": "、".join(spec.aliases),
        "audience": spec.audience,
        "legal_basis": spec.basis,
        "conditions": spec.conditions,
        "handling_kind": spec.handling_kind,
        "legal_time_limit": spec.limits[0],
        "promised_time_limit": spec.limits[1],
        "visits": spec.visits,
        "online_depth": depth,
        # Handling wholly online (网上办理 and deeper) asks for an account checked against the
        # population registry; lighter services take any registered account.
        "min_assurance_level": 2 if depth >= OnlineDepth.ONLINE_HANDLE else 1,
        "fees": [dict(fee) for fee in spec.fees],
        "location": spec.location or f"{hall}{window}",
        "office_hours": office_hours,
        "consult_phone": consult_phone,
        "supervise_phone": supervise_phone,
        "result_name": spec.result or RESULT_BY_TYPE.get(spec.type, ""),
        "result_licence_type": spec.licence,
        "process_steps": [{"name": name, "description": text} for name, text in steps_for(spec)],
        "channels": list(channels),
        "single_window": single_window,
        "commitment_allowed": spec.commitment,
        "form_definition": [dict(f) for f in (*base_form(spec.audience), *spec.form)],
        "materials": [dict(m) for m in spec.materials],
        "faqs": [{"question": q, "answer": a} for q, a in spec.faqs],
    }


def fee(name: str, amount: str, basis: str) -> dict:
    return {"name": name, "amount": amount, "basis": basis}

LICENSING, PENALTY, ENFORCEMENT = ItemType.LICENSING, ItemType.PENALTY, ItemType.ENFORCEMENT
LEVY, BENEFIT, INSPECTION = ItemType.LEVY, ItemType.BENEFIT, ItemType.INSPECTION
CONFIRMATION, REWARD, ADJUDICATION = ItemType.CONFIRMATION, ItemType.REWARD, ItemType.ADJUDICATION
OTHER_POWER, PUBLIC_SERVICE = ItemType.OTHER_POWER, ItemType.PUBLIC_SERVICE
