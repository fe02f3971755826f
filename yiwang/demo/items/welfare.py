"""民政、退役军人事务、残联和街道: 婚姻登记、社会救助、社会组织、优抚和助残、养老服务."""

from functools import partial

from ..spec import (
    ADDRESS,
    BANK_ACCOUNT,
    BENEFIT,
    CHILD,
    COMPANY,
    CONFIRMATION,
    DELIVERY,
    GOVERNMENT,
    HOUSEHOLD_REGISTER,
    ID_CARD,
    ID_PHOTO,
    LICENSING,
    MARRIAGE_CERT,
    OPTIONAL,
    OTHER,
    OTHER_POWER,
    PAPER,
    PUBLIC_SERVICE,
    SOCIAL_SECURITY_CARD,
    ItemSpec,
    application,
    choice,
    date,
    field,
    flow,
    issued,
    material,
    note,
    photos,
    premises,
    shared,
    text,
)

ASSISTANCE_LAW = "《社会救助暂行办法》"
BOTH_ID_CARDS = issued("男女双方居民身份证", "jmsfz", "公安机关", "原件，在有效期内")
DISABILITY_CARD = issued("残疾人证", "cjrz", "残疾人联合会", "第二代残疾人证，在有效期内")
HARDSHIP = note("hardship", "困难情况说明", required=True)
ASSISTANCE_FLOW = flow("申请", "受理", "审核", "公示", "发放",
                       审核="乡镇人民政府（街道办事处）入户调查，县级民政部门开展家庭经济状况信息核对")

marriage = partial(ItemSpec, dept="civil", type=CONFIRMATION, group="marriage", at="X",
                   limits=(0, 0), depth=3, topics=("marriage",),
                   location="县（市、区）婚姻登记处（全国通办，可在“吉事办”预约）")
assistance = partial(ItemSpec, dept="civil", type=BENEFIT, at="X", limits=(30, 20),
                     flow=ASSISTANCE_FLOW, topics=("social-assistance",))
organisation = partial(ItemSpec, dept="civil", type=LICENSING, at="PCX", audience=COMPANY,
                       limits=(60, 30), topics=("social-organizations",))
veterans = partial(ItemSpec, dept="veterans", at="X", topics=("military-service",))
disabled = partial(ItemSpec, dept="disabled", at="CX", topics=("disability",))
subdistrict = partial(ItemSpec, dept="subdistrict", at="T", national=False,
                      topics=("elderly-care",))

ITEMS = (
    marriage(
        key="marriage_registration", name="内地居民结婚登记",
        aliases=("领结婚证", "结婚证", "登记结婚"),
        basis="《中华人民共和国民法典》第一千零四十六条、第一千零四十七条：结婚年龄，男不得早于二十二"
              "周岁，女不得早于二十周岁。第一千零四十九条：要求结婚的男女双方应当亲自到婚姻登记机关申请"
              "结婚登记。《婚姻登记条例》。",
        conditions="男年满22周岁、女年满20周岁，双方完全自愿，均无配偶，且没有直系血亲和三代以内旁系"
                   "血亲关系；双方亲自到场，可在全国任一婚姻登记机关办理。",
        materials=(
            BOTH_ID_CARDS,
            material("无配偶以及与对方没有直系血亲和三代以内旁系血亲关系的签字声明", form=PAPER,
                     copies=2, standard="在婚姻登记员面前当场签署"),
            photos(3, "近期二寸双人半身免冠合影照片"),
        ),
        form=(text("partner_name", "对方姓名", length=50),
              field("partner_id", "对方居民身份证号", "id_number"),
              date("appointment_date", "预约登记日期")),
        result="结婚证", licence="jhz",
    ),
    marriage(
        key="divorce_registration", name="内地居民离婚登记", limits=(30, 30), visits=2,
        aliases=("办离婚", "协议离婚", "离婚证"),
        basis="《中华人民共和国民法典》第一千零七十六条：夫妻双方自愿离婚的，应当签订书面离婚协议，"
              "并亲自到婚姻登记机关申请离婚登记。第一千零七十七条：自婚姻登记机关收到离婚登记申请之日"
              "起三十日内，任何一方不愿意离婚的，可以向婚姻登记机关撤回离婚登记申请。",
        conditions="夫妻双方自愿离婚，对子女抚养、财产及债务处理等事项协商一致并签订书面离婚协议；"
                   "提交申请后有30日离婚冷静期，期满后30日内双方亲自到场申请发给离婚证，未申请的视为"
                   "撤回。",
        materials=(
            BOTH_ID_CARDS,
            MARRIAGE_CERT,
            material("离婚协议书", form=PAPER, copies=3,
                     standard="载明双方自愿离婚的意思表示以及子女抚养、财产和债务处理的协商结果"),
            photos(2, "双方各自近期二寸单人半身免冠照片"),
        ),
        form=(text("partner_name", "对方姓名", length=50),
              field("partner_id", "对方居民身份证号", "id_number")),
        result="离婚证", licence="lhz",
    ),
    marriage(
        key="marriage_certificate_replacement", name="补领婚姻登记证",
        aliases=("结婚证丢了", "补办结婚证", "补领离婚证"),
        basis="《婚姻登记条例》：结婚证、离婚证遗失或者损毁的，当事人可以持居民身份证向原办理婚姻登记的"
              "机关或者一方当事人常住户口所在地的婚姻登记机关申请补领。",
        conditions="结婚证、离婚证遗失或者损毁，且婚姻状况未发生变化；当事人亲自到场。",
        materials=(
            ID_CARD,
            photos(3, "近期二寸双人半身免冠合影照片（补领离婚证的为单人照片）"),
            material("婚姻登记档案证明", necessity=OPTIONAL, source=GOVERNMENT,
                     exempt="data:marriage", standard="全国婚姻登记信息系统可查的免予提交"),
        ),
        form=(choice("certificate", "补领证件", "结婚证", "离婚证"),),
        result="结婚证或离婚证", licence="jhz",
    ),
    assistance(
        key="minimum_living_allowance", name="最低生活保障审核确认",
        aliases=("低保", "申请低保", "低保金"),
        basis=f"{ASSISTANCE_LAW}第九条：国家对共同生活的家庭成员人均收入低于当地最低生活保障标准，且"
              "符合当地最低生活保障家庭财产状况规定的家庭，给予最低生活保障。第十一条。《最低生活保障"
              "审核确认办法》（民发〔2021〕57号）。",
        conditions="共同生活的家庭成员人均收入低于当地最低生活保障标准，且家庭财产状况符合规定；由家庭"
                   "成员之一向户籍所在地乡镇人民政府（街道办事处）申请，也可通过“吉事办”在线申请。",
        materials=(
            ID_CARD,
            HOUSEHOLD_REGISTER,
            application("最低生活保障申请书"),
            material("家庭经济状况声明及授权核对书", form=PAPER,
                     standard="共同生活的家庭成员签字，授权民政部门核对家庭收入和财产"),
            material("患病、残疾等特殊情况证明", necessity=OPTIONAL, standard="有则提交"),
        ),
        form=(field("family_size", "共同生活家庭人口数", "number"),
              field("monthly_income", "家庭月总收入（元）", "number"), HARDSHIP),
        result="最低生活保障审批决定",
    ),
    assistance(
        key="extreme_poverty_support", name="特困人员救助供养", aliases=("五保", "特困供养"),
        basis=f"{ASSISTANCE_LAW}第十四条：国家对无劳动能力、无生活来源且无法定赡养、抚养、扶养义务人，"
              "或者其法定赡养、抚养、扶养义务人无赡养、抚养、扶养能力的老年人、残疾人以及未满16周岁的"
              "未成年人，给予特困人员供养。《特困人员认定办法》（民发〔2021〕43号）。",
        conditions="同时具备无劳动能力、无生活来源、无法定义务人或者法定义务人无履行义务能力的本地户籍"
                   "老年人、残疾人和未成年人；可以选择在家分散供养或者在供养服务机构集中供养。",
        materials=(
            ID_CARD,
            HOUSEHOLD_REGISTER,
            application("特困人员救助供养申请书"),
            material("劳动能力、生活来源和法定义务人情况说明", standard="如实填写，本人或代理人签字"),
            issued("残疾人证", "cjrz", "残疾人联合会", "因残疾申请的提交", necessity=OPTIONAL),
        ),
        form=(choice("support_mode", "供养方式", "分散供养", "集中供养"), HARDSHIP),
        result="特困人员救助供养审批决定", topics=("social-assistance", "elderly-care"),
    ),
    assistance(
        key="temporary_assistance", name="临时救助", limits=(15, 10),
        aliases=("临时困难救助", "急难救助"),
        basis=f"{ASSISTANCE_LAW}第四十七条：国家对因火灾、交通事故等意外事件，家庭成员突发重大疾病等"
              "原因，导致基本生活暂时出现严重困难的家庭……给予临时救助。第四十八条。",
        conditions="因意外事件、突发重大疾病等导致基本生活暂时出现严重困难的家庭，或者因生活必需支出"
                   "突然增加超出承受能力、基本生活暂时出现严重困难的最低生活保障家庭。",
        materials=(
            ID_CARD,
            HOUSEHOLD_REGISTER,
            application("临时救助申请书"),
            material("困难情况证明", standard="医疗费用票据、事故证明等能证明困难情况的材料"),
        ),
        form=(choice("hardship_type", "困难类型", "急难型", "支出型"),
              field("amount_requested", "申请救助金额（元）", "number", required=False), HARDSHIP),
        result="临时救助审批决定",
    ),
    organisation(
        key="social_organization", name="社会团体成立登记", aliases=("成立协会", "社团登记", "商会登记"),
        basis="《社会团体登记管理条例》第三条：成立社会团体，应当经其业务主管单位审查同意，并依照本条例"
              "的规定进行登记。第十条。",
        conditions="有50个以上的个人会员或者30个以上的单位会员；有规范的名称和相应的组织机构、固定的"
                   "住所和与业务活动相适应的专职工作人员；地方性社会团体有3万元以上活动资金；有独立承担"
                   "民事责任的能力。",
        materials=(
            application("社会团体成立登记申请书"),
            material("业务主管单位批准文件", necessity=OPTIONAL, source=GOVERNMENT,
                     standard="依法需要业务主管单位的提交；直接登记的行业协会商会等免予提交"),
            material("验资报告和住所使用证明", standard="活动资金不少于3万元"),
            material("发起人和拟任负责人的基本情况及身份证明", standard="负责人无刑事处罚记录"),
            material("章程草案", standard="经会员大会或者会员代表大会通过"),
        ),
        form=(text("org_name", "拟成立社会团体名称"), field("members", "会员数量", "number")),
        result="社会团体法人登记证书", licence="sttfrdjzs",
    ),
    organisation(
        key="social_service_agency", name="社会服务机构（民办非企业单位）成立登记",
        aliases=("民非登记", "社会服务机构登记", "民办机构登记"),
        basis="《民办非企业单位登记管理暂行条例》第三条、第八条。",
        conditions="经业务主管单位审查同意；有规范的名称、必要的组织机构；有与其业务活动相适应的从业"
                   "人员和合法财产；有必要的场所。",
        materials=(
            application("社会服务机构成立登记申请书"),
            material("业务主管单位批准文件", source=GOVERNMENT, standard="原件"),
            premises("场所使用权证明"),
            material("验资报告", standard="开办资金与业务规模相适应"),
            material("拟任负责人身份证明和章程草案", standard="章程符合示范文本要求"),
        ),
        form=(text("org_name", "拟成立机构名称"),
              choice("field", "业务领域", "教育", "养老", "卫生", "文化", "体育", "社会服务")),
        result="民办非企业单位登记证书", licence="mbfqydwdjzs",
    ),
    ItemSpec(
        key="elderly_care_filing", dept="civil", type=OTHER_POWER, at="CX", audience=COMPANY,
        name="养老机构备案", aliases=("养老院备案", "养老机构设立"),
        basis="《中华人民共和国老年人权益保障法》第四十三条；《养老机构管理办法》（民政部令第66号）。",
        conditions="已依法办理法人登记的养老机构，在收住老年人后10个工作日内向民政部门备案；备案不是"
                   "许可，备案后接受民政部门的监督检查。",
        materials=(
            application("养老机构备案书"),
            issued("法人登记证书或营业执照", "yyzz", "登记管理机关"),
            premises("服务场所使用证明"),
            material("符合建筑、消防、食品安全、医疗卫生等要求的承诺书",
                     standard="法定代表人签字，加盖公章"),
        ),
        form=(text("facility_name", "养老机构名称"), field("beds", "床位数", "number")),
        limits=(0, 0), visits=0, depth=6, result="养老机构备案回执", topics=("elderly-care",),
    ),
    ItemSpec(
        key="charity_recognition", dept="civil", type=CONFIRMATION, at="PC", audience=COMPANY,
        name="慈善组织认定", aliases=("慈善组织", "公益组织认定"),
        basis="《中华人民共和国慈善法》第十条：已经设立的基金会、社会团体、社会服务机构等非营利性组织，"
              "可以向办理其登记的民政部门申请认定为慈善组织，民政部门应当自受理申请之日起二十日内作出"
              "决定。",
        conditions="以开展慈善活动为宗旨，不以营利为目的；有自己的名称和住所、组织章程、必要的财产和"
                   "符合条件的组织机构与负责人。",
        materials=(
            application("慈善组织认定申请书"),
            issued("登记证书", "sttfrdjzs", "民政部门", "正本或副本原件"),
            material("章程", standard="载明慈善宗旨和剩余财产处置规则"),
            material("符合慈善组织条件的说明", standard="含近两年的财务审计报告"),
        ),
        limits=(20, 15), result="慈善组织认定决定", topics=("social-organizations",),
    ),
    veterans(
        key="veterans_card", type=PUBLIC_SERVICE, at="CX", name="退役军人优待证申领",
        aliases=("优待证", "退役军人证"), visits=0, depth=6, limits=(30, 20),
        basis="《中华人民共和国退役军人保障法》；《退役军人、其他优抚对象优待证管理办法（试行）》。",
        conditions="退役军人和烈士遗属、因公牺牲军人遗属、病故军人遗属等其他优抚对象，在户籍地申领，"
                   "凭证享受交通、文化和旅游、金融等优待。",
        materials=(
            ID_CARD,
            material("退役证件或者优抚对象身份证明", source=GOVERNMENT, exempt="data:veteran",
                     standard="信息已采集的免予提交"),
            ID_PHOTO,
        ),
        form=(choice("category", "申领人类别", "退役军人", "烈士遗属", "因公牺牲军人遗属",
                     "病故军人遗属"), DELIVERY),
        result="中华人民共和国退役军人优待证", licence="yydz",
    ),
    veterans(
        key="disabled_veteran_pension", type=BENEFIT, name="残疾军人抚恤金发放",
        aliases=("伤残抚恤", "残疾军人抚恤金"), limits=(20, 10),
        basis="《军人抚恤优待条例》。",
        conditions="经评定伤残等级的残疾军人（含退役），按照伤残等级和性质享受残疾抚恤金，由户籍地退役"
                   "军人事务部门发放；伤残抚恤关系转入后次月起发放。",
        materials=(issued("中华人民共和国残疾军人证", "cjjrz", "退役军人事务部门"), ID_CARD,
                   BANK_ACCOUNT),
    ),
    veterans(
        key="demobilization_grant", type=BENEFIT, name="自主就业退役士兵一次性经济补助",
        aliases=("退役补助", "一次性经济补助"), limits=(30, 15),
        basis="《中华人民共和国退役军人保障法》；《退役士兵安置条例》。",
        conditions="选择自主就业的退役士兵，由安置地县级人民政府按照省级人民政府规定的标准发放一次性"
                   "经济补助。",
        materials=(shared("退出现役证件", "veteran", "部队",
                          "原件；退役军人事务部门已接收退役信息的免予提交"),
                   ID_CARD, BANK_ACCOUNT),
        topics=("military-service", "employment"),
    ),
    veterans(
        key="martyr_evaluation", type=CONFIRMATION, at="P", name="烈士评定",
        aliases=("评定烈士", "烈士证书"), limits=(60, 45),
        basis="《烈士褒扬条例》第八条。",
        conditions="公民在依法查处违法犯罪行为、执行国家安全工作任务、执行反恐怖任务和处置突发事件中"
                   "牺牲，或者抢险救灾以及为了抢救、保护国家财产、集体财产、公民生命财产牺牲等情形；"
                   "由县级人民政府退役军人事务部门调查核实后逐级上报，省级人民政府评定。",
        materials=(
            application("烈士评定报告"),
            material("牺牲情节的证明材料", standard="事故调查结论、证人证言等"),
            material("死亡证明", source=OTHER, source_note="医疗机构或公安机关", standard="原件"),
            issued("遗属居民身份证和户口簿", "jmsfz", "公安机关"),
        ),
        result="烈士证书", licence="lszs", topics=("military-service", "bereavement"),
    ),
    disabled(
        key="disability_card", type=PUBLIC_SERVICE, name="残疾人证核发", limits=(30, 20),
        visits=2, aliases=("残疾证", "办残疾证", "残疾评定"),
        basis="《中华人民共和国残疾人保障法》；《中华人民共和国残疾人证管理办法》。",
        conditions="视力、听力、言语、肢体、智力、精神残疾，经残联指定的评定机构评定符合残疾标准的"
                   "人员；新办实行“跨省通办”，可在户籍地或者居住地申请。",
        materials=(
            ID_CARD,
            HOUSEHOLD_REGISTER,
            photos(2, "近期二寸白底免冠彩色照片"),
            application("残疾人证申请表"),
        ),
        form=(choice("disability_category", "残疾类别", "视力", "听力", "言语", "肢体", "智力",
                     "精神", "多重"), DELIVERY),
        flow=flow("申请", "受理", "审核", "决定", "送达",
                  审核="到指定评定机构进行残疾评定，评定结果报县级残联审核"),
        result="中华人民共和国残疾人证", licence="cjrz",
    ),
    disabled(
        key="assistive_device_subsidy", type=BENEFIT, name="残疾人辅助器具适配补贴",
        aliases=("辅具补贴", "轮椅补贴", "助听器补贴"), limits=(20, 10),
        basis="《中华人民共和国残疾人保障法》；《国务院关于加快推进残疾人小康进程的意见》"
              "（国发〔2015〕7号）。",
        conditions="持有残疾人证的本地户籍残疾人，经辅助器具适配评估需要配置基本型辅助器具的，按规定"
                   "给予适配补贴。",
        materials=(
            DISABILITY_CARD,
            material("辅助器具适配评估意见", source=OTHER, source_note="辅助器具服务机构",
                     standard="近6个月内出具"),
            material("购买或适配票据", standard="发票原件或电子发票"),
            BANK_ACCOUNT,
        ),
        form=(choice("device", "辅助器具", "轮椅", "助听器", "假肢", "矫形器", "助行器", "其他"),),
    ),
    disabled(
        key="child_rehabilitation", type=BENEFIT, name="残疾儿童康复救助",
        aliases=("孤独症康复", "残疾儿童康复", "康复救助"), limits=(15, 10),
        basis="《国务院关于建立残疾儿童康复救助制度的意见》（国发〔2018〕20号）。",
        conditions="符合条件的0-6岁视力、听力、言语、肢体、智力等残疾儿童和孤独症儿童，在定点康复机构"
                   "接受手术、辅助器具配置和康复训练等服务的，按规定给予救助。",
        materials=(
            application("残疾儿童康复救助申请审批表"),
            HOUSEHOLD_REGISTER,
            # The child's certificate, not the applying guardian's: no licence of the applicant's.
            material("医疗诊断证明或者残疾人证", source=OTHER, source_note="二级及以上医疗机构",
                     standard="已办理残疾人证的可提交残疾人证代替诊断证明"),
            issued("监护人居民身份证", "jmsfz", "公安机关"),
        ),
        form=(*CHILD, choice("service", "康复服务", "康复训练", "手术", "辅助器具适配")),
        topics=("disability", "birth"),
    ),
    disabled(
        key="disabled_employment_review", type=CONFIRMATION, at="PCX", audience=COMPANY,
        name="用人单位安排残疾人就业情况审核", limits=(10, 5), visits=0, depth=6,
        aliases=("残疾人按比例就业", "残保金审核", "按比例就业年审"),
        basis="《残疾人就业条例》第八条：用人单位应当按照一定比例安排残疾人就业……用人单位安排残疾人就业"
              "的比例不得低于本单位在职职工总数的1.5%。《残疾人就业保障金征收使用管理办法》。",
        conditions="在本地依法登记的用人单位，每年申报上年度安排残疾人就业情况，经残疾人就业服务机构审核"
                   "确认后作为计算残疾人就业保障金的依据；省直单位向省残联申报。",
        materials=(
            application("用人单位安排残疾人就业情况申报表"),
            # The employees' certificates, not the employer's: no licence of the applicant's replaces them.
            material("残疾职工的残疾人证", source=GOVERNMENT, source_note="残疾人联合会",
                     standard="第二代残疾人证，在有效期内"),
            material("劳动合同和社会保险缴费记录", exempt="data:social_insurance",
                     standard="残疾职工在本单位参保的由系统核验"),
            material("工资发放记录", standard="不低于当地最低工资标准"),
        ),
        form=(field("employees", "在职职工人数", "number"),
              field("disabled_employees", "安排残疾人就业人数", "number")),
        result="安排残疾人就业情况审核确认结果", topics=("disability", "hiring", "taxation"),
    ),
    subdistrict(
        key="senior_card", type=PUBLIC_SERVICE, name="老年人优待证办理",
        aliases=("老年证", "老年人优待卡"), limits=(0, 0), visits=0, depth=7,
        basis="《中华人民共和国老年人权益保障法》第五章“社会优待”。",
        conditions="年满60周岁的本地户籍老年人和常住本地的非本地户籍老年人，凭证享受公共交通、公园"
                   "景区等优待；可由子女在线代办。",
        materials=(ID_CARD, ID_PHOTO),
        form=(ADDRESS,),
        result="老年人优待证", licence="lnryyz", topics=("elderly-care", "retirement"),
    ),
    subdistrict(
        key="longevity_allowance", type=BENEFIT, name="80周岁以上老年人高龄津贴申领",
        aliases=("高龄补贴", "老人补贴", "80岁补贴"), limits=(20, 10), visits=0, depth=6,
        basis="《中华人民共和国老年人权益保障法》第三十三条：国家鼓励地方建立八十周岁以上低收入老年人"
              "高龄津贴制度。",
        conditions="年满80周岁的本地户籍老年人，按年龄段按月发放高龄津贴，标准按本市规定执行；年满"
                   "80周岁的次月起发放。",
        materials=(ID_CARD, HOUSEHOLD_REGISTER, SOCIAL_SECURITY_CARD),
        form=(date("birth_date", "出生日期"), ADDRESS),
    ),
    subdistrict(
        key="emergency_relief", type=BENEFIT, name="临时救助小额先行救助",
        aliases=("急难救助", "先行救助"), limits=(5, 3), national=True,
        basis=f"{ASSISTANCE_LAW}第四十八条：救助金额较小的，县级人民政府民政部门可以委托乡镇人民政府、"
              "街道办事处审批。",
        conditions="遭遇急难、生活陷入困境的家庭和个人，由街道办事处在受委托的额度内先行救助，事后补齐"
                   "审核手续；超过额度的转区民政局审批。",
        materials=(ID_CARD, application("临时救助申请书"),
                   material("困难情况证明", necessity=OPTIONAL, standard="情况紧急的可以事后补充")),
        form=(HARDSHIP,),
        topics=("social-assistance",),
    ),
)
