"""教育和卫生健康: 入学、学籍、教师资格、办学许可，医务人员和医疗机构执业、生育服务."""

from functools import partial

from ..spec import (
    BENEFIT,
    BUSINESS_LICENCE,
    CHILD,
    COMPANY,
    CONFIRMATION,
    GOVERNMENT,
    HEARING,
    HOUSEHOLD_REGISTER,
    ID_CARD,
    LICENSING,
    OPTIONAL,
    OTHER,
    PARTY_ID,
    PENALTY,
    PUBLIC_SERVICE,
    STATEMENT,
    TOLERATED,
    ItemSpec,
    application,
    choice,
    date,
    field,
    issued,
    material,
    photos,
    premises,
    statement,
    text,
)

HEALTH_CHECK = material("健康体检证明", source=OTHER, source_note="县级以上医疗机构",
                        standard="六个月内出具，体检结论合格")
EDUCATION_RECORD = material("学历证书", source=GOVERNMENT, exempt="data:education_record",
                            standard="可在学信网核验的免予提交")
EMPLOYER_PROOF = material("拟执业机构聘用证明", standard="医疗卫生机构出具，加盖公章")
COUPLE_ID_CARDS = issued("夫妻双方居民身份证", "jmsfz", "公安机关")
SCHOOL_FOUNDER = material("举办者资格证明", exempt="licence:yyzz",
                          standard="个人举办的提交身份证明，单位举办的提交法人登记证书")

teacher = partial(
    ItemSpec, dept="education", type=CONFIRMATION, group="teacher_qualification",
    limits=(30, 20), result="教师资格证书", licence="jszgzs", topics=("employment",),
    aliases=("教师资格证", "认定教师资格", "教资认定"),
    materials=(
        ID_CARD,
        EDUCATION_RECORD,
        material("中小学教师资格考试合格证明", exempt="data:teacher_exam",
                 standard="考试合格证明在有效期内；可在线核验的免予提交"),
        material("普通话水平测试等级证书", exempt="data:putonghua_test",
                 standard="二级乙等及以上，语文学科二级甲等及以上"),
        HEALTH_CHECK,
    ),
    form=(choice("subject", "任教学科", "语文", "数学", "英语", "物理", "化学", "生物", "历史",
                 "地理", "思想政治", "音乐", "体育", "美术", "信息技术"),),
)
TEACHER_BASIS = ("《中华人民共和国教师法》第十条：国家实行教师资格制度。第十三条：中小学教师资格由县级"
                 "以上地方人民政府教育行政部门认定……普通高等学校的教师资格由国务院或者省、自治区、"
                 "直辖市教育行政部门或者由其委托的学校认定。《教师资格条例》。")
TEACHER_CONDITIONS = ("遵守宪法和法律，热爱教育事业，具有良好的思想品德；具备规定的学历，通过教师资格"
                      "考试（或符合免考条件）；普通话水平和身体条件符合要求。")
school = partial(ItemSpec, dept="education", type=LICENSING, audience=COMPANY,
                 result="民办学校办学许可证", licence="mbxxbxxkz",
                 topics=("operating-permits", "schooling"))
health_staff = partial(ItemSpec, dept="health", type=LICENSING, at="PCX", limits=(20, 5),
                       visits=0, depth=7, topics=("health", "employment"))

ITEMS = (
    teacher(key="teacher_university", at="P", name="高等学校教师资格认定",
            basis=TEACHER_BASIS, conditions=f"{TEACHER_CONDITIONS}在本省高等学校任教或拟任教，"
                                            "具备研究生或者大学本科学历。"),
    teacher(key="teacher_high_school", at="C", name="高级中学和中等职业学校教师资格认定",
            basis=TEACHER_BASIS, conditions=f"{TEACHER_CONDITIONS}具备大学本科及以上学历，在户籍、"
                                            "居住地或就读学校所在地申请。"),
    teacher(key="teacher_school", at="X", name="初级中学及以下教师资格认定",
            basis=TEACHER_BASIS, conditions=f"{TEACHER_CONDITIONS}初级中学、小学、幼儿园教师资格，"
                                            "在户籍、居住地或就读学校所在地的县级教育部门申请。"),
    ItemSpec(
        key="school_enrolment", dept="education", type=PUBLIC_SERVICE, at="X",
        name="义务教育阶段新生入学登记", aliases=("小学报名", "入学报名", "小升初"),
        basis="《中华人民共和国义务教育法》第十二条：适龄儿童、少年免试入学。地方各级人民政府应当保障"
              "适龄儿童、少年在户籍所在地学校就近入学。",
        conditions="年满6周岁的适龄儿童，在户籍所在地学区学校就近免试入学；随迁子女持父母居住证在居住地"
                   "入学。按招生公告时间在线报名，无需提交纸质材料。",
        materials=(
            HOUSEHOLD_REGISTER,
            premises("居住证明", "不动产权证书，或者随迁子女父母的居住证和租赁合同"),
            issued("父母居住证", "jzz", "公安机关", "随迁子女提交", necessity=OPTIONAL),
            material("预防接种证查验证明", source=OTHER, source_note="接种单位",
                     standard="接种单位出具，查验结果完整"),
        ),
        form=(*CHILD, choice("grade", "入学年级", "小学一年级", "初中一年级")),
        limits=(20, 15), visits=0, depth=6, result="入学通知书", topics=("schooling",),
    ),
    ItemSpec(
        key="student_transfer", dept="education", type=PUBLIC_SERVICE, at="C",
        name="普通高中学生转学", aliases=("转学", "学籍转接"),
        basis="《中小学生学籍管理办法》（教基一〔2013〕7号）。",
        conditions="因户籍迁移、家庭住址变动等原因需要转学的在籍学生，经转入学校同意后，由学籍主管部门"
                   "在全国中小学生学籍信息管理系统中办理转接。",
        materials=(
            application("学生转学申请表"),
            HOUSEHOLD_REGISTER,
            material("转入学校接收证明", source=OTHER, source_note="转入学校",
                     standard="加盖转入学校公章，注明接收年级"),
            material("户籍迁移或者住址变动证明", necessity=OPTIONAL, exempt="licence:hkb",
                     standard="户口簿、不动产权证书或租赁合同"),
        ),
        form=(*CHILD, text("from_school", "原就读学校"), text("to_school", "转入学校")),
        limits=(15, 10), visits=0, depth=6, result="学籍转接结果",
        topics=("schooling", "relocation"),
    ),
    school(
        key="private_school", at="PCX", name="民办学校设立许可",
        aliases=("办学许可证", "开办学校", "民办幼儿园审批"),
        basis="《中华人民共和国民办教育促进法》第十二条：举办实施学历教育、学前教育、自学考试助学及"
              "其他文化教育的民办学校，由县级以上人民政府教育行政部门按照国家规定的权限审批。"
              "第十七条、第十八条。",
        conditions="举办者为具有政治权利和完全民事行为能力的个人或者法人；设置标准参照同级同类公办"
                   "学校；实施学历教育的先筹设、后正式设立；义务教育阶段不得设立营利性民办学校。",
        materials=(
            application("民办学校设立申请书"),
            SCHOOL_FOUNDER,
            material("拟聘校长、教师和财会人员的资格证明", standard="教师具有相应教师资格"),
            material("资产来源、资金数额及有效证明文件", standard="资金与办学规模相适应"),
            material("学校章程和首届理事会（董事会）组成人员名单", standard="章程载明办学宗旨和决策机制"),
            premises("办学场所证明", "产权证明或十年以上租赁合同；容缺的现场核查前补齐",
                     necessity=TOLERATED),
        ),
        form=(text("school_name", "拟设立学校名称"),
              choice("school_type", "办学层次", "幼儿园", "小学", "初级中学", "普通高中",
                     "中等职业学校")),
        limits=(90, 60),
    ),
    school(
        key="tutoring_institution", at="CX", name="面向中小学生的非学科类校外培训机构审批",
        aliases=("培训机构审批", "艺术培训许可", "校外培训"),
        basis="《中华人民共和国民办教育促进法》；《中共中央办公厅 国务院办公厅关于进一步减轻义务教育"
              "阶段学生作业负担和校外培训负担的意见》。",
        conditions="举办面向中小学生的体育、文化艺术、科技等非学科类校外培训机构，由县级以上教育行政"
                   "部门会同有关主管部门审批；学科类校外培训机构不再审批新设。",
        materials=(
            application("校外培训机构设立申请书"),
            SCHOOL_FOUNDER,
            material("培训场所证明及消防安全合格证明", standard="场所人均面积和消防条件符合规定"),
            material("从业人员资质证明", standard="培训人员具有相应的专业能力证明"),
            material("机构章程和管理制度", standard="含收费、退费和资金监管制度"),
        ),
        form=(text("institution_name", "拟设立机构名称"),
              choice("category", "培训类别", "体育", "文化艺术", "科技")),
        limits=(30, 20),
    ),
    ItemSpec(
        key="high_school_grant", dept="education", type=BENEFIT, at="C", name="普通高中国家助学金",
        aliases=("助学金", "国家助学金", "学生资助"),
        basis="《学生资助资金管理办法》（财教〔2021〕310号）。",
        conditions="具有正式学籍的普通高中在校生中的家庭经济困难学生；脱贫家庭、低保家庭、特困供养和"
                   "孤残学生等优先资助，标准按国家和省规定执行。",
        materials=(
            application("普通高中国家助学金申请表"),
            material("家庭经济困难情况说明", standard="学生及监护人签字"),
            material("困难身份证明", necessity=OPTIONAL, source=GOVERNMENT,
                     exempt="data:social_assistance", standard="民政等部门已共享认定信息的免予提交"),
        ),
        form=(*CHILD, text("school", "就读学校")),
        limits=(30, 20), visits=0, depth=5, result="助学金发放名单",
        topics=("schooling", "social-assistance"),
    ),
    ItemSpec(
        key="birth_medical_certificate", dept="health", type=PUBLIC_SERVICE, at="CX",
        name="出生医学证明签发", aliases=("出生证", "办出生证明", "出生证补办"),
        basis="《中华人民共和国母婴保健法》第二十三条：医疗保健机构和从事家庭接生的人员按照国务院卫生"
              "行政部门的规定，出具统一制发的新生儿出生医学证明。",
        conditions="在本地助产机构出生的新生儿，由助产机构首次签发；遗失的由原签发机构补发，信息有误的"
                   "换发；可与“出生一件事”一并办理。",
        materials=(
            COUPLE_ID_CARDS,
            material("分娩记录", source=OTHER, source_note="助产机构", exempt="data:hospital_delivery",
                     standard="助产机构信息系统已记录的免予提交"),
            application("出生医学证明首次签发登记表"),
        ),
        form=(text("baby_name", "新生儿姓名", length=20), date("birth_date", "出生日期"),
              choice("request_type", "办理类型", "首次签发", "补发", "换发")),
        limits=(0, 0), result="出生医学证明", licence="csyxzm", topics=("birth",),
        location="新生儿出生的助产医疗机构；补发、换发在县级以上卫生健康部门指定的签发机构",
    ),
    health_staff(
        key="physician_registration", name="医师执业注册", aliases=("医师注册", "医生执业证"),
        basis="《中华人民共和国医师法》第十三条：国家实行医师执业注册制度……受理申请的卫生健康主管部门"
              "应当自受理申请之日起二十个工作日内准予注册。",
        conditions="取得医师资格，拟在医疗卫生机构中执业；由所在医疗机构通过国家医师电子化注册系统"
                   "申报，核发电子证照。",
        materials=(issued("医师资格证书", "yszgzs", "卫生健康主管部门"), EMPLOYER_PROOF,
                   HEALTH_CHECK),
        form=(text("institution", "拟执业机构"),
              choice("category", "执业类别", "临床", "中医", "口腔", "公共卫生")),
        result="医师执业证书", licence="yszyzs",
    ),
    health_staff(
        key="nurse_registration", name="护士执业注册", aliases=("护士证", "护士注册"),
        basis="《护士条例》第七条：护士执业，应当经执业注册取得护士执业证书。第八条：收到申请的卫生"
              "主管部门应当自收到申请之日起20个工作日内作出决定。",
        conditions="具有完全民事行为能力；完成规定学制的护理专业学历教育并取得毕业证书；通过护士执业"
                   "资格考试；符合健康标准；自考试成绩合格之日起3年内申请。",
        materials=(
            material("护士执业资格考试成绩合格证明", standard="成绩合格，姓名和证件号码与申请人一致"),
            EDUCATION_RECORD,
            HEALTH_CHECK,
            EMPLOYER_PROOF,
        ),
        form=(text("institution", "拟执业机构"),),
        result="护士执业证书", licence="hszyzs",
    ),
    ItemSpec(
        key="medical_institution_licence", dept="health", type=LICENSING, at="PCX",
        audience=COMPANY, name="医疗机构执业登记", aliases=("开诊所", "医院执业许可", "医疗机构登记"),
        basis="《医疗机构管理条例》第十五条：医疗机构执业，必须进行登记，领取《医疗机构执业许可证》。",
        conditions="符合医疗机构基本标准；有适合的名称、组织机构和场所，有与开展的业务相适应的经费、"
                   "设施、设备和专业卫生技术人员，有相应的规章制度；诊所实行备案管理。",
        materials=(
            application("医疗机构执业登记申请书"),
            material("设置医疗机构批准书", source=GOVERNMENT, standard="在有效期内"),
            premises("医疗机构用房产权证明或使用证明",
                     "不动产权证书或租赁合同；容缺的在现场审查前补齐", necessity=TOLERATED),
            material("建筑设计平面图", standard="标明各功能科室布局"),
            material("卫生技术人员名录及执业证书", standard="与登记的诊疗科目相适应"),
        ),
        form=(text("institution_name", "医疗机构名称"),
              choice("institution_type", "机构类别", "医院", "门诊部", "社区卫生服务中心",
                     "乡镇卫生院", "其他")),
        limits=(45, 20), result="医疗机构执业许可证", licence="ylzyxkz",
        topics=("health", "operating-permits"),
    ),
    ItemSpec(
        key="public_place_hygiene", dept="health", type=LICENSING, at="CX", audience=COMPANY,
        name="公共场所卫生许可", aliases=("卫生许可证", "宾馆卫生许可", "游泳馆卫生许可"),
        basis="《公共场所卫生管理条例》第八条；《公共场所卫生管理条例实施细则》。",
        conditions="宾馆、旅店、公共浴室、游泳场（馆）等公共场所的经营单位，营业前申请卫生许可；"
                   "实行告知承诺制，承诺后当场发证，事后核查。",
        materials=(
            application("公共场所卫生许可申请表"),
            BUSINESS_LICENCE,
            material("公共场所卫生管理制度", standard="含清洗消毒、从业人员健康管理等制度"),
            material("从业人员健康合格证明", necessity=TOLERATED, exempt="data:health_cert",
                     standard="容缺的在10个工作日内补齐"),
            material("卫生检测或者评价报告", standard="具有资质的机构出具"),
        ),
        form=(text("premises", "经营场所", length=200),
              choice("category", "场所类别", "宾馆、旅店", "公共浴室", "游泳场（馆）", "其他")),
        limits=(20, 5), commitment=True, result="公共场所卫生许可证", licence="ggcswsxkz",
        topics=("operating-permits", "health"),
    ),
    ItemSpec(
        key="family_planning_assistance", dept="health", type=BENEFIT, at="X",
        name="计划生育家庭特别扶助金", aliases=("失独家庭扶助", "特扶金"),
        basis="《中华人民共和国人口与计划生育法》；《吉林省人口与计划生育条例》。",
        conditions="独生子女死亡或者伤残（三级以上）后未再生育或者收养子女，女方年满49周岁的夫妻，"
                   "按月领取特别扶助金。",
        materials=(
            ID_CARD,
            HOUSEHOLD_REGISTER,
            material("独生子女死亡证明或者伤残证明", source=OTHER, standard="户籍注销证明或残疾人证"),
            material("独生子女父母光荣证或者相关证明", necessity=OPTIONAL, source=GOVERNMENT,
                     standard="有则提交；遗失的由户籍地核实独生子女情况"),
        ),
        form=(choice("situation", "扶助情形", "独生子女死亡", "独生子女伤残"),),
        limits=(30, 20), topics=("social-assistance",),
    ),
    ItemSpec(
        key="birth_registration_service", dept="health", type=PUBLIC_SERVICE, at="X",
        name="生育登记", aliases=("准生证", "生育服务证", "怀孕登记"),
        basis="《中华人民共和国人口与计划生育法》；《吉林省人口与计划生育条例》。",
        conditions="夫妻生育子女的，在孕前、孕期或者子女出生后通过“吉事办”在线办理生育登记，不设条件"
                   "限制；登记后享受孕产期保健等服务。",
        materials=(COUPLE_ID_CARDS,
                   issued("结婚证", "jhz", "民政部门", "有则提交", necessity=OPTIONAL)),
        form=(text("spouse_name", "配偶姓名", length=50),
              field("spouse_id", "配偶居民身份证号", "id_number"),
              choice("child_order", "本次登记", "一孩", "二孩", "三孩及以上")),
        limits=(0, 0), visits=0, depth=7, result="生育登记服务单", licence="sydjfwd",
        topics=("birth",),
    ),
    ItemSpec(
        key="unlicensed_practice_penalty", dept="health", type=PENALTY, at="C",
        name="对非医师行医的处罚", aliases=("非法行医", "无证行医"),
        basis="《中华人民共和国医师法》第五十九条。",
        conditions="非医师行医的，由县级以上人民政府卫生健康主管部门责令停止非法执业活动，没收违法所得"
                   "和药品、医疗器械，并处违法所得二倍以上十倍以下的罚款，违法所得不足一万元的，按一万元"
                   "计算。",
        materials=(
            PARTY_ID,
            statement(),
            HEARING,
        ),
        form=(STATEMENT,), limits=(90, 60), topics=("law-enforcement", "health"),
    ),
    ItemSpec(
        key="floating_population_certificate", dept="health", type=PUBLIC_SERVICE, at="X",
        name="流动人口婚育证明", aliases=("婚育证明",),
        basis="《流动人口计划生育工作条例》。",
        conditions="成年育龄流动人口外出前，向户籍所在地乡（镇）人民政府或者街道办事处申请。",
        materials=(ID_CARD, HOUSEHOLD_REGISTER, photos(1, "近期一寸免冠照片")),
        limits=(0, 0), result="流动人口婚育证明", topics=("birth", "relocation"),
    ),
)
