"""Writes evals/deid_notes.jsonl: synthetic clinical notes in Chinese and English with every
direct identifier labelled (type, start, end), for ``careguide eval deid``.

    python evals/deid_generate.py            # rewrite the file (deterministic, seed 11)
    python evals/deid_generate.py --check    # exit 1 if the file differs from what this writes

Two sources, told apart by the ``source`` field:

* ``template``: notes assembled from hand-written sentence templates filled from pools of
  names, numbers, addresses and dates. The pools were written for this set and deliberately
  hold names, cities and formats that the de-identifier's word lists do not (rare surnames,
  given names outside its list, towns it does not know), so a rule fitted to its lists misses;
* ``handwritten``: free notes written one by one (discharge summaries, referral letters,
  patients' chat messages, nursing notes, phone messages), labelled inline as ``[[type:text]]``;
* ``handwritten_late``: 20 more free notes written after the rules had been developed on the two
  sources above. Their first measurement gave recall 45/51 = 0.882 - the fairest figure this set
  offers for unseen text. The misses then led to general cue additions (caller, 收件人/陪诊员, 工号,
  "Surname, Given" after a name label), so later figures on this source are no longer unseen.
* ``handwritten_blind2``: 44 more free notes (22 per language) written and labelled before the
  de-identifier was run on them, in styles the set lacked: family WeChat messages, insurance claim
  narratives, outpatient EMR (主诉/现病史), lab order comments, referral faxes, nursing handovers,
  ED triage, GP letters with NHS numbers, US MRN/DOB headers, Hong Kong and Taiwan notes (HKID,
  民國 dates, traditional characters), 农历 dates, spoken dates, pinyin names in both orders,
  compound and minority surnames, nicknames, middle initials, full-width digits and spelt-out
  emails. Its first measurement gave recall 177/249 = 0.711 (zh 0.705, en 0.717) - again the fair
  figure for unseen text. The misses then led to general rules (script normalisation, regional ID
  check characters, lunar/ROC/spoken dates, bed/possessive/dotted names, romanised surnames), so later
  figures on this source are no longer unseen either.

Everything here is invented: no real person, phone or ID number (ID numbers are built with a
valid GB 11643 check character on invented region and sequence codes; phone numbers use the
ranges reserved for fiction where they exist, e.g. 555-01xx in North America).

Label conventions (also what counts as an identifier for the score):

* name - the name only, without titles or kinship words (王先生 -> 王; Dr. Emily Chen -> Emily Chen);
* phone, id_number, passport, email, record_number, account - the value, without its cue word;
* address - district/county level or finer, with the larger units written next to it
  (北京市朝阳区建国路88号; 221B Baker Street, London NW1 6XE); a city or province alone is not labelled;
* date - any date more precise than a year (2023年3月5日, 3月5日, March 2023); bare years are not labelled;
* age - the number of an age over 89 only.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

OUT = Path(__file__).with_name("deid_notes.jsonl")
SEED = 11
N_TEMPLATE_PER_LANGUAGE = 120

# ------------------------------------------------------------------------------------------ pools

ZH_SURNAMES = ("王 李 张 刘 陈 杨 黄 赵 吴 周 徐 孙 马 朱 胡 郭 何 高 林 罗 郑 梁 谢 宋 唐 许 韩 冯 邓 曹 彭 曾 肖 田 "
               "董 潘 袁 蔡 蒋 余 于 杜 叶 程 魏 苏 吕 丁 任 卢 姚 沈 钟 姜 崔 谭 陆 范 汪 廖 石 金 韦 贾 夏 付 方 邹 熊 "
               "白 孟 秦 邱 侯 江 尹 薛 闫 段 雷 龙 黎 史 陶 贺 毛 郝 顾 龚 邵 万 覃 武 钱 戴 严 欧阳 司马 诸葛 上官 "
               "皇甫 东方 佘 冼 阚 訾 仉 逄 厍 缑 亓官 隗").split()
ZH_GIVEN = ("伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建华 玉兰 志强 海燕 "
            "子涵 梓萱 浩然 一诺 雨桐 欣怡 俊杰 思远 嘉怡 宇轩 晓东 丽娟 卫东 建国 淑珍 凤英 德胜 桂芝 "
            "婉清 若曦 沐阳 景行 知远 砚秋 望舒 鹤年 晏殊 昭阳 念慈 扶摇 苇杭 菁菁 翀 昶 璠 甦 澍 骁").split()
EN_GIVEN = ("James Mary Robert Patricia Michael Jennifer David Linda Daniel Susan Thomas Karen Emily Sarah "
            "Declan Siobhan Tobias Ingrid Leopold Ottilie Caspian Marisol Thaddeus Philippa Anouk Bartholomew "
            "Lucinda Evander Imogen Florian Saoirse Rupert Wilhelmina Cormac Beatrix Niamh Ezekiel Delphine "
            "Xiaoming Jianguo Meiling Haoran Yuting").split()
EN_SURNAMES = ("Smith Johnson Brown Garcia Miller Davis Wilson Taylor Clark Lewis Walker Young King Wright "
               "Okonkwo Abernathy Castellanos Fairweather Lindqvist Przybylski Vanterpool Huxtable Ashworth "
               "Kowalczyk Delacroix Brannigan Featherstone Oyelaran Gallagher Nakamura Bhattacharya O'Sullivan "
               "McAllister Chen Wang Liu Zhang Zhou Huang").split()
PINYIN_NAMES = ["Zhang Wei", "Wang Fang", "Li Na", "Liu Yang", "Chen Jing", "Zhao Lei", "Huang Xiulan",
                "Zhou Jianguo", "Wu Haiyan", "Xu Zihan", "Sun Yuxuan", "Ma Lin", "Hu Jun", "Guo Meiling",
                "Lin Haoran", "Luo Xiaodong", "Zheng Shuzhen", "Ouyang Ruoxi"]
EN_TITLES = ["Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Prof."]

ZH_PLACES = [  # (province, city, districts, roads, compounds)
    ("北京市", "", ["朝阳区", "海淀区", "东城区", "丰台区", "通州区"], ["建国路", "中关村大街", "望京西路", "安定门东大街", "北苑路"],
     ["华贸公寓", "望京花园", "远洋山水", "金隅家园"]),
    ("上海市", "", ["浦东新区", "徐汇区", "静安区", "闵行区", "杨浦区"], ["张江路", "漕溪北路", "延安西路", "莲花路", "国权路"],
     ["仁恒滨江园", "徐汇苑", "万科城市花园", "古北新城"]),
    ("广东省", "广州市", ["天河区", "越秀区", "海珠区", "番禺区"], ["天河北路", "中山三路", "江南大道中", "市桥街"],
     ["华景新城", "祈福新村", "丽江花园"]),
    ("四川省", "成都市", ["武侯区", "锦江区", "青羊区", "金牛区"], ["人民南路四段", "科华北路", "蜀都大道", "一环路西一段"],
     ["棕北小区", "锦城苑", "玉林小区"]),
    ("浙江省", "杭州市", ["西湖区", "拱墅区", "滨江区"], ["文三路", "莫干山路", "江南大道"], ["翠苑一区", "星光国际", "东方郡"]),
    ("湖北省", "武汉市", ["武昌区", "洪山区", "江汉区"], ["珞喻路", "中南路", "解放大道"], ["东湖花园", "南湖山庄"]),
    ("甘肃省", "嘉峪关市", ["雄关区"], ["新华中路", "兰新西路"], ["雄关花苑", "迎宾小区"]),
    ("江西省", "景德镇市", ["珠山区", "昌江区"], ["珠山中路", "新厂东路"], ["陶瓷小区", "曙光新村"]),
    ("河南省", "驻马店市", ["驿城区"], ["解放大道", "雪松路"], ["天中山庄", "嘉和园"]),
    ("云南省", "普洱市", ["思茅区"], ["振兴大道", "茶城大道"], ["茶苑小区"]),
    ("黑龙江省", "佳木斯市", ["前进区", "向阳区"], ["长安路", "光复路"], ["江畔家园"]),
]
ZH_COUNTY_PLACES = ["河北省邢台市临城县东镇镇西竖村", "山东省临沂市沂南县界湖街道", "贵州省黔东南州雷山县西江镇",
                    "安徽省阜阳市临泉县城关街道", "湖南省怀化市沅陵县官庄镇"]
EN_STREETS = ["Baker Street", "Elm Street", "Maple Avenue", "Oak Lane", "Harbour Road", "Kingsway", "Willow Drive",
              "Cedar Court", "Beacon Street", "Mill Road", "Station Road", "Church Lane", "Sunset Boulevard",
              "Jianguo Road", "Century Avenue", "Nanjing West Road"]
EN_TOWNS = [("Boston", "MA 02115"), ("Springfield", "IL 62704"), ("Portland", "OR 97205"), ("Austin", "TX 78701"),
            ("London", "NW1 6XE"), ("Leeds", "LS2 9JT"), ("Bristol", "BS1 4DJ"), ("Oxford", "OX1 2JD")]
EN_CN_ADDR = ["No. 88 Jianguo Road, Chaoyang District, Beijing", "Room 1203, Building 5, 1000 Century Avenue, Pudong New District, Shanghai",
              "No. 17 Tianhe North Road, Tianhe District, Guangzhou 510620"]
HOSPITALS_ZH = ["市第一人民医院", "省人民医院", "协和医院", "华西医院", "中山医院", "社区卫生服务中心"]
HOSPITALS_EN = ["St Mary's Hospital", "General Hospital", "the county clinic", "Mercy Medical Center", "the district hospital"]
CITIES_ZH = ["成都", "西安", "杭州", "长沙", "南宁", "兰州", "昆明", "沈阳"]
CITIES_EN = ["Chicago", "Manchester", "Toronto", "Sydney", "Shanghai", "Singapore"]
ID_REGIONS = ["110105", "310115", "440106", "510107", "330106", "420111", "620201", "360203", "411702", "230804"]
DRUGS_ZH = ["二甲双胍 0.5g 每日两次", "阿托伐他汀 20mg 每晚一次", "氨氯地平 5mg 每日一次", "阿司匹林 100mg 每日一次"]
DRUGS_EN = ["metformin 500 mg twice daily", "atorvastatin 20 mg at night", "amlodipine 5 mg once daily",
            "lisinopril 10 mg daily"]


def id_check(first17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, weights, strict=True)) % 11]


class Filler:
    """Draws labelled values; each returns the text and its label type (None: not an identifier)."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.year = 2023

    def pick(self, items):  # type: ignore[no-untyped-def]
        return self.rng.choice(items)

    # names
    def zh_name(self) -> str:
        return self.pick(ZH_SURNAMES) + self.pick(ZH_GIVEN)

    def zh_surname(self) -> str:
        return self.pick(ZH_SURNAMES)

    def en_name(self) -> str:
        r = self.rng.random()
        if r < 0.2:
            return self.pick(PINYIN_NAMES)
        if r < 0.3:
            return f"{self.pick(EN_GIVEN)} {self.pick('ABCDEFGHJKLMNPRSTW')}. {self.pick(EN_SURNAMES)}"
        return f"{self.pick(EN_GIVEN)} {self.pick(EN_SURNAMES)}"

    def en_surname(self) -> str:
        return self.pick(EN_SURNAMES)

    def en_given(self) -> str:
        return self.pick(EN_GIVEN)

    # numbers
    def mobile(self) -> str:
        digits = self.pick(["13", "15", "17", "18", "19"]) + str(self.rng.randint(0, 9)) + f"{self.rng.randint(0, 99999999):08d}"
        style = self.rng.randint(0, 4)
        if style == 1:
            return f"{digits[:3]}-{digits[3:7]}-{digits[7:]}"
        if style == 2:
            return f"{digits[:3]} {digits[3:7]} {digits[7:]}"
        if style == 3:
            return f"+86 {digits[:3]} {digits[3:7]} {digits[7:]}"
        return digits

    def landline_zh(self) -> str:
        area, local = self.pick([("010", 8), ("021", 8), ("020", 8), ("028", 8), ("0571", 8), ("0937", 7), ("0798", 7)])
        number = "".join(str(self.rng.randint(0, 9)) for _ in range(local))
        number = str(self.rng.randint(2, 8)) + number[1:]
        style = self.rng.randint(0, 2)
        if style == 0:
            return f"{area}-{number}"
        if style == 1:
            return f"({area}){number}"
        return f"+86-{area[1:]}-{number[:4]}-{number[4:]}"

    def phone_en(self) -> str:
        style = self.rng.randint(0, 5)
        a, b = self.rng.randint(201, 989), self.rng.randint(0, 99)
        if style == 0:
            return f"({a}) 555-01{b:02d}"
        if style == 1:
            return f"{a}-555-01{b:02d}"
        if style == 2:
            return f"+1 {a} 555 01{b:02d}"
        if style == 3:
            return f"+44 20 7946 0{self.rng.randint(100, 999)}"
        if style == 4:
            return f"07700 900{self.rng.randint(100, 999)}"
        return f"{a}.555.01{b:02d}"

    def resident_id(self) -> str:
        birth = f"{self.rng.randint(1930, 2015)}{self.rng.randint(1, 12):02d}{self.rng.randint(1, 28):02d}"
        first = self.pick(ID_REGIONS) + birth + f"{self.rng.randint(0, 999):03d}"
        return first + id_check(first)

    def passport(self) -> str:
        style = self.rng.randint(0, 3)
        if style == 0:
            return f"E{self.rng.randint(10000000, 99999999)}"
        if style == 1:
            return f"E{self.pick('ABCDEFGHJK')}{self.rng.randint(1000000, 9999999)}"
        if style == 2:
            return f"G{self.rng.randint(10000000, 99999999)}"
        return f"{self.rng.randint(100000000, 999999999)}"

    def email(self) -> str:
        user = self.pick(["zhangwei", "lixiu.ying", "j.smith", "emily_chen88", "wang.fang1990", "declan.o", "mom.of.two",
                          "grandpa_li", "t.okonkwo"])
        return f"{user}{self.rng.randint(1, 99)}@{self.pick(['163.com', 'qq.com', 'gmail.com', 'outlook.com', 'example.org', 'sina.cn'])}"

    def record_zh(self) -> tuple[str, str]:
        cue = self.pick(["住院号", "门诊号", "病案号", "病历号", "就诊卡号", "医保卡号", "登记号", "影像号"])
        value = self.pick([f"ZY{self.rng.randint(2015, 2024)}{self.rng.randint(0, 999999):06d}",
                           f"{self.rng.randint(100000, 99999999)}", f"MZ-{self.rng.randint(10000, 999999)}",
                           f"{self.rng.randint(1000, 9999)}{self.pick('ABCDX')}{self.rng.randint(1000, 9999)}"])
        return cue, value

    def record_en(self) -> tuple[str, str]:
        cue = self.pick(["MRN", "MRN:", "Medical record number", "Hospital No.", "Patient ID:", "NHS number", "Account No.",
                         "Insurance ID:", "Encounter #"])
        value = self.pick([f"{self.rng.randint(1000000, 99999999)}", f"H{self.rng.randint(100000, 9999999)}",
                           f"{self.rng.randint(100, 999)} {self.rng.randint(100, 999)} {self.rng.randint(1000, 9999)}",
                           f"XGH{self.rng.randint(100000000, 999999999)}"])
        return cue, value

    def account(self) -> tuple[str, str]:
        return self.pick([("微信号：", f"wxid_{self.rng.randint(1000, 99999)}abc"), ("QQ：", f"{self.rng.randint(100000, 9999999999)}"),
                          ("WeChat ID: ", f"lucy{self.rng.randint(1980, 2010)}"),
                          ("", f"https://weibo.com/u/{self.rng.randint(10**9, 10**10 - 1)}"),
                          ("IP ", f"192.168.{self.rng.randint(0, 255)}.{self.rng.randint(1, 254)}")])

    # places
    def address_zh(self) -> str:
        if self.rng.random() < 0.15:
            return self.pick(ZH_COUNTY_PLACES) + f"{self.rng.randint(1, 60)}号"
        province, city, districts, roads, compounds = self.pick(ZH_PLACES)
        parts = []
        if self.rng.random() < 0.8:
            parts.append(province + city)
        parts.append(self.pick(districts))
        parts.append(self.pick(roads) + f"{self.rng.randint(1, 999)}号")
        if self.rng.random() < 0.6:
            parts.append(self.pick(compounds) + f"{self.rng.randint(1, 30)}{self.pick(['栋', '号楼', '幢'])}"
                         + (f"{self.rng.randint(1, 6)}单元" if self.rng.random() < 0.5 else "")
                         + f"{self.rng.randint(1, 33)}{self.rng.randint(1, 9):02d}室")
        return "".join(parts)

    def address_en(self) -> str:
        if self.rng.random() < 0.2:
            return self.pick(EN_CN_ADDR)
        town, code = self.pick(EN_TOWNS)
        unit = self.pick(["", "", f"Apt {self.rng.randint(1, 40)}{self.pick('ABC')}, ", f"Flat {self.rng.randint(1, 20)}, "])
        return f"{unit}{self.rng.randint(1, 2500)} {self.pick(EN_STREETS)}, {town}, {code}" if code[0].isupper() and code[2] == " " \
            else f"{unit}{self.rng.randint(1, 2500)} {self.pick(EN_STREETS)}, {town} {code}"

    # dates and ages
    def date_zh(self) -> str:
        y, m, d = self.rng.randint(2015, 2024), self.rng.randint(1, 12), self.rng.randint(1, 28)
        return self.pick([f"{y}年{m}月{d}日", f"{y}-{m:02d}-{d:02d}", f"{y}/{m}/{d}", f"{y}.{m:02d}.{d:02d}", f"{m}月{d}日",
                          f"{y}年{m}月", f"{m}月{d}号"])

    def date_en(self) -> str:
        y, m, d = self.rng.randint(2015, 2024), self.rng.randint(1, 12), self.rng.randint(1, 28)
        month = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December"][m - 1]
        return self.pick([f"{month} {d}, {y}", f"{d} {month} {y}", f"{m:02d}/{d:02d}/{y}", f"{y}-{m:02d}-{d:02d}",
                          f"{month[:3]} {d}", f"{d} {month[:3]} {y}", f"{month} {y}", f"{d:02d}-{month[:3]}-{y}"])

    def old_age(self) -> str:
        return str(self.rng.randint(90, 104))


ZH_NUMERALS = "零一二三四五六七八九"


def zh_number(n: int) -> str:
    tens, ones = divmod(n, 10)
    if n >= 100:
        return "一百" + ("零" + ZH_NUMERALS[n - 100] if 0 < n - 100 < 10 else zh_number(n - 100) if n > 100 else "")
    return ZH_NUMERALS[tens] + "十" + (ZH_NUMERALS[ones] if ones else "")


# ------------------------------------------------------------------------------------- templates
# A slot is {kind} (labelled) or {kind!} (filled but not an identifier). Kinds: name, surname, given,
# phone, landline, id, passport, email, record (cue+value), account, address, date, age, agezh (Chinese numerals),
# young (age under 90), hospital, city, drug.

ZH_TEMPLATES = [
    "患者{name}，{sex}，{young!}岁，因“反复胸闷{n!}天”于{date}入院。",
    "姓名：{name}  性别：{sex}  年龄：{young!}岁  {record}",
    "{name}，{sex}，{age}岁，{record}，因跌倒致右髋部疼痛来诊。",
    "患者{agezh}岁高龄，由其女儿{name}陪同就诊，联系电话{phone}。",
    "身份证号：{id}，现住址：{address}。",
    "家住{address}，既往有高血压病史{n!}年，规律服用{drug!}。",
    "{date}复查血常规：白细胞 {wbc!}×10^9/L，血红蛋白 {hb!} g/L。",
    "主治医生：{name}；责任护士：{name}。",
    "家属{name}（患者之子）要求出院，已签字，电话{phone}。",
    "患者自诉{date}起出现咳嗽、咳痰，在{city!}当地诊所输液治疗（具体不详）。",
    "{surname}先生自述血糖控制欠佳，空腹血糖 {glu!} mmol/L，糖化血红蛋白 {a1c!}%。",
    "请{surname}女士于{date}上午到{hospital!}内分泌科复诊，门诊电话{landline}。",
    "护照号码：{passport}，国籍：中国，职业：退休教师。",
    "邮箱：{email}，微信同手机号。",
    "患者为外籍人士（持护照{passport}），由翻译{name}陪同。",
    "{account}（患者本人），可通过微信发送检查报告。",
    "既往史：{year!}年行阑尾切除术，否认药物过敏史。",
    "紧急联系人：{name}（配偶），手机：{phone}。",
    "出院日期：{date}；出院诊断：社区获得性肺炎；出院带药：{drug!}。",
    "老{surname}今天来拿药，说上周{date}在{hospital!}做了胃镜。",
    "患者{name}，{agezh}岁，{record}，入院时间{date}，体温38.{n!}℃。",
    "转诊单：转出医院{hospital!}，接诊医生{name}，联系电话{landline}。",
    "患者{age}周岁，神志清，精神可，双下肢无水肿。",
    "体检号{recordvalue}，受检者{name}，身份证{id}。",
    "病人{name}的母亲{name}代诉病史。",
    "随访记录：{date}电话随访，{surname}阿姨诉血压控制在{bp!} mmHg左右。",
    "签名：{name}  日期：{date}",
    "患者{name}于{date}在{address}家中突发晕厥，由120送至我院急诊。",
    "联系方式：{phone}（本人），{landline}（家）。",
    "{name}女士，{young!}岁，孕{n!}周，末次月经{date}。",
]

EN_TEMPLATES = [
    "Patient: {name}. DOB: {date}. {record}",
    "{title} {name} is a {young!}-year-old {sexen} who presented on {date} with chest pain.",
    "{title} {surname}, a {age}-year-old {sexen}, was admitted on {date} after a fall at home.",
    "She is {age} years old and lives alone at {address}.",
    "Home address: {address}. Phone: {phone}.",
    "Seen today with his daughter, {given}, who can be reached at {phone}.",
    "Labs on {date}: HbA1c {a1c!}%, creatinine {cr!} umol/L, eGFR {egfr!}.",
    "Attending: Dr. {name}. Dictated by {name}, RN.",
    "Emergency contact: {name} (wife), mobile {phone}.",
    "{record}; insurance card on file.",
    "Passport No. {passport} (patient is visiting from {city!}).",
    "Email: {email}. Prefers contact by email.",
    "Follow-up booked for {date} at {hospital!} with Dr {surname}.",
    "Discharged on {date} on {drug!}.",
    "Referred by {title} {name} of {hospital!}; letter dated {date}.",
    "{name}, {age} y/o {sexen}, {record}, history of atrial fibrillation since {year!}.",
    "Social history: retired bus driver, lives with wife {given} at {address}.",
    "BP {bp!} mmHg, HR {hr!}, temperature 37.{n!} C. Reviewed by {title} {surname}.",
    "Pt aged {age}, frail; son {given} {surname} holds power of attorney.",
    "Message left for {title} {surname} on {phone} on {date} regarding results.",
    "Social Security Number: {ssn}. Employer: none.",
    "The patient, {name}, reports good adherence to {drug!}.",
    "Signed: {name}, MD, {date}",
    "{account} (patient shared for appointment reminders).",
    "Admitted {date}; discharged {date}. Length of stay {n!} days.",
    "Her neighbour, {name}, found her on the floor on {date} and called 911.",
    "{title} {name} called from {phone} asking for her results from {date}.",
    "Name: {caps}. Sex: {sexen}. Age: {age}.",
    "{name} ({age}/{sexletter}) was reviewed in clinic; {record}.",
    "Records requested from {hospital!}, fax {phone}.",
]


def fill(template: str, f: Filler, lang: str) -> tuple[str, list[tuple[str, int, int]]]:
    out = ""
    spans: list[tuple[str, int, int]] = []

    def add(value: str, kind: str | None) -> None:
        nonlocal out
        if kind:
            spans.append((kind, len(out), len(out) + len(value)))
        out += value

    pos = 0
    for match in re.finditer(r"\{(\w+)(!?)\}", template):
        out += template[pos : match.start()]
        pos = match.end()
        slot = match.group(1)
        if slot == "name":
            add(f.zh_name() if lang == "zh" else f.en_name(), "name")
        elif slot == "surname":
            add(f.zh_surname() if lang == "zh" else f.en_surname(), "name")
        elif slot == "given":
            add(f.en_given(), "name")
        elif slot == "caps":
            add(f"{f.en_surname().upper()}, {f.en_given()}", "name")
        elif slot == "title":
            add(f.pick(EN_TITLES), None)
        elif slot == "phone":
            add(f.mobile() if lang == "zh" else f.phone_en(), "phone")
        elif slot == "landline":
            add(f.landline_zh(), "phone")
        elif slot == "id":
            add(f.resident_id(), "id_number")
        elif slot == "ssn":
            add(f"{f.rng.randint(100, 665)}-{f.rng.randint(10, 99)}-{f.rng.randint(1000, 9999)}", "id_number")
        elif slot == "passport":
            add(f.passport(), "passport")
        elif slot == "email":
            add(f.email(), "email")
        elif slot in {"record", "recordvalue"}:
            cue, value = f.record_zh() if lang == "zh" else f.record_en()
            if slot == "record":
                add(cue + ("：" if lang == "zh" and f.rng.random() < 0.7 else " "), None)
            add(value, "record_number")
        elif slot == "account":
            cue, value = f.account()
            add(cue, None)
            add(value, "account")
        elif slot == "address":
            add(f.address_zh() if lang == "zh" else f.address_en(), "address")
        elif slot == "date":
            add(f.date_zh() if lang == "zh" else f.date_en(), "date")
        elif slot == "age":
            add(f.old_age(), "age")
        elif slot == "agezh":
            add(zh_number(int(f.old_age())), "age")
        elif slot == "young":
            add(str(f.rng.randint(18, 89)), None)
        elif slot == "sex":
            add(f.pick(["男", "女"]), None)
        elif slot == "sexen":
            add(f.pick(["man", "woman", "male", "female"]), None)
        elif slot == "sexletter":
            add(f.pick(["M", "F"]), None)
        elif slot == "hospital":
            add(f.pick(HOSPITALS_ZH if lang == "zh" else HOSPITALS_EN), None)
        elif slot == "city":
            add(f.pick(CITIES_ZH if lang == "zh" else CITIES_EN), None)
        elif slot == "drug":
            add(f.pick(DRUGS_ZH if lang == "zh" else DRUGS_EN), None)
        else:
            add(_number_slot(slot, f), None)
    out += template[pos:]
    return out, spans


def _number_slot(slot: str, f: Filler) -> str:
    ranges = {"n": (1, 9), "year": (1985, 2022), "wbc": (3, 15), "hb": (85, 160), "glu": (5, 14), "a1c": (5, 11),
              "cr": (50, 220), "egfr": (15, 110), "hr": (48, 130)}
    if slot == "bp":
        return f"{f.rng.randint(100, 190)}/{f.rng.randint(55, 110)}"
    low, high = ranges[slot]
    value = f.rng.randint(low, high)
    return f"{value}.{f.rng.randint(0, 9)}" if slot in {"glu", "a1c", "wbc"} else str(value)


def template_notes(lang: str, count: int, rng: random.Random) -> list[dict[str, object]]:
    templates = ZH_TEMPLATES if lang == "zh" else EN_TEMPLATES
    joiner = "" if lang == "zh" else " "
    notes = []
    for i in range(count):
        f = Filler(rng)
        chosen = rng.sample(templates, rng.randint(3, 5))
        text = ""
        spans: list[tuple[str, int, int]] = []
        for j, template in enumerate(chosen):
            if j:
                text += joiner if rng.random() < 0.7 else "\n"
            sentence, found = fill(template, f, lang)
            spans += [(kind, start + len(text), end + len(text)) for kind, start, end in found]
            text += sentence
        notes.append(_note(f"deid-{lang}-t{i + 1:03d}", lang, text, spans, "template"))
    return notes


def _note(note_id: str, lang: str, text: str, spans: list[tuple[str, int, int]], source: str) -> dict[str, object]:
    return {"id": note_id, "language": lang, "source": source, "text": text,
            "spans": [{"type": k, "start": s, "end": e, "text": text[s:e]} for k, s, e in sorted(spans, key=lambda x: x[1])]}


def parse_marked(marked: str) -> tuple[str, list[tuple[str, int, int]]]:
    """``[[type:text]]`` marks an identifier in a hand-written note."""
    out, spans, pos = "", [], 0
    for match in re.finditer(r"\[\[(\w+):(.+?)\]\]", marked):
        out += marked[pos : match.start()]
        spans.append((match.group(1), len(out), len(out) + len(match.group(2))))
        out += match.group(2)
        pos = match.end()
    return out + marked[pos:], spans


def build() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    notes = template_notes("zh", N_TEMPLATE_PER_LANGUAGE, rng) + template_notes("en", N_TEMPLATE_PER_LANGUAGE, rng)
    for lang, marked_notes in (("zh", HANDWRITTEN_ZH), ("en", HANDWRITTEN_EN)):
        for i, marked in enumerate(marked_notes, 1):
            text, spans = parse_marked(marked.strip())
            notes.append(_note(f"deid-{lang}-h{i:03d}", lang, text, spans, "handwritten"))
    for lang, marked_notes in (("zh", HANDWRITTEN_LATE_ZH), ("en", HANDWRITTEN_LATE_EN)):
        for i, marked in enumerate(marked_notes, 1):
            text, spans = parse_marked(marked.strip())
            notes.append(_note(f"deid-{lang}-l{i:03d}", lang, text, spans, "handwritten_late"))
    for lang, marked_notes in (("zh", HANDWRITTEN_BLIND2_ZH), ("en", HANDWRITTEN_BLIND2_EN)):
        for i, marked in enumerate(marked_notes, 1):
            text, spans = parse_marked(marked.strip())
            notes.append(_note(f"deid-{lang}-b{i:03d}", lang, text, spans, "handwritten_blind2"))
    return notes


def render(notes: list[dict[str, object]]) -> str:
    return "".join(json.dumps(note, ensure_ascii=False) + "\n" for note in notes)


def main() -> int:
    content = render(build())
    if "--check" in sys.argv:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == content
        print("deid_notes.jsonl is up to date" if same else "deid_notes.jsonl differs: run python evals/deid_generate.py")
        return 0 if same else 1
    OUT.write_text(content, encoding="utf-8")
    print(f"wrote {OUT} ({content.count(chr(10))} notes)")
    return 0


# ------------------------------------------------------------------------------- hand-written notes
# Written one by one, not from the templates above; identifiers marked [[type:text]].

HANDWRITTEN_ZH = [
    """出院小结
姓名：[[name:刘国栋]]　性别：男　年龄：67岁　住院号：[[record_number:0012873]]
入院日期：[[date:2024年1月9日]]　出院日期：[[date:2024年1月18日]]
入院诊断：急性前壁心肌梗死。患者于[[date:1月9日]]晨起活动时突发胸骨后压榨样疼痛，伴大汗，家属拨打120送入我院。
行急诊PCI，术后恢复可。出院后遵医嘱服药，2周后心内科门诊复诊。主治医师：[[name:蒋文博]]""",
    """[[name:王秀琴]]阿姨您好，我是社区的小[[name:周]]护士。您上个月[[date:28号]]的血压记录我看了，早上偏高，这周四上午请带着血压本来站里一趟。有事打我电话[[phone:139 0871 2264]]。""",
    """患者[[name:欧阳明辉]]，男，[[age:91]]岁，因“言语不清伴右侧肢体无力3小时”于[[date:2023-11-02]] 14:20急诊入院。既往房颤病史10年，未规律抗凝。家属（其孙[[name:欧阳昊]]，电话[[phone:186-2391-0457]]）诉患者当日中午午睡后被发现症状。""",
    """转诊说明：兹有我院门诊患者[[name:谭晓燕]]（门诊号[[record_number:MZ2024031877]]），孕28周，OGTT异常，建议转上级医院产科进一步管理。联系电话：[[phone:0731-84128890]]。经治医生：[[name:龙海波]]""",
    """微信消息：医生您好，我妈妈叫[[name:郑桂兰]]，今年[[age:九十二]]岁了，最近老是咳嗽，晚上睡不好。我们住在[[address:重庆市渝中区解放碑民族路168号]]附近，能不能上门看一下？我的手机[[phone:15823046619]]，微信号[[account:zgl_family2020]]。""",
    """护理记录：[[date:2024.02.14]] 21:00 患者诉切口疼痛，NRS评分5分，遵医嘱予曲马多口服，30分钟后复评3分。陪护人员为其女儿[[name:梁颖]]。""",
    """检验申请单
受检者：[[name:覃雪梅]]　性别：女　出生日期：[[date:1958年7月3日]]
身份证号：[[id_number:452122195807031521]]
申请科室：内分泌科　申请医生：[[name:韦国强]]　标本号：[[record_number:S240318-0092]]""",
    """患者自述家住[[address:广西壮族自治区南宁市青秀区民族大道136号]]，从事会计工作，平素体健。[[date:3月2日]]开始无明显诱因出现发热，最高39.2℃。""",
    """电话随访：[[date:2023年12月20日]]联系患者家属[[name:孙立新]]（患者之子），诉患者[[name:孙德福]]出院后食欲好转，已能自行下床活动。下次随访时间：[[date:2024年1月]]下旬。""",
    """门诊病历　[[date:2024/03/11]]
主诉：反复上腹痛半年。现病史：患者半年前开始出现餐后上腹胀痛……
体格检查：腹软，剑突下轻压痛。
处理：建议胃镜检查，预约电话[[phone:(028)85422114]]。医师：[[name:黎明]]""",
    """护照持有人：[[name:HUANG LIPING]]，护照号[[passport:EH4729103]]，因出国务工需办理健康证明，体检结果未见异常。""",
    """患者[[name:袁野]]，系我院职工家属，医保卡号[[record_number:5101048827165]]，今日来院取药。""",
    """老[[name:顾]]，你的CT报告出来了，没什么大问题，就是有点肺气肿，让小[[name:杨]]给你解释一下。下周[[date:二十号]]前后再来复查肺功能。""",
    """联系人：[[name:彭丽华]]（妻子）
地址：[[address:湖南省长沙市岳麓区麓山南路932号中南大学教工宿舍12栋302]]
电话：[[phone:0731-88879234]] / [[phone:13787315526]]""",
    """我是[[name:陈志远]]的家属，他在你们医院住院号是[[record_number:2023145566]]，想复印一下病历，请问需要带什么材料？我的邮箱是[[email:chenzy_family@163.com]]。""",
    """入院记录：患者[[name:何丽萍]]，女，55岁，汉族，已婚，籍贯湖北，现住[[address:武汉市洪山区珞狮南路519号]]。病史由患者本人及其丈夫[[name:宋建军]]提供，可靠。""",
    """【体检报告】体检号：[[record_number:TJ20240415007]]
姓名：[[name:诸葛亮亮]]　单位：某某科技有限公司
检查日期：[[date:2024年4月15日]]
总检意见：血脂偏高，建议低脂饮食，3个月后复查。""",
    """今天下午[[name:蔡]]医生查房，说老爷子[[age:95]]岁了，手术风险太大，建议保守治疗。家里人商量后同意。""",
    """[[date:2022年8月]]因“胆囊结石”在外院行腹腔镜胆囊切除术。术后恢复良好。否认肝炎、结核等传染病史。""",
    """新生儿记录：母亲[[name:文静]]，[[date:2024-05-06]] 03:15顺产一女婴，体重3200g，Apgar评分9-10分。父亲[[name:屈浩]]，联系电话[[phone:+86 177 0291 3348]]。""",
    """患儿[[name:牛梓涵]]，男，4岁，因发热2天就诊。家长（母亲）手机[[phone:13609186640]]，家住[[address:西安市雁塔区小寨东路91号]]。""",
    """请假条：本人[[name:邓小芳]]，因母亲住院需陪护，申请于[[date:6月3日]]至[[date:6月7日]]请假五天。""",
    """随访登记：[[name:汤]]大爷，[[age:九十]]岁，独居，家住[[address:成华区二仙桥东三路6号院]]，女儿在外地，邻居[[name:杜]]阿姨帮忙照看。""",
    """影像报告　检查号：[[record_number:CT-2024-118273]]
检查部位：胸部CT平扫　检查时间：[[date:2024年2月29日]]
影像所见：右肺上叶见一磨玻璃结节，直径约6mm。
报告医师：[[name:饶晓敏]]　审核医师：[[name:甘伟]]""",
    """患者系外籍华人，中文名[[name:林佳慧]]，英文名[[name:Jessica Lin]]，持港澳通行证[[passport:C61738204]]，来内地探亲期间发病。""",
    """家属反映：前年[[date:11月]]患者曾在社区医院检查发现血糖高，未予重视。""",
    """患者[[name:冼]]女士，[[date:2023年10月]]起出现双手小关节肿痛，晨僵约1小时，外院查类风湿因子阳性。""",
    """[[name:张桂芝]]，女，[[age:103]]岁，长寿老人，社区重点关注对象，身份证[[id_number:51010719210314009X]]，家庭医生签约编号[[record_number:JT-0087231]]。""",
    """今天带娃来打疫苗，宝宝叫[[name:糖糖]]，大名[[name:唐若溪]]，接种本编号[[record_number:440106202300871]]。护士说下次是[[date:8月15号]]。""",
    """病人自诉在网上看到的偏方，链接是[[account:https://example.cn/post/88213]]，让我们帮忙看看靠不靠谱。""",
    """会诊意见：同意目前治疗方案，建议加用低分子肝素预防血栓。会诊医师：[[name:钱卫国]]主任，[[date:2024-01-22]]。""",
    """家庭成员：配偶[[name:侯玉珍]]（已故），长子[[name:侯建华]]，住[[address:太原市小店区长风街128号]]，电话[[phone:0351-7024518]]。""",
]

HANDWRITTEN_EN = [
    """DISCHARGE SUMMARY
Patient: [[name:Margaret Ellison]]    MRN: [[record_number:40817726]]    DOB: [[date:04/12/1931]]
Admitted: [[date:02/03/2024]]    Discharged: [[date:02/09/2024]]
[[name:Mrs Ellison]] is a [[age:92]]-year-old woman admitted with community-acquired pneumonia. She was treated with IV antibiotics and improved. She lives with her son [[name:Peter]] at [[address:14 Rosewood Close, Harrogate HG1 4PL]].""".replace("[[name:Mrs Ellison]]", "Mrs [[name:Ellison]]"),
    """Hi Dr. [[name:Okafor]], this is [[name:Linda]] from the front desk. [[name:Mr. Delgado]]'s wife called again about his biopsy results - she says nobody got back to them. Her cell is [[phone:(413) 555-0187]]. Thanks!""".replace("[[name:Mr. Delgado]]", "Mr. [[name:Delgado]]"),
    """Referral letter

Dear Dr [[name:Fairbanks]],

Thank you for seeing [[name:Tomasz Wiśniewski]] (NHS number [[record_number:485 777 3456]]), a 58-year-old joiner, with a six-month history of exertional breathlessness. Echocardiogram on [[date:12 January 2024]] showed moderate aortic stenosis.

Yours sincerely,
Dr [[name:Helen Achebe]]
Riverside Surgery, [[address:22 Mill Lane, Ely CB7 4HT]]
Tel [[phone:01353 661 220]]""",
    """Nursing note [[date:3/14/2023]] 0300: Pt restless, pulling at IV line. Daughter [[name:Renee]] ([[phone:617-555-0199]]) updated by phone and will come in at 0800. Fall precautions in place.""",
    """ED triage: [[age:97]] yo F brought in by EMS from [[address:Sunrise Senior Living, 4500 Dexter Ave NW, Washington, DC 20016]] after unwitnessed fall. Hx dementia, AF on apixaban. C/o L hip pain.""",
    """Telephone encounter - [[date:Nov 8]]. Spoke with patient's husband, [[name:Rajesh Iyer]], who reports she has had 3 days of vomiting. Advised ED if unable to keep fluids down. Callback number [[phone:+1 (202) 555-0148]].""",
    """Pre-op assessment
Name: [[name:GALLOWAY, Fiona]]    Hospital No: [[record_number:RX7730145]]
Procedure: laparoscopic cholecystectomy, planned for the [[date:22nd of May]]
Allergies: penicillin (rash). Fasting instructions given.""",
    """Hey it's [[name:Kevin]] - mum's in ward 7 again, they said it's her heart. Can you call me on [[phone:07911 123456]] when you get this? The nurse in charge is [[name:Sister Agnes Mbeki]].""".replace("[[name:Sister Agnes Mbeki]]", "Sister [[name:Agnes Mbeki]]"),
    """Clinic letter, [[date:25 March 2024]]

Re: [[name:Wang Xiuying]], date of birth [[date:9 October 1950]], passport [[passport:E71028463]]

[[name:Mrs Wang]] attended with her granddaughter [[name:Amy Zhou]], who interpreted. Her diabetes remains poorly controlled (HbA1c 9.1%).""".replace("[[name:Mrs Wang]]", "Mrs [[name:Wang]]"),
    """SOAP note. S: 34M with 2 days sore throat, fever. O: T 38.4, tonsillar exudate. A: likely strep pharyngitis. P: amoxicillin 10 days; return if worse. Seen by [[name:J. Whitfield]], PA-C, on [[date:2023-10-30]].""",
    """Mr [[name:Abdullah Rahimi]] is a [[age:94]] year old retired engineer who lives at [[address:Flat 6, 31 Queen's Road, Brighton BN1 3XE]] with his wife [[name:Soraya]]. Contact: [[email:s.rahimi1952@btinternet.com]]""",
    """Patient portal message ([[date:January 3, 2024]]): "Hello, my name is [[name:Chloe Brennan]] and I need to reschedule my colonoscopy. My account number is [[record_number:88-2201-947]]. You can reach me at [[email:chloebrennan@gmail.com]] or [[phone:555-0163]]." """.strip().replace("[[phone:555-0163]]", "[[phone:(508) 555-0163]]"),
    """Social work note: Client [[name:Darnell Hughes]] reports housing instability. Currently staying with cousin [[name:Marcus]] at [[address:1187 Elm St Apt 3B, Dayton, OH 45402]]. SSN on file: [[id_number:219-09-9999]].""",
    """Pathology report. Specimen: skin, left forearm, shave biopsy. Accession number: [[record_number:SP24-018832]]. Collected [[date:02/27/2024]]. Diagnosis: basal cell carcinoma, nodular type, margins clear. Pathologist: [[name:Ingrid Solberg]], MD.""",
    """Home visit: [[name:Mrs O'Connor]] ([[age:101]]) was sitting in her chair, alert and cheerful. Her niece [[name:Bridget]] visits daily. Pressure areas intact.""".replace("[[name:Mrs O'Connor]]", "Mrs [[name:O'Connor]]"),
    """The patient, a 45-year-old teacher from Leeds, presented with a 2-week history of headache worse in the morning. No focal deficits. CT head arranged. Her GP is Dr [[name:Natasha Kowalski]] at the Hyde Park practice.""",
    """Consent discussed with patient and her partner [[name:Jamie Lee Foster]]. Risks including bleeding, infection and conversion to open surgery explained. Patient signed consent on [[date:6/1/24]].""",
    """Call from [[name:Ms. Yamamoto]] re her father [[name:Hiroshi Yamamoto]], [[age:93]], admitted last night. She is flying in from Osaka and asks that updates go to her email [[email:keiko.yamamoto@outlook.jp]].""".replace("[[name:Ms. Yamamoto]]", "Ms. [[name:Yamamoto]]"),
    """Interpreter requested (Mandarin). Patient [[name:Li Jianguo]], [[record_number:MRN 5539102]]""".replace("[[record_number:MRN 5539102]]", "MRN [[record_number:5539102]]"),
    """Vaccination record: [[name:Oliver Grant]], born [[date:14/08/2019]], attended for MMR booster. Parent: [[name:Hannah Grant]]. Next due: [[date:August 2025]].""",
    """Medication reconciliation done with pharmacist [[name:Tom Nguyen]]. Patient brought a list from [[name:Walgreens]] store #4471 (ph [[phone:312.555.0110]]).""".replace("[[name:Walgreens]]", "Walgreens"),
    """Dictated but not read. [[name:Abernathy]], [[name:Cole]] - 67M - follow up post CABG [[date:Sept 2023]]. Doing well. Walks 2 miles daily.""",
    """He reports he was born in Glasgow and moved to the US in 1978. He now lives at [[address:72 Harbor View Rd, Bar Harbor, ME 04609]].""",
    """Infection control: contact tracing for index patient [[name:Samuel Osei]] (bed 12, ward 4B). Exposed staff: [[name:Priya Raman]] RN, [[name:Diego Ferreira]] HCA. Swabs taken [[date:05-Apr-2024]].""",
    """Advance directive on file, witnessed by [[name:Gregory Pham]] and [[name:Laura Bishop]] on [[date:July 19, 2022]]. Health care proxy: daughter [[name:Elaine Carter]], [[phone:(781) 555-0122]].""",
    """Ambulance handover: male approx 60, found collapsed outside [[address:350 Fifth Avenue, New York, NY 10118]]. No ID on him. GCS 13 on arrival.""",
    """Research recruitment log: participant [[name:Zhao Min]] consented [[date:2024-03-18]], study ID CG-017, contact via WeChat ID: [[account:zhaomin_1988]].""",
    """Progress note: Her husband [[name:Frank]] says she has been more confused since [[date:Tuesday the 4th]]. Urine dip positive for nitrites. Started nitrofurantoin.""".replace("[[date:Tuesday the 4th]]", "Tuesday the [[date:4th]]"),
    """Letter to patient: Dear [[name:Mr Papadopoulos]], your next appointment with the diabetes team is on [[date:Thursday 18 April 2024]] at 10:30. Please bring your glucose meter.""".replace("[[name:Mr Papadopoulos]]", "Mr [[name:Papadopoulos]]").replace("[[date:Thursday 18 April 2024]]", "Thursday [[date:18 April 2024]]"),
    """Occupational health: employee [[name:Bethany Morgan-Reid]], staff number [[record_number:E0048211]], cleared to return to work from [[date:12/02/2024]] with reduced hours.""",
    """Complaint received from [[name:Mr. Edward Thornton]] ([[email:ed.thornton@protonmail.com]]) about waiting times on [[date:10 Feb]]. Acknowledged within 48 hours.""".replace("[[name:Mr. Edward Thornton]]", "Mr. [[name:Edward Thornton]]"),
    """Patient is a [[age:99]]-year-old widower, previously a farmer near Dubbo. Lives in residential care at [[address:17 Macquarie Street, Dubbo NSW 2830]]. Next of kin: grandson [[name:Lachlan Doyle]] on [[phone:+61 412 555 019]].""",
]


# Written after the rules were developed (source "handwritten_late"); see the module docstring.
HANDWRITTEN_LATE_ZH = [
    """医嘱单　床号：15　姓名：[[name:戴晓琳]]　科室：呼吸内科　登记号：[[record_number:P00391822]]　开立时间：[[date:2024-06-11]] 08:30　开立医生：[[name:雷振宇]]""",
    """您好，我是[[name:卜凡]]的爱人，他[[date:5月20日]]在你们这里做的肠镜，病理结果出来了吗？麻烦打我电话[[phone:18907315562]]，谢谢！""",
    """患者家住[[address:天津市河西区友谊路35号]]，退休工人，吸烟40年，每日约20支，已戒烟2年。""",
    """现病史：患者[[date:2023年9月]]体检发现甲状腺结节，未予处理。[[date:2024年3月18日]]复查彩超提示结节增大，遂来我院。""",
    """陪诊员：[[name:钟雨晴]]，工号[[record_number:PZ-2087]]；患者[[name:邱德明]]，[[age:94]]岁，独自居住，子女均在国外。""",
    """出生证明补办申请：新生儿父亲[[name:尹志刚]]，身份证号码[[id_number:370102198806154419]]，母亲[[name:郝静]]，联系地址[[address:济南市历下区泉城路180号]]。""",
    """值班记录：凌晨2点，[[name:孟]]老太太诉胸闷，心电图未见明显ST段改变，予吸氧后缓解，已通知其儿子[[name:孟凡超]]。""",
    """快递到付，收件人[[name:魏淑华]]，电话[[phone:0532-85967711]]，地址[[address:山东省青岛市市南区香港中路76号颐和国际A座2107]]。""",
    """家属签字：[[name:石磊]]　与患者关系：父子　日期：[[date:2024年7月2日]]""",
    """随访：患者[[name:薛]]女士[[date:12月3日]]来电，诉服用新药后头晕，已建议暂停并门诊复诊。""",
]
HANDWRITTEN_LATE_EN = [
    """Telephone triage ([[date:Aug 14, 2024]]): caller [[name:Nadia Petrova]] reports her husband [[name:Ivan]] has had chest tightness for an hour. Advised to call 911 immediately. Address confirmed as [[address:2210 Lakeview Drive, Madison, WI 53704]].""",
    """Pt name: [[name:Hernandez, Luis]]   DOB [[date:11/23/1947]]   MRN [[record_number:00987312]]
Chief complaint: worsening shortness of breath.""",
    """Thank you for referring [[name:Mrs Gwendolyn Price]], a [[age:91]] year old lady with recurrent falls.""".replace("[[name:Mrs Gwendolyn Price]]", "Mrs [[name:Gwendolyn Price]]"),
    """Her son [[name:Aaron]] ([[email:aaron.mills@fastmail.com]]) would like copies of her discharge summary sent to him.""",
    """OT home assessment at [[address:8 Orchard Way, Taunton TA1 2PX]] on [[date:3 September 2024]]: grab rails recommended.""",
    """Seen with interpreter [[name:Mei Lin Tan]]. Patient's passport number [[passport:K4821937]] recorded for insurance.""",
    """Lab called at 02:10 with critical potassium 6.8 for [[name:Jorge Alvarado]], bed 22. Informed Dr [[name:Kapoor]].""",
    """Discharge planning: patient will stay with her daughter [[name:Felicity Okoye]] at [[address:45 Station Road, Didcot OX11 7LZ]], phone [[phone:01235 812 004]].""",
    """Consent form witnessed by [[name:Rafael Moreno]], RN on [[date:January 9, 2025]].""",
    """[[name:Mr Chowdhury]] ([[age:96]]) declined the flu vaccine again this year.""".replace("[[name:Mr Chowdhury]]", "Mr [[name:Chowdhury]]"),
]


# Written blind (source "handwritten_blind2"): after the rules above, in styles and formats not yet
# in the set, labelled before the de-identifier was run on them; see the module docstring.
HANDWRITTEN_BLIND2_ZH = [
    """[微信] [[date:2024/5/6]] 21:13
[[name:刘]]医生您好，打扰了，我是3床[[name:上官秀梅]]的女儿[[name:上官婷]]。我妈今天下午吃了新开的硝苯地平控释片以后说头有点胀，量了血压105/60，需要停吗？
[[date:2024/5/6]] 21:20
我电话是[[phone:１３９　１０２４　７７８３]]，您方便的时候回个电话就行，谢谢您！""",
    """理赔申请说明：被保险人[[name:司马文涛]]（证件号码[[id_number:440305198709120613]]），保单号[[record_number:P2023-4419-0086]]，于[[date:2024年2月17日]]晚在家中突发右下腹痛，次日到区人民医院就诊，诊断为急性阑尾炎，行腹腔镜阑尾切除术，住院5天。现申请住院医疗费用报销，收款账户为本人银行卡[[account:6222 0212 0304 5567 891]]。联系人：被保险人之妻[[name:闵慧]]，电话[[phone:13723418806]]。""",
    """门诊病历
科别：神经内科　就诊日期：[[date:2024-03-22]]　ID号：[[record_number:0004482917]]
姓名：[[name:皇甫俊]]　性别：男　年龄：58岁
主诉：右手静止性震颤2年，加重3月。
现病史：患者2年前无明显诱因出现右手抖动，静止时明显，紧张时加重，去年[[date:10月]]起出现动作迟缓、写字变小。曾在外院诊断“帕金森病”，予多巴丝肼片125mg tid口服，症状部分改善。
既往史：高血压病10年，服用氨氯地平。
初步诊断：帕金森病（H-Y 2期）
处理：多巴丝肼片加量至250mg tid；1月后复诊。医师签名：[[name:万晓峰]]""",
    """检验医嘱备注：患者[[name:晏春生]]，急查血钾、肌酐，标本请于今日16:00前送达。如为危急值请电话通知值班医生[[name:韩冬]]，手机[[phone:18602876615]]。患者正在服用螺内酯和缬沙坦，注意高钾血症。条码号[[record_number:2403220457]]。""",
    """传真 FAX
致：[[address:浙江省温州市鹿城区府学巷2号]]　血液科[[name:应]]主任
发自：[[address:文成县大峃镇建设路88号]]　县人民医院内科
传真号：[[phone:0577-67851234]]　共3页
事由：转诊患者[[name:胡晓丽]]，女，69岁，门诊号[[record_number:WC2024005567]]，身份证[[id_number:320502195502283029]]。血常规提示三系减少（WBC 2.1×10^9/L，Hb 78g/L，PLT 35×10^9/L），骨髓穿刺未做，拟转贵院进一步诊治。""",
    """夜班交班记录　[[date:6月12日]]
12床[[name:阎]]大爷，[[age:93]]岁，COPD急性加重，今晚SpO2 88%-92%，鼻导管吸氧2L/min，凌晨3点咳黄痰较多，已吸痰。侄子[[name:阎小军]]留陪，明早需联系营养科。
15床[[name:欧阳]]阿姨，术后第2天，引流液50ml淡红色，疼痛评分3分。
18床小[[name:马]]（[[name:马骁骁]]，17岁），阑尾炎术后，已排气，可进流质。""",
    """轉介信
致：內科門診
病人姓名：[[name:陳家俊]]（[[name:CHAN Ka Chun]]）
香港身份證：[[id_number:K318624(5)]]
出生日期：[[date:1942年3月8日]]
地址：[[address:九龍深水埗長沙灣道303號長沙灣大廈12樓B室]]
聯絡電話：[[phone:9123 4567]]
病史：病人有高血壓及二型糖尿病，近兩週氣促加劇，雙腳水腫。現服用二甲雙胍500毫克每日兩次。
醫生：[[name:黃志明]]　日期：[[date:2024年4月2日]]""",
    """門診紀錄
姓名：[[name:林淑芬]]　身分證字號：[[id_number:F227835167]]　病歷號碼：[[record_number:A0783312]]
出生：[[date:民國45年11月2日]]　就診日：[[date:民國113年3月15日]]
健保卡號：[[record_number:000012345678]]
主訴：膝蓋疼痛半年，上下樓梯加劇。
診斷：退化性關節炎。處置：轉介復健科，給予Acetaminophen 500mg prn。
聯絡電話：[[phone:0912-345-678]]，住址：[[address:臺北市大安區復興南路一段390號5樓]]""",
    """家属口述：老[[name:李]]是[[date:腊月二十三]]小年那天晚上摔的，当时在院子里扫雪，左手撑地，之后手腕肿得厉害，一直拖到农历[[date:正月初五]]才来医院拍片，提示左桡骨远端骨折（Colles骨折）。老人今年[[age:九十一]]岁，平时一个人住在[[address:河北省保定市涞源县金家井乡东村]]。""",
    """科室群消息：@小[[name:王]] 明天门诊你替一下[[name:诸葛]]老师，他去开会。另外[[name:上官云]]的出院小结写好了没有？家属[[name:上官]]女士下午两点来拿。老[[name:李]]说CT室的预约改到周四（[[date:18号]]）了。""",
    """患者留言：您好，我是[[name:钟离晓晓]]，想把我妈的检查报告电子版发给我，邮箱[[email:zhonglixx＠163．com]]，或者发我老公邮箱[[email:chen_hao1985 @ qq.com]]。我手机号[[phone:１８６－１０２３－４５６７]]。""",
    """中医门诊处方　[[date:2024年5月9日]]
患者：[[name:夏侯敏]]　女　47岁
诊断：月经不调（气血两虚证）
处方：黄芪30g　当归15g　白芍12g　熟地黄15g　何首乌15g　王不留行10g　川芎9g　甘草6g，7剂，水煎服，日一剂。
医师：[[name:金]]大夫　嘱：忌生冷，[[date:5月16日]]复诊。""",
    """出院医嘱：1.低盐低脂饮食；2.出院带药：阿司匹林肠溶片100mg qd，瑞舒伐他汀钙10mg qn，美托洛尔缓释片47.5mg qd，单硝酸异山梨酯40mg qd；3.定期复查肝功能、血脂；4.心内科[[name:杨光]]主任门诊随诊（每周二上午），有胸痛立即就诊。患者[[name:宁静]]，出院日期[[date:2024.1.30]]。""",
    """家庭医生签约服务记录
签约居民：[[name:鲜于红梅]]，女，[[age:90]]岁，身份证[[id_number:110108193401010089]]
居住地址：[[address:北京市海淀区学院路街道展春园社区7号楼2单元401]]
紧急联系人：[[name:鲜于海]]（儿子），微信号[[account:haikuo_1968]]，手机[[phone:+86 135 2218 6604]]
签约医生：[[name:包晓东]]　签约日期：[[date:2024年3月1日]]""",
    """120院前急救交接单
出车时间：[[date:2024-07-08]] 13:42　呼救地点：[[address:广州市白云区三元里大道1021号]]旁公交站
患者：男，约60岁，无身份证件，路人发现倒地，意识模糊，GCS 10分，血糖2.1mmol/L，予50%葡萄糖40ml静推后意识转清，自称姓[[name:庞]]，家住附近，电话记不清。
交接医生：[[name:蒙小雨]]　接收护士：[[name:农丽]]""",
    """孕产妇保健手册
孕妇姓名：[[name:阿依古丽·买买提]]　民族：维吾尔族　年龄：26岁
丈夫姓名：[[name:艾力·吐尔逊]]　联系电话：[[phone:0991-4678231]]
末次月经：[[date:2023年12月20日]]　预产期：[[date:2024年9月26日]]
建册号：[[record_number:650102-2024-00318]]
住址：[[address:新疆乌鲁木齐市天山区解放南路56号]]""",
    """死亡医学证明（推断）书　编号：[[record_number:L230781552]]
死者姓名：[[name:房淑云]]　性别：女　身份证号：[[id_number:210202196111304526]]
死亡日期：[[date:2023年11月29日]]　死亡地点：家中
直接死因：急性心肌梗死　根本死因：冠状动脉粥样硬化性心脏病
常住地址：[[address:辽宁省大连市中山区人民路56号]]
医师签名：[[name:郎月]]""",
    """药房电话记录：[[date:3月7日]]下午，[[name:邝]]先生来电询问他父亲[[name:邝国梁]]的华法林剂量是否需要调整，INR 3.6。已告知需联系开药医生，药师[[name:俞佳]]。回电号码[[phone:020 8736 5512]]。""",
    """心理咨询初访记录：来访者[[name:符]]同学，21岁，大三学生，家住[[address:海口市美兰区海甸五西路12号]]。自述近两个月失眠、情绪低落，曾有自伤念头，PHQ-9评分19分。辅导员[[name:吉祥]]老师陪同。紧急联系人为其母亲，电话[[phone:1389 8765 432]]。""",
    """病程记录
[[date:2024-04-18]] 09:00 主任医师查房记录
[[name:慕容]]主任查房后指出：患者[[name:赫连博]]，肝硬化失代偿期，腹水较前增多，予螺内酯联合呋塞米利尿，监测电解质及24小时尿量。查房医师：[[name:慕容雪]]　记录者：[[name:单一鸣]]""",
    """团体体检名单（第3组）
1. [[name:汪海]]　男　身份证[[id_number:511302199007152033]]
2. [[name:桑梓]]　女　身份证[[id_number:370283196609091524]]
3. [[name:佟雪]]　女　手机[[phone:15010297736]]
4. [[name:谷雨]]　男　身份证[[id_number:430104197803224810]]
体检日期：[[date:8月22日]]上午7:30空腹到达。""",
    """（语音转文字）喂，[[name:胡]]大夫啊，我是老[[name:董]]他老伴儿，他下个礼拜三就是[[date:九月十二号]]要去复查那个胃镜，要不要空腹啊？他那个阿司匹林要不要停啊？我们住[[address:朝阳区双井街道九龙花园3号楼]]，您回我这个电话[[phone:一三八零一二三四五六七]]就行。""",
]
HANDWRITTEN_BLIND2_EN = [
    """ED TRIAGE  [[date:05/19/2024]] 23:47
Pt: [[name:DeShawn T. Whitaker]]  Age: 34  Sex: M  MRN: [[record_number:E00731984]]
CC: "my chest feels tight" x 2 hrs, diaphoretic, hx asthma. Albuterol at home without relief.
Vitals: BP 148/92, HR 118, RR 26, SpO2 91% RA, T 37.1. ESI 2.
Triage RN: [[name:K. Lindgren]]. Brought in by girlfriend [[name:Tasha]], [[phone:(614) 555-0173]].""",
    """Oakfield Medical Practice, [[address:3 Vicarage Road, Stockport SK3 8HQ]]

[[date:14th March 2024]]

Dear Colleague,

Re: Mrs [[name:Agnieszka Nowak]]   DOB: [[date:02.09.1961]]   NHS No: [[record_number:943 476 5919]]

I would be grateful if you could see this 62-year-old lady with a three-month history of altered bowel habit and 5 kg weight loss. FIT was positive. She has a background of Graves' disease treated with radioiodine and takes levothyroxine 100 micrograms daily. Her daughter [[name:Kasia]] usually accompanies her.

Yours sincerely,
Dr [[name:Simon P. Hargreaves]]""",
    """PATIENT: [[name:KOWALSKI, Brian M]]        MRN: [[record_number:001-44-2871]]
DOB: [[date:7/4/1958]] (66 y)     ACCT#: [[record_number:700218834]]
ENC DATE: [[date:10/02/2024]]   ATTENDING: [[name:Priya K. Venkataraman]], MD   PCP: [[name:Lopez, Maria]]
A/P: 1. Type 2 diabetes, uncontrolled (A1c 9.4%) - increase metformin to 1000 mg BID, start empagliflozin 10 mg daily. 2. Hypertension - continue lisinopril 20 mg.""",
    """Claim narrative - Claim No. [[record_number:CLM-2024-0088172]]
Member: [[name:Jonathan R. Beaumont]], Member ID [[record_number:XJH447201983]], Group 0041.
On the [[date:3rd of May]] the member fell from a ladder while cleaning gutters at his home, [[address:419 Cottonwood Lane, Boise, ID 83702]], and sustained a closed fracture of the right distal radius. He underwent ORIF on [[date:May 7th]]. Total billed: $18,420. Claimant contact: [[email:jr.beaumont@yahoo.com]].""",
    """Lab order comment: Please draw vancomycin trough before the 4th dose (due 18:00). Pt [[name:Whitley, Jo]] in 5W-12 is a hard stick - use ultrasound if needed. Specimen ID [[record_number:24-187-00392]]. Call critical results to Dr [[name:Emeka Obi]] at [[phone:617-555-0126]].""",
    """FAX COVER SHEET
To: Dr. [[name:Harriet Lang]], Pulmonology    Fax: [[phone:(503) 555-0190]]
From: [[name:Marcus O. Bell]], NP    Phone: [[phone:503 555 0142]]
Date: [[date:June 3rd, 2024]]    Pages: 4 (including cover)
RE: referral - [[name:Evelyn Rose Turner]], DOB [[date:12-Jan-1949]]
Reason: persistent cough for 3 months, 40 pack-year smoker, CXR shows a right upper lobe opacity. Please see urgently.""",
    """SBAR handover 19:00 - bay 3, bed 4
S: [[name:Albert Fenwick]], [[age:94]], day 3 post hemiarthroplasty R hip.
B: Dementia, CKD 3b, apixaban held. Lives with wife [[name:June]] at [[address:11 Pinfold Lane, Kendal LA9 4RX]].
A: Delirious this pm, pulled out cannula x1. Urine output 20 ml/h for 3 h.
R: Fluid challenge given per Dr [[name:Marsh]]; recheck U&E at 22:00. Son [[name:Graham]] wants a call on [[phone:07700 900 461]] if anything changes.""",
    """Interpreter log: patient [[name:Wang Xiaoming]] (registered at the front desk as [[name:Xiaoming Wang]]) attended with his wife [[name:Zhou Lihua]] and son [[name:Kevin Wang]]; Mandarin interpreter Ms [[name:Guo Yanping]]. Mr [[name:Wang]] was told the biopsy showed adenocarcinoma. [[name:Xiaoming]] asked whether he could still fly to Chengdu on the [[date:first of August]].""",
    """Tumor board, [[date:9/18/2024]]. Presenter: [[name:Robert J. Kline]], MD. Case: [[name:Mary-Kate L. O'Brien]], 51F, ER+/PR+ HER2- invasive ductal carcinoma of the left breast, 2.3 cm, 1/3 nodes positive. Discussed with [[name:A. J. Castillo]] (radiation oncology) and [[name:Sunita D. Rao]] (medical oncology). Plan: adjuvant chemotherapy then tamoxifen.""",
    """Voicemail (transcribed): Hi, this is [[name:Gloria]] calling for my mom, [[name:Dolores Vega]]. Her appointment got moved to [[date:May the 3rd]] but she has her cataract surgery on the [[date:2nd]], so could we do the [[date:10th of May]] instead? My number is [[phone:312 555 0168]], or email me at [[email:gloria dot vega at gmail dot com]].""",
    """Patient: [[name:CHAN Tai Man]] ([[name:陳大文]]), HKID [[id_number:Y502713(4)]], DOB [[date:15/06/1938]].
Address: [[address:Flat B, 12/F, Tower 2, 9 Tong Tak Street, Tseung Kwan O, New Territories]]. Tel: [[phone:+852 9876 5432]].
Known Parkinson's disease since 2016 and Bell's palsy in 2019. On levodopa/carbidopa 100/25 mg three times daily.""",
    """Translated medical certificate (Taiwan). Name: [[name:Chang Chih-hao]]; National ID No.: [[id_number:B120498731]]; Date of birth: [[date:1956-11-02]] (ROC [[date:45/11/02]]); Chart No.: [[record_number:T0783312]]; Visit date: [[date:15 March 2024]]. Diagnosis: osteoarthritis of both knees. Issued by Dr [[name:Tsai Ming-hsuan]].""",
    """Discharge letter to GP. Ms [[name:Chloe Nguyen-Hart]], Medicare No. [[record_number:2123 45670 1]], was admitted on Sat [[date:11/05/24]] with DKA, precipitated by missed insulin doses. Discharged on insulin glargine 22 units nocte and insulin aspart with meals. Follow-up with the diabetes educator, [[name:Bronwyn]], on [[phone:(02) 9555 0134]].""",
    """Neurology clinic, [[date:2 May 2024]]: [[name:May Chen]] is a 42-year-old woman with relapsing-remitting multiple sclerosis. Her fatigue worsens in hot weather (Uhthoff phenomenon). Guillain-Barre syndrome and Lyme disease were excluded. She takes baclofen 10 mg three times daily and vitamin D. Her husband [[name:Will]] will drive her to the MRI. Seen by Dr [[name:Grace Hope]].""",
    """Ontario health card [[record_number:4532-281-947-AB]]. Patient [[name:Étienne Gagnon-Leblanc]], [[age:90]], resident of [[address:12 Rue Principale, Gatineau, QC J8X 2A1]]. Daughter [[name:Sylvie]] is substitute decision-maker.""",
    """Pharmacy refill request: caller said she is [[name:Bernadette Kowalczyk]], date of birth [[date:March the 9th, 1944]]. Requests early refill of warfarin 5 mg and furosemide 40 mg before travelling. Verified identity with address on file ([[address:88 Linden Street, Apt 2, Allentown, PA 18102]]). Callback [[phone:610 555 0119]].""",
    """School nurse note: student [[name:Aiden Park]], grade 4, had a wheezing episode at recess; given 2 puffs of salbutamol from his spacer with good effect. Mother [[name:Soo-jin Park]] informed at [[phone:+1-213-555-0157]]; she will collect him at 2:30.""",
    """Mental health intake: client [[name:Jackson Reilly]] (prefers "[[name:Jax]]"), 27, referred by his GP after a panic attack at work on Monday [[date:4/8]]. Lives with partner [[name:Sam Oduya]]. Denies suicidal ideation. Started sertraline 50 mg two weeks ago.""",
    """Outpatient note. Patient [[name:Ouyang Fei]], DOB [[date:1979-02-14]], identified by name and date of birth per policy. Mr [[name:Ouyang]] has gout; serum urate 520 umol/L. Start allopurinol 100 mg daily, titrate monthly. Colchicine cover for 3 months.""",
    """Occupational health: employee [[name:Rhiannon Price-Davies]], payroll no. [[record_number:PR-0046621]], attended after a needlestick injury on the [[date:21st]]. Source patient [[name:Kenneth Aldous]] tested negative for HIV, hepatitis B and C. Booster hepatitis B vaccine given.""",
    """Transfer note from St. Brigid's ward: patient [[name:Oluwaseun Adeyemi-Cole]], hospital number [[record_number:K2290417]], [[age:91]]-year-old man, with aspiration pneumonia. Contact son [[name:Tunde]] on [[phone:+44 7700 900 218]] or [[email:tunde.ac@mail.co.uk]].""",
    """Home visit by district nurse [[name:Carys Jenkins]] on Tues [[date:12th Nov]]: leg ulcer dressing changed, no signs of infection. Patient's neighbour, Mr [[name:Patel]], holds the key safe code. Next visit Friday [[date:15 November]].""",
]


if __name__ == "__main__":
    raise SystemExit(main())
