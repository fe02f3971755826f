"""公安: 户籍、居民身份证、出入境、交通管理和治安管理."""

from functools import partial

from ..spec import (
    BOTH,
    COMPANY,
    CONFIRMATION,
    DELIVERY,
    ENFORCEMENT,
    GOVERNMENT,
    HEARING,
    HOUSEHOLD_REGISTER,
    ID_CARD,
    LICENSING,
    OPTIONAL,
    OTHER,
    PAPER,
    PARTY_ID,
    PENALTY,
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
    flow,
    issued,
    material,
    premises,
    statement,
    text,
)

POLICE_STATION = "户籍所在地公安派出所户籍窗口，或县（市、区）公安机关户政服务大厅"
EXIT_ENTRY_HALL = "户籍所在地或居住地县级以上公安机关出入境管理服务大厅（全国通办）"
VEHICLE_OFFICE = "车辆管理所、车管分所和交警服务站；也可通过“交管12123”App办理"
PHOTO_RECEIPT = material("数码相片采集回执", necessity=OPTIONAL,
                         standard="在公安机关认可的照相馆拍摄的提交回执；也可在受理窗口免费现场采集")
OLD_ID_CARD = issued("原居民身份证", "jmsfz", "公安机关", "原件，领取新证时交回")

id_card = partial(
    ItemSpec, dept="police", type=CONFIRMATION, group="id_card", at="CX", limits=(60, 15),
    fees=(fee("居民身份证工本费", "20.00",
              "《国家发展改革委 财政部关于居民身份证收费标准及有关问题的通知》（发改价格〔2003〕2322号）"),),
    result="中华人民共和国居民身份证", licence="jmsfz", location=POLICE_STATION,
    topics=("household-registration",), form=(DELIVERY,),
    flow=flow("申请", "受理", "审查", "送达",
              受理="核对户籍信息，现场采集人像和指纹信息，收取工本费",
              审查="县级公安机关审核签发，制作居民身份证"),
)
household = partial(ItemSpec, dept="police", type=CONFIRMATION, group="household",
                    location=POLICE_STATION, result="居民户口簿", licence="hkb")

ITEMS = (
    id_card(
        key="id_card_first", name="居民身份证首次申领",
        aliases=("办身份证", "第一次办身份证", "首次申领身份证"),
        basis="《中华人民共和国居民身份证法》第二条：居住在中华人民共和国境内的年满十六周岁的中国"
              "公民，应当依照本法的规定申请领取居民身份证；未满十六周岁的中国公民，可以依照本法的"
              "规定申请领取居民身份证。第八条：居民身份证由居民常住户口所在地的县级人民政府公安机关"
              "签发。第十条：公安机关应当自受理之日起六十日内发放居民身份证。",
        conditions="在本地登记常住户口的中国公民，年满十六周岁应当申领，未满十六周岁的可以申领；"
                   "未满十六周岁的由监护人陪同申请。",
        materials=(
            HOUSEHOLD_REGISTER,
            material("监护人居民身份证", necessity=OPTIONAL, source=GOVERNMENT,
                     standard="未满十六周岁申领的提交，监护人与户口簿记载一致",
                     exempt="licence:jmsfz"),
            PHOTO_RECEIPT,
        ),
        topics=("household-registration", "birth"),
    ),
    id_card(
        key="id_card_renew", name="居民身份证换领",
        aliases=("身份证到期换证", "身份证换证", "身份证过期", "身份证损坏"),
        basis="《中华人民共和国居民身份证法》第十一条：居民身份证有效期满、公民姓名变更或者证件严重"
              "损坏不能辨认的，应当申请换领新证；居民身份证登记项目出现错误的，公安机关应当及时更正，"
              "换发新证；领取新证时，必须交回原证。",
        conditions="居民身份证有效期满（可提前三个月申请）、姓名等登记项目变更或有误、证件严重损坏不能"
                   "辨认的；可在常住户口所在地或全国任一公安机关户政窗口异地办理。",
        materials=(OLD_ID_CARD, HOUSEHOLD_REGISTER, PHOTO_RECEIPT),
        commitment=True,
    ),
    id_card(
        key="id_card_replace", name="居民身份证补领",
        aliases=("身份证丢了", "身份证补办", "身份证遗失"),
        basis="《中华人民共和国居民身份证法》第十一条：居民身份证丢失的，应当申请补领。",
        conditions="居民身份证丢失的本地户籍居民；补领期间需要证明身份的，可同时申请临时居民身份证。",
        materials=(HOUSEHOLD_REGISTER, PHOTO_RECEIPT, PROXY),
        faqs=(
            ("身份证丢了，补办期间坐火车怎么办？",
             "补领居民身份证时可同时申请临时居民身份证，当场或当日即可领取，有效期三个月；"
             "乘坐火车也可在车站公安制证窗口办理临时乘车身份证明。"),
            ("身份证丢了可以在外地补办吗？",
             "可以。居民身份证补领已实现全国通办，可在全国任一公安机关户政窗口异地申请。"),
        ),
    ),
    household(
        key="birth_registration", name="出生登记（新生儿落户）", at="CX", limits=(0, 0),
        aliases=("新生儿落户", "新生儿上户口", "报户口", "出生入户"),
        basis="《中华人民共和国户口登记条例》第七条：婴儿出生后一个月以内，由户主、亲属、抚养人或者"
              "邻居向婴儿常住地户口登记机关申报出生登记。",
        conditions="在本省出生或出生后随父母一方在本省落户的婴儿，由父母或其他监护人向父亲或母亲常住"
                   "户口所在地派出所申报，随父或随母落户自愿。",
        materials=(
            issued("出生医学证明", "csyxzm", "助产医疗机构", "原件，新生儿姓名与申报一致"),
            HOUSEHOLD_REGISTER,
            issued("父母双方居民身份证", "jmsfz", "公安机关"),
            material("父母结婚证", necessity=OPTIONAL, source=GOVERNMENT, exempt="licence:jhz",
                     standard="有则提交；非婚生育的不影响办理"),
        ),
        form=(text("baby_name", "新生儿姓名", length=20), date("birth_date", "出生日期"),
              choice("follow", "落户方式", "随父落户", "随母落户")),
        topics=("birth", "household-registration"),
    ),
    household(
        key="hukou_move_in", name="户口迁入登记", at="CX", limits=(5, 3), commitment=True,
        aliases=("户口迁移", "落户", "迁户口", "购房落户"),
        basis="《中华人民共和国户口登记条例》第十条、第十三条；《国务院关于进一步推进户籍制度改革的"
              "意见》（国发〔2014〕25号）。",
        conditions="符合本省户籍制度改革规定的人员：在城镇有合法稳定住所（含租赁）的人员及其共同居住"
                   "的配偶、子女、父母，投靠亲属，就业创业人员和高校毕业生；跨省迁入的实行“一站式”"
                   "办理，无需回迁出地开具准迁证明。",
        materials=(
            HOUSEHOLD_REGISTER,
            ID_CARD,
            premises("合法稳定住所证明",
                     "不动产权证书或经登记备案的房屋租赁合同；容缺受理的在3个工作日内补齐",
                     necessity=TOLERATED),
            material("亲属关系证明", necessity=OPTIONAL,
                     standard="投靠亲属落户的提交结婚证、出生医学证明或户口簿记载的亲属关系"),
        ),
        form=(choice("reason", "迁入类别", "购房落户", "租房落户", "投靠亲属", "就业创业", "高校毕业生"),
              text("new_address", "迁入地址", length=200)),
        topics=("relocation", "household-registration", "home-buying"),
    ),
    household(
        key="death_deregistration", name="死亡人员户口注销", at="X", limits=(0, 0),
        aliases=("注销户口", "销户", "去世销户"), result="户口注销证明", licence="",
        basis="《中华人民共和国户口登记条例》第八条：公民死亡，城市在葬前，农村在一个月以内，由户主、"
              "亲属、抚养人或者邻居向户口登记机关申报死亡登记，注销户口。",
        conditions="本地常住户口人员死亡的，由其亲属等向常住户口所在地派出所申报。",
        materials=(
            material("居民死亡医学证明（推断）书", source=OTHER, source_note="医疗卫生机构",
                     standard="原件，死者信息与户口簿一致"),
            HOUSEHOLD_REGISTER,
            material("死者居民身份证", necessity=OPTIONAL, form=PAPER, source=GOVERNMENT,
                     standard="原件交回；遗失的由申报人说明情况"),
            issued("申报人居民身份证", "jmsfz", "公安机关"),
        ),
        form=(text("deceased_name", "死者姓名", length=50),
              field("deceased_id", "死者居民身份证号", "id_number"), date("death_date", "死亡日期")),
        topics=("bereavement", "household-registration"),
    ),
    ItemSpec(
        key="passport", dept="police", type=LICENSING, name="普通护照签发", at="CX",
        aliases=("办护照", "出国护照", "护照换发"),
        basis="《中华人民共和国护照法》第五条：公民因前往外国定居、探亲、学习、就业、旅行、从事商务"
              "活动等非公务原因出国的，由本人向户籍所在地的县级以上地方人民政府公安机关出入境管理机构"
              "申请普通护照。第六条：公安机关出入境管理机构应当自收到申请材料之日起十五日内签发普通护照。",
        conditions="中国公民因私出国；护照有效期不足六个月、签证页即将用完或者护照损毁、遗失的可以申请"
                   "换发、补发。国家工作人员须按规定经所在单位同意。",
        materials=(
            ID_CARD,
            material("出入境证件数字相片", necessity=OPTIONAL,
                     standard="受理时现场免费采集；符合《出入境证件相片照相指引》的回执可直接使用"),
            material("所在单位出具的意见", necessity=OPTIONAL, form=PAPER,
                     standard="登记备案的国家工作人员提交，加盖单位公章"),
            material("原护照", necessity=OPTIONAL, form=PAPER, source=GOVERNMENT,
                     standard="换发的交回原护照"),
        ),
        form=(choice("reason", "出境事由", "旅游", "探亲访友", "商务", "学习", "就业", "定居"),
              DELIVERY),
        limits=(15, 7), location=EXIT_ENTRY_HALL, result="中华人民共和国普通护照", licence="hz",
        fees=(fee("普通护照工本费", "120.00", "国家发展改革委、财政部出入境证照收费标准（2019年调整）"),),
        topics=("exit-entry", "travel"), commitment=True,
    ),
    ItemSpec(
        key="hk_macao_permit", dept="police", type=LICENSING, name="往来港澳通行证及签注签发",
        at="CX", aliases=("港澳通行证", "去香港", "去澳门", "港澳签注"),
        basis="《中华人民共和国出境入境管理法》第九条：中国公民往来内地与香港特别行政区、澳门特别行政区，"
              "中国公民往来大陆与台湾地区，应当依法申请办理通行证件。《中国公民因私事往来香港地区或者"
              "澳门地区的暂行管理办法》。",
        conditions="内地居民因旅游、探亲、商务、学习等事由前往香港、澳门；已持有效通行证的可在自助签注机"
                   "办理再次签注，立等可取。",
        materials=(ID_CARD, PHOTO_RECEIPT,
                   material("签注事由证明", necessity=OPTIONAL,
                            standard="申请探亲、商务等签注的，提交亲属关系或商务邀请等证明")),
        form=(choice("endorsement", "签注种类", "团队旅游", "个人旅游", "探亲", "商务", "其他"),
              choice("times", "签注次数", "一次有效", "二次有效"), DELIVERY),
        limits=(15, 7), location=EXIT_ENTRY_HALL, result="往来港澳通行证及签注", licence="gatxz",
        fees=(fee("往来港澳通行证（电子）工本费", "60.00", "国家发展改革委、财政部出入境证照收费标准"),
              fee("一次有效签注", "15.00", "国家发展改革委、财政部出入境证照收费标准")),
        topics=("exit-entry", "travel"),
    ),
    ItemSpec(
        key="driving_licence_renewal", dept="police", type=LICENSING,
        name="机动车驾驶证有效期满换证", at="C",
        aliases=("驾照到期换证", "驾驶证换证", "换驾照"),
        basis="《中华人民共和国道路交通安全法》第十九条；《中华人民共和国道路交通安全法实施条例》"
              "第二十六条；《机动车驾驶证申领和使用规定》（公安部令第162号）。",
        conditions="机动车驾驶证有效期满前九十日内，驾驶人可以向核发地或者核发地以外的车辆管理所申请"
                   "换证（全国通办）；身体条件符合申请相应准驾车型的要求。",
        materials=(
            ID_CARD,
            material("机动车驾驶人身体条件证明", source=OTHER, source_note="具有资质的医疗机构",
                     standard="六个月内出具；医疗机构已电子化上传的免予提交",
                     exempt="data:driver_medical"),
            material("近期一寸白底证件照", necessity=OPTIONAL,
                     standard="体检时已采集电子照片的免予提交"),
        ),
        form=(text("licence_file_number", "驾驶证档案编号", length=12), DELIVERY),
        limits=(1, 0), visits=0, depth=6, location=VEHICLE_OFFICE,
        fees=(fee("机动车驾驶证工本费", "10.00", "国家规定的机动车驾驶证工本费标准"),),
        result="中华人民共和国机动车驾驶证", licence="jsz", topics=("travel",),
    ),
    ItemSpec(
        key="vehicle_registration", dept="police", type=LICENSING, name="机动车注册登记", at="C",
        aliases=("新车上牌", "上牌照", "车辆上户"),
        basis="《中华人民共和国道路交通安全法》第八条：国家对机动车实行登记制度。机动车经公安机关交通"
              "管理部门登记后，方可上道路行驶。第九条：公安机关交通管理部门应当自受理申请之日起五个"
              "工作日内完成机动车登记审查工作。《机动车登记规定》（公安部令第164号）。",
        conditions="初次申领机动车号牌、行驶证的机动车所有人；车辆已投保机动车交通事故责任强制保险，"
                   "经查验车辆识别代号与合格证一致。",
        materials=(
            material("机动车所有人身份证明", source=GOVERNMENT, exempt="licence:jmsfz",
                     standard="个人提交居民身份证，单位提交营业执照"),
            material("购车发票（机动车来历证明）", standard="全国统一的机动车销售统一发票",
                     exempt="data:vehicle_invoice"),
            material("机动车整车出厂合格证明", standard="原件，车辆识别代号与车辆一致"),
            material("车辆购置税完税证明或者免税凭证", source=GOVERNMENT, source_note="税务机关",
                     standard="已与税务部门联网核查的免予提交", exempt="data:vehicle_purchase_tax"),
        ),
        form=(text("vin", "车辆识别代号", length=17),
              choice("plate_choice", "号牌选取方式", "互联网自编号牌", "现场选号")),
        limits=(5, 1), location=VEHICLE_OFFICE, result="机动车登记证书、号牌和行驶证",
        licence="xsz", topics=("travel",),
    ),
    ItemSpec(
        key="red_light_penalty", dept="police", type=PENALTY,
        name="对驾驶机动车不按交通信号灯指示通行的处罚", at="C",
        aliases=("闯红灯处理", "交通违法处理", "违章处理"),
        basis="《中华人民共和国道路交通安全法》第三十八条：车辆、行人应当按照交通信号通行。第九十条："
              "机动车驾驶人违反道路交通安全法律、法规关于道路通行规定的，处警告或者二十元以上二百元以下"
              "罚款。《道路交通安全违法行为处理程序规定》（公安部令第157号）。",
        conditions="驾驶机动车不按交通信号灯指示通行的，处警告或者罚款，并依照《道路交通安全违法行为"
                   "记分管理办法》一次记6分；非现场执法记录的违法行为可通过“交管12123”App在线处理。",
        materials=(
            issued("机动车驾驶证", "jsz", "公安机关交通管理部门", "在有效期内"),
            issued("机动车行驶证", "xsz", "公安机关交通管理部门", "与违法车辆一致"),
            statement(),
        ),
        form=(text("plate", "机动车号牌号码", length=10), STATEMENT),
        limits=(30, 15), visits=0, depth=6, channels=("pc", "mobile", "hall"),
        location=VEHICLE_OFFICE, topics=("travel", "law-enforcement"),
    ),
    ItemSpec(
        key="vehicle_detention", dept="police", type=ENFORCEMENT, name="扣留机动车", at="C",
        aliases=("扣车", "车辆被扣"),
        basis="《中华人民共和国道路交通安全法》第九十五条、第一百一十二条；《中华人民共和国行政强制法》"
              "第二十五条：查封、扣押的期限不得超过三十日。",
        conditions="上道路行驶的机动车未悬挂机动车号牌，未放置检验合格标志、保险标志，或者未随车携带"
                   "行驶证、驾驶证的，依法扣留机动车；当事人提供相应牌证、标志或者补办相应手续后及时退还。",
        materials=(
            material("当事人身份证明", source=GOVERNMENT, exempt="licence:jmsfz",
                     standard="领取车辆时出示居民身份证或单位介绍信"),
            material("补办的牌证、标志或者保险凭证", form=BOTH,
                     standard="与被扣留机动车相符，在有效期内"),
            statement(),
        ),
        form=(text("plate", "机动车号牌号码", length=10), STATEMENT),
        limits=(30, 15), location=VEHICLE_OFFICE, result="公安交通管理行政强制措施凭证",
        topics=("travel", "law-enforcement"),
    ),
    ItemSpec(
        key="public_order_penalty", dept="police", type=PENALTY, name="对扰乱单位秩序行为的处罚",
        at="X", aliases=("治安处罚", "治安管理处罚"),
        basis="《中华人民共和国治安管理处罚法》第三章第一节“扰乱公共秩序的行为和处罚”；《公安机关"
              "办理行政案件程序规定》。",
        conditions="扰乱机关、团体、企业、事业单位秩序，致使工作、生产、营业、医疗、教学、科研不能正常"
                   "进行，尚未造成严重损失的，处警告或者罚款；情节较重的，处拘留，可以并处罚款。",
        materials=(
            PARTY_ID,
            statement(),
            HEARING,
        ),
        form=(STATEMENT,),
        limits=(30, 20), location="违法行为地公安派出所或县级公安机关执法办案中心",
        topics=("law-enforcement",),
    ),
    household(
        key="residence_permit", name="居住证核发", type=CONFIRMATION, group="", at="X",
        limits=(15, 10), visits=1, result="居住证", licence="jzz",
        aliases=("办居住证", "暂住证", "流动人口居住登记"),
        basis="《居住证暂行条例》（国务院令第663号）第二条：公民离开常住户口所在地，到其他城市居住"
              "半年以上，符合有合法稳定就业、合法稳定住所、连续就读条件之一的，可以依照本条例的规定"
              "申领居住证。",
        conditions="在本地居住半年以上（已办理居住登记），并有合法稳定就业、合法稳定住所或连续就读"
                   "之一的非本地户籍人员。首次申领免费。",
        materials=(
            ID_CARD,
            premises("合法稳定住所证明", "不动产权证书、房屋租赁合同或单位宿舍证明之一"),
            material("合法稳定就业或连续就读证明", necessity=TOLERATED,
                     standard="劳动合同、营业执照或学校出具的就读证明之一；容缺的5个工作日内补齐"),
        ),
        form=(text("residence_address", "居住地址", length=200),
              choice("basis", "申领条件", "合法稳定就业", "合法稳定住所", "连续就读")),
        topics=("relocation", "household-registration"),
    ),
    ItemSpec(
        key="criminal_record_certificate", dept="police", type=PUBLIC_SERVICE,
        name="无犯罪记录证明开具", at="CX", aliases=("开无犯罪证明", "犯罪记录查询", "政审证明"),
        basis="《公安机关办理犯罪记录查询工作规定》（公通字〔2021〕19号）。",
        conditions="个人因就业、出国（境）、入学等需要可查询本人有无犯罪记录，单位可依法查询拟录用人员"
                   "的犯罪记录。可通过“吉事办”在线申请，电子证明与纸质证明具有同等效力。",
        materials=(ID_CARD, PROXY),
        form=(choice("purpose", "查询用途", "就业", "出国（境）", "入学", "其他"),),
        limits=(3, 0), visits=0, depth=7, result="无犯罪记录证明", licence="wfzjlzm",
        location=POLICE_STATION, topics=("employment",),
    ),
    ItemSpec(
        key="security_company", dept="police", type=LICENSING, name="保安服务公司设立许可",
        at="P", audience=COMPANY, aliases=("保安公司许可", "保安服务许可证"),
        basis="《保安服务管理条例》第八条、第九条：申请设立保安服务公司，应当向所在地设区的市级人民"
              "政府公安机关提交申请书以及能够证明其符合本条例第八条规定条件的材料；省级人民政府公安机关"
              "应当自收到审核意见之日起15日内作出决定。",
        conditions="有不低于人民币100万元的注册资本；拟任法定代表人和主要管理人员具备任职所需的专业知识"
                   "和有关业务工作经验，无被刑事处罚等不良记录；有与所提供的保安服务相适应的专业技术人员；"
                   "有住所和提供保安服务所需的设施、装备；有健全的组织机构和保安服务管理制度。",
        materials=(
            application("保安服务公司设立申请书"),
            material("法定代表人和主要管理人员的身份证明、资历证明", form=BOTH,
                     standard="含无违法犯罪记录证明，信息真实完整"),
            material("专业技术人员名单及资格证明", standard="与拟提供的保安服务相适应"),
            material("住所和设施、装备证明", necessity=TOLERATED,
                     standard="不动产权证书或租赁合同，设施装备清单；容缺的现场核查前补齐"),
            material("保安服务公司章程及管理制度", standard="符合《保安服务管理条例》要求"),
        ),
        form=(text("proposed_name", "拟设立公司名称"),
              field("capital", "注册资本（万元）", "number")),
        limits=(30, 20), result="保安服务许可证", licence="basfxkz",
        topics=("operating-permits",),
    ),
)
