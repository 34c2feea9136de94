"""Resume sections: which lines are headings, and what kind of section a heading names
(education, experience, …), in English and Chinese."""

from __future__ import annotations

import re
import unicodedata

_HEADINGS_EN = [
    "education", "educational background", "academic background", "experience",
    "work experience", "professional experience", "employment", "employment history",
    "work history", "internship", "internships", "internship experience", "research experience",
    "research", "research interests", "research areas", "projects", "project experience",
    "selected projects", "personal projects", "open source", "publications",
    "selected publications", "papers", "conference papers", "journal papers", "preprints",
    "patents", "skills", "technical skills", "skills and interests", "core skills", "technologies",
    "tools", "awards", "honors", "honours", "awards and honors", "honors and awards",
    "achievements", "certifications", "certificates", "summary", "professional summary",
    "profile", "about", "about me", "objective", "career objective", "interests", "languages",
    "activities", "extracurricular activities", "leadership", "teaching", "teaching experience",
    "service", "academic service", "professional service", "talks", "invited talks",
    "presentations", "volunteer", "volunteering", "references", "contact", "contact information",
    "personal information", "coursework", "relevant coursework", "courses", "competitions",
    "scholarships", "misc", "miscellaneous", "other", "others", "hobbies",
]
_HEADINGS_ZH = [
    "教育背景", "教育经历", "学历", "工作经历", "工作经验", "实习经历", "实习经验", "项目经历",
    "项目经验", "科研经历", "研究经历", "科研项目", "研究方向", "研究兴趣", "论文", "发表论文",
    "论文发表", "学术成果", "学术论文", "科研成果", "专利", "技能", "专业技能", "技术技能", "技能清单",
    "技术栈", "获奖", "获奖情况", "获奖经历", "荣誉", "荣誉奖项", "奖项", "个人简介", "自我评价",
    "个人信息", "基本信息", "兴趣爱好", "证书", "开源", "开源项目", "竞赛", "竞赛经历", "个人总结",
    "求职意向", "校园经历", "社会实践", "其他", "语言能力", "个人优势", "个人评价",
]
HEADINGS = sorted(set(_HEADINGS_EN) | set(_HEADINGS_ZH), key=len, reverse=True)
_STRIP = re.compile(r"[^\w\s&/\u4e00-\u9fff]")


def heading_text(line: str) -> str:
    """A line without markdown marks, icons, numbering and trailing colons."""
    text = unicodedata.normalize("NFKC", line).strip()
    text = re.sub(r"^(#+|\d+[.)、]|[一二三四五六七八九十]+[、.])\s*", "", text)
    text = _STRIP.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def is_heading(line: str) -> bool:
    """True when a short line names a resume section ("教育背景", "WORK EXPERIENCE", "## Skills")."""
    raw = line.strip()
    if not raw or len(raw) > 48 or " | " in raw:  # " | " joins table cells: a row, not a heading
        return False
    text = heading_text(raw).lower()
    if not text:
        return False
    squeezed = text.replace(" ", "")
    for heading in HEADINGS:
        key = heading.replace(" ", "")
        if squeezed == key:
            return True
        if squeezed.startswith(key) and len(squeezed) <= len(key) + 8 and not re.search(r"\d{4}", text):
            return raw.startswith("#") or raw.isupper() or len(text.split()) <= 4 or _is_cjk(key)
    return bool(re.match(r"^#{2,3}\s", raw)) and len(text) <= 30 and \
        not re.search(r"[,.;:，。；]", raw.lstrip("#").strip()[:-1])


def _is_cjk(text: str) -> bool:
    return bool(re.match(r"[\u4e00-\u9fff]", text))

# (field, words that name such a section), in the order a summary card shows them.
FIELDS: list[tuple[str, tuple[str, ...]]] = [
    ("education", ("education", "academic", "教育", "学历")),
    ("experience", ("experience", "employment", "work", "internship", "工作", "实习")),
    ("research", ("research", "interest", "研究", "方向", "亮点", "summary", "profile", "about",
                  "简介", "总结", "优势")),
    ("projects", ("project", "open source", "项目", "开源")),
    ("publications", ("publication", "paper", "preprint", "论文", "成果", "专利")),
    ("skills", ("skill", "technolog", "tools", "技能", "技术栈")),
    ("awards", ("award", "honor", "honour", "获奖", "荣誉", "奖项", "竞赛")),
]


def field_of(section: str | None) -> str | None:
    """"工作经历" → "experience", "Selected Publications" → "publications", unknown → None."""
    if not section:
        return None
    lowered = section.lower()
    for field, words in FIELDS:
        if any(w in lowered for w in words):
            return field
    return None
