"""Text normalisation and language detection shared by every skill."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

# Traditional -> simplified for characters common in health questions. A full converter
# (OpenCC) is heavier than this need; unmapped traditional characters pass through unchanged.
_TRAD = (
    "發发燒烧頭头嘔呕瀉泻嗽嗽喉喉嚨咙醫医藥药診诊療疗過过癢痒瘡疮膿脓腫肿脹胀悶闷氣气喘喘暈晕癇痫傷伤燙烫"
    "觸触體体溫温測测壓压糖糖腎肾臟脏膽胆腸肠潰溃瘍疡癌癌瘤瘤麼么個个們们這这裡里還还沒没來来時时間间後后會会"
    "說说話话頸颈鬆松緊紧輕轻嚴严變变視视聽听覺觉應应該该檢检查查結结蟲虫貓猫蛇蛇腦脑蟄蜇難难嗎吗給给讓让"
    "兒儿嬰婴寶宝媽妈爺爷奶奶齒齿牙牙眼眼淚泪鼻鼻塞塞腳脚膝膝腰腰背背疼疼痛痛經经懷怀孕孕陰阴紅红熱热冷冷"
    "汗汗虛虚弱弱麻麻無无力力動动顫颤抽抽搐搐厲厉害害嚇吓驚惊慮虑憂忧鬱郁睡睡眠眠夢梦殺杀輸输尿尿濕湿疹疹癬癣"
    "骨骨折折節节風风濕湿關关脈脉靜静瀝沥衛卫營营養养減减肥肥胖胖瘦瘦糞粪便便瀉泻嘔呕門门掛挂號号樣样麼么吃吃"
    "喝喝飯饭從从現现開开始始幾几週周歲岁個个於于與与為为對对點点邊边鐘钟許许談谈請请問问題题謝谢")
TRAD_TO_SIMP = {_TRAD[i]: _TRAD[i + 1] for i in range(0, len(_TRAD) - 1, 2)}
_TRANS = str.maketrans(TRAD_TO_SIMP)
_SPACES = re.compile(r"\s+")


def normalise(text: str) -> str:
    """Full-width to half-width (NFKC), traditional to simplified where mapped, lower case, one space.

    Keeps Chinese punctuation that NFKC leaves alone (。、) so clause splitting still sees it.
    """
    text = unicodedata.normalize("NFKC", text or "").replace("\u2019", "'").replace("\u2018", "'")
    text = text.translate(_TRANS).lower()
    return _SPACES.sub(" ", text).strip()


Detected = Literal["en", "zh", "unsupported", "empty"]

_CJK = re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]")
_LATIN = re.compile(r"[a-zA-Z]")
_OTHER_SCRIPT = re.compile(
    r"[\u0400-\u04ff\u0600-\u06ff\u0590-\u05ff\u0900-\u097f\u0e00-\u0e7f\u3040-\u30ff\uac00-\ud7af\u0370-\u03ff]"
)


@dataclass(frozen=True)
class LanguageGuess:
    language: Detected
    mixed: bool
    cjk_chars: int
    latin_letters: int
    other_letters: int


def detect_language(text: str) -> LanguageGuess:
    """Guess en / zh from scripts; kana, hangul, Cyrillic, Arabic ... text is ``unsupported``.

    Chinese wins when it has at least a few characters, because mixed messages ("我 chest pain 三天")
    are usually written by Chinese speakers using an English term.
    """
    cjk = len(_CJK.findall(text or ""))
    latin = len(_LATIN.findall(text or ""))
    other = len(_OTHER_SCRIPT.findall(text or ""))
    mixed = cjk > 0 and latin > 0
    if cjk == 0 and latin == 0 and other == 0:
        lang: Detected = "empty"
    elif other > max(cjk, latin):
        lang = "unsupported"
    elif cjk >= 2 or (cjk > 0 and cjk * 3 >= latin):
        lang = "zh"
    elif latin > 0:
        lang = "en"
    else:
        lang = "unsupported"
    return LanguageGuess(lang, mixed, cjk, latin, other)


def has_meaningful_text(text: str) -> bool:
    """True when the text holds letters or Chinese characters (not only emoji, digits, punctuation)."""
    return bool(_CJK.search(text or "") or re.search(r"[a-z]{2,}", (text or "").lower()))
