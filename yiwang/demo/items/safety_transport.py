"""生态环境、应急管理和交通运输: 许可、执法和检查."""

from functools import partial

from ..spec import (
    BUSINESS_LICENCE,
    COMPANY,
    ENFORCEMENT,
    GOVERNMENT,
    HEARING,
    ID_CARD,
    INSPECTION,
    LICENSING,
    OPTIONAL,
    OTHER,
    PARTY_ID,
    PENALTY,
    REWARD,
    STATEMENT,
    ItemSpec,
    application,
    choice,
    date,
    issued,
    material,
    statement,
    text,
)

DRIVING_LICENCE = issued("机动车驾驶证", "jsz", "公安机关交通管理部门", "在有效期内，准驾车型相符")
TRANSPORT_LAW = "《中华人民共和国道路运输条例》"

company = partial(ItemSpec, at="C", audience=COMPANY)
environment = partial(company, dept="environment", topics=("environment",))
enforcement = partial(company, limits=(90, 60), form=(STATEMENT,))
safety = partial(company, dept="emergency", topics=("work-safety",))
transport = partial(company, dept="transport", type=LICENSING, topics=("transport",))

ITEMS = (
    environment(
        key="discharge_permit", type=LICENSING, name="排污许可证核发", aliases=("排污证", "排污许可"),
        basis="《排污许可管理条例》（国务院令第736号）第二条：依照法律规定实行排污许可管理的企业事业"
              "单位和其他生产经营者，应当依照本条例规定申请取得排污许可证；未取得排污许可证的，不得"
              "排放污染物。",
        conditions="纳入固定污染源排污许可分类管理名录的排污单位，实行重点管理或者简化管理的申请排污"
                   "许可证，实行登记管理的填报排污登记表。",
        materials=(
            application("排污许可证申请表"),
            BUSINESS_LICENCE,
            material("环境影响评价文件批复或者备案", source=GOVERNMENT,
                     standard="批复或者备案文件，与项目一致"),
            material("自行监测方案", standard="符合排污单位自行监测技术指南"),
            material("污染防治设施说明", standard="含设施工艺、处理能力和排放口信息"),
        ),
        form=(choice("management", "管理类别", "重点管理", "简化管理"),
              text("outlets", "主要排放口", required=False)),
        limits=(20, 10), result="排污许可证", licence="pwxkz",
        topics=("environment", "operating-permits"),
    ),
    environment(
        key="eia_approval", type=LICENSING, at="PC", name="建设项目环境影响报告书（表）审批",
        aliases=("环评审批", "环评批复"),
        basis="《中华人民共和国环境影响评价法》第二十二条：审批部门应当自收到环境影响报告书之日起六十日"
              "内，收到环境影响报告表之日起三十日内，分别作出审批决定并书面通知建设单位。",
        conditions="依法应当编制环境影响报告书、报告表的建设项目，建设单位在开工建设前报批；环境影响"
                   "登记表实行备案。",
        materials=(
            application("建设项目环境影响评价文件审批申请"),
            material("环境影响报告书（表）", source=OTHER, source_note="环评文件编制单位",
                     standard="编制单位和编制人员信息已在信用平台公开"),
            material("公众参与说明", necessity=OPTIONAL, standard="编制报告书的提交"),
            material("项目批准、核准或者备案文件", source=GOVERNMENT,
                     standard="载明项目代码，与投资项目在线审批监管平台一致"),
        ),
        form=(text("project_name", "项目名称"),
              choice("document", "环评文件类型", "环境影响报告书", "环境影响报告表")),
        limits=(60, 30), result="环境影响评价文件批复",
        topics=("environment", "construction-project"),
    ),
    enforcement(
        key="air_pollution_penalty", dept="environment", type=PENALTY,
        name="对超标排放大气污染物的处罚", aliases=("超标排放处罚", "大气污染处罚"),
        basis="《中华人民共和国大气污染防治法》第九十九条。",
        conditions="超过大气污染物排放标准或者超过重点大气污染物排放总量控制指标排放大气污染物的，责令"
                   "改正或者限制生产、停产整治，并处十万元以上一百万元以下的罚款；情节严重的，报经有批准"
                   "权的人民政府批准，责令停业、关闭。",
        materials=(BUSINESS_LICENCE, statement(), HEARING),
        topics=("law-enforcement", "environment"),
    ),
    enforcement(
        key="pollution_seizure", dept="environment", type=ENFORCEMENT, limits=(30, 30),
        name="查封、扣押造成污染物排放的设施、设备", aliases=("环保查封", "查封排污设备"),
        basis="《中华人民共和国环境保护法》第二十五条；《环境保护主管部门实施查封、扣押办法》。",
        conditions="违反法律法规规定排放污染物，造成或者可能造成严重污染的，可以查封、扣押造成污染物"
                   "排放的设施、设备；期限不超过三十日，情况复杂的经批准可以延长，但延长期限不得超过"
                   "三十日。",
        materials=(BUSINESS_LICENCE, statement(),
                   material("解除查封、扣押的申请及整改材料", necessity=OPTIONAL,
                            standard="违法行为已经消除的，当事人可以申请解除")),
        topics=("law-enforcement", "environment"),
    ),
    environment(
        key="pollution_inspection", type=INSPECTION, name="对排污单位的现场检查",
        aliases=("环保检查", "排污检查"),
        basis="《中华人民共和国环境保护法》第二十四条；《排污许可管理条例》。",
        conditions="对排污单位落实排污许可证规定、污染物排放、污染防治设施运行和自行监测等情况实施"
                   "“双随机、一公开”现场检查。",
        materials=(BUSINESS_LICENCE, issued("排污许可证", "pwxkz", "生态环境主管部门"),
                   material("自行监测数据和环境管理台账", standard="检查时备查")),
        limits=(20, 10), topics=("law-enforcement", "environment"),
    ),
    safety(
        key="hazchem_licence", type=LICENSING, name="危险化学品经营许可（带储存设施）",
        aliases=("危化品许可", "危险品经营证"),
        basis="《危险化学品安全管理条例》第三十三条：国家对危险化学品经营（包括仓储经营）实行许可制度。"
              "第三十四条、第三十五条。",
        conditions="有符合国家标准、行业标准的经营场所和储存设施；从业人员经过专业技术培训并经考核合格；"
                   "有健全的安全管理规章制度、专职安全管理人员和事故应急救援预案。",
        materials=(
            application("危险化学品经营许可证申请表"),
            BUSINESS_LICENCE,
            material("经营场所和储存设施证明", standard="符合国家标准和安全评价结论"),
            material("主要负责人和安全管理人员考核合格证明", standard="在有效期内"),
            material("安全管理制度和事故应急救援预案", standard="应急预案已备案"),
        ),
        form=(text("warehouse", "储存设施地址", length=200),),
        limits=(30, 20), result="危险化学品经营许可证", licence="whpjyxkz",
        topics=("work-safety", "operating-permits"),
    ),
    safety(
        key="mine_safety_licence", type=LICENSING, at="P", name="非煤矿矿山企业安全生产许可",
        aliases=("矿山安全许可", "安全生产许可证"),
        basis="《安全生产许可证条例》第二条：国家对矿山企业、建筑施工企业和危险化学品、烟花爆竹、民用"
              "爆炸物品生产企业实行安全生产许可制度。第六条、第七条：安全生产许可证颁发管理机关应当自"
              "收到申请之日起45日内审查完毕。",
        conditions="建立健全安全生产责任制和规章制度，安全投入符合要求，设置安全生产管理机构，主要"
                   "负责人和安全管理人员考核合格，特种作业人员持证上岗，依法参加工伤保险，有事故应急救援"
                   "预案。",
        materials=(
            application("非煤矿矿山企业安全生产许可证申请书"),
            BUSINESS_LICENCE,
            issued("采矿许可证", "ckxkz", "自然资源主管部门"),
            material("安全生产责任制和管理制度", standard="覆盖全员、全过程"),
            material("安全设施设计审查意见和竣工验收报告", source=OTHER,
                     standard="安全设施经验收合格"),
        ),
        form=(text("mine_name", "矿山名称"),),
        limits=(45, 20), result="安全生产许可证", licence="aqscxkz",
        topics=("work-safety", "operating-permits"),
    ),
    safety(
        key="safety_inspection", type=INSPECTION, name="安全生产监督检查",
        aliases=("安全检查", "安全生产检查"),
        basis="《中华人民共和国安全生产法》第六十五条。",
        conditions="对生产经营单位执行安全生产法律法规和国家标准、行业标准的情况进行监督检查，重点检查"
                   "危险化学品、非煤矿山和工贸行业企业。",
        materials=(BUSINESS_LICENCE,
                   material("安全生产责任制、教育培训和隐患排查治理记录", standard="检查时备查")),
        limits=(20, 10), topics=("law-enforcement", "work-safety"),
    ),
    enforcement(
        key="safety_training_penalty", dept="emergency", type=PENALTY,
        name="对未按照规定对从业人员进行安全生产教育和培训的处罚", aliases=("安全培训处罚",),
        basis="《中华人民共和国安全生产法》第九十七条。",
        conditions="生产经营单位未按照规定对从业人员、被派遣劳动者、实习学生进行安全生产教育和培训，"
                   "或者未如实告知有关安全生产事项的，责令限期改正，处十万元以下的罚款；逾期未改正的，"
                   "责令停产停业整顿，并处十万元以上二十万元以下的罚款。",
        materials=(BUSINESS_LICENCE, statement(), HEARING),
        topics=("law-enforcement", "work-safety"),
    ),
    safety(
        key="safety_reward", type=REWARD, at="P", name="安全生产工作显著成绩奖励",
        aliases=("安全生产表彰", "安全生产先进"),
        basis="《中华人民共和国安全生产法》：国家对在改善安全生产条件、防止生产安全事故、参加抢险救护等"
              "方面取得显著成绩的单位和个人，给予奖励。",
        conditions="在改善安全生产条件、防止生产安全事故、参加抢险救护等方面取得显著成绩的单位和个人，"
                   "经推荐、评审和公示后给予表彰奖励。",
        materials=(
            application("安全生产先进单位和个人推荐表"),
            material("事迹材料", standard="事实清楚，数据准确"),
            material("所在地应急管理部门推荐意见", source=GOVERNMENT, standard="加盖推荐部门印章"),
        ),
        limits=(60, 45),
    ),
    transport(
        key="passenger_transport_licence", name="道路旅客运输经营许可",
        aliases=("客运许可", "客运经营许可"),
        basis=f"{TRANSPORT_LAW}第八条、第十条；《道路旅客运输及客运站管理规定》。",
        conditions="有与其经营业务相适应并经检测合格的客车；有符合条件的驾驶人员；有健全的安全生产管理"
                   "制度；申请班线经营的还应当有明确的线路和站点方案。",
        materials=(
            application("道路旅客运输经营申请表"),
            BUSINESS_LICENCE,
            material("拟投入车辆情况和承诺书", standard="车辆技术等级和类型符合要求"),
            material("驾驶人员从业资格证明", standard="从业资格在有效期内"),
            material("安全生产管理制度文本", standard="含安全生产责任制和应急预案"),
        ),
        form=(choice("business", "经营类别", "班车客运", "包车客运", "旅游客运"),),
        limits=(20, 10), result="道路运输经营许可证", licence="dlysjyxkz",
        topics=("transport", "operating-permits"),
    ),
    transport(
        key="ride_hailing_driver", audience="person", name="网络预约出租汽车驾驶员证核发",
        aliases=("网约车驾驶证", "网约车从业资格"), visits=1,
        basis="《网络预约出租汽车经营服务管理暂行办法》第十四条、第十五条。",
        conditions="取得相应准驾车型机动车驾驶证并具有3年以上驾驶经历；无交通肇事犯罪、危险驾驶犯罪"
                   "记录，无吸毒记录，无饮酒后驾驶记录，最近连续3个记分周期内没有记满12分记录；无暴力犯罪"
                   "记录；经考核合格。",
        materials=(
            ID_CARD,
            DRIVING_LICENCE,
            material("无犯罪记录证明", source=GOVERNMENT, exempt="licence:wfzjlzm",
                     standard="公安机关联网核查的免予提交"),
            material("考试合格证明", source=GOVERNMENT, standard="全国公共科目和区域科目考试合格"),
        ),
        form=(text("platform", "拟服务平台", required=False),),
        limits=(20, 10), result="网络预约出租汽车驾驶员证", licence="wyczcjsyz",
        topics=("transport", "employment"),
    ),
    transport(
        key="dangerous_goods_driver", audience="person",
        name="道路危险货物运输从业人员从业资格证核发", aliases=("危货从业资格", "从业资格证"),
        visits=1, limits=(10, 5),
        basis=f"{TRANSPORT_LAW}；《道路运输从业人员管理规定》。",
        conditions="取得相应准驾车型机动车驾驶证，年龄不超过60周岁，3年内无重大以上交通责任事故，经危险"
                   "货物运输专业知识培训和考试合格。",
        materials=(
            ID_CARD,
            DRIVING_LICENCE,
            material("驾驶经历或者职业教育证明", standard="从事经营性道路运输驾驶2年以上或职业教育毕业"),
            material("考试合格证明", source=GOVERNMENT, standard="考试合格之日起三年内有效"),
        ),
        form=(choice("category", "从业类别", "驾驶人员", "押运人员", "装卸管理人员"),),
        result="道路运输从业人员从业资格证", licence="dlyscyzgz",
        topics=("transport", "employment"),
    ),
    transport(
        key="oversize_transport", at="PC", name="超限运输车辆行驶公路许可",
        aliases=("超限运输许可", "大件运输"), limits=(15, 5), visits=0, depth=7,
        basis="《公路安全保护条例》第三十五条；《超限运输车辆行驶公路管理规定》（交通运输部令2016年"
              "第62号）。",
        conditions="载运不可解体物品，车货总体外廓尺寸或者总质量超过限定标准，确需在公路上行驶的；跨省"
                   "超限运输实行全国联网、并联许可。",
        materials=(
            application("公路超限运输申请表"),
            issued("机动车行驶证", "xsz", "公安机关交通管理部门"),
            material("货物名称、重量、外廓尺寸及总体轮廓图", standard="与实际装载一致"),
            material("运输方案", necessity=OPTIONAL, standard="三类超限运输提交护送和加固方案"),
        ),
        form=(text("plate", "车辆号牌", length=10), text("route", "通行路线", length=200),
              date("travel_date", "通行日期")),
        result="超限运输车辆通行证", licence="cxysctxz",
    ),
    enforcement(
        key="illegal_transport_penalty", dept="transport", type=PENALTY, audience="person",
        name="对未取得道路运输经营许可擅自从事道路运输经营的处罚", aliases=("非法营运", "黑车处罚"),
        basis=f"{TRANSPORT_LAW}第六十三条。",
        conditions="未取得道路运输经营许可，擅自从事道路运输经营的，责令停止经营，没收违法所得，并依法"
                   "处以罚款；构成犯罪的，依法追究刑事责任。",
        materials=(PARTY_ID, statement(), HEARING),
        topics=("law-enforcement", "transport"),
    ),
    company(
        key="transport_inspection", dept="transport", type=INSPECTION,
        name="对道路运输经营者的监督检查", aliases=("运输检查", "道路运输检查"),
        basis=f"{TRANSPORT_LAW}“执法监督”章。",
        conditions="对道路运输经营者的经营资质、车辆技术状况、从业人员资格和安全生产制度落实情况实施"
                   "“双随机、一公开”检查。",
        materials=(BUSINESS_LICENCE, issued("道路运输经营许可证", "dlysjyxkz", "交通运输主管部门"),
                   material("车辆技术档案和从业人员台账", standard="检查时备查")),
        limits=(20, 10), topics=("law-enforcement", "transport"),
    ),
)
