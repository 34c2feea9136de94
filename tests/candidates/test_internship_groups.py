"""Internships listed as a group: a line that says so ("Past Internships  Summers 2012-2014",
a heading "Internships", 实习经历) over bullets that each open with the organisation and a colon.
Each bullet is an internship there, cited by its own line, without the group's shared dates; a
bullet naming a skill or a role, or a list under any other line, is no internship.
Every resume here is fictional and written by the test."""

from __future__ import annotations

from tests.candidates.reading import read_fictional as _read


def _internships(experience) -> list[tuple]:
    return [(x.employer, x.kind, x.start, x.end) for x in experience if x.kind == "intern"]


def test_a_dated_group_line_over_named_bullets() -> None:
    text = ("# Mara Lind\n\n## Experience\n\n"
            "Staff Engineer, Northwind Robotics    Mar 2021 - Present\n"
            "• Led the motion planning rewrite.\n\n"
            "## Projects and More\n\n"
            "PAST INTERNSHIPS    Summers 2012-2014\n"
            "• Harbor Analytics: rewrote the snapshot service in Go.\n"
            "• Lakeside Bank: built models of card fraud.\n"
            "• The Institute for Coastal Biology: helped analyse sensor data.\n\n"
            "PROJECT: A PHOTO BOOTH ON AN FPGA    2019\n"
            "• Streaming: convolutions on camera frames.\n")
    _, experience = _read(text)
    assert _internships(experience) == [("Harbor Analytics", "intern", None, None),
                                        ("Lakeside Bank", "intern", None, None),
                                        ("The Institute for Coastal Biology", "intern", None, None)]
    fraud = next(x for x in experience if x.employer == "Lakeside Bank")
    assert fraud.citation.quote == "• Lakeside Bank: built models of card fraud."


def test_a_heading_of_internships_in_markdown_and_in_chinese() -> None:
    text = ("# Mara Lind\n\n## Internships\n\n"
            "- **Harbor Analytics**: search ranking experiments\n"
            "- Research Intern: evaluation tooling\n")  # a role, not an organisation
    _, experience = _read(text)
    assert _internships(experience) == [("Harbor Analytics", "intern", None, None)]

    text = "# 林晓雨\n\n## 实习经历\n\n- Harbor Analytics：搜索排序实验\n"
    _, experience = _read(text)
    assert _internships(experience) == [("Harbor Analytics", "intern", None, None)]


def test_named_bullets_under_another_line_are_no_internships() -> None:
    text = ("# Mara Lind\n\n## Skills\n\n"
            "Tools and languages\n"
            "• Python: data pipelines and services\n"
            "• Kubernetes: cluster operations\n")
    _, experience = _read(text)
    assert experience == []
