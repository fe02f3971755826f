"""司法行政和政务服务管理: 法律援助、律师公证调解和鉴定，“一件事”集成办理和好差评."""

from functools import partial

from ..spec import (
    COMPANY,
    DELIVERY,
    GOVERNMENT,
    HOUSEHOLD_REGISTER,
    ID_CARD,
    LEGAL_REP_ID,
    LICENSING,
    OPTIONAL,
    OTHER,
    PUBLIC_SERVICE,
    TOLERATED,
    ItemSpec,
    application,
    choice,
    date,
    issued,
    material,
    note,
    premises,
    text,
)

ONE_THING_BASIS = ("《国务院关于进一步优化政务服务提升行政效能推动“高效办成一件事”的指导意见》"
                   "（国发〔2024〕3号）")
CASE = note("case", "案情简述", required=True)

justice = partial(ItemSpec, dept="justice", topics=("legal-services",))
one_thing = partial(ItemSpec, dept="government_services", type=PUBLIC_SERVICE, at="CX",
                    national=False, visits=0, depth=7)

ITEMS = (
    justice(
        key="legal_aid", type=PUBLIC_SERVICE, at="CX", name="法律援助",
        aliases=("免费律师", "法律援助申请", "讨薪援助"), limits=(7, 3), visits=0, depth=5,
        basis="《中华人民共和国法律援助法》第三十八条；第四十三条：法律援助机构应当自收到法律援助申请"
              "之日起七日内进行审查，作出是否给予法律援助的决定。",
        conditions="因经济困难没有委托代理人的公民，就请求国家赔偿、请求给予社会保险待遇或者社会救助、"
                   "请求支付劳动报酬等事项申请法律援助；特困人员、低保对象等免予核查经济困难状况。",
        materials=(
            ID_CARD,
            application("法律援助申请表"),
            material("经济困难状况说明表", standard="申请人如实填写并签字承诺"),
            material("与所申请法律援助事项有关的材料", standard="劳动合同、工资条、判决书等"),
        ),
        form=(choice("matter", "援助事项", "劳动报酬", "工伤赔偿", "婚姻家庭", "交通事故", "其他"),
              CASE),
        result="给予法律援助决定书",
    ),
    justice(
        key="lawyer_licence", type=LICENSING, at="P", name="律师执业许可",
        aliases=("律师证", "律师执业证"), limits=(30, 20),
        basis="《中华人民共和国律师法》第五条、第六条：受理申请的部门应当自受理之日起二十日内予以审查，"
              "并将审查意见和全部申请材料报送省、自治区、直辖市人民政府司法行政部门……应当自收到报送材料"
              "之日起十日内予以审核，作出是否准予执业的决定。",
        conditions="拥护中华人民共和国宪法；通过国家统一法律职业资格考试取得法律职业资格；在律师事务所"
                   "实习满一年；品行良好。",
        materials=(
            application("律师执业申请书"),
            material("法律职业资格证书", source=GOVERNMENT, standard="A类法律职业资格"),
            material("律师协会出具的实习考核合格意见", source=OTHER, source_note="律师协会",
                     standard="实习期满一年"),
            material("拟执业律师事务所同意接收的证明", standard="加盖律师事务所印章"),
            ID_CARD,
        ),
        form=(text("law_firm", "拟执业律师事务所"),),
        result="律师执业证", licence="lszyz", topics=("legal-services", "employment"),
    ),
    justice(
        key="notarization", type=PUBLIC_SERVICE, at="C", name="涉外民事公证办理",
        aliases=("办公证", "涉外公证", "出国公证"), limits=(15, 7),
        basis="《中华人民共和国公证法》第二十五条；第三十条：公证机构经审查，认为申请提供的证明材料真实、"
              "合法、充分，申请公证的事项真实、合法的，应当自受理公证申请之日起十五个工作日内向当事人出具"
              "公证书。",
        conditions="自然人、法人或者其他组织申请办理出生、学历、无犯罪记录等涉外民事公证，可以向住所地、"
                   "经常居住地、行为地或者事实发生地的公证机构提出；公证费按本省规定的标准收取。",
        materials=(
            ID_CARD,
            application("公证申请表"),
            material("需公证的文书或者证明材料", standard="原件，与申请公证的事项相关"),
            material("使用地对文书的要求说明", necessity=OPTIONAL, standard="有翻译、认证要求的提交"),
        ),
        form=(choice("notary_type", "公证事项", "出生", "学历学位", "无犯罪记录", "亲属关系", "经历",
                     "其他"),
              text("destination", "使用地（国家或地区）", length=50)),
        location="公证机构（可通过“吉事办”在线申办）", result="公证书",
        topics=("legal-services", "exit-entry"),
    ),
    justice(
        key="people_mediation", type=PUBLIC_SERVICE, at="X", name="人民调解",
        aliases=("纠纷调解", "邻里纠纷调解"), limits=(30, 15), depth=3,
        basis="《中华人民共和国人民调解法》第四条：人民调解委员会调解民间纠纷，不收取任何费用。第十七条："
              "当事人可以向人民调解委员会申请调解。",
        conditions="当事人之间的民间纠纷，一方或者双方申请调解；一方明确拒绝调解的，不得调解。",
        materials=(ID_CARD, application("人民调解申请书"),
                   material("纠纷相关证据材料", necessity=OPTIONAL, standard="有则提交")),
        form=(text("respondent", "对方当事人", length=50),
              choice("dispute", "纠纷类型", "邻里纠纷", "婚姻家庭", "物业纠纷", "劳动争议", "其他"),
              CASE),
        result="人民调解协议书",
    ),
    justice(
        key="forensic_registration", type=LICENSING, at="P", audience=COMPANY, name="司法鉴定机构登记",
        aliases=("司法鉴定所设立", "司法鉴定许可"), limits=(30, 20),
        basis="《全国人民代表大会常务委员会关于司法鉴定管理问题的决定》第五条；《司法鉴定机构登记管理"
              "办法》（司法部令第95号）。",
        conditions="有明确的业务范围；有在业务范围内进行司法鉴定所必需的仪器、设备和依法通过计量认证或者"
                   "实验室认可的检测实验室；每项司法鉴定业务有三名以上鉴定人。",
        materials=(
            application("司法鉴定机构登记申请表"),
            material("组织章程和管理制度", standard="含执业、质量管理和收费制度"),
            material("仪器设备和实验室资质认定证明", standard="在有效期内"),
            material("鉴定人名单及执业资格证明", standard="每项业务三名以上"),
            premises("住所证明", "不动产权证书或租赁合同；容缺的在现场评审前补齐",
                     necessity=TOLERATED),
        ),
        form=(text("institution_name", "机构名称"),
              choice("field", "主要业务", "法医类", "物证类", "声像资料", "环境损害")),
        result="司法鉴定许可证", licence="sfjdxkz", topics=("legal-services", "operating-permits"),
    ),
    ItemSpec(
        key="service_complaint", dept="government_services", type=PUBLIC_SERVICE, at="PCX",
        name="政务服务差评和投诉处理", aliases=("投诉", "差评", "好差评", "办事投诉"),
        basis="《国务院办公厅关于建立政务服务“好差评”制度提高政务服务水平的意见》（国办发〔2019〕"
              "51号）。",
        conditions="办事企业和群众对政务服务不满意的，可以通过评价器、“吉事办”、12345热线等渠道评价或者"
                   "投诉；差评和投诉实行“一事一回访”，实名差评在规定时限内整改反馈。",
        materials=(
            material("投诉人身份证明", necessity=OPTIONAL, source=GOVERNMENT, exempt="licence:jmsfz",
                     standard="实名投诉的提交，也可以匿名评价"),
            material("办事过程相关证据", necessity=OPTIONAL, standard="办件编号、照片、录音等"),
        ),
        form=(text("case_number", "相关办件编号", required=False, length=50),
              note("complaint", "投诉内容", required=True)),
        limits=(10, 5), visits=0, depth=6, result="投诉处理答复",
        topics=("service-evaluation",),
    ),
    one_thing(
        key="business_startup_package", name="企业开办一件事", audience=COMPANY, limits=(1, 1),
        aliases=("企业开办", "开办企业一件事", "一网通办开公司"),
        basis=f"{ONE_THING_BASIS}；《优化营商环境条例》。",
        conditions="新开办企业在企业开办一网通办平台一次提交信息，同步完成营业执照、公章刻制、涉税信息"
                   "确认和发票领用、员工参保登记、住房公积金缴存登记和银行预约开户，一个工作日内办结，"
                   "首套印章免费刻制。",
        materials=(
            application("企业开办一件事申请表"),
            LEGAL_REP_ID,
            material("公司章程", standard="全体股东签署（盖章）"),
            material("住所（经营场所）申报承诺书", standard="对住所真实性作出承诺"),
        ),
        form=(text("proposed_name", "拟设立企业名称"),
              choice("services", "同步办理事项", "全部事项", "营业执照、印章和发票"),
              text("bank", "预约开户银行", required=False, length=50)),
        result="营业执照、印章、发票和社保公积金登记信息", licence="yyzz",
        topics=("start-business", "one-thing"),
    ),
    one_thing(
        key="newborn_package", name="新生儿出生一件事", limits=(5, 5),
        aliases=("出生一件事", "宝宝出生", "新生儿办证"),
        basis=f"{ONE_THING_BASIS}。",
        conditions="新生儿父母通过“吉事办”一次申请，同步办理出生医学证明、预防接种证、户口登记、城乡居民"
                   "医保参保登记和社会保障卡申领，材料一次提交、结果统一送达。",
        materials=(
            issued("父母双方居民身份证", "jmsfz", "公安机关"),
            HOUSEHOLD_REGISTER,
            issued("父母结婚证", "jhz", "民政部门", "有则提交", necessity=OPTIONAL),
            material("新生儿照片", necessity=OPTIONAL, standard="申领社会保障卡时使用，白底免冠"),
        ),
        form=(text("baby_name", "新生儿姓名", length=20), date("birth_date", "出生日期"),
              choice("follow", "落户方式", "随父落户", "随母落户"), DELIVERY),
        result="出生医学证明、户口簿、医保参保信息和社会保障卡", topics=("birth", "one-thing"),
    ),
)
