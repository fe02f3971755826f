"""住建、自然资源和住房公积金: 工程建设审批、不动产登记、规划许可和公积金."""

from functools import partial

from ..spec import (
    ADJUDICATION,
    BANK_ACCOUNT,
    BUSINESS_LICENCE,
    COMPANY,
    CONFIRMATION,
    GOVERNMENT,
    HEARING,
    ID_CARD,
    LEVY,
    LICENSING,
    OPTIONAL,
    OTHER,
    OTHER_POWER,
    PARTY_ID,
    PENALTY,
    PROPERTY_CERT,
    PROXY,
    PUBLIC_SERVICE,
    STATEMENT,
    TOLERATED,
    ItemSpec,
    application,
    choice,
    date,
    fee,
    field,
    issued,
    material,
    statement,
    text,
)

PLANNING_PERMIT = issued("建设工程规划许可证", "jsgcghxkz", "自然资源主管部门")
LAND_CERT = issued("不动产权证书（国有建设用地使用权）", "bdcqzs", "不动产登记机构")
COMPLETION_REPORT = material("工程竣工验收报告", standard="建设、勘察、设计、施工、监理单位签署")
PLANNING_LAW = "《中华人民共和国城乡规划法》"
REAL_ESTATE_BASIS = ("《中华人民共和国民法典》第二百零九条：不动产物权的设立、变更、转让和消灭，经依法"
                     "登记，发生效力。《不动产登记暂行条例》第三条、第二十条：不动产登记机构应当自受理"
                     "登记申请之日起30个工作日内办结不动产登记手续。")
REGISTRATION_FEE = fee("不动产登记费（住宅类，每件）", "80.00",
                       "《国家发展改革委 财政部关于不动产登记收费标准等有关问题的通知》"
                       "（发改价格规〔2016〕2559号）")
FUND_BASIS = ("《住房公积金管理条例》第二十四条、第二十五条：住房公积金管理中心应当自受理申请之日起3日内"
              "作出准予提取或者不准提取的决定，并通知申请人。")

project = partial(ItemSpec, dept="construction", audience=COMPANY, at="C",
                  topics=("construction-project",))
planning = partial(ItemSpec, dept="land", type=LICENSING, at="C", audience=COMPANY,
                   limits=(20, 10), visits=0, depth=6, topics=("construction-project",))
real_estate = partial(ItemSpec, dept="land", type=CONFIRMATION, group="real_estate", at="C",
                      fees=(REGISTRATION_FEE,), topics=("home-buying",),
                      location="不动产登记中心或政务服务中心不动产登记专区")
withdrawal = partial(ItemSpec, dept="housing_fund", type=PUBLIC_SERVICE, group="fund_withdrawal",
                     at="PC", limits=(3, 0), visits=0, depth=6, basis=FUND_BASIS,
                     result="住房公积金提取结果", topics=("housing",))
fund = partial(ItemSpec, dept="housing_fund", type=PUBLIC_SERVICE, at="PC",
               basis="《住房公积金管理条例》。")

ITEMS = (
    project(
        key="construction_permit", type=LICENSING, at="CX", name="建筑工程施工许可证核发",
        aliases=("施工许可证", "开工许可"),
        basis="《中华人民共和国建筑法》第七条：建筑工程开工前，建设单位应当按照国家有关规定向工程所在地"
              "县级以上人民政府建设行政主管部门申请领取施工许可证。第八条：建设行政主管部门应当自收到"
              "申请之日起七日内，对符合条件的申请颁发施工许可证。《建筑工程施工许可管理办法》。",
        conditions="已办理用地批准手续，依法应当办理建设工程规划许可证的已经取得；施工场地基本具备施工"
                   "条件；已确定施工企业；有满足施工需要的资金安排、施工图纸及技术资料；有保证工程质量"
                   "和安全的具体措施。工程投资额30万元以下或者建筑面积300平方米以下的可以不申请。",
        materials=(
            application("建筑工程施工许可申请表"),
            PLANNING_PERMIT,
            material("用地批准手续", source=GOVERNMENT, exempt="licence:bdcqzs",
                     standard="不动产权证书或用地批准文件"),
            material("施工合同和中标通知书", standard="依法必须招标的提交中标通知书"),
            material("施工图设计文件审查合格书", source=OTHER, standard="审查合格，与施工图设计文件一致"),
            material("质量安全监督手续", necessity=TOLERATED, standard="容缺的在开工前补齐"),
        ),
        form=(text("project_name", "工程名称"), field("floor_area", "建筑面积（平方米）", "number"),
              field("investment", "合同价格（万元）", "number")),
        limits=(7, 3), visits=0, depth=7, result="建筑工程施工许可证", licence="sgxkz",
    ),
    project(
        key="contractor_qualification", type=LICENSING, at="PC", name="建筑业企业资质核准",
        aliases=("建筑资质", "施工资质"),
        basis="《中华人民共和国建筑法》第十三条；《建筑业企业资质管理规定》（住房和城乡建设部令第22号）。",
        conditions="依法取得营业执照的企业，按照资产、主要人员、已完成的工程业绩和技术装备等条件申请相应"
                   "等级资质；施工劳务资质实行备案。",
        materials=(
            application("建筑业企业资质申请表"),
            BUSINESS_LICENCE,
            material("注册建造师等主要人员证明", standard="注册在本企业，在有效期内"),
            material("工程业绩证明", standard="竣工验收文件、合同等，与申请资质相符"),
        ),
        form=(choice("qualification", "申请资质", "施工总承包二级", "专业承包二级",
                     "施工总承包三级"),),
        limits=(20, 15), visits=0, depth=7, result="建筑业企业资质证书", licence="jzyzzzs",
        topics=("construction-project", "operating-permits"),
    ),
    project(
        key="presale_permit", type=LICENSING, name="商品房预售许可", aliases=("预售证", "楼盘预售"),
        basis="《中华人民共和国城市房地产管理法》第四十五条；《城市商品房预售管理办法》。",
        conditions="已交付全部土地使用权出让金，取得土地使用权证书；持有建设工程规划许可证和施工"
                   "许可证；投入开发建设的资金达到工程建设总投资的25%以上，并已确定施工进度和竣工交付"
                   "日期。",
        materials=(
            application("商品房预售许可申请表"),
            LAND_CERT,
            PLANNING_PERMIT,
            issued("建筑工程施工许可证", "sgxkz", "住房和城乡建设主管部门"),
            material("工程施工进度计划和投资证明", standard="监理单位确认形象进度"),
            material("商品房预售方案", standard="含预售范围、房屋面积和交付日期"),
        ),
        form=(text("project_name", "项目名称"), field("presale_area", "预售面积（平方米）", "number")),
        limits=(10, 5), result="商品房预售许可证", licence="spfysxkz",
    ),
    project(
        key="completion_filing", type=OTHER_POWER, at="CX",
        name="房屋建筑和市政基础设施工程竣工验收备案", aliases=("竣工备案", "竣工验收"),
        basis="《建设工程质量管理条例》第四十九条：建设单位应当自建设工程竣工验收合格之日起15日内，"
              "将建设工程竣工验收报告和规划、公安消防、环保等部门出具的认可文件或者准许使用文件报建设"
              "行政主管部门或者其他有关部门备案。",
        conditions="建设单位自工程竣工验收合格之日起15日内备案；实行联合验收的，验收结果在线共享。",
        materials=(
            application("工程竣工验收备案表"),
            COMPLETION_REPORT,
            material("规划、消防等认可文件", source=GOVERNMENT, standard="实行联合验收的提交联合验收意见书"),
            material("工程质量保修书", standard="施工单位签署"),
            material("住宅质量保证书和住宅使用说明书", necessity=OPTIONAL, standard="商品住宅提交"),
        ),
        form=(text("project_name", "工程名称"),),
        limits=(5, 1), visits=0, depth=6, result="工程竣工验收备案证明",
    ),
    project(
        key="infrastructure_fee", type=LEVY, name="城市基础设施配套费征收",
        aliases=("配套费", "城市配套费"),
        basis="《财政部关于城市基础设施配套费性质的批复》（财综函〔2002〕3号）；本省城市基础设施配套费"
              "征收管理规定。",
        conditions="在城市规划区内新建、扩建、改建建设工程的建设单位，在办理施工许可前按建筑面积和本市"
                   "标准缴纳；保障性住房等按规定减免。",
        materials=(application("城市基础设施配套费缴费申请表"), PLANNING_PERMIT,
                   material("建筑面积测算报告", source=OTHER, source_note="测绘机构",
                            standard="具有测绘资质的机构出具")),
        form=(text("project_name", "工程名称"), field("floor_area", "建筑面积（平方米）", "number")),
        limits=(5, 0), visits=0, depth=6, result="缴款通知书和非税收入票据",
    ),
    project(
        key="fire_acceptance", type=LICENSING, name="特殊建设工程消防验收",
        aliases=("消防验收",),
        basis="《中华人民共和国消防法》第十三条；《建设工程消防设计审查验收管理暂行规定》（住房和城乡"
              "建设部令第51号）。",
        conditions="特殊建设工程竣工后，建设单位向住房和城乡建设主管部门申请消防验收；其他建设工程实行"
                   "备案抽查。",
        materials=(
            application("特殊建设工程消防验收申请表"),
            COMPLETION_REPORT,
            material("涉及消防的建设工程竣工图纸", standard="与消防设计审查合格的图纸一致"),
            material("消防设施检测报告", source=OTHER, source_note="消防技术服务机构",
                     standard="检测结论合格"),
        ),
        form=(text("project_name", "工程名称"),),
        limits=(15, 10), result="特殊建设工程消防验收意见书",
        topics=("construction-project", "work-safety"),
    ),
    real_estate(
        key="property_transfer", name="国有建设用地使用权及房屋所有权转移登记",
        aliases=("过户", "二手房过户", "房产证过户"), limits=(30, 5),
        basis=REAL_ESTATE_BASIS,
        conditions="房屋买卖、赠与、继承等导致权利转移的，当事人共同申请（继承、受遗赠等可单方申请）；"
                   "与交易、税务“一窗受理、并行办理”。",
        materials=(
            application("不动产登记申请书"),
            issued("买卖双方居民身份证", "jmsfz", "公安机关"),
            PROPERTY_CERT,
            material("房屋买卖合同", exempt="data:housing_contract", standard="已网签备案的免予提交"),
            material("契税完税凭证", source=GOVERNMENT, source_note="税务机关",
                     exempt="data:deed_tax", standard="一窗办理时由系统共享"),
        ),
        form=(text("property_address", "不动产坐落", length=200),
              choice("transfer_reason", "转移原因", "买卖", "赠与", "继承", "其他")),
        result="不动产权证书", licence="bdcqzs",
    ),
    real_estate(
        key="mortgage_registration", name="抵押权首次登记", limits=(30, 1), visits=0, depth=7,
        aliases=("房屋抵押", "抵押登记", "房贷抵押"),
        basis=f"{REAL_ESTATE_BASIS}《中华人民共和国民法典》第四百零二条：以建筑物和其他土地附着物等财产"
              "抵押的，应当办理抵押登记。抵押权自登记时设立。",
        conditions="以建设用地使用权、房屋等不动产抵押的，抵押人和抵押权人共同申请；银行业金融机构可通过"
                   "“不动产登记+金融服务”在线代为申请。",
        materials=(
            application("不动产登记申请书"),
            issued("抵押人居民身份证", "jmsfz", "公安机关"),
            PROPERTY_CERT,
            material("抵押合同及主债权合同", standard="金融机构在线推送的免予提交纸质件"),
        ),
        form=(text("property_address", "不动产坐落", length=200),
              field("loan_amount", "被担保主债权数额（万元）", "number")),
        result="不动产登记证明", licence="bdcdjzm",
    ),
    ItemSpec(
        key="real_estate_query", dept="land", type=PUBLIC_SERVICE, at="C",
        name="不动产登记资料查询", aliases=("查房产", "房产查询", "无房证明"),
        basis="《不动产登记资料查询暂行办法》。",
        conditions="权利人、利害关系人可以依法查询、复制不动产登记资料；权利人可在线查询本人名下不动产"
                   "登记结果。",
        materials=(ID_CARD,
                   material("利害关系证明", necessity=OPTIONAL, standard="利害关系人查询的提交")),
        form=(choice("query_type", "查询内容", "名下不动产登记结果", "指定不动产登记信息"),),
        limits=(0, 0), visits=0, depth=7, result="不动产登记资料查询结果证明", licence="bdccxzm",
        topics=("home-buying", "housing"),
    ),
    planning(
        key="land_use_planning_permit", name="建设用地规划许可证核发", aliases=("用地规划许可",),
        basis=f"{PLANNING_LAW}第三十七条、第三十八条。",
        conditions="以划拨方式取得国有土地使用权的建设项目，经批准、核准、备案后申请；以出让方式取得的，"
                   "签订国有建设用地使用权出让合同后申请。",
        materials=(
            application("建设用地规划许可申请表"),
            material("项目批准、核准或者备案文件", source=GOVERNMENT,
                     standard="载明项目代码，与投资项目在线审批监管平台一致"),
            material("国有建设用地使用权出让合同或者划拨决定书", source=GOVERNMENT,
                     standard="与项目用地位置、面积一致"),
            material("建设项目用地红线图", source=OTHER, source_note="测绘机构",
                     standard="标明用地界址点坐标"),
        ),
        form=(text("project_name", "项目名称"), field("land_area", "用地面积（平方米）", "number")),
        result="建设用地规划许可证", licence="jsydghxkz",
    ),
    planning(
        key="building_planning_permit", name="建设工程规划许可证核发", aliases=("工程规划许可",),
        basis=f"{PLANNING_LAW}第四十条。",
        conditions="在城市、镇规划区内进行建筑物、构筑物、道路、管线和其他工程建设的，建设工程设计方案"
                   "符合控制性详细规划和规划条件。",
        materials=(
            application("建设工程规划许可申请表"),
            LAND_CERT,
            issued("建设用地规划许可证", "jsydghxkz", "自然资源主管部门"),
            material("建设工程设计方案", standard="含总平面图和各层平面图"),
        ),
        form=(text("project_name", "工程名称"), field("floor_area", "建筑面积（平方米）", "number")),
        result="建设工程规划许可证", licence="jsgcghxkz",
    ),
    ItemSpec(
        key="land_dispute", dept="land", type=ADJUDICATION, at="C", name="土地权属争议行政裁决",
        aliases=("土地纠纷", "土地确权争议"),
        basis="《中华人民共和国土地管理法》第十四条：土地所有权和使用权争议，由当事人协商解决；协商不成"
              "的，由人民政府处理。《土地权属争议调查处理办法》。",
        conditions="单位之间、个人之间、个人与单位之间的土地所有权和使用权争议，协商不成的；对处理决定"
                   "不服的，可以自接到处理决定通知之日起三十日内向人民法院起诉。",
        materials=(
            application("土地权属争议调处申请书"),
            PARTY_ID,
            material("权属来源证明", standard="土地证书、批准文件、协议等"),
            material("争议土地四至、面积说明及附图", standard="标明争议范围"),
        ),
        form=(text("respondent", "被申请人"), text("parcel", "争议土地位置", length=200)),
        limits=(90, 60), topics=("legal-services",),
    ),
    ItemSpec(
        key="illegal_land_penalty", dept="land", type=PENALTY, at="C", name="对非法占用土地的处罚",
        aliases=("违法占地", "违法用地"),
        basis="《中华人民共和国土地管理法》第七十七条。",
        conditions="未经批准或者采取欺骗手段骗取批准，非法占用土地的，责令退还非法占用的土地；对违反"
                   "国土空间规划擅自将农用地改为建设用地的，限期拆除新建的建筑物和其他设施，恢复土地"
                   "原状，并处罚款。",
        materials=(PARTY_ID, statement(), HEARING),
        form=(STATEMENT,), limits=(90, 60), topics=("law-enforcement",),
    ),
    ItemSpec(
        key="mining_right", dept="land", type=LICENSING, at="P", audience=COMPANY,
        name="采矿权新立登记", aliases=("采矿证", "采矿许可"),
        basis="《中华人民共和国矿产资源法》；《矿产资源开采登记管理办法》。",
        conditions="通过竞争性出让或者协议方式取得采矿权并签订出让合同；编制矿产资源开发利用方案和矿山"
                   "地质环境保护与土地复垦方案。",
        materials=(
            application("采矿权申请登记书"),
            BUSINESS_LICENCE,
            material("采矿权出让合同", source=GOVERNMENT, standard="出让收益已按合同约定缴纳"),
            material("矿产资源开发利用方案", standard="经评审通过"),
            material("矿山地质环境保护与土地复垦方案", standard="经评审通过"),
        ),
        form=(text("mine_name", "矿山名称"), text("mineral", "开采矿种", length=50)),
        limits=(40, 20), result="采矿许可证", licence="ckxkz", topics=("operating-permits",),
    ),
    withdrawal(
        key="fund_withdrawal_purchase", name="购买自住住房提取住房公积金",
        aliases=("公积金提取", "买房提公积金", "还贷提取"),
        conditions="购买、建造、翻建、大修自住住房的缴存职工及其配偶，在规定期限内申请；偿还住房贷款"
                   "本息的可以按年或者按月提取。",
        materials=(
            ID_CARD,
            material("购房合同或者不动产权证书", exempt="licence:bdcqzs",
                     standard="网签备案或登记信息可查的免予提交"),
            material("购房发票或者契税完税凭证", exempt="data:deed_tax",
                     standard="税务信息可查的免予提交"),
            BANK_ACCOUNT,
        ),
        form=(choice("withdraw_reason", "提取原因", "购买新建商品房", "购买二手房", "偿还住房贷款"),
              field("amount", "提取金额（元）", "number")),
        topics=("home-buying", "housing"),
    ),
    withdrawal(
        key="fund_withdrawal_rent", name="租赁住房提取住房公积金",
        aliases=("租房提取公积金", "租房提公积金"),
        conditions="缴存职工及其配偶在本市无自有住房且租赁住房的，可按规定额度按月或者按年提取。",
        materials=(
            ID_CARD,
            material("本市无自有住房的情况", source=GOVERNMENT, exempt="data:real_estate",
                     standard="通过不动产登记信息共享核验，无需申请人开具"),
            material("房屋租赁合同", necessity=OPTIONAL, standard="租赁公共租赁住房或者超额提取的提交"),
            BANK_ACCOUNT,
        ),
        form=(choice("frequency", "提取方式", "按月提取", "按年提取"),),
    ),
    withdrawal(
        key="fund_withdrawal_retirement", name="离退休提取住房公积金",
        aliases=("退休提取公积金", "公积金销户"),
        conditions="缴存职工离休、退休的，可以一次性提取住房公积金账户余额并销户。",
        materials=(
            ID_CARD,
            material("离退休证明", source=GOVERNMENT,
                     standard="离退休证或者社会保险经办机构出具的养老金领取证明"),
            BANK_ACCOUNT,
        ),
        form=(date("retirement_date", "退休日期"),),
        topics=("retirement", "housing"),
    ),
    fund(
        key="fund_loan", name="住房公积金个人住房贷款", aliases=("公积金贷款", "公积金买房贷款"),
        basis="《住房公积金管理条例》第二十六条：住房公积金管理中心应当自受理申请之日起15日内作出准予"
              "贷款或者不准贷款的决定。",
        conditions="按规定连续足额缴存住房公积金的缴存职工，购买、建造、翻建、大修自住住房时申请；贷款"
                   "额度根据缴存余额、还款能力和房屋价值确定。",
        materials=(
            ID_CARD,
            material("购房合同", exempt="data:housing_contract", standard="已网签备案的免予提交"),
            material("首付款证明", standard="发票或收据"),
            material("婚姻状况证明", necessity=OPTIONAL, source=GOVERNMENT, exempt="licence:jhz",
                     standard="已婚的提交结婚证"),
            material("收入证明", necessity=TOLERATED, standard="容缺的在签订借款合同前补齐"),
        ),
        form=(field("loan_amount", "申请贷款金额（万元）", "number"),
              choice("term", "贷款期限", "10年", "15年", "20年", "25年", "30年")),
        limits=(15, 10), result="住房公积金个人住房借款合同", topics=("home-buying", "housing"),
    ),
    fund(
        key="fund_employer_registration", name="单位住房公积金缴存登记", audience=COMPANY,
        aliases=("公积金开户", "单位公积金开户"),
        basis="《住房公积金管理条例》第十四条：新设立的单位应当自设立之日起30日内向住房公积金管理中心"
              "办理住房公积金缴存登记。",
        conditions="新设立的单位自设立之日起30日内办理，并自登记之日起20日内为本单位职工办理个人账户"
                   "设立手续；可在企业开办时一并办理。",
        materials=(BUSINESS_LICENCE, application("单位住房公积金缴存登记表"),
                   material("职工名册及缴存基数", standard="缴存基数为职工上一年度月平均工资")),
        form=(field("employees", "职工人数", "number"),),
        limits=(0, 0), visits=0, depth=6, result="单位住房公积金缴存登记信息",
        topics=("start-business", "hiring"),
    ),
    fund(
        key="fund_certificate", name="住房公积金缴存证明", aliases=("公积金证明", "公积金缴存记录"),
        conditions="缴存职工本人可以在线查询和打印缴存证明，电子证明可扫码验证。",
        materials=(ID_CARD, PROXY),
        form=(choice("purpose", "证明用途", "贷款", "异地转移", "其他"),),
        limits=(0, 0), visits=0, depth=7, result="住房公积金缴存证明", licence="zfgjjjczm",
        topics=("housing",),
    ),
)
