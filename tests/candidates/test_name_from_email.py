"""A Chinese resume whose name line did not extract (its PDF sets the name in a font with no
Unicode map: "(cid:1201)(cid:2302)") is named by the pinyin its e-mail address spells, and found
by that name in either script. An address that spells no Chinese name, or a document whose name
was read, is left as it was. Every resume here is fictional."""

from __future__ import annotations

from pathlib import Path

import pytest

from candidates.detect import detect_name
from tests.conftest import AssistantFactory, ingest

_UNREADABLE = "(cid:1201)(cid:2302)(cid:3403)\n.\n男 27 岁 | 本科 | 4年工作经验\n"
_BODY = "北京星河科技有限公司\nJava 高级工程师 2019.03-2023.06\n1. 负责订单服务的重构与性能优化。\n"


@pytest.mark.parametrize("address, name", [
    ("yifan.z0@example.com", "Yi Fan"),  # one part (an initial is no part): either end may be the surname
    ("zhouyifan@example.com", "Zhou Yifan"),
    ("yifan.zhou@example.com", "Yifan Zhou"),  # the one-syllable part is the surname
    ("zhou.yifan2019@example.com", "Zhou Yifan"),
    ("ouyangfeng@example.com", "Ouyang Feng"),  # a surname of two syllables
])
def test_an_unreadable_name_is_read_from_the_pinyin_of_the_email(address: str, name: str) -> None:
    text = f"{_UNREADABLE}13800001111 ︳{address}\n{_BODY}"
    assert detect_name(text) == name


@pytest.mark.parametrize("address", [
    "angela.w@example.com",  # an English given name that happens to split into pinyin
    "hr@example.com",
    "dev.team@example.com",
    "zhouyifan.cn@example.com",  # a part that spells nothing: not read at all
    "xiaomingxiaohong@example.com",  # four syllables: no single name
])
def test_an_email_that_spells_no_chinese_name_names_no_one(address: str) -> None:
    assert detect_name(f"{_UNREADABLE}{address}\n{_BODY}") is None


def test_an_english_document_is_not_named_from_its_email() -> None:
    text = "(cid:12)(cid:40)\nSoftware engineer, 4 years of backend work.\nli.wei@example.com\n"
    assert detect_name(text) is None


def test_a_name_that_was_read_is_kept_over_the_email() -> None:
    text = f"# 周一帆\n\n男 | 本科\n\nwangxiaoming@example.com\n{_BODY}"
    assert detect_name(text) == "周一帆"


def test_the_person_is_found_by_the_name_in_either_script(make_assistant: AssistantFactory,
                                                          tmp_path: Path) -> None:
    resume = tmp_path / "unreadable-name.txt"
    resume.write_text(f"{_UNREADABLE}13800001111 | zhouyifan@example.com\n{_BODY}", encoding="utf-8")
    assistant = make_assistant()
    ingest(assistant, resume)
    for typed in ("周一帆", "Yifan Zhou", "Zhou Yifan"):
        card = assistant.summary(typed)
        assert card.candidate is not None and card.candidate.name == "Zhou Yifan", typed
        assert card.candidate.sources == [str(resume)]
