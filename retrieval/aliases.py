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
    # fields and techniques that embeddings of single words translate poorly
    ("blockchain", "区块链"), ("smart contract", "智能合约"), ("inference", "推理"),
    ("quantization", "量化"), ("pruning", "剪枝"), ("distillation", "蒸馏", "知识蒸馏"),
    ("sparsity", "sparse", "稀疏", "稀疏化"), ("attention", "注意力"),
    ("adversarial", "对抗"), ("adversarial examples", "对抗样本"), ("poisoning", "投毒"),
    ("reinforcement learning", "RL", "强化学习"), ("machine learning", "机器学习"),
    ("deep learning", "深度学习"), ("computer vision", "计算机视觉", "CV"),
    ("natural language processing", "NLP", "自然语言处理"), ("speech recognition", "ASR", "语音识别"),
    ("speech synthesis", "TTS", "语音合成"), ("recommender system", "推荐系统", "推荐算法"),
    ("search engine", "搜索引擎"), ("large language model", "LLM", "大模型", "大语言模型"),
    ("multimodal", "多模态"), ("diffusion model", "扩散模型"), ("fine-tuning", "微调"),
    ("pre-training", "预训练"), ("post-training", "后训练"), ("compiler", "编译器"),
    ("interpreter", "解释器"), ("virtual machine", "虚拟机"), ("operating system", "操作系统"),
    ("distributed system", "分布式系统"), ("distributed training", "分布式训练"),
    ("database", "数据库"), ("frontend", "front-end", "前端"), ("backend", "back-end", "后端"),
    ("full stack", "full-stack", "全栈"), ("mobile", "移动端", "客户端"), ("embedded", "嵌入式"),
    ("robotics", "robot", "机器人"), ("autonomous driving", "自动驾驶"),
    ("quantum computing", "量子计算"), ("cryptography", "密码学"), ("network security", "网络安全"),
    ("cloud native", "云原生"), ("microservices", "微服务"), ("message queue", "消息队列"),
    ("big data", "大数据"), ("data mining", "数据挖掘"), ("knowledge graph", "知识图谱"),
    ("operator", "算子"), ("kernel", "内核"), ("hardware accelerator", "硬件加速器"),
    ("edge device", "on-device", "端侧", "边缘设备"), ("chip", "芯片"),
    ("graph neural network", "GNN", "图神经网络"), ("visualization", "可视化"),
    ("open source", "开源"), ("paper", "论文"),
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
