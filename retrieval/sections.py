"""What kind of resume section a heading names (education, experience, …), in either language."""

from __future__ import annotations

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
