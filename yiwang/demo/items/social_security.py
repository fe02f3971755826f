"""人社和医保: 就业、社会保险、劳动保障监察，医疗保险和医疗救助."""

from functools import partial

from ..spec import (
    BANK_ACCOUNT,
    BENEFIT,
    BOTH,
    BUSINESS_LICENCE,
    COMPANY,
    CONFIRMATION,
    DELIVERY,
    GOVERNMENT,
    HEARING,
    HOUSEHOLD_REGISTER,
    ID_CARD,
    ID_PHOTO,
    INSPECTION,
    LICENSING,
    OPTIONAL,
    OTHER,
    PENALTY,
    PROXY,
    PUBLIC_SERVICE,
    SOCIAL_SECURITY_CARD,
    STATEMENT,
    TOLERATED,
    ItemSpec,
    application,
    choice,
    date,
    field,
    issued,
    material,
    note,
    premises,
    shared,
    statement,
    text,
)

SOCIAL_INSURANCE_LAW = "《中华人民共和国社会保险法》"
hrss = partial(ItemSpec, dept="hrss", at="CX")
online = partial(hrss, visits=0, depth=6)
medical = partial(ItemSpec, dept="medical", at="CX", visits=0, depth=6)


def transferred_record(what: str, registry: str) -> dict:
    """The contribution record the former region uploads: nothing to carry by hand."""
    return shared(f"{what}参保缴费凭证", registry, "转出地经办机构",
                  "转出地已通过全国平台上传的免予提交")


ITEMS = (
    online(
        key="employee_insurance_registration", type=PUBLIC_SERVICE, name="职工社会保险参保登记",
        audience=COMPANY, limits=(0, 0), aliases=("社保增员", "单位参保", "员工上社保"),
        basis=f"{SOCIAL_INSURANCE_LAW}第五十八条：用人单位应当自用工之日起三十日内为其职工向社会保险"
              "经办机构申请办理社会保险登记。",
        conditions="用人单位新招用职工的，自用工之日起30日内办理参保登记（增员）；新设立单位的社会"
                   "保险登记已在企业开办时一并完成。",
        materials=(
            BUSINESS_LICENCE,
            material("职工名册及劳动合同", standard="载明用工起始日期，与申报信息一致"),
            material("职工居民身份证信息", source=GOVERNMENT, standard="职工姓名和居民身份证号码准确"),
        ),
        form=(text("employee_name", "职工姓名", length=50),
              field("employee_id", "职工居民身份证号", "id_number"), date("start_date", "用工日期")),
        result="参保登记信息", topics=("hiring", "start-business", "social-security"),
    ),
    online(
        key="resident_pension_registration", type=PUBLIC_SERVICE, at="X", limits=(0, 0),
        name="城乡居民基本养老保险参保登记", aliases=("城乡居民养老保险", "居民社保", "农村养老保险"),
        basis=f"{SOCIAL_INSURANCE_LAW}第二十条、第二十二条；《国务院关于建立统一的城乡居民基本养老保险"
              "制度的意见》（国发〔2014〕8号）。",
        conditions="年满16周岁（不含在校学生），非国家机关和事业单位工作人员，且不属于职工基本养老"
                   "保险覆盖范围的城乡居民，在户籍地参保，按年选择缴费档次。",
        materials=(ID_CARD, HOUSEHOLD_REGISTER),
        form=(choice("contribution_level", "年缴费档次（元）", "200", "300", "500", "1000", "2000",
                     "3000"),),
        result="参保登记信息", topics=("social-security", "retirement"),
    ),
    online(
        key="pension_claim", type=BENEFIT, name="企业职工基本养老保险待遇申领（退休）",
        aliases=("办退休", "退休手续", "养老金申领", "领养老金"),
        basis=f"{SOCIAL_INSURANCE_LAW}第十六条：参加基本养老保险的个人，达到法定退休年龄时累计缴费满"
              "十五年的，按月领取基本养老金。《全国人民代表大会常务委员会关于实施渐进式延迟法定退休"
              "年龄的决定》；《国务院关于完善企业职工基本养老保险制度的决定》（国发〔2005〕38号）。",
        conditions="达到法定退休年龄且累计缴费满最低缴费年限（自2030年起由15年逐步提高至20年）；"
                   "符合条件的可以按规定弹性提前或者延迟退休。",
        materials=(
            ID_CARD,
            application("基本养老保险待遇申领表"),
            SOCIAL_SECURITY_CARD,
            material("出生时间和参加工作时间认定材料", necessity=OPTIONAL,
                     standard="档案记载与身份证件不一致时，以档案最先记载为准"),
        ),
        form=(date("retirement_date", "拟退休日期"),
              choice("retirement_type", "退休类型", "正常退休", "弹性提前退休", "弹性延迟退休")),
        limits=(20, 10), result="基本养老金核定表", topics=("retirement", "social-security"),
    ),
    online(
        key="unemployment_benefit", type=BENEFIT, name="失业保险金申领", limits=(10, 0),
        aliases=("失业金", "领失业金", "失业补助"),
        basis=f"{SOCIAL_INSURANCE_LAW}第四十五条：失业人员符合下列条件的，从失业保险基金中领取失业"
              "保险金：（一）失业前用人单位和本人已经缴纳失业保险费满一年的；（二）非因本人意愿中断"
              "就业的；（三）已经进行失业登记，并有求职要求的。《失业保险条例》第十四条。",
        conditions="失业前用人单位和本人已缴纳失业保险费满一年，非因本人意愿中断就业，已进行失业登记"
                   "并有求职要求；领取期间同时享受职工基本医疗保险待遇。",
        materials=(
            ID_CARD,
            material("解除或者终止劳动关系的证明", exempt="data:labour_termination",
                     standard="用人单位已在线报送的免予提交"),
            SOCIAL_SECURITY_CARD,
        ),
        form=(date("separation_date", "离职日期"),
              choice("separation_reason", "离职原因", "劳动合同期满终止", "用人单位解除",
                     "用人单位破产、关闭", "其他非本人意愿")),
        result="失业保险金核定结果", topics=("employment", "social-security"),
    ),
    online(
        key="employment_registration", type=PUBLIC_SERVICE, name="就业创业证申领（就业失业登记）",
        limits=(0, 0), depth=7, aliases=("失业登记", "就业登记", "就业证"),
        basis="《中华人民共和国就业促进法》；《就业服务与就业管理规定》（劳动和社会保障部令第28号）。",
        conditions="法定劳动年龄内、有劳动能力和就业要求、处于无业状态的城乡劳动者可以办理失业登记，"
                   "就业后办理就业登记；登记信息记载于《就业创业证》，可凭证享受就业创业扶持政策。",
        materials=(ID_CARD,
                   material("就业或者失业情况说明", necessity=OPTIONAL,
                            standard="灵活就业的提交从业情况说明")),
        form=(choice("registration_type", "登记类型", "失业登记", "就业登记"),),
        result="就业创业证", licence="jycyz", topics=("employment",),
    ),
    hrss(
        key="work_injury_recognition", type=CONFIRMATION, name="工伤认定",
        aliases=("工伤申报", "认定工伤"),
        basis="《工伤保险条例》第十七条：职工发生事故伤害或者按照职业病防治法规定被诊断、鉴定为职业病，"
              "所在单位应当自事故伤害发生之日或者被诊断、鉴定为职业病之日起30日内，向统筹地区社会保险"
              "行政部门提出工伤认定申请。第二十条：社会保险行政部门应当自受理工伤认定申请之日起60日内"
              "作出工伤认定的决定。",
        conditions="用人单位在30日内提出申请；用人单位未提出的，工伤职工或者其近亲属、工会组织在事故"
                   "伤害发生之日或者被诊断、鉴定为职业病之日起1年内可以直接提出。",
        materials=(
            application("工伤认定申请表"),
            material("与用人单位存在劳动关系的证明", exempt="data:insured_person",
                     standard="劳动合同或者事实劳动关系证明"),
            material("医疗诊断证明或者职业病诊断证明书", source=OTHER, source_note="医疗机构",
                     standard="加盖医疗机构印章"),
            issued("受伤害职工居民身份证", "jmsfz", "公安机关"),
            material("事故调查报告或者证人证言", necessity=OPTIONAL, standard="有则提交"),
        ),
        form=(text("employer", "用人单位名称"), date("injury_date", "受伤害日期"),
              note("accident", "事故经过", required=True)),
        limits=(60, 30), result="认定工伤决定书", topics=("employment", "social-security"),
    ),
    hrss(
        key="work_injury_benefit", type=BENEFIT, at="C", name="工伤保险待遇申领",
        aliases=("工伤赔偿", "工伤报销", "伤残津贴"),
        basis="《工伤保险条例》第三十条、第三十五条至第三十九条。",
        conditions="经认定为工伤或者视同工伤的职工，按规定享受工伤医疗费、一次性伤残补助金、伤残津贴、"
                   "一次性工亡补助金等待遇；需要评定伤残等级的，先进行劳动能力鉴定。",
        materials=(
            material("认定工伤决定书", source=GOVERNMENT, standard="原件，与受伤职工信息一致"),
            material("劳动能力鉴定结论书", necessity=OPTIONAL, source=GOVERNMENT,
                     standard="申领伤残待遇的提交"),
            material("医疗费用票据及费用清单", form=BOTH, source=OTHER, source_note="医疗机构",
                     standard="原件或医疗电子票据"),
            SOCIAL_SECURITY_CARD,
        ),
        form=(choice("benefit", "申领待遇", "工伤医疗费", "一次性伤残补助金", "伤残津贴",
                     "一次性工亡补助金"),),
        limits=(20, 10), topics=("social-security",),
    ),
    online(
        key="social_security_card", type=PUBLIC_SERVICE, name="社会保障卡申领",
        aliases=("办社保卡", "社保卡补办", "电子社保卡"),
        faqs=(
            ("社保卡办好以后多久能拿到？",
             "在合作银行网点申领的可即时制卡、当场领取；网上申领选择邮寄的，一般5个工作日内寄出。"),
            ("社保卡的金融功能怎么激活？",
             "携带社会保障卡和居民身份证到发卡银行任一网点激活，或在银行手机应用中按提示激活。"),
        ),
        basis=f"{SOCIAL_INSURANCE_LAW}第五十八条第三款：国家建立全国统一的个人社会保障号码。个人社会"
              "保障号码为公民身份号码。《社会保障卡管理办法》。",
        conditions="参加社会保险或者需要享受人力资源社会保障公共服务的人员；首次申领免费，合作银行网点"
                   "可即时制卡，新生儿可随“出生一件事”同步申领。",
        materials=(ID_CARD, ID_PHOTO),
        form=(choice("bank", "合作银行", "中国工商银行", "中国农业银行", "中国银行", "中国建设银行",
                     "吉林银行"), DELIVERY),
        limits=(10, 5), result="社会保障卡", licence="sbk", topics=("social-security", "birth"),
    ),
    online(
        key="insurance_record_certificate", type=PUBLIC_SERVICE, name="社会保险个人参保证明打印",
        limits=(0, 0), depth=7, aliases=("社保证明", "参保证明", "社保缴费记录"),
        basis=f"{SOCIAL_INSURANCE_LAW}第七十四条：用人单位和个人可以免费向社会保险经办机构查询、核对"
              "其缴费和享受社会保险待遇记录。",
        conditions="参加社会保险的个人，免费查询打印本人参保缴费记录；电子证明可在线验证真伪。",
        materials=(ID_CARD, PROXY),
        form=(choice("certificate_type", "证明险种", "养老保险", "失业保险", "工伤保险", "全部险种"),
              choice("period", "证明期间", "近6个月", "近12个月", "全部参保期间")),
        result="社会保险个人参保证明", licence="sbcbzm", topics=("social-security", "employment"),
    ),
    hrss(
        key="labour_inspection", type=INSPECTION, audience=COMPANY,
        name="对用人单位遵守劳动保障法律法规情况的监督检查", aliases=("劳动监察", "劳动保障检查"),
        basis="《劳动保障监察条例》第十一条、第十五条。",
        conditions="对用人单位制定内部劳动保障规章制度、订立劳动合同、支付工资、遵守工作时间和休息休假"
                   "规定、参加社会保险等情况，实施日常巡视检查、书面审查和举报投诉专查。",
        materials=(
            BUSINESS_LICENCE,
            material("劳动合同、工资支付记录和考勤记录", standard="检查时备查，保存期不少于2年"),
            material("社会保险缴费凭证", source=GOVERNMENT, exempt="data:social_insurance",
                     standard="经办机构已共享的免予提交"),
        ),
        limits=(20, 10), topics=("law-enforcement", "hiring"),
    ),
    hrss(
        key="working_hours_penalty", type=PENALTY, audience=COMPANY,
        name="对用人单位违法延长劳动者工作时间的处罚", aliases=("加班处罚", "超时加班"),
        basis="《劳动保障监察条例》第二十五条：用人单位违反劳动保障法律、法规或者规章延长劳动者工作"
              "时间的，由劳动保障行政部门给予警告，责令限期改正，并可以按照受侵害的劳动者每人100元以上"
              "500元以下的标准计算，处以罚款。第十七条。",
        conditions="经调查核实用人单位违法延长劳动者工作时间的；调查自立案之日起60个工作日内完成，"
                   "情况复杂的经批准可以延长30个工作日。",
        materials=(BUSINESS_LICENCE, statement(), HEARING),
        form=(STATEMENT,), limits=(60, 45), topics=("law-enforcement", "hiring"),
    ),
    ItemSpec(
        key="hr_service_licence", dept="hrss", type=LICENSING, at="PC", audience=COMPANY,
        name="人力资源服务许可（职业中介活动）", aliases=("职业中介许可", "劳务中介许可"),
        basis="《人力资源市场暂行条例》第十八条：经营性人力资源服务机构从事职业中介活动的，应当依法"
              "向人力资源社会保障行政部门申请行政许可，取得人力资源服务许可证。第十九条：人力资源社会"
              "保障行政部门应当自收到申请之日起20日内作出决定。",
        conditions="依法登记的经营性人力资源服务机构；有明确的章程和管理制度，有开展业务必备的固定场所、"
                   "办公设施，有一定数量具备相应专业知识的专职工作人员。实行告知承诺制。",
        materials=(
            application("人力资源服务许可申请书"),
            BUSINESS_LICENCE,
            premises("固定场所使用证明", necessity=TOLERATED),
            material("专职工作人员名单及从业资格证明", standard="与开展的业务相适应"),
            material("服务规范和管理制度", standard="含服务流程、收费标准和投诉处理制度"),
        ),
        form=(text("service_address", "服务场所", length=200),),
        limits=(20, 10), commitment=True, result="人力资源服务许可证", licence="rlzyfwxkz",
        topics=("hiring", "operating-permits"),
    ),
    online(
        key="skills_subsidy", type=BENEFIT, at="C", name="失业保险技能提升补贴申领",
        aliases=("技能补贴", "考证补贴"),
        basis="《失业保险条例》；人力资源社会保障部、财政部关于失业保险支持参保职工提升职业技能的"
              "政策规定。",
        conditions="参加失业保险并累计缴费满1年的企业职工，取得初级（五级）及以上职业资格证书或职业技能"
                   "等级证书的，在证书核发之日起12个月内申请；同一职业同一等级只能申请一次。",
        materials=(
            ID_CARD,
            issued("职业资格证书或职业技能等级证书", "zyjnzs", "人力资源社会保障部门或评价机构",
                   "12个月内取得，可在全国联网系统查询"),
            SOCIAL_SECURITY_CARD,
        ),
        form=(text("certificate_number", "证书编号", length=30),
              choice("certificate_level", "证书等级", "初级工（五级）", "中级工（四级）",
                     "高级工（三级）", "技师（二级）", "高级技师（一级）")),
        limits=(20, 10), topics=("employment", "social-security"),
    ),
    hrss(
        key="startup_loan", type=PUBLIC_SERVICE, at="C", name="创业担保贷款申请",
        aliases=("创业贷款", "贴息贷款"),
        basis="《财政部 人力资源社会保障部 中国人民银行关于进一步加大创业担保贷款贴息力度全力支持重点"
              "群体创业就业的通知》（财金〔2020〕21号）。",
        conditions="城镇登记失业人员、就业困难人员、退役军人、高校毕业生、返乡创业农民工等重点群体自主"
                   "创业，或者吸纳重点群体就业达到规定比例的小微企业；贷款额度和贴息按现行政策执行。",
        materials=(
            ID_CARD,
            # The applicant's own 营业执照 (个体工商户): a person's licence, not a company record.
            issued("营业执照", "yyzz", "市场监督管理部门",
                   "申请人本人经营的个体工商户或者小微企业的营业执照"),
            material("创业项目计划书", standard="写明项目内容、资金用途和还款来源"),
            material("重点群体身份证明", source=GOVERNMENT, exempt="data:employment_card",
                     standard="已登记《就业创业证》的免予提交"),
        ),
        form=(field("amount", "申请额度（万元）", "number"), text("project", "创业项目")),
        limits=(15, 10), topics=("employment", "start-business"),
    ),
    online(
        key="pension_transfer", type=PUBLIC_SERVICE, name="企业职工基本养老保险关系转移接续",
        aliases=("社保转移", "养老保险转移"),
        basis=f"{SOCIAL_INSURANCE_LAW}第十九条：个人跨统筹地区就业的，其基本养老保险关系随本人转移，"
              "缴费年限累计计算。《城镇企业职工基本养老保险关系转移接续暂行办法》（国办发〔2009〕66号）。",
        conditions="参保人员跨省或者跨统筹地区流动就业的，向转入地经办机构申请，通过全国社会保险公共"
                   "服务平台在线办理，无需往返转出地。",
        materials=(ID_CARD, transferred_record("基本养老保险", "insured_person")),
        form=(text("from_region", "转出地", length=50),),
        limits=(45, 15), topics=("relocation", "social-security"),
    ),
    medical(
        key="medical_insurance_registration", type=PUBLIC_SERVICE, limits=(0, 0),
        name="城乡居民基本医疗保险参保登记", aliases=("办医保", "居民医保", "新农合"),
        basis=f"{SOCIAL_INSURANCE_LAW}第二十五条；《国务院关于整合城乡居民基本医疗保险制度的意见》"
              "（国发〔2016〕3号）。",
        conditions="除应当参加职工基本医疗保险以外的城乡居民，在户籍地或持居住证在居住地参保；新生儿"
                   "可随“出生一件事”办理，出生当年免缴费。",
        materials=(ID_CARD, HOUSEHOLD_REGISTER,
                   issued("居住证", "jzz", "公安机关", "非本地户籍人员在居住地参保的提交",
                          necessity=OPTIONAL)),
        form=(choice("category", "参保人员类别", "新生儿", "中小学生", "大学生", "成年居民",
                     "老年居民"),),
        result="参保登记信息", topics=("medical-care", "birth", "social-security"),
    ),
    medical(
        key="cross_region_medical", type=PUBLIC_SERVICE, at="PCX", limits=(0, 0),
        name="跨省异地就医备案", aliases=("异地就医", "医保异地备案", "外地看病报销"),
        basis="《国家医保局 财政部关于进一步做好基本医疗保险跨省异地就医直接结算工作的通知》"
              "（医保发〔2022〕22号）。",
        conditions="异地长期居住人员（异地安置退休、异地长期居住、常驻异地工作）和临时外出就医人员"
                   "（异地转诊、急诊抢救等），通过国家医保服务平台App或“吉事办”备案后，在就医地定点"
                   "医疗机构直接结算。",
        materials=(
            material("个人承诺书", standard="异地长期居住人员以承诺方式备案，无需提供居住证明"),
            material("转诊证明", necessity=OPTIONAL, source=OTHER, source_note="参保地定点医疗机构",
                     standard="异地转诊人员提交"),
        ),
        form=(choice("filing_type", "备案类型", "异地安置退休", "异地长期居住", "常驻异地工作",
                     "异地转诊", "临时外出就医"),
              text("destination", "就医地（省、市）", length=50), date("start_date", "备案开始日期")),
        result="异地就医备案信息", topics=("medical-care", "travel"),
    ),
    medical(
        key="maternity_allowance", type=BENEFIT, name="生育津贴支付",
        aliases=("生育保险", "产假工资", "生育津贴申领"),
        basis=f"{SOCIAL_INSURANCE_LAW}第五十四条、第五十六条；《女职工劳动保护特别规定》第七条：女职工"
              "生育享受98天产假。",
        conditions="参加职工基本医疗保险（生育保险）的女职工生育或者流产，按规定享受产假的，生育津贴"
                   "按照职工所在用人单位上年度职工月平均工资计发。",
        materials=(
            ID_CARD,
            issued("出生医学证明", "csyxzm", "助产医疗机构", "生育的提交，流产的提交诊断证明"),
            material("住院病历或者医学诊断证明", source=OTHER, source_note="医疗机构",
                     exempt="data:hospital_delivery", standard="在本省助产机构住院分娩的免予提交"),
            BANK_ACCOUNT,
        ),
        form=(date("birth_date", "生育（手术）日期"), choice("delivery_type", "生育方式", "顺产",
                                                             "剖宫产", "流产"),
              text("employer", "用人单位名称")),
        limits=(20, 10), result="生育津贴核定结果", topics=("birth", "social-security"),
    ),
    medical(
        key="chronic_disease", type=CONFIRMATION, at="C", name="门诊慢特病待遇认定",
        aliases=("慢病认定", "门慢", "特殊病种"),
        basis="《国务院办公厅关于建立健全职工基本医疗保险门诊共济保障机制的指导意见》（国办发〔2021〕"
              "14号）。",
        conditions="参加本市基本医疗保险，患有高血压、糖尿病、恶性肿瘤门诊治疗、尿毒症透析等门诊"
                   "慢特病，经定点医疗机构诊断符合认定标准；认定后在门诊按规定享受报销待遇。",
        materials=(
            application("门诊慢特病待遇认定申请表"),
            material("病历及相关检查报告", source=OTHER, source_note="二级及以上定点医疗机构",
                     standard="近一年内的诊断依据"),
            material("医保电子凭证或社会保障卡", source=GOVERNMENT, exempt="licence:sbk",
                     standard="已激活"),
        ),
        form=(choice("disease", "申请病种", "高血压（Ⅱ、Ⅲ级）", "糖尿病", "恶性肿瘤门诊治疗",
                     "尿毒症透析", "器官移植抗排异治疗", "其他"),
              text("hospital", "诊断医院")),
        limits=(15, 10), result="门诊慢特病待遇认定结果", topics=("medical-care",),
    ),
    medical(
        key="medical_reimbursement", type=BENEFIT, visits=1, depth=4, name="零星医疗费用报销",
        aliases=("医保报销", "医药费报销", "手工报销"),
        basis=f"{SOCIAL_INSURANCE_LAW}第二十八条、第二十九条。",
        conditions="参保人员因急诊抢救在非定点医疗机构就医，或者异地就医未能直接结算、垫付医疗费用的，"
                   "在费用发生之日起一年内申请报销。",
        materials=(
            ID_CARD,
            material("医疗费用票据", form=BOTH, source=OTHER, source_note="医疗机构",
                     standard="原件或医疗电子票据"),
            material("费用明细清单和出院小结", source=OTHER, source_note="医疗机构",
                     standard="加盖医疗机构印章"),
            material("急诊抢救证明", necessity=OPTIONAL, source=OTHER, source_note="医疗机构",
                     standard="在非定点医疗机构急诊抢救的提交"),
            BANK_ACCOUNT,
        ),
        form=(choice("reason", "报销原因", "异地就医未直接结算", "急诊抢救", "其他"),
              field("amount", "费用总额（元）", "number")),
        limits=(20, 15), result="医疗费用报销结算单", topics=("medical-care",),
    ),
    medical(
        key="medical_assistance", type=BENEFIT, visits=1, depth=4, name="医疗救助",
        aliases=("大病救助", "看病救助"),
        basis="《社会救助暂行办法》第二十八条；《国务院办公厅关于健全重特大疾病医疗保险和救助制度的"
              "意见》（国办发〔2021〕42号）。",
        conditions="特困人员、低保对象、低保边缘家庭成员、纳入监测范围的易返贫致贫人口和因病致贫重病"
                   "患者，经基本医疗保险、大病保险报销后个人负担的政策范围内费用，按规定比例救助；"
                   "在定点医疗机构“一站式”结算的无需另行申请。",
        materials=(
            ID_CARD,
            material("救助对象身份证明", source=GOVERNMENT, exempt="data:social_assistance",
                     standard="民政等部门已共享认定信息的免予提交"),
            material("医疗费用票据和结算单", source=OTHER, source_note="医疗机构",
                     standard="原件或医疗电子票据"),
            BANK_ACCOUNT,
        ),
        form=(choice("category", "救助对象类别", "特困人员", "低保对象", "低保边缘家庭成员",
                     "易返贫致贫人口", "因病致贫重病患者"),),
        limits=(20, 15), topics=("medical-care", "social-assistance"),
    ),
    medical(
        key="medical_transfer", type=PUBLIC_SERVICE, name="基本医疗保险关系转移接续",
        aliases=("医保转移", "医保关系转移"),
        basis="《基本医疗保险关系转移接续暂行办法》（国家医疗保障局办公室、财政部办公厅印发）。",
        conditions="参保人员跨统筹地区流动就业或者变更居住地的，医保关系转移接续、缴费年限累计计算；"
                   "通过国家医保服务平台在线申请，由转入地受理。",
        materials=(ID_CARD, transferred_record("基本医疗保险", "medical_insurance")),
        form=(text("from_region", "转出地（省、市）", length=50),),
        limits=(15, 10), topics=("relocation", "medical-care"),
    ),
    ItemSpec(
        key="medical_fraud_penalty", dept="medical", type=PENALTY, at="C", audience=COMPANY,
        name="对定点医药机构骗取医疗保障基金支出的处罚", aliases=("骗保处罚", "医保基金监管"),
        basis="《医疗保障基金使用监督管理条例》第四十条。",
        conditions="定点医药机构通过诱导、协助他人冒名或者虚假就医、购药，伪造、变造、隐匿、涂改、销毁"
                   "医学文书，虚构医药服务项目等方式骗取医疗保障基金支出的，责令退回，处骗取金额2倍以上"
                   "5倍以下的罚款，并可责令暂停涉及医疗保障基金使用的医药服务。",
        materials=(
            material("医疗机构执业许可证或药品经营许可证", source=GOVERNMENT,
                     standard="当事人主体资格证明"),
            statement(),
            HEARING,
        ),
        form=(STATEMENT,), limits=(90, 60), topics=("law-enforcement", "medical-care"),
    ),
)
