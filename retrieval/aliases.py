"""Bilingual names that embeddings match poorly: employers, universities and degrees.

A recruiter asks "who has worked at ByteDance?" about a resume that says 字节跳动, or "who has a
PhD?" about one that says 博士. Each row lists the ways one thing is written; a question term
matching any of them is expanded to all of them.
"""

from __future__ import annotations

ALIASES: list[tuple[str, ...]] = [
    # employers
    ("Tencent", "腾讯"), ("Alibaba", "阿里巴巴", "阿里", "Ant Group", "蚂蚁集团", "蚂蚁金服"),
    ("ByteDance", "字节跳动", "字节", "TikTok", "抖音"), ("Baidu", "百度"), ("Huawei", "华为"),
    ("Meituan", "美团"), ("JD.com", "京东"), ("Kuaishou", "快手"), ("Didi", "滴滴"),
    ("NetEase", "网易"), ("Xiaomi", "小米"), ("Pinduoduo", "拼多多"), ("Microsoft", "微软"),
    ("Google", "谷歌"), ("Apple", "苹果"), ("Amazon", "亚马逊"), ("NVIDIA", "英伟达"),
    ("Intel", "英特尔"), ("Meta", "Facebook", "脸书"), ("SenseTime", "商汤"), ("Megvii", "旷视"),
    ("iFlytek", "科大讯飞", "讯飞"), ("Moonshot", "月之暗面"), ("Zhipu", "智谱"),
    ("DeepSeek", "深度求索"), ("Samsung", "三星"), ("Sina", "新浪"), ("Weibo", "微博"),
    ("Ctrip", "携程"), ("Lenovo", "联想"), ("ZTE", "中兴"), ("Horizon Robotics", "地平线"),
    ("Shanghai AI Lab", "上海人工智能实验室", "上海AI实验室"),
    # universities
    ("Tsinghua", "清华", "清华大学", "THU"), ("Peking University", "北京大学", "北大", "PKU"),
    ("Zhejiang University", "浙江大学", "浙大", "ZJU"),
    ("Shanghai Jiao Tong University", "上海交通大学", "上海交大", "SJTU"),
    ("Fudan", "复旦", "复旦大学"), ("USTC", "中国科学技术大学", "中科大"),
    ("Nanjing University", "南京大学", "南大"), ("Wuhan University", "武汉大学", "武大"),
    ("Sun Yat-sen University", "中山大学"), ("Harbin Institute of Technology", "哈尔滨工业大学", "哈工大", "HIT"),
    ("Beihang", "北京航空航天大学", "北航", "BUAA"), ("Tongji", "同济大学", "同济"),
    ("Xi'an Jiaotong University", "西安交通大学", "西安交大", "XJTU"),
    ("Huazhong University of Science and Technology", "华中科技大学", "华科", "HUST"),
    ("University of Hong Kong", "香港大学", "港大", "HKU"),
    ("Chinese University of Hong Kong", "香港中文大学", "港中文", "CUHK"),
    ("Hong Kong University of Science and Technology", "香港科技大学", "港科大", "HKUST"),
    ("SUSTech", "南方科技大学", "南科大"), ("Chinese Academy of Sciences", "中国科学院", "中科院", "CAS"),
    # degrees and roles
    ("PhD", "Ph.D.", "Ph.D", "doctorate", "doctoral", "博士", "博士生", "博士研究生"),
    ("Master", "M.S.", "MSc", "M.Sc.", "硕士", "硕士研究生"),
    ("Bachelor", "B.S.", "BSc", "B.Sc.", "B.Eng.", "undergraduate", "本科", "学士"),
    ("intern", "interned", "internship", "实习", "实习生"), ("postdoc", "博士后"),
]

_INDEX: dict[str, tuple[str, ...]] = {}
for _row in ALIASES:
    for _name in _row:
        _INDEX[_name.lower()] = _row


def aliases_of(term: str) -> tuple[str, ...]:
    """Other ways of writing `term` (empty when it is not a known name)."""
    row = _INDEX.get(term.lower().strip())
    return tuple(a for a in row if a.lower() != term.lower()) if row else ()
