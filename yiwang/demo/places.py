"""Where the demo happens: the regions below the county that an administrator would add, the
service halls, and the kinds of department that exist in each region.

A department kind has one two-digit code everywhere (公安 is 11 in the province, in 长春市 and in
朝阳区), so the same item carries the same 基本编码 in every region that implements it.
"""

from __future__ import annotations

from dataclasses import dataclass

from stdnum.cn import uscc as uscc_std

PROVINCE_CODE = "22"

# Demo places by letter (see spec.LEVEL_OF_PLACE): the province, the two cities with a full set of
# departments, one urban district and one of its 街道.
PLACES = {
    "P": ("220000",),
    "C": ("220100", "220200"),
    "X": ("220104",),
    "T": ("220104001",),
}


@dataclass(frozen=True)
class Subdivision:
    parent: str
    code: str
    name: str
    kind: str


# Towns (街道) of 长春市朝阳区 and communities of 前进街道, in the 统计用区划代码 scheme (county code
# + 3 digits, 0xx for 街道; town code + 3 digits for 社区). 前进街道 220104001 is the official code;
# the others illustrate the scheme.
SUBDIVISIONS = (
    Subdivision("220104", "220104001", "前进街道", "街道"),
    Subdivision("220104", "220104002", "桂林街道", "街道"),
    Subdivision("220104", "220104003", "永昌街道", "街道"),
    Subdivision("220104", "220104004", "重庆街道", "街道"),
    Subdivision("220104", "220104005", "清和街道", "街道"),
    Subdivision("220104", "220104006", "红旗街道", "街道"),
    Subdivision("220104", "220104007", "湖西街道", "街道"),
    Subdivision("220104", "220104100", "乐山镇", "镇"),
    Subdivision("220104", "220104101", "永春镇", "镇"),
    Subdivision("220104001", "220104001001", "前进社区", "社区"),
    Subdivision("220104001", "220104001002", "光明社区", "社区"),
    Subdivision("220104001", "220104001003", "华泰社区", "社区"),
    Subdivision("220104001", "220104001004", "幸福社区", "社区"),
)


@dataclass(frozen=True)
class Hall:
    region: str
    name: str
    address: str
    phone: str


OFFICE_HOURS = "周一至周五 8:30-11:30、13:00-17:00（法定节假日除外）；周六 9:00-15:00 延时服务"
HALLS = (
    Hall("220000", "吉林省政务服务中心", "吉林省长春市南关区人民大街 9999 号", "0431-88912345"),
    Hall("220100", "长春市政务服务中心", "吉林省长春市南关区南湖大路 3999 号", "0431-82712345"),
    Hall("220200", "吉林市政务服务中心", "吉林省吉林市船营区解放中路 2188 号", "0432-62412345"),
    Hall("220104", "长春市朝阳区政务服务中心", "吉林省长春市朝阳区延安大街 1688 号", "0431-85612345"),
    Hall("220104001", "前进街道便民服务中心", "吉林省长春市朝阳区前进大街 2288 号", "0431-85812345"),
)


@dataclass(frozen=True)
class DepartmentKind:
    """A kind of department. ``local`` names it in a city, county or 街道 from ``{region}`` (长春市,
    长春市朝阳区 …), ``{city}`` and ``{district}`` (朝阳); ``county`` overrides it in a county.
    ``places`` lists the place letters where the kind exists."""

    key: str
    code: str
    short_name: str
    province: str
    local: str
    duty: str
    places: str = "PCX"
    county: str = ""

    def name_in(self, place: str, *, region: str, city: str = "", district: str = "") -> str:
        if place == "P":
            return self.province
        template = self.county if place == "X" and self.county else self.local
        return template.format(region=region, city=city, district=district)


KINDS = (
    DepartmentKind("police", "11", "公安", "吉林省公安厅", "{region}公安局",
                   "负责{scope}户籍、居民身份证、出入境、交通管理和治安管理工作",
                   county="{city}公安局{district}分局"),
    DepartmentKind("market", "12", "市场监管", "吉林省市场监督管理厅", "{region}市场监督管理局",
                   "负责{scope}市场主体登记注册、食品药品安全监管、知识产权保护和市场综合执法"),
    DepartmentKind("hrss", "13", "人社", "吉林省人力资源和社会保障厅",
                   "{region}人力资源和社会保障局",
                   "负责{scope}就业创业、社会保险、劳动关系和劳动保障监察工作"),
    DepartmentKind("medical", "14", "医保", "吉林省医疗保障局", "{region}医疗保障局",
                   "负责{scope}基本医疗保险、生育保险、医疗救助和医保基金监管工作"),
    DepartmentKind("civil", "15", "民政", "吉林省民政厅", "{region}民政局",
                   "负责{scope}社会救助、婚姻登记、社会组织登记、养老服务和殡葬管理工作"),
    DepartmentKind("education", "16", "教育", "吉林省教育厅", "{region}教育局",
                   "负责{scope}各级各类教育的统筹管理、教师资格认定和学生资助工作"),
    DepartmentKind("health", "17", "卫健", "吉林省卫生健康委员会", "{region}卫生健康委员会",
                   "负责{scope}医疗机构和医务人员执业管理、公共卫生、妇幼健康和人口监测工作",
                   county="{region}卫生健康局"),
    DepartmentKind("transport", "18", "交通运输", "吉林省交通运输厅", "{region}交通运输局",
                   "负责{scope}道路运输市场管理、公路路政和出租汽车管理工作", places="PC"),
    DepartmentKind("construction", "19", "住建", "吉林省住房和城乡建设厅",
                   "{region}住房和城乡建设局",
                   "负责{scope}建筑市场监管、工程质量安全、房地产市场和城市建设管理工作"),
    DepartmentKind("land", "20", "自然资源", "吉林省自然资源厅", "{region}规划和自然资源局",
                   "负责{scope}国土空间规划、不动产统一登记、自然资源资产管理和执法工作",
                   places="PC"),
    DepartmentKind("environment", "21", "生态环境", "吉林省生态环境厅", "{region}生态环境局",
                   "负责{scope}排污许可、建设项目环境影响评价审批和生态环境执法工作",
                   places="PC"),
    DepartmentKind("tax", "22", "税务", "国家税务总局吉林省税务局", "国家税务总局{region}税务局",
                   "负责{scope}税收、社会保险费和有关非税收入的征收管理和纳税服务工作"),
    DepartmentKind("veterans", "23", "退役军人", "吉林省退役军人事务厅", "{region}退役军人事务局",
                   "负责{scope}退役军人移交安置、优抚褒扬和服务保障工作"),
    DepartmentKind("culture", "24", "文旅", "吉林省文化和旅游厅", "{region}文化广播电视和旅游局",
                   "负责{scope}文化和旅游市场管理、旅行社与导游管理、营业性演出审批工作",
                   places="PC"),
    DepartmentKind("commerce", "25", "商务", "吉林省商务厅", "{region}商务局",
                   "负责{scope}内外贸易、单用途商业预付卡和报废机动车回收行业管理工作",
                   places="PC"),
    DepartmentKind("agriculture", "26", "农业农村", "吉林省农业农村厅", "{region}农业农村局",
                   "负责{scope}农业生产、农药兽药管理、动物防疫和农业补贴工作", places="PC"),
    DepartmentKind("emergency", "27", "应急管理", "吉林省应急管理厅", "{region}应急管理局",
                   "负责{scope}安全生产综合监管、危险化学品和非煤矿山安全监管工作",
                   places="PC"),
    DepartmentKind("justice", "28", "司法", "吉林省司法厅", "{region}司法局",
                   "负责{scope}法律援助、律师公证管理、人民调解和司法鉴定管理工作"),
    DepartmentKind("disabled", "29", "残联", "吉林省残疾人联合会", "{region}残疾人联合会",
                   "负责{scope}残疾人证管理、康复救助、辅助器具适配和残疾人权益维护工作"),
    DepartmentKind("housing_fund", "30", "公积金", "吉林省住房公积金管理中心",
                   "{region}住房公积金管理中心",
                   "负责{scope}住房公积金的归集、提取、贷款和缴存管理工作", places="PC"),
    DepartmentKind("government_services", "31", "政数", "吉林省政务服务和数字化建设管理局",
                   "{region}政务服务和数字化建设管理局",
                   "负责{scope}政务服务事项管理、政务服务中心运行、“一件事”集成办理和"
                   "好差评工作"),
    DepartmentKind("subdistrict", "40", "街道", "", "{region}办事处",
                   "负责{scope}社会救助、养老服务、社区治理等基层公共服务，设便民服务中心",
                   places="T"),
)
KIND_BY_KEY = {kind.key: kind for kind in KINDS}
SCOPE = {"P": "全省", "C": "全市", "X": "全区", "T": "本街道"}
AREA_CODE = {"220000": "0431", "220100": "0431", "220104": "0431", "220200": "0432"}
# Illustrative addresses and telephone numbers: the street of each place's government offices
# and the prefix of its numbers (0431-889xx001 …).
STREET = {"220000": "吉林省长春市南关区人民大街", "220100": "吉林省长春市朝阳区西安大路",
          "220200": "吉林省吉林市船营区解放中路", "220104": "吉林省长春市朝阳区延安大街",
          "220104001": "吉林省长春市朝阳区前进大街"}
PHONE_PREFIX = {"220000": "889", "220100": "827", "220200": "624", "220104": "856",
                "220104001": "858"}


def organization_code(body: str) -> str:
    """组织机构代码 (GB 11714): eight characters and their check character."""
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(ch, 36) * w for ch, w in zip(body, weights, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def department_uscc(region_code: str, department_code: str) -> str:
    """统一社会信用代码 of a government organ (登记管理部门 1, 机构类别 1): the six-digit county-level
    area code, an organisation code unique per (area, department code) and the GB 32100 check."""
    area = region_code[:6]
    body = "11" + area + organization_code(f"01{area[2:]}{department_code}")
    return body + uscc_std.calc_check_digit(body)


def phone(region_code: str, department_code: str, line: str = "001") -> str:
    return f"{AREA_CODE[region_code[:6]]}-{PHONE_PREFIX[region_code]}{department_code}{line}"


def address(region_code: str, department_code: str) -> str:
    return f"{STREET[region_code]} {1000 + 37 * int(department_code)} 号"
