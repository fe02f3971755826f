"""市场监管: 市场主体登记、食品药品许可、执法和知识产权保护."""

from functools import partial

from ..spec import (
    ADJUDICATION,
    BANK_ACCOUNT,
    BUSINESS_LICENCE,
    COMPANY,
    ENFORCEMENT,
    GOVERNMENT,
    HEARING,
    ID_CARD,
    INSPECTION,
    LEGAL_REP_ID,
    LICENSING,
    OPTIONAL,
    PENALTY,
    PERSON,
    REWARD,
    STATEMENT,
    TOLERATED,
    ItemSpec,
    application,
    choice,
    field,
    issued,
    material,
    premises,
    statement,
    text,
)

REGISTRATION_BASIS = "《中华人民共和国市场主体登记管理条例》第三条：市场主体应当依照本条例办理登记。"
company = partial(
    ItemSpec, dept="market", type=LICENSING, group="company_registration", at="PCX",
    audience=COMPANY, limits=(3, 1), visits=0, depth=7, result="营业执照", licence="yyzz",
    commitment=True,
)
enforcement = partial(ItemSpec, dept="market", at="CX", audience=COMPANY, limits=(90, 60),
                      topics=("law-enforcement",), form=(STATEMENT,))
PREMISES = premises("住所（经营场所）使用证明", "不动产权证书或租赁合同；实行住所申报承诺制的提交承诺书",
                    necessity=TOLERATED)
FOOD_LICENCE = issued("食品经营许可证", "spjyxkz", "市场监督管理部门", "在有效期内，经营项目与实际一致")

ITEMS = (
    company(
        key="company_setup", name="企业设立登记",
        aliases=("开公司", "注册公司", "办营业执照", "公司注册"),
        faqs=(
            ("注册公司需要实缴注册资本吗？",
             "有限责任公司的注册资本为全体股东认缴的出资额，股东按公司章程的规定在五年内缴足，"
             "登记时不需要提交验资证明。"),
            ("没有办公场所能注册公司吗？",
             "需要有真实的住所（经营场所）。可以使用租赁的房屋，提交租赁合同；"
             "部分地区允许集群注册或“一址多照”，请咨询当地登记窗口。"),
        ),
        basis=f"{REGISTRATION_BASIS}第十九条：登记机关对申请材料进行形式审查。对申请材料齐全、符合"
              "法定形式的予以确认并当场登记。不能当场登记的，应当在3个工作日内予以登记。"
              "《中华人民共和国公司法》第二十九条。",
        conditions="依法设立的有限责任公司、股份有限公司、个人独资企业和合伙企业；名称自主申报，住所"
                   "（经营场所）真实，经营范围按规范目录选择；从事依法须经批准的项目的，先取得批准文件。",
        materials=(
            application("公司登记（备案）申请书"),
            material("公司章程", standard="全体股东签署（盖章），内容符合《公司法》规定"),
            material("股东的主体资格证明", standard="自然人股东提交居民身份证，法人股东提交营业执照"),
            LEGAL_REP_ID,
            PREMISES,
        ),
        form=(text("proposed_name", "拟设立企业名称"),
              choice("company_type", "企业类型", "有限责任公司", "股份有限公司", "个人独资企业",
                     "合伙企业"),
              field("capital", "注册资本（万元）", "number"),
              # The new enterprise's 住所, not the applicant's: never pre-filled.
              field("registered_address", "住所", max_length=200, prefill="")),
        topics=("start-business",),
    ),
    company(
        key="company_change", name="企业变更登记", aliases=("公司变更", "营业执照变更", "变更法人"),
        basis=f"{REGISTRATION_BASIS}第二十四条：市场主体变更登记事项，应当自作出变更决议、决定或者"
              "法定变更事项发生之日起30日内向登记机关申请变更登记。",
        conditions="企业的名称、住所、法定代表人、注册资本、经营范围、股东等登记事项发生变更。",
        materials=(
            application("公司变更登记申请书"),
            material("变更决议或者决定", standard="股东会决议或股东决定，依法签署"),
            material("公司章程修正案", necessity=OPTIONAL, standard="变更事项涉及章程的提交"),
            BUSINESS_LICENCE,
        ),
        form=(choice("change_item", "变更事项", "名称", "住所", "法定代表人", "注册资本", "经营范围",
                     "股东"),),
        topics=("start-business",),
    ),
    company(
        key="company_deregistration", name="企业注销登记",
        aliases=("公司注销", "注销营业执照", "简易注销"),
        basis=f"{REGISTRATION_BASIS}第三十一条、第三十三条：市场主体未发生债权债务或者已将债权债务"
              "清偿完结的，可以按照简易程序办理注销登记，公示期为20日。",
        conditions="企业解散并依法清算完毕；未开业或者无债权债务的可以申请简易注销，经20日公示无异议后"
                   "办理。",
        materials=(
            application("公司注销登记申请书"),
            material("清算报告或者全体投资人承诺书",
                     standard="依法清算的提交清算报告；简易注销的提交全体投资人承诺书"),
            material("清税证明", source=GOVERNMENT, source_note="税务机关", exempt="data:tax_clearance",
                     standard="已通过信息共享获取清税信息的免予提交"),
            BUSINESS_LICENCE,
        ),
        form=(choice("procedure", "注销程序", "简易注销", "一般注销"),),
        topics=("close-business",), result="准予注销登记通知书", licence="",
    ),
    ItemSpec(
        key="individual_business", dept="market", type=LICENSING, name="个体工商户登记", at="CX",
        aliases=("个体户营业执照", "办个体执照", "个体户注册"),
        basis=f"{REGISTRATION_BASIS}《促进个体工商户发展条例》第二条。",
        conditions="有经营能力的自然人，以个人或者家庭经营；经营场所真实。从事依法须经许可的项目的，"
                   "登记后依法办理许可。",
        materials=(application("个体工商户登记（备案）申请书"), ID_CARD, PREMISES),
        form=(text("business_name", "个体工商户名称", required=False),
              text("business_address", "经营场所", length=200),
              choice("organisation", "组成形式", "个人经营", "家庭经营")),
        limits=(3, 0), visits=0, depth=7, result="营业执照", licence="yyzz",
        topics=("start-business",),
    ),
    ItemSpec(
        key="food_business_licence", dept="market", type=LICENSING, name="食品经营许可", at="CX",
        audience=COMPANY, aliases=("餐饮许可证", "食品许可证", "开饭店"),
        basis="《中华人民共和国食品安全法》第三十五条：国家对食品生产经营实行许可制度……仅销售预包装"
              "食品的，不需要取得许可。《食品经营许可和备案管理办法》（国家市场监督管理总局令第78号）。",
        conditions="具有与经营的食品品种、数量相适应的食品贮存、经营场所和设备设施；有专职或者兼职的"
                   "食品安全管理人员和保证食品安全的规章制度；仅销售预包装食品的办理备案，无需许可。"
                   "实行告知承诺的，承诺后当场发证，事后核查。",
        materials=(
            application("食品经营许可申请书"),
            BUSINESS_LICENCE,
            material("经营场所和设备布局、操作流程文件", standard="与申请的经营项目相适应"),
            material("食品安全管理制度", standard="含进货查验、从业人员健康管理、食品安全自查等"),
            material("从业人员健康证明", necessity=TOLERATED, exempt="data:health_cert",
                     standard="在有效期内；容缺的在10个工作日内补齐"),
        ),
        form=(text("premises", "经营场所", length=200),
              choice("category", "经营项目", "预包装食品销售（含冷藏冷冻食品）", "散装食品销售",
                     "热食类食品制售", "冷食类食品制售", "糕点类食品制售", "自制饮品制售")),
        limits=(10, 5), result="食品经营许可证", licence="spjyxkz", commitment=True,
        topics=("operating-permits",),
    ),
    ItemSpec(
        key="food_production_licence", dept="market", type=LICENSING, name="食品生产许可", at="PC",
        audience=COMPANY, aliases=("SC认证", "食品生产许可证", "食品厂许可"),
        basis="《中华人民共和国食品安全法》第三十五条；《食品生产许可管理办法》（国家市场监督管理总局令"
              "第24号）。",
        conditions="有与生产的食品品种、数量相适应的生产场所、设备设施，食品安全专业技术人员、管理人员"
                   "和保证食品安全的规章制度；保健食品、特殊医学用途配方食品、婴幼儿配方食品由省级市场"
                   "监督管理部门许可，其他食品由市级许可。",
        materials=(
            application("食品生产许可申请书"),
            BUSINESS_LICENCE,
            material("生产场所平面图、设备布局图和工艺流程图", standard="标明各功能区间和设备位置"),
            material("主要设备、设施清单", standard="与申请的食品类别相适应"),
            material("食品安全管理人员信息和管理制度", standard="含专业技术人员名单和岗位职责"),
        ),
        form=(choice("food_category", "食品类别", "粮食加工品", "食用油、油脂及其制品", "肉制品",
                     "乳制品", "饮料", "糕点", "其他"),
              text("plant_address", "生产地址", length=200)),
        limits=(10, 7), result="食品生产许可证", licence="spscxkz", topics=("operating-permits",),
    ),
    ItemSpec(
        key="drug_retail_licence", dept="market", type=LICENSING, name="药品零售企业经营许可",
        at="C", audience=COMPANY, aliases=("开药店", "药店许可证", "药品经营许可证"),
        basis="《中华人民共和国药品管理法》第五十一条：从事药品零售活动，应当经所在地县级以上地方"
              "人民政府药品监督管理部门批准，取得药品经营许可证。第五十二条。《药品经营和使用质量"
              "监督管理办法》（国家市场监督管理总局令第84号）。",
        conditions="有依法经过资格认定的药师或者其他药学技术人员；有与所经营药品相适应的营业场所、"
                   "设备、仓储设施和卫生环境；有保证药品质量的规章制度，符合药品经营质量管理规范。",
        materials=(
            application("药品经营许可证申请表"),
            BUSINESS_LICENCE,
            material("执业药师注册证明及劳动合同", standard="执业药师注册在本企业"),
            material("营业场所、仓库平面布置图及使用证明", standard="面积和布局符合经营范围要求"),
            material("质量管理文件及主要设施设备目录", standard="符合药品经营质量管理规范"),
        ),
        form=(text("store_address", "营业场所", length=200),),
        limits=(20, 15), result="药品经营许可证", licence="ypjyxkz",
        topics=("operating-permits", "health"),
    ),
    enforcement(
        key="food_additive_penalty", type=PENALTY,
        name="对生产经营超范围、超限量使用食品添加剂的食品的处罚",
        aliases=("食品添加剂超标", "食品安全处罚"),
        basis="《中华人民共和国食品安全法》第一百二十四条第一款第（三）项；《市场监督管理行政处罚程序"
              "规定》。",
        conditions="生产经营超范围、超限量使用食品添加剂的食品，尚不构成犯罪的，没收违法所得和违法生产"
                   "经营的食品，货值金额不足一万元的，并处五万元以上十万元以下罚款；货值金额一万元以上"
                   "的，并处货值金额十倍以上二十倍以下罚款；情节严重的，吊销许可证。",
        materials=(BUSINESS_LICENCE, statement(), HEARING),
    ),
    enforcement(
        key="food_seizure", type=ENFORCEMENT, name="查封、扣押不符合食品安全标准的食品",
        aliases=("查封扣押", "食品扣押"), limits=(30, 30),
        basis="《中华人民共和国食品安全法》第一百一十条第（四）项；《中华人民共和国行政强制法》"
              "第二十五条。",
        conditions="有证据证明不符合食品安全标准或者存在安全隐患，以及用于违法生产经营的食品、食品"
                   "添加剂、食品相关产品，依法查封、扣押；期限不超过三十日，情况复杂的经批准可以延长，"
                   "但延长期限不得超过三十日。",
        materials=(BUSINESS_LICENCE, statement(),
                   material("解除查封、扣押的申请及证明材料", necessity=OPTIONAL,
                            standard="检验合格或者违法行为已消除的，当事人可以申请解除")),
    ),
    enforcement(
        key="food_inspection", type=INSPECTION, name="对食品生产经营者的监督检查",
        aliases=("食品安全检查", "双随机检查"), limits=(20, 10),
        basis="《中华人民共和国食品安全法》第一百一十条；《食品生产经营监督检查管理办法》（国家市场"
              "监督管理总局令第49号）。",
        conditions="对食品生产经营者执行食品安全法律、法规、标准和落实主体责任的情况实施日常监督检查、"
                   "飞行检查和体系检查；按照风险等级确定检查频次，检查结果向社会公开。",
        materials=(BUSINESS_LICENCE, FOOD_LICENCE,
                   material("进货查验记录和从业人员健康证明", standard="检查时现场备查")),
    ),
    ItemSpec(
        key="patent_dispute", dept="market", type=ADJUDICATION, name="专利侵权纠纷行政裁决",
        at="PC", audience=COMPANY, aliases=("专利侵权", "专利纠纷处理"),
        basis="《中华人民共和国专利法》第六十五条：未经专利权人许可，实施其专利，即侵犯其专利权，引起"
              "纠纷的……专利权人或者利害关系人可以向人民法院起诉，也可以请求管理专利工作的部门处理。"
              "《专利行政执法办法》。",
        conditions="请求人是专利权人或者利害关系人；有明确的被请求人、具体的请求事项和事实、理由；"
                   "属于本部门管辖范围；当事人未就该纠纷向人民法院起诉。",
        materials=(
            application("专利侵权纠纷处理请求书"),
            material("专利权有效的证明", standard="专利登记簿副本，或者专利证书和当年缴纳年费的凭证"),
            material("请求人主体资格证明", exempt="licence:yyzz",
                     standard="单位提交营业执照，个人提交居民身份证"),
            material("侵权证据", standard="被控侵权产品、购买凭证、公证书等"),
        ),
        form=(text("patent_number", "专利号", length=20), text("respondent", "被请求人名称")),
        limits=(60, 45), topics=("legal-services",),
    ),
    ItemSpec(
        key="market_whistleblower_reward", dept="market", type=REWARD,
        name="市场监管领域重大违法行为举报奖励", at="PC", audience=PERSON,
        aliases=("举报奖励", "食品安全举报奖励"),
        basis="《市场监管领域重大违法行为举报奖励暂行办法》（国市监稽规〔2021〕4号）。",
        conditions="举报的属于市场监督管理部门职责范围内的重大违法行为，有明确的被举报对象和具体违法"
                   "事实，并提供了关键证据；举报内容事先未被掌握，经查证属实并结案。举报人信息严格保密。",
        materials=(ID_CARD, application("举报奖励申请表"), BANK_ACCOUNT),
        form=(text("report_number", "举报件编号", length=30),),
        limits=(30, 15), topics=("law-enforcement",),
    ),
)
