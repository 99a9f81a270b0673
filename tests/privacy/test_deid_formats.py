"""De-identification of the formats a first blind batch of notes brought in (Hong Kong, Taiwan,
lunar and spoken dates, romanised and minority names, full-width digits), and the clinical words
that must survive it, in Chinese and English."""

from __future__ import annotations

import pytest

from careguide.privacy.deid import deidentify_text, find_identifiers
from careguide.privacy.deid_numbers import hkid_is_valid, taiwan_id_is_valid

SECRET = b"test-secret"


def kinds(text: str) -> dict[str, str]:
    return {text[s.start : s.end]: s.type.value for s in find_identifiers(text)}


def scrubbed(text: str) -> str:
    return deidentify_text(text, secret=SECRET, person_key="p").text


# Script and regional formats ------------------------------------------------------------------


def test_traditional_characters_and_full_width_digits_meet_the_same_rules():
    found = kinds("醫生：黃志明　聯絡電話：９１２３ ４５６７　身分證字號：F227835167")
    assert found == {"黃志明": "name", "９１２３ ４５６７": "phone", "F227835167": "id_number"}
    found = kinds("Email ｌｉｎ．ｊ＠ｍａｉｌ．ｃｏｍ or call １３９ １０２４ ７７８３.")
    assert found == {"ｌｉｎ．ｊ＠ｍａｉｌ．ｃｏｍ": "email", "１３９ １０２４ ７７８３": "phone"}


def test_hong_kong_and_taiwan_id_numbers_are_proven_by_their_check_character():
    assert hkid_is_valid("K", "318624", "5") and not hkid_is_valid("K", "318624", "6")
    assert taiwan_id_is_valid("F227835167") and not taiwan_id_is_valid("F227835168")
    assert kinds("香港身份證 K318624(5) 已核對")["K318624(5)"] == "id_number"
    assert kinds("HKID Y502713(4), National ID B120498731.") == {"Y502713(4)": "id_number",
                                                                "B120498731": "id_number"}
    assert kinds("Sample K318624(6) was haemolysed.") == {}  # a wrong check character proves nothing


def test_chinese_and_english_addresses_in_regional_forms():
    assert kinds("發自：文成县大峃镇建设路88号")["文成县大峃镇建设路88号"] == "address"
    assert kinds("地址：九龍深水埗長沙灣道303號長沙灣大廈12樓B室")["九龍深水埗長沙灣道303號長沙灣大廈12樓B室"] == "address"
    en = "Address: Flat B, 12/F, Tower 2, 9 Tong Tak Street, Tseung Kwan O, New Territories. Lives at 12 Rue Principale, Gatineau, QC J8X 2A1."
    found = kinds(en)
    assert found["Flat B, 12/F, Tower 2, 9 Tong Tak Street, Tseung Kwan O, New Territories"] == "address"
    assert found["12 Rue Principale, Gatineau, QC J8X 2A1"] == "address"


# Dates --------------------------------------------------------------------------------------------


def test_roc_and_chinese_numeral_dates_shift_and_lunar_dates_are_removed():
    text = "民國113年3月15日就诊，九月十二号复查，腊月二十三摔倒，去年10月起头晕。"
    out = scrubbed(text)
    for original in ("113年3月15日", "九月十二号", "腊月二十三", "去年10月"):
        assert original not in out
    assert out.startswith("民国") and "年" in out and "[日期-" in out  # shifted in its calendar; lunar replaced


def test_spoken_english_dates_and_a_day_alone_are_removed_but_a_dose_count_stays():
    text = "Moved to May the 3rd; surgery on the 2nd; fly on the first of August. Give the 4th dose today."
    found = kinds(text)
    assert found == {"May the 3rd": "date", "2nd": "date", "first of August": "date"}
    out = scrubbed(text)
    assert "4th dose" in out and "May the 3rd" not in out and "first of August" not in out


# Names --------------------------------------------------------------------------------------------


def test_chinese_names_after_beds_and_possessives_dotted_and_stated_surnames():
    text = "我是3床上官秀梅的女儿上官婷。孕妇姓名：阿依古丽·买买提。患者自称姓庞，家住附近。血液科应主任会诊。"
    found = kinds(text)
    for name in ("上官秀梅", "上官婷", "阿依古丽·买买提", "庞", "应"):
        assert found[name] == "name"


@pytest.mark.parametrize(("text", "name"), [
    ("Pt: DeShawn T. Whitaker  Age: 34", "DeShawn T. Whitaker"),
    ("Discussed with A. J. Castillo (radiation oncology).", "A. J. Castillo"),
    ("Patient: CHAN Tai Man, HKID on file.", "CHAN Tai Man"),
    ("Issued by Dr Tsai Ming-hsuan.", "Tsai Ming-hsuan"),
    ("Lives with wife June at home.", "June"),
    ("May Chen is a 42-year-old woman.", "May Chen"),
    ("PATIENT: KOWALSKI, Brian M        MRN: 0044", "KOWALSKI, Brian M"),
    ("client Jackson Reilly (prefers \"Jax\")", "Jax"),
])
def test_english_names_in_new_forms(text, name):
    assert kinds(text)[name] == "name"


def test_a_name_in_brackets_after_a_name_is_the_same_person():
    assert kinds("病人姓名：陳家俊（CHAN Ka Chun）")["CHAN Ka Chun"] == "name"
    assert kinds("Patient: CHAN Tai Man (陳大文)")["陳大文"] == "name"
    assert "妻子" not in kinds("联系人：彭丽华（妻子）")


# Clinical content survives ------------------------------------------------------------------------


def test_chinese_clinical_words_are_kept():
    text = ("处方：黄芪30g 当归15g 白芍12g 何首乌15g 王不留行10g 金银花10g 甘草6g 石膏20g，7剂。"
            "马来酸氯苯那敏片4mg，金黄色葡萄球菌感染。上消化道出血，呼吸道感染，食道静脉曲张。"
            "患者于3天前发热，向医生咨询后和医生一起查房，应限酒。帕金森病、桥本甲状腺炎、库欣综合征。"
            "二病区12号床，三号楼五层，每月一次，十月怀胎。白细胞 12.3×10^9/L，高血压3级。医生安排维生素B12检查。")
    assert find_identifiers(text) == []
    assert scrubbed(text) == text


def test_english_clinical_words_are_kept():
    text = ("Parkinson's disease, Graves' disease, Hashimoto's thyroiditis, Crohn's disease, Cushing's syndrome. "
            "Started on warfarin 5 mg and amlodipine 5 mg. Symptoms worsen in May and June; she may need a scan. "
            "He will review results. Give the 4th dose on day 3. BP 120/80, pain 7/10, 1/3 nodes positive. "
            "Vitamin D deficiency, Hepatitis B vaccine, Type 2 diabetes, Group A strep. Rose Bengal test negative. "
            "Young children catch colds. Admitted to the 3rd floor, bed 12. Educator Training Program.")
    assert find_identifiers(text) == []
    assert scrubbed(text) == text


def test_identifiers_go_and_the_clinical_sentence_around_them_stays():
    zh = "被保险人司马文涛于2024年2月17日突发右下腹痛，诊断急性阑尾炎，行腹腔镜阑尾切除术，收款账户为本人银行卡6222 0212 0304 5567 891。"
    out = scrubbed(zh)
    assert "司马文涛" not in out and "6222" not in out and "2024年2月17日" not in out
    assert "突发右下腹痛，诊断急性阑尾炎，行腹腔镜阑尾切除术" in out
    en = "Member Jonathan R. Beaumont fell from a ladder on the 3rd of May and sustained a closed fracture of the right distal radius; contact gloria dot vega at gmail dot com."
    out = scrubbed(en)
    assert "Beaumont" not in out and "3rd of May" not in out and "gmail" not in out
    assert "fell from a ladder" in out and "closed fracture of the right distal radius" in out
