"""Find the person a document is about: first-line name, `Name:` fields, a profile's title.

Never invents a name: when nothing looks like one, `detect_name` returns None and the caller
labels the document by its file name and says no name was found.
"""

from __future__ import annotations

import re
import unicodedata

from pypinyin import lazy_pinyin

from candidates.sections import is_heading

# The most common Chinese surnames (single and compound); a 2-4 character CJK token starting
# with one of them, standing alone on an early line, is taken as a name.
_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁"
    "任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴"
    "莫孔向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪"
    "梅童凌毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简"
    "车项连芦麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄"
    "丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区"
    "郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍"
    "辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣"
    "信展阴昝智幸奉植衡富尧闭由"
)
_COMPOUND_SURNAMES = {"欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐"}
_CJK_NAME = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_LATIN_NAME = re.compile(r"^[A-Z][a-zA-Z'\-]+(?:\s+(?:[A-Z]\.|[A-Z][a-zA-Z'\-]+)){1,3}$")
_FIELD = re.compile(r"^\s*(?:name|full name|姓名|名字)\s*[:：]\s*(.+?)\s*$", re.I | re.M)
_DECORATION = re.compile(r"^[#>*\s\-–—|]+|[*\s|]+$")
_NOT_NAME_WORDS = {
    "resume", "curriculum", "vitae", "cv", "papers", "profile", "contact", "email", "phone",
    "university", "college", "institute", "engineer", "developer", "scientist", "student",
    "summary", "objective", "page", "homepage", "github", "linkedin", "the", "and", "of",
    # job titles, which often head a resume in place of (or above) the name
    "manager", "designer", "analyst", "consultant", "architect", "intern", "director", "officer",
    "specialist", "researcher", "professor", "lecturer", "programmer", "administrator",
    "coordinator", "technician", "senior", "junior", "principal", "product", "software", "data",
    "machine", "learning", "frontend", "backend", "full-stack", "fullstack",
}


def _clean(line: str) -> str:
    line = unicodedata.normalize("NFKC", line)
    line = re.sub(r"[^\w\s'\-.\u4e00-\u9fff]", " ", line)
    return _DECORATION.sub("", line).strip()


def looks_like_cjk_name(token: str) -> bool:
    if not _CJK_NAME.match(token):
        return False
    return token[0] in _SURNAMES or token[:2] in _COMPOUND_SURNAMES


def looks_like_latin_name(text: str) -> bool:
    if len(text) > 40 or not _LATIN_NAME.match(text):
        return False
    words = {w.lower().strip(".") for w in text.split()}
    return not (words & _NOT_NAME_WORDS)


_SEPARATOR = re.compile(r"[,，|·•;/]")
_CREDENTIAL = re.compile(r"^(?:ph\.?\s?d|m\.?d|mba|m\.?sc?|b\.?sc?|cfa|cpa|jr|sr|ii|iii)\.?$", re.I)
_CONTACT = re.compile(r"@|\d|https?:|www\.|linkedin|github", re.I)


def _latin_name_in(line: str) -> str | None:
    """A Latin-script name heading a line, alone or followed by contact details or a degree.

    "Go, Kubernetes" or "Portland, Oregon" are lists, not names: every field after the first
    must be a credential ("PhD") or contact details (e-mail, phone, links)."""
    fields = [f.strip() for f in _SEPARATOR.split(unicodedata.normalize("NFKC", line)) if f.strip()]
    first = _clean(fields[0]) if fields else ""
    if not looks_like_latin_name(first):
        return None
    if all(_CREDENTIAL.match(f) or _CONTACT.search(f) for f in fields[1:]):
        return first
    return None


def _name_in_line(line: str) -> str | None:
    cleaned = _clean(line)
    if not cleaned or is_heading(line.lstrip("# ")):
        return None
    squeezed = re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", cleaned)
    if looks_like_cjk_name(squeezed):
        return squeezed
    latin = _latin_name_in(line)
    if latin:
        return latin
    for token in squeezed.split():  # a name beside contact details: "(+86) 176… 周伟林"
        if looks_like_cjk_name(token):
            return token
    head = squeezed.split()[:1]
    if head and looks_like_cjk_name(head[0][:3]) and len(head[0]) <= 4:
        return head[0]
    return None


def detect_name(text: str, max_lines: int = 6) -> str | None:
    """The display name of the person a document is about, or None when none is visible."""
    field = _FIELD.search(text[:3000])
    if field:
        candidate = _name_in_line(field.group(1))
        if candidate:
            return candidate
    lines = [line for line in text.splitlines() if line.strip()]
    for line in lines[:max_lines]:
        name = _name_in_line(line)
        if name:
            return name
        if is_heading(line):
            break  # the document opens straight with a section: no name line
    return None


def name_key(name: str) -> str:
    """A stable, script-independent key for a name: pinyin for Chinese, lower-case ASCII."""
    if re.search(r"[\u4e00-\u9fff]", name):
        return "-".join(lazy_pinyin(name.replace(" ", "")))
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_name.lower()))
