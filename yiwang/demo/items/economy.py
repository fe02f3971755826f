"""税务、商务、文化和旅游、农业农村: 纳税缴费、行业经营许可和农业补贴."""

from functools import partial

from ..spec import (
    BANK_ACCOUNT,
    BENEFIT,
    BUSINESS_LICENCE,
    COMPANY,
    CONFIRMATION,
    GOVERNMENT,
    ID_CARD,
    ID_PHOTO,
    LEGAL_REP_ID,
    LEVY,
    LICENSING,
    OPTIONAL,
    OTHER,
    OTHER_POWER,
    PENALTY,
    PROXY,
    PUBLIC_SERVICE,
    REWARD,
    STATEMENT,
    ItemSpec,
    application,
    choice,
    date,
    field,
    material,
    premises,
    statement,
    text,
)

COLLECTION_LAW = "《中华人民共和国税收征收管理法》"
SYSTEM_FILLED = "系统根据已有数据预填，纳税人确认即可"

tax = partial(ItemSpec, dept="tax", at="CX", limits=(0, 0), visits=0, depth=6,
              topics=("taxation",))
business_tax = partial(tax, audience=COMPANY)
trade = partial(ItemSpec, type=LICENSING, audience=COMPANY, limits=(20, 10))
farming = partial(ItemSpec, dept="agriculture", at="C", topics=("agriculture",))

ITEMS = (
    business_tax(
        key="taxpayer_info_confirmation", type=PUBLIC_SERVICE, name="新办纳税人“一照一码”信息确认",
        aliases=("税务登记", "新办企业税务报到", "税务报到"),
        basis=f"{COLLECTION_LAW}第十五条：企业……自领取营业执照之日起三十日内，持有关证件，向税务机关"
              "申报办理税务登记。",
        conditions="已领取加载统一社会信用代码营业执照的企业、个体工商户等，首次办理涉税事项时确认登记"
                   "信息；可在“企业开办一件事”中一并办理。",
        materials=(BUSINESS_LICENCE, LEGAL_REP_ID,
                   material("财务负责人和办税人员身份信息",
                            standard="姓名、居民身份证号码和联系电话准确")),
        form=(choice("accounting", "会计核算方式", "独立核算", "非独立核算"),
              text("finance_contact", "财务负责人", length=50)),
        result="税务登记信息确认结果", topics=("start-business", "taxation"),
    ),
    business_tax(
        key="general_taxpayer", type=CONFIRMATION, name="增值税一般纳税人登记",
        aliases=("一般纳税人", "一般纳税人认定"),
        basis="《中华人民共和国增值税法》；《增值税一般纳税人登记管理办法》（国家税务总局令第43号）。",
        conditions="年应征增值税销售额超过500万元的纳税人应当办理；未超过标准但会计核算健全、能够提供"
                   "准确税务资料的可以办理。",
        materials=(BUSINESS_LICENCE, application("增值税一般纳税人登记表"),
                   material("会计核算健全的说明", necessity=OPTIONAL,
                            standard="年销售额未超过标准、自愿登记的提交")),
        form=(field("annual_sales", "年应税销售额（万元）", "number"),
              date("effective_date", "一般纳税人资格生效之日")),
        result="增值税一般纳税人登记结果",
    ),
    business_tax(
        key="invoice_issuance", type=PUBLIC_SERVICE, name="发票领用",
        aliases=("领发票", "申领发票", "发票额度", "数电发票"),
        basis="《中华人民共和国发票管理办法》第十五条：需要领用发票的单位和个人，应当持设立登记证件或者"
              "税务登记证件，以及经办人身份证明，向主管税务机关办理发票领用手续。",
        conditions="已办理涉税信息确认的纳税人；使用全面数字化的电子发票的，由税务机关按纳税人风险程度、"
                   "纳税信用级别等赋予开票额度，无需领用。",
        materials=(BUSINESS_LICENCE,
                   material("经办人身份证明", source=GOVERNMENT, standard="经办人居民身份证"),
                   material("发票专用章印模", necessity=OPTIONAL, standard="领用纸质发票的提交")),
        form=(choice("invoice_type", "发票种类", "数电发票（增值税专用发票）", "数电发票（普通发票）",
                     "纸质发票"),
              field("quantity", "领用数量（份）", "number", required=False)),
        result="发票领用结果", topics=("taxation", "start-business"),
    ),
    tax(
        key="iit_annual_settlement", type=PUBLIC_SERVICE, name="个人所得税综合所得年度汇算",
        aliases=("个税退税", "个税汇算", "个税年度汇算"),
        basis="《中华人民共和国个人所得税法》第十一条：需要办理汇算清缴的，应当在取得所得的次年三月一日"
              "至六月三十日内办理汇算清缴。",
        conditions="取得综合所得需要补税或者申请退税的纳税人，在次年3月1日至6月30日通过个人所得税App、"
                   "自然人电子税务局或者办税服务厅办理，可以预约办理时间。",
        materials=(
            ID_CARD,
            material("收入和扣除信息", source=GOVERNMENT, exempt="data:iit_withholding",
                     standard=SYSTEM_FILLED),
            material("专项附加扣除相关资料", necessity=OPTIONAL, standard="留存备查，无需报送"),
            BANK_ACCOUNT,
        ),
        form=(field("refund_amount", "应退（补）税额（元）", "number", required=False),
              choice("bank_account", "退税账户", "本人一类银行卡", "社会保障卡银行账户")),
        result="个人所得税年度汇算结果",
    ),
    business_tax(
        key="vat_return", type=PUBLIC_SERVICE, name="增值税及附加税费申报",
        aliases=("报税", "纳税申报", "增值税申报"),
        basis=f"{COLLECTION_LAW}第二十五条：纳税人必须依照法律、行政法规规定或者税务机关依照法律、行政"
              "法规的规定确定的申报期限、申报内容如实办理纳税申报。",
        conditions="增值税纳税人按照规定的纳税期限（一个月或者一个季度）在期满之日起15日内申报缴纳；"
                   "增值税及附加税费合并申报。",
        materials=(material("增值税及附加税费申报表", standard=SYSTEM_FILLED),
                   material("财务会计报表", standard="按会计制度编制")),
        form=(choice("period", "所属期", "月度", "季度"), field("sales", "销售额（元）", "number")),
        result="申报结果和缴款凭证",
    ),
    tax(
        key="tax_certificate", type=PUBLIC_SERVICE, name="开具税收完税证明", depth=7,
        aliases=("完税证明", "纳税证明", "个税完税证明"),
        basis="《税收票证管理办法》（国家税务总局令第28号）。",
        conditions="纳税人缴纳税款后需要证明完税情况的，可以在线开具或者到办税服务厅开具，电子证明可以"
                   "在线验证。",
        materials=(ID_CARD, PROXY),
        form=(choice("tax_type", "税种", "个人所得税", "契税", "车辆购置税", "其他"),),
        result="税收完税证明", licence="sswszm",
    ),
    tax(
        key="resident_medical_premium", type=LEVY, name="城乡居民基本医疗保险费征收",
        aliases=("交医保", "居民医保缴费", "医保缴费"),
        basis="《中华人民共和国社会保险法》第二十五条；《国税地税征管体制改革方案》。",
        conditions="参加城乡居民基本医疗保险的人员，在集中缴费期内通过“吉事办”、银行App或者办税服务厅"
                   "缴纳下一年度个人缴费部分；特困人员、低保对象等按规定由财政资助参保。",
        materials=(ID_CARD,
                   material("参保登记信息", source=GOVERNMENT, exempt="data:medical_insurance",
                            standard="已在医疗保障部门参保登记")),
        form=(field("payer_count", "缴费人数", "number"),
              choice("payment_channel", "缴费渠道", "吉事办", "银行App", "办税服务厅")),
        result="缴费凭证", topics=("medical-care", "taxation"),
    ),
    ItemSpec(
        key="tax_whistleblower_reward", dept="tax", type=REWARD, at="PC",
        name="检举纳税人税收违法行为奖励", aliases=("税务举报奖励", "检举奖励"),
        basis="《检举纳税人税收违法行为奖励暂行办法》（国家税务总局 财政部令第18号）。",
        conditions="检举的税收违法行为经税务机关立案查实处理并依法将税款或者罚款收缴入库；检举人实名"
                   "检举或者提供有效联系方式；奖励按收缴入库税款数额的一定比例计发。",
        materials=(ID_CARD,
                   material("检举奖励通知书", source=GOVERNMENT, standard="税务机关出具的原件"),
                   BANK_ACCOUNT),
        form=(text("notice_number", "奖励通知书编号", length=30),),
        limits=(30, 15), topics=("law-enforcement", "taxation"),
    ),
    business_tax(
        key="late_filing_penalty", type=PENALTY, name="对纳税人未按照规定期限办理纳税申报的处罚",
        aliases=("逾期申报罚款", "首违不罚"), limits=(30, 0), depth=5,
        channels=("pc", "mobile", "hall"),
        basis=f"{COLLECTION_LAW}第六十二条：纳税人未按照规定的期限办理纳税申报和报送纳税资料的……由税务"
              "机关责令限期改正，可以处二千元以下的罚款；情节严重的，可以处二千元以上一万元以下的罚款。",
        conditions="纳税人未按照规定期限办理纳税申报的；首次违反且危害后果轻微，在税务机关发现前主动"
                   "改正或者在限期内改正的，依照“首违不罚”事项清单不予处罚。简易程序可在电子税务局在线"
                   "处理。",
        materials=(BUSINESS_LICENCE, statement()),
        form=(STATEMENT,), topics=("law-enforcement", "taxation"),
    ),
    ItemSpec(
        key="prepaid_card_filing", dept="commerce", type=OTHER_POWER, at="C", audience=COMPANY,
        name="单用途商业预付卡发卡企业备案", aliases=("预付卡备案", "储值卡备案", "会员卡备案"),
        basis="《单用途商业预付卡管理办法（试行）》（商务部令2012年第9号）第七条。",
        conditions="从事零售业、住宿和餐饮业、居民服务业的企业法人，发行单用途商业预付卡的，在开展业务"
                   "之日起30日内备案；按规定存管预收资金。",
        materials=(
            application("单用途商业预付卡发卡企业备案表"),
            BUSINESS_LICENCE,
            material("单用途卡章程和购卡协议范本", standard="载明退卡、挂失等规则"),
            material("预收资金存管协议", standard="与存管银行签订"),
        ),
        form=(text("card_brand", "预付卡名称"),),
        limits=(5, 0), visits=0, depth=6, result="备案回执", topics=("operating-permits",),
    ),
    trade(
        key="vehicle_recycling", dept="commerce", at="P", name="报废机动车回收拆解企业资质认定",
        aliases=("报废车回收资质", "报废汽车拆解"),
        basis="《报废机动车回收管理办法》（国务院令第715号）；《报废机动车回收管理办法实施细则》。",
        conditions="具有企业法人资格；拆解经营场地符合国土空间规划；具有符合国家标准的场地、设施设备、"
                   "存储和拆解技术条件以及环境保护条件；具有与拆解活动相适应的专业技术人员。",
        materials=(
            application("报废机动车回收拆解企业资质认定申请表"),
            BUSINESS_LICENCE,
            material("拆解场地使用证明和平面布置图", standard="符合国家标准"),
            material("设施设备清单", standard="含拆解、存储和环保设备"),
            material("环境影响评价文件批复", source=GOVERNMENT, standard="批复文件，与项目一致"),
        ),
        form=(text("site_address", "拆解场地地址", length=200),),
        limits=(30, 20), result="报废机动车回收拆解企业资质认定证书", licence="bfjdchszz",
        topics=("operating-permits", "environment"),
    ),
    ItemSpec(
        key="tour_guide_licence", dept="culture", type=LICENSING, at="P", name="导游证核发",
        aliases=("导游证", "电子导游证"),
        basis="《中华人民共和国旅游法》第三十七条：参加导游资格考试成绩合格，与旅行社订立劳动合同或者"
              "在相关旅游行业组织注册的人员，可以申请取得导游证。《导游管理办法》。",
        conditions="取得导游资格证，与旅行社订立劳动合同或者在旅游行业组织注册；通过全国旅游监管服务"
                   "平台申请，核发电子导游证。",
        materials=(
            material("导游资格证", standard="原件，姓名和证件号码与申请人一致"),
            material("劳动合同或者旅游行业组织注册证明", standard="加盖单位或组织印章"),
            ID_PHOTO,
        ),
        form=(text("agency", "所属旅行社或行业组织"),
              choice("language", "导游语种", "中文", "英语", "日语", "韩语", "俄语", "其他")),
        limits=(10, 5), visits=0, depth=7, result="电子导游证", licence="dyz",
        topics=("culture-tourism", "employment"),
    ),
    trade(
        key="travel_agency", dept="culture", at="P", name="旅行社业务经营许可",
        aliases=("开旅行社", "旅行社许可"),
        basis="《中华人民共和国旅游法》第二十八条、第二十九条；《旅行社条例》第六条。",
        conditions="取得企业法人资格；有固定的经营场所、必要的营业设施；有必要的经营管理人员和导游；"
                   "取得许可后按规定缴纳旅游服务质量保证金。",
        materials=(
            application("旅行社业务经营许可申请书"),
            BUSINESS_LICENCE,
            premises("经营场所证明"),
            material("经营管理人员和导游的劳动合同及证明", standard="与经营规模相适应"),
        ),
        form=(choice("business_scope", "经营范围", "国内旅游和入境旅游", "出境旅游"),),
        result="旅行社业务经营许可证", licence="lxsywjyxkz",
        topics=("culture-tourism", "operating-permits"),
    ),
    trade(
        key="commercial_performance", dept="culture", at="PC", name="营业性演出审批",
        aliases=("演出审批", "演唱会审批"), limits=(3, 2),
        basis="《营业性演出管理条例》第十三条、第十四条。",
        conditions="举办营业性演出的演出经纪机构、文艺表演团体和演出场所经营单位，向演出所在地文化和旅游"
                   "主管部门申请；涉及港澳台和外国的演出由省级主管部门审批。",
        materials=(
            application("营业性演出申请登记表"),
            material("演出节目内容材料", standard="节目单、视频或文本"),
            material("演员名单及身份证明", standard="港澳台和外国演员提交护照或通行证"),
            material("演出场地协议", standard="与演出场所签订"),
        ),
        form=(text("show_name", "演出名称"), date("show_date", "演出日期"),
              text("venue", "演出场所")),
        result="营业性演出准予许可决定书", topics=("culture-tourism",),
    ),
    trade(
        key="entertainment_venue", dept="culture", at="C", name="娱乐场所经营活动审批",
        aliases=("KTV许可", "娱乐经营许可证"), visits=1,
        basis="《娱乐场所管理条例》第九条。",
        conditions="已领取营业执照；场所符合消防、治安等要求，不设在居民楼、博物馆、图书馆和文物保护单位"
                   "建筑物内，与学校等的距离符合规定。",
        materials=(
            application("娱乐经营许可申请表"),
            BUSINESS_LICENCE,
            material("投资人、法定代表人和主要负责人的身份证明及无犯罪记录声明",
                     standard="本人签字"),
            material("经营场所平面图和包厢设置情况", standard="标明面积和安全出口"),
        ),
        form=(text("premises", "经营场所", length=200),),
        result="娱乐经营许可证", licence="yljyxkz", topics=("culture-tourism", "operating-permits"),
    ),
    trade(
        key="pesticide_licence", dept="agriculture", at="C", name="农药经营许可",
        aliases=("农药店许可", "卖农药"),
        basis="《农药管理条例》第二十四条：国家实行农药经营许可制度……农药经营者应当向县级以上地方人民"
              "政府农业主管部门申请农药经营许可证。",
        conditions="有具备农药和病虫害防治专业知识的经营人员；有与经营农药相适应的营业场所、设备、仓储"
                   "设施、安全防护措施和环境污染防治设施；有农药经营质量管理制度和岗位操作规程。",
        materials=(
            application("农药经营许可证申请表"),
            BUSINESS_LICENCE,
            material("经营人员学历或者培训证明", standard="农学、植保等相关专业或经培训合格"),
            material("营业场所和仓储场所平面图", standard="标明面积和分区"),
            material("质量管理制度和岗位操作规程", standard="含进货查验和购销台账制度"),
        ),
        form=(text("shop_address", "营业场所", length=200),),
        result="农药经营许可证", licence="nyjyxkz", topics=("agriculture", "operating-permits"),
    ),
    trade(
        key="animal_epidemic_certificate", dept="agriculture", at="C",
        name="动物防疫条件合格证核发", aliases=("防疫合格证", "养殖场防疫"),
        limits=(20, 15), visits=1,
        basis="《中华人民共和国动物防疫法》；《动物防疫条件审查办法》。",
        conditions="开办动物饲养场、屠宰加工场所和动物、动物产品无害化处理场所等，场所位置、布局、设施"
                   "设备和管理制度符合动物防疫条件。",
        materials=(
            application("动物防疫条件审查申请表"),
            material("场所地理位置图和功能区布局平面图", standard="标明与周边场所的距离"),
            material("设施设备清单", standard="含消毒、无害化处理设施"),
            material("防疫管理制度", standard="含免疫、消毒、检测和疫情报告制度"),
        ),
        form=(text("farm_address", "场所地址", length=200),
              choice("farm_type", "场所类型", "动物饲养场", "屠宰加工场所", "无害化处理场所")),
        result="动物防疫条件合格证", licence="dwfytjhgz",
        topics=("agriculture", "operating-permits"),
    ),
    trade(
        key="seed_licence", dept="agriculture", at="P",
        name="主要农作物杂交种子及其亲本种子生产经营许可", aliases=("种子许可证", "种子经营许可"),
        basis="《中华人民共和国种子法》第三十一条：从事主要农作物杂交种子及其亲本种子……生产经营的……种子"
              "生产经营许可证，由生产经营者所在地县级人民政府农业农村主管部门审核，省、自治区、直辖市"
              "人民政府农业农村主管部门核发。《农作物种子生产经营许可管理办法》。",
        conditions="具有与种子生产经营相适应的生产经营设施、设备及专业技术人员；具有繁殖种子的隔离和培育"
                   "条件；具有无检疫性有害生物的种子生产地点；品种通过审定。",
        materials=(
            application("农作物种子生产经营许可证申请表"),
            BUSINESS_LICENCE,
            material("种子生产地点和检疫证明", standard="生产地点无检疫性有害生物"),
            material("品种审定证书", source=GOVERNMENT, standard="国家或本省审定通过"),
            material("检验设施设备和检验人员证明", standard="与生产经营规模相适应"),
        ),
        form=(text("crop", "作物种类", length=50),),
        result="农作物种子生产经营许可证", licence="nzwzzscjyxkz",
        topics=("agriculture", "operating-permits"),
    ),
    farming(
        key="farmland_subsidy", type=BENEFIT, name="耕地地力保护补贴",
        aliases=("种粮补贴", "耕地补贴", "地力补贴"), limits=(30, 20),
        basis="《财政部 农业部关于全面推开农业“三项补贴”改革工作的通知》（财农〔2016〕26号）。",
        conditions="拥有耕地承包权的种地农民，补贴与耕地面积挂钩，通过惠民惠农财政补贴资金“一卡通”直接"
                   "发放；已改为非农用途或者长期撂荒的耕地不予补贴。",
        materials=(
            ID_CARD,
            material("土地承包经营权证", source=GOVERNMENT, standard="承包地块和面积与申报一致"),
            BANK_ACCOUNT,
        ),
        form=(field("area", "耕地面积（亩）", "number"), text("village", "所在村（社区）")),
    ),
    farming(
        key="tractor_licence", type=LICENSING, name="拖拉机和联合收割机驾驶证核发",
        aliases=("拖拉机驾驶证", "农机驾驶证"), limits=(20, 10), visits=2,
        basis="《中华人民共和国农业机械化促进法》；《拖拉机和联合收割机驾驶证管理规定》。",
        conditions="年龄和身体条件符合规定，经科目一理论知识、科目二场地驾驶技能和科目三田间作业技能"
                   "考试合格。",
        materials=(
            ID_CARD,
            material("身体条件证明", source=OTHER, source_note="县级以上医疗机构",
                     standard="六个月内出具"),
            ID_PHOTO,
        ),
        form=(choice("vehicle_class", "准驾机型", "轮式拖拉机", "手扶拖拉机", "轮式联合收割机",
                     "履带式联合收割机"),),
        result="拖拉机和联合收割机驾驶证", licence="tljsz",
    ),
)
