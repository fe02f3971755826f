"""Life events (人生事件) and themes (主题) for browsing, and the search synonyms an administrator
would maintain. Items name their topics by slug."""

from __future__ import annotations

from yiwang.catalog.models import Audience, Topic

LIFE, THEME = Topic.Kind.LIFE_EVENT, Topic.Kind.THEME
PERSON, COMPANY = Audience.PERSON, Audience.COMPANY

# (slug, kind, audience, name, description), in display order.
TOPICS = (
    ("birth", LIFE, PERSON, "出生", "出生医学证明、新生儿落户、医保参保和社保卡"),
    ("schooling", LIFE, PERSON, "入学", "义务教育入学、学籍和学生资助"),
    ("employment", LIFE, PERSON, "就业", "就业失业登记、职业资格和就业补贴"),
    ("marriage", LIFE, PERSON, "结婚", "结婚、离婚登记和婚姻登记证补领"),
    ("home-buying", LIFE, PERSON, "购房", "不动产登记、公积金提取和贷款"),
    ("medical-care", LIFE, PERSON, "就医", "医保参保、异地就医、报销和医疗救助"),
    ("travel", LIFE, PERSON, "出行", "护照、港澳台通行证、驾驶证和机动车"),
    ("relocation", LIFE, PERSON, "迁居", "户口迁移、居住证和社保关系转移"),
    ("retirement", LIFE, PERSON, "退休", "养老金申领、公积金提取和老年人优待"),
    ("bereavement", LIFE, PERSON, "身后事", "户口注销、丧葬补助和遗属待遇"),
    ("military-service", LIFE, PERSON, "退役", "退役军人优待、抚恤和一次性经济补助"),
    ("start-business", LIFE, COMPANY, "开办企业", "设立登记、税务信息确认、员工参保和公积金开户"),
    ("operating-permits", LIFE, COMPANY, "经营许可", "食品、药品、运输、文化旅游等行业经营许可"),
    ("construction-project", LIFE, COMPANY, "工程建设", "规划许可、施工许可、竣工验收和消防验收"),
    ("taxation", LIFE, COMPANY, "纳税缴费", "申报纳税、发票和社会保险费缴纳"),
    ("hiring", LIFE, COMPANY, "招聘用工", "员工参保、人力资源服务和劳动保障"),
    ("close-business", LIFE, COMPANY, "注销企业", "企业注销登记和清税"),
    ("one-thing", THEME, PERSON, "高效办成一件事", "关联事项集成办理：企业开办、新生儿出生等"),
    ("service-evaluation", THEME, PERSON, "好差评", "政务服务评价、投诉和整改反馈"),
    ("social-security", THEME, PERSON, "社会保障", "养老、失业、工伤、医疗和生育保险"),
    ("household-registration", THEME, PERSON, "户籍办理", "户口登记、居民身份证和居住证"),
    ("exit-entry", THEME, PERSON, "出入境", "护照和往来港澳台通行证件"),
    ("social-assistance", THEME, PERSON, "社会救助", "低保、特困供养、临时救助和医疗救助"),
    ("elderly-care", THEME, PERSON, "养老服务", "老年人优待、高龄津贴和养老机构"),
    ("disability", THEME, PERSON, "助残服务", "残疾人证、康复救助和辅助器具"),
    ("housing", THEME, PERSON, "住房保障", "住房公积金和保障性住房"),
    ("social-organizations", THEME, COMPANY, "社会组织", "社会团体、社会服务机构和慈善组织登记认定"),
    ("legal-services", THEME, PERSON, "法律服务", "法律援助、公证和人民调解"),
    ("health", THEME, PERSON, "医疗卫生", "医师护士执业、医疗机构和公共卫生"),
    ("transport", THEME, COMPANY, "交通运输", "道路运输、网约车和超限运输"),
    ("environment", THEME, COMPANY, "生态环境", "排污许可、环境影响评价和环境执法"),
    ("work-safety", THEME, COMPANY, "安全生产", "安全生产许可、危险化学品和安全检查"),
    ("law-enforcement", THEME, COMPANY, "行政执法", "行政处罚、行政强制、行政检查的依据和程序公开"),
    ("culture-tourism", THEME, COMPANY, "文化旅游", "旅行社、导游、演出和娱乐场所"),
    ("agriculture", THEME, COMPANY, "农业农村", "农药经营、动物防疫和耕地地力保护补贴"),
)

# term → expansions: what people type and what the catalogue calls it.
SYNONYMS = (
    ("社保", "社会保险,社会保障"),
    ("医保", "医疗保险,医疗保障"),
    ("身份证", "居民身份证"),
    ("公积金", "住房公积金"),
    ("营业执照", "企业设立登记,个体工商户登记,市场主体登记"),
    ("户口", "户籍"),
    ("落户", "户口迁入,出生登记"),
    ("驾照", "机动车驾驶证"),
    ("港澳通行证", "往来港澳通行证"),
    ("台湾通行证", "往来台湾通行证"),
    ("低保", "最低生活保障"),
    ("残疾证", "残疾人证"),
    ("退休", "养老保险待遇"),
    ("失业金", "失业保险金"),
    ("房产证", "不动产权证书,不动产登记"),
    ("个税", "个人所得税"),
    ("环评", "环境影响评价"),
    ("网约车", "网络预约出租汽车"),
    ("准生证", "生育登记"),
    ("开公司", "企业设立登记,企业开办"),
)
