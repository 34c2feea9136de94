"""Names written in shapes beyond a name heading: a personal-details line under 个人信息, a
name field followed by HTML markup, a bold `**Name:**` bullet under a document-word heading.
Every resume here is fictional."""

from __future__ import annotations

import pytest

from candidates.detect import detect_name

DETAILS_BULLET = """---
layout: page
title: About
---
## 联系方式
- 手机：13800000000
- Email：xiaotang@example.com

## 个人信息
- 苏晓棠 / 女 / 1995
- 本科 / 软件工程 / 某某学院（2013 ~ 2017）
- 工作年限：3年

## 工作经历
**某某科技有限公司** *iOS开发工程师*（__2017.06 ~ 2020.06__）
"""

DETAILS_UNSPACED = """# 简历
# 联系方式

- 手机：13900000000
- QQ：100000001

---

# 个人信息

 - 程一舟/男/1991 
 - 本科/某某农业大学环境工程专业
 - 期望城市：合肥
"""

FIELD_THEN_BR = """# 简介
姓名: 林小川 <br>
性别: 男<br>
年龄: 26<br>
手机: 13700000000<br>

# 技能
* 熟悉nodejs
"""

FIELDS_JOINED_BY_ENTITIES = """# <font color=#0099ff size=7 face="黑体">&emsp;&emsp;&emsp;&emsp;求职简历</font>

***求职意向： Java开发***

# <font color=#0099ff size=6 face="黑体">个人信息</font>

- 姓名：韦嘉航&emsp;&emsp;&emsp;&emsp;性别：男&emsp;&emsp;&emsp;&emsp;年龄：22岁
- 学历：全日制本科/某某工程学院/2021届应届生
"""

BOLD_NAME_UNDER_CV = """# CV

## About

- **Name:** Mirela Vantongeren
- **Title:** Senior Data Engineer
- **Location:** Utrecht, Netherlands

## Contacts

[mirela@example.com](mailto:mirela@example.com)
"""

CV_WITHOUT_NAME = """# CV

## About

- **Title:** Senior Data Engineer
- **Company:** Example Analytics BV
- **Location:** Utrecht, Netherlands
"""


@pytest.mark.parametrize(("text", "name"), [
    (DETAILS_BULLET, "苏晓棠"),  # "NAME / 女 / 1995" under 个人信息, no name heading
    (DETAILS_UNSPACED, "程一舟"),  # "NAME/男/1991" below a contact block
    ("## 工作经历\n见下文\n\n## 个人信息\n- 欧阳晴｜女｜28岁｜杭州\n", "欧阳晴"),  # age, place, full-width bars
    ("## 基本信息\n- 韩小禾 / 1996年生 / 南京\n", "韩小禾"),  # a marked birth year, no gender
    (FIELD_THEN_BR, "林小川"),  # "姓名: NAME <br>"
    (FIELDS_JOINED_BY_ENTITIES, "韦嘉航"),  # fields joined by &emsp; entities
    ("个人简历\n姓名：<b>许知远</b><br>性别：男\n", "许知远"),  # the value inside a tag
    ("Resume\nName:&nbsp;Tomas&nbsp;Berg&nbsp;&nbsp;Email: tomas@example.com\n", "Tomas Berg"),
    (BOLD_NAME_UNDER_CV, "Mirela Vantongeren"),  # "- **Name:** …" beats the "# CV" heading
    ("# Resume\n\n**Name**: Ada Kowalski\n**Role**: Engineer\n", "Ada Kowalski"),  # "**Name**:"
    ("# 简历\n\n- **姓名**：宋雨桐\n- **性别**：女\n", "宋雨桐"),  # a bold Chinese key
])
def test_reads_the_name_from_its_field(text: str, name: str) -> None:
    assert detect_name(text) == name


@pytest.mark.parametrize("text", [
    CV_WITHOUT_NAME,  # a document word heading is no name, whatever follows it
    "## 个人信息\n- 本科 / 软件工程 / 某某学院（2013 ~ 2017）\n- 工作年限：2年\n",
    "## 项目经历\n- 周报系统 / 后台 / 2019\n- 高并发 / 网关 / 2020\n",  # a bare year is a project's
    "## 技能\n- 张量计算 / 男装电商 / 推荐系统\n",  # no gender or age among the fields
    "## 工作经历\n- 王府井 / 男 / 某某大学计算机科学与技术专业本科\n",  # a long field: not a detail
])
def test_lines_that_are_not_a_name_field_stay_nameless(text: str) -> None:
    assert detect_name(text) is None
