"""Fictional resumes at scale, with labelled questions whose right answers hold by construction.

Every person, employer, phone number and paper here is invented (e-mail at example.com, phones
in fictional ranges); universities and venues are public institutions. `generate(n, seed)` is
deterministic: resume i is the same for a given seed whatever n is, except for which of them
carry an *asked topic*.

How the labels hold: a topic that a question asks about ("speech recognition" / 语音识别) is
written into exactly its `holders` (1 to 4 resumes, English or Chinese) and into no other resume
of the corpus, which `generate` checks on the final texts. Every other resume draws its speciality
from background topics, several of which are near misses on purpose (speech *synthesis*, LLM
inference *serving*, 量化*交易* beside KV Cache 量化). Questions are asked in English and in
Chinese, so half of the right answers are in the other language. Negative questions ask about
topics no resume mentions.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

# ---------------------------------------------------------------------------------------------
# Vocabularies


@dataclass(frozen=True)
class Topic:
    key: str
    en: str  # the phrase, as written in English resumes and asked in English
    zh: str  # the phrase, as written in Chinese resumes and asked in Chinese
    tools: tuple[str, ...]  # specific tools (not markers: they may appear with other topics)


def _topics(table: str) -> tuple[Topic, ...]:
    rows = [line.split("|") for line in table.strip().splitlines()]
    return tuple(Topic(k.strip(), en.strip(), zh.strip(), tuple(t.strip() for t in tools.split(",")))
                 for k, en, zh, tools in rows)


# Topics questions ask about: each is written into its holders only.
ASKED = _topics("""
asr|speech recognition|语音识别|Kaldi, WeNet, Conformer
kvq|KV cache quantization|KV Cache 量化|vLLM, FP8, CUDA
recsys|recommender systems|推荐系统|two-tower retrieval, DeepFM, Faiss
gnn|graph neural networks|图神经网络|PyTorch Geometric, DGL, message passing
adperc|autonomous driving perception|自动驾驶感知|BEVFusion, LiDAR, nuScenes
kg|knowledge graphs|知识图谱|Neo4j, entity linking, SPARQL
fedl|federated learning|联邦学习|FedAvg, secure aggregation, Flower
rlhf|reinforcement learning from human feedback|基于人类反馈的强化学习|PPO, reward models, DPO
ocr|optical character recognition|光学字符识别|PaddleOCR, CRNN, layout analysis
mt|machine translation|机器翻译|Transformer, BLEU, fairseq
tsf|time series forecasting|时间序列预测|Prophet, Temporal Fusion Transformer, ARIMA
fraud|fraud detection|欺诈检测|XGBoost, graph features, real-time rules
seg|image segmentation|图像分割|U-Net, Mask R-CNN, SAM
compiler|compiler optimization|编译器优化|LLVM, MLIR, loop tiling
dist|distributed training|分布式训练|Megatron-LM, DeepSpeed, NCCL
kernels|GPU kernel optimization|GPU 算子优化|CUDA, Triton, CUTLASS
flink|stream processing with Flink|Flink 流处理|Apache Flink, Kafka, exactly-once
dbopt|database query optimization|数据库查询优化|PostgreSQL, cost-based optimizer, indexes
dp|differential privacy|差分隐私|Opacus, privacy budget, DP-SGD
protein|protein structure prediction|蛋白质结构预测|AlphaFold, Rosetta, MSA
medimg|medical image analysis|医学影像分析|CT, MRI, nnU-Net
recon3d|3D reconstruction|三维重建|NeRF, COLMAP, multi-view stereo
slam|visual SLAM|视觉 SLAM|ORB-SLAM, bundle adjustment, IMU fusion
ner|named entity recognition|命名实体识别|BiLSTM-CRF, spaCy, BERT
anomaly|anomaly detection|异常检测|isolation forest, autoencoders, alerting
codegen|code generation models|代码生成模型|HumanEval, Codex-style decoding, unit-test feedback
distill|knowledge distillation|知识蒸馏|teacher-student training, TinyBERT, logit matching
contracts|smart contract auditing|智能合约审计|Solidity, Slither, formal verification
firmware|embedded firmware|嵌入式固件|RTOS, ARM Cortex-M, bootloaders
fpga|FPGA acceleration|FPGA 加速|Vitis HLS, Verilog, Xilinx
uvm|chip verification|芯片验证|UVM, SystemVerilog, coverage closure
payments|payment systems|支付系统|ledgers, idempotency, PCI DSS
codec|video codecs|视频编解码|H.265, AV1, FFmpeg
vecdb|vector databases|向量数据库|HNSW, product quantization, Milvus
pretrain|large language model pretraining|大模型预训练|data mixtures, tokenizer training, scaling laws
rag|retrieval-augmented generation|检索增强生成|dense retrieval, rerankers, LangChain
""")

# Topics nobody in the corpus has (negative questions).
ABSENT = _topics("""
qec|quantum error correction|量子纠错|surface codes
cobol|COBOL mainframe migration|COBOL 大型机迁移|CICS
orbit|satellite orbit determination|卫星定轨|Kalman filters
crispr|CRISPR gene editing|CRISPR 基因编辑|guide RNA design
""")

# Everyone else's specialities; several are near misses of asked topics.
BACKGROUND = _topics("""
web|frontend development with React|前端开发|React, TypeScript, Next.js
java|Java backend microservices|Java 后端微服务|Spring Boot, gRPC, Redis
dw|data warehousing|数据仓库|Hive, dbt, star schemas
tts|speech synthesis|语音合成|Tacotron, vocoders, prosody modelling
quant|quantitative trading|量化交易|alpha research, backtesting, order execution
android|Android development|安卓开发|Kotlin, Jetpack Compose, Room
devops|CI/CD pipelines|持续集成与部署|Jenkins, GitLab CI, Argo CD
det|object detection|目标检测|YOLO, anchor-free heads, COCO
textcls|text classification|文本分类|fastText, BERT fine-tuning, label noise
cloud|cloud infrastructure on AWS|云基础设施|Terraform, EC2, IAM
games|game engine development|游戏引擎开发|Unreal Engine, ECS, shaders
sec|network security|网络安全|intrusion detection, TLS, penetration testing
sre|site reliability engineering|站点可靠性工程|Prometheus, SLOs, incident response
spark|big data processing with Spark|Spark 大数据处理|Spark SQL, Airflow, Parquet
serving|LLM inference serving|大模型推理服务|continuous batching, TensorRT-LLM, autoscaling
diffusion|image generation with diffusion models|扩散模型图像生成|latent diffusion, ControlNet, LoRA
ios|iOS development in Swift|iOS 开发|Swift, SwiftUI, Core Data
""")

COMMON_SKILLS = ("Python", "Git", "Linux", "Docker", "SQL", "C++", "Go", "Java", "Bash", "PyTorch",
                 "NumPy", "pandas", "Redis", "MySQL", "Kubernetes", "gRPC", "Rust", "TensorFlow")
EN_FIRST = ("Alice Brian Chloe Daniel Emma Felix Grace Henry Isla Jonah Kira Liam Maya Noah Olivia "
            "Peter Quinn Rosa Samuel Tara Umar Vera Wesley Xenia Yusuf Zoe Aaron Bianca Carlos "
            "Delia Ethan Farah Gavin Hana Ivan Julia Kenji Lena Marco Nadia Oscar Priya Rafael "
            "Sofia Tomas Uma Victor Willa Yara Zane Amara Boris Celia Dmitri Elena Fatima Gustav "
            "Helena Igor Jasmine").split()
EN_LAST = ("Abbott Barlow Castillo Dalton Eriksen Fairbanks Galloway Hartmann Iverson Jansen Kowalski "
           "Lindqvist Moreau Nakamura Okafor Petrov Quintero Rasmussen Sandoval Takahashi Ulrich "
           "Valdez Whitaker Yilmaz Zelenko Ashford Brennan Costa Duarte Ellison Ferreira Grant "
           "Holloway Ibarra Jovanovic Kessler Larsen Mendoza Novak Osei Pereira Reyes Schmidt "
           "Tanaka Varga Weber Young Zimmer Adler Bauer Carver Draper Ekwueme Fischer").split()
ZH_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕"
ZH_GIVEN = "明远静怡浩然子涵雨欣思远嘉琪宇轩梓萱俊杰雅婷志强晓彤文博欣妍天佑若曦建华丽娜晨阳诗琪泽宇佳怡国栋婉清"
EN_CITIES = ("Portland", "Austin", "Toronto", "Berlin", "Amsterdam", "Singapore", "Dublin", "Seattle",
             "Zurich", "Melbourne", "Lisbon", "Montreal")
ZH_CITIES = ("北京", "上海", "深圳", "杭州", "广州", "成都", "南京", "武汉", "西安", "苏州")
EN_COMPANY_A = "Northwind Bluefin Silverline Redwood Ironbridge Larkspur Cobalt Meridian Tidewater Harbor Granite Juniper Kestrel Aurora Beacon Cedar".split()
EN_COMPANY_B = ("Labs", "Systems", "Analytics", "Robotics", "Health", "Networks", "Software", "AI",
                "Cloud", "Logistics", "Media", "Payments")
ZH_COMPANY_A = "星河 云帆 蓝鲸 启明 远航 鼎新 知行 锐思 天衡 金石 青禾 海纳 博远 明德 智岸 恒川".split()
ZH_COMPANY_B = ("智能科技有限公司", "信息技术有限公司", "数据科技有限公司", "网络科技有限公司", "智算科技有限公司")
EN_UNIVERSITIES = ("Oregon State University", "University of Toronto", "Technical University of Munich",
                   "University of Edinburgh", "Georgia Institute of Technology", "ETH Zurich",
                   "University of Washington", "National University of Singapore", "KU Leuven",
                   "University of Michigan")
ZH_UNIVERSITIES = ("清华大学", "北京大学", "浙江大学", "上海交通大学", "复旦大学", "南京大学",
                   "中国科学技术大学", "华中科技大学", "哈尔滨工业大学", "北京航空航天大学")
EN_DEGREES = (("B.S. Computer Science", 4), ("M.S. Computer Science", 2), ("Ph.D. Computer Science", 5),
              ("M.Eng. Electrical Engineering", 2), ("B.Eng. Software Engineering", 4))
ZH_DEGREES = (("计算机科学与技术 学士", 4), ("软件工程 硕士", 3), ("计算机科学与技术 博士", 5),
              ("电子工程 硕士", 3), ("自动化 学士", 4))
EN_ROLES = ("Software Engineer", "Senior Software Engineer", "Machine Learning Engineer",
            "Research Scientist", "Staff Engineer", "Applied Scientist", "Data Scientist")
ZH_ROLES = ("软件工程师", "高级软件工程师", "算法工程师", "研究员", "资深算法专家", "数据科学家")
VENUES = ("NeurIPS", "ICML", "ICLR", "ACL", "EMNLP", "CVPR", "ICCV", "KDD", "SIGMOD", "OSDI", "ISCA")

EN_TOPIC_BULLETS = (
    "Led {topic} work end to end using {tool0} and {tool1}, improving the key metric by {pct}%.",
    "Built the production {topic} pipeline on {tool0}; it now serves {users} million users.",
    "Designed evaluation for {topic} with {tool1} and cut regressions by {pct}% quarter over quarter.",
    "Mentored three engineers on {topic} and wrote the team's guide to {tool2}.",
)
ZH_TOPIC_BULLETS = (
    "负责{topic}方向的整体方案，使用 {tool0} 与 {tool1}，核心指标提升{pct}%。",
    "搭建{topic}生产流水线（{tool0}），服务{users}百万用户。",
    "设计{topic}评测体系，引入 {tool1}，回归问题减少{pct}%。",
    "带领三人小组推进{topic}落地，编写 {tool2} 使用规范。",
)
EN_FILLER = (
    "Reduced p99 latency of core services by {pct}% through profiling and caching.",
    "Owned on-call for a platform handling {users} million requests per day.",
    "Migrated legacy batch jobs to a scheduled workflow system with automated alerts.",
    "Wrote design documents and reviewed code for a team of {team} engineers.",
    "Improved test coverage from {low}% to {high}% and added end-to-end checks to every release.",
)
ZH_FILLER = (
    "通过性能剖析与缓存优化，核心服务 p99 延迟降低{pct}%。",
    "负责日均{users}百万请求平台的值班与稳定性保障。",
    "将遗留批处理任务迁移至调度系统，并接入自动告警。",
    "撰写技术方案并评审代码，团队规模{team}人。",
    "单元测试覆盖率从{low}%提升到{high}%，每次发布增加端到端测试。",
)
EN_VERBS = ("Rebuilt", "Migrated", "Scaled", "Automated", "Redesigned", "Instrumented", "Consolidated",
            "Hardened", "Simplified", "Extended")
EN_SYSTEMS = ("the billing service", "the feature store", "the search API", "the data ingestion layer",
              "the internal dashboard", "the model registry", "the build system", "the permissions service",
              "the notification pipeline", "the experiment platform", "the metrics backend",
              "the mobile API gateway")
EN_RESULTS = ("cutting infrastructure cost by {pct}%", "for {users} million monthly users",
              "with zero downtime", "halving the time to onboard a new team",
              "reducing incident count by {pct}%", "so that {team} teams could ship independently")
ZH_VERBS = ("重构", "迁移", "扩容", "自动化", "重新设计", "完善监控", "整合", "加固", "简化", "扩展")
ZH_SYSTEMS = ("计费服务", "特征平台", "搜索接口", "数据接入层", "内部看板", "模型仓库", "构建系统", "权限服务",
              "消息推送链路", "实验平台", "指标后端", "移动端网关")
ZH_RESULTS = ("基础设施成本降低{pct}%", "支撑{users}百万月活用户", "全程零停机", "新团队接入时间减半",
              "线上事故减少{pct}%", "支持{team}个团队独立发布")
EN_PROJECTS = ("Open-source contributor to a {tool} plugin with {users}00 GitHub stars.",
               "Side project: a {tool} tutorial series read by {users} thousand developers.",
               "Hackathon winner with a prototype built on {tool} in 48 hours.")
ZH_PROJECTS = ("开源贡献：为 {tool} 插件提交补丁，项目获得{users}00 星标。",
               "个人项目：撰写 {tool} 系列教程，阅读量{users}万。",
               "黑客马拉松获奖：48 小时内基于 {tool} 完成原型。")
PAPER_TITLES = ("Towards Efficient {topic}", "Revisiting {topic} at Scale", "{topic} with Fewer Labels",
                "A Simple Baseline for {topic}", "Robust {topic} under Distribution Shift")

# ---------------------------------------------------------------------------------------------
# The corpus


@dataclass(frozen=True)
class Resume:
    index: int
    name: str
    language: str  # "en" | "zh"
    file: str  # file name (suffix .txt or .md; rendered to .pdf on request)
    text: str
    topics: tuple[str, ...]  # topic keys, the first is the speciality


@dataclass(frozen=True)
class Question:
    id: str
    text: str
    language: str
    kind: str  # "who_has" | "negative"
    topic: str
    relevant: tuple[str, ...]  # file stems of the resumes that truly match


@dataclass
class Corpus:
    seed: int
    resumes: list[Resume]
    questions: list[Question] = field(default_factory=list)

    def write(self, directory: Path, pdf: bool = False) -> list[Path]:
        """Write every resume (as .txt/.md, or as PDF with `pdf`); return the paths."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        paths = []
        for r in self.resumes:
            if pdf:
                paths.append(write_pdf(r, directory / (Path(r.file).stem + ".pdf")))
            else:
                path = directory / r.file
                path.write_bytes(r.text.encode("utf-8"))
                paths.append(path)
        return paths


def asked_topic_count(n: int) -> int:
    return min(len(ASKED), max(3, n // 3))


def generate(n: int, seed: int = 7) -> Corpus:
    """`n` resumes and their labelled questions (see the module docstring)."""
    plan = random.Random(f"plan:{seed}:{n}")
    asked = ASKED[:asked_topic_count(n)]
    holders: dict[int, Topic] = {}
    for topic in asked:
        count = plan.choice((1, 2, 2, 3, 3, 4))
        free = [i for i in range(n) if i not in holders]
        for i in plan.sample(free, min(count, len(free))):
            holders[i] = topic
    names: set[str] = set()
    resumes = [_resume(i, seed, holders.get(i), names) for i in range(n)]
    questions = _questions(resumes, asked, seed)
    _check_labels(resumes, questions)
    return Corpus(seed=seed, resumes=resumes, questions=questions)


def _unique_name(rng: random.Random, language: str, taken: set[str]) -> str:
    for attempt in range(1000):
        if language == "zh":
            given = "".join(rng.sample(ZH_GIVEN, 2)) if attempt < 500 or rng.random() < 0.5 \
                else rng.choice(ZH_GIVEN)
            name = rng.choice(ZH_SURNAMES) + given
        else:
            middle = f" {chr(65 + rng.randrange(26))}." if attempt > 20 or rng.random() < 0.3 else ""
            name = f"{rng.choice(EN_FIRST)}{middle} {rng.choice(EN_LAST)}"
        if name not in taken:
            taken.add(name)
            return name
    raise RuntimeError("name space exhausted")


def _resume(i: int, seed: int, asked: Topic | None, taken: set[str]) -> Resume:
    rng = random.Random(f"resume:{seed}:{i}")
    language = "zh" if rng.random() < 0.4 else "en"
    name = _unique_name(rng, language, taken)
    background = rng.sample(BACKGROUND, 2)
    topics = ([asked] if asked else []) + background
    speciality = topics[0] if asked else background[0]
    writer = _write_zh if language == "zh" else _write_en
    text = writer(rng, name, topics, speciality)
    slug = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_") or f"zh{i}"
    suffix = ".md" if language == "en" and i % 3 == 0 else ".txt"
    return Resume(i, name, language, f"{i:05d}_{slug}{suffix}", text, tuple(t.key for t in topics))


def _numbers(rng: random.Random) -> dict[str, int]:
    low = rng.randrange(35, 60)
    return {"pct": rng.randrange(8, 60), "users": rng.randrange(2, 90), "team": rng.randrange(3, 15),
            "low": low, "high": low + rng.randrange(15, 35)}


def _bullet(rng: random.Random, templates: tuple[str, ...], topic: Topic, zh: bool) -> str:
    tools = topic.tools + topic.tools
    return rng.choice(templates).format(topic=topic.zh if zh else topic.en, tool0=tools[0],
                                        tool1=tools[1], tool2=tools[2], **_numbers(rng))


def _jobs(rng: random.Random, topics: list[Topic], zh: bool) -> list[tuple[str, str, int, int, list[str]]]:
    end = 2025
    jobs = []
    for j in range(rng.choice((2, 3))):
        start = end - rng.randrange(1, 5)
        company = (rng.choice(ZH_COMPANY_A) + rng.choice(ZH_COMPANY_B)) if zh else \
            f"{rng.choice(EN_COMPANY_A)} {rng.choice(EN_COMPANY_B)}"
        role = rng.choice(ZH_ROLES if zh else EN_ROLES)
        topic = topics[min(j, len(topics) - 1)]
        bullets = [_bullet(rng, ZH_TOPIC_BULLETS if zh else EN_TOPIC_BULLETS, topic, zh)]
        filler = ZH_FILLER if zh else EN_FILLER
        bullets += [t.format(**_numbers(rng)) for t in rng.sample(filler, rng.choice((1, 2)))]
        bullets += [_achievement(rng, zh) for _ in range(rng.choice((1, 2, 3)))]
        jobs.append((company, role, start, end, bullets))
        end = start
    return jobs


def _achievement(rng: random.Random, zh: bool) -> str:
    if zh:
        return (f"{rng.choice(ZH_VERBS)}{rng.choice(ZH_SYSTEMS)}，"
                f"{rng.choice(ZH_RESULTS).format(**_numbers(rng))}。")
    return (f"{rng.choice(EN_VERBS)} {rng.choice(EN_SYSTEMS)}, "
            f"{rng.choice(EN_RESULTS).format(**_numbers(rng))}.")


def _projects(rng: random.Random, topics: list[Topic], zh: bool) -> list[str]:
    tools = [tool for t in topics for tool in t.tools]
    return [p.format(tool=rng.choice(tools), **_numbers(rng))
            for p in rng.sample(ZH_PROJECTS if zh else EN_PROJECTS, rng.choice((1, 2)))]


def _papers(rng: random.Random, name: str, topics: list[Topic], zh: bool) -> list[str]:
    if rng.random() > 0.35:
        return []
    out = []
    for k in range(rng.choice((1, 2, 3))):
        topic = topics[k % len(topics)]
        title = rng.choice(PAPER_TITLES).format(topic=topic.en.title() if not zh or k % 2 else topic.en)
        coauthors = [f"{rng.choice(EN_FIRST)[0]}. {rng.choice(EN_LAST)}" for _ in range(rng.choice((1, 2)))]
        out.append(f"{', '.join(coauthors + [name])}. {title}. {rng.choice(VENUES)} {rng.randrange(2017, 2025)}.")
    return out


def _skills(rng: random.Random, topics: list[Topic]) -> list[str]:
    own = [tool for t in topics for tool in t.tools[:2]]
    return list(dict.fromkeys(rng.sample(COMMON_SKILLS, 5) + own))


def _write_en(rng: random.Random, name: str, topics: list[Topic], speciality: Topic) -> str:
    md = rng.random() < 0.5
    h = (lambda s: f"## {s.title()}") if md else (lambda s: s.upper())
    bullet = "- " if md else "  * "
    degree, years = rng.choice(EN_DEGREES)
    grad = 2025 - rng.randrange(3, 15)
    phone = f"+1 555 01{rng.randrange(100):02d}"
    email = re.sub(r"[^a-z]+", ".", name.lower()).strip(".") + "@example.com"
    lines = [f"# {name}" if md else name, f"{email} | {phone} | {rng.choice(EN_CITIES)}", "",
             h("summary"), f"{rng.choice(EN_ROLES)} with {rng.randrange(3, 15)} years of experience "
             f"in {speciality.en}, also working on {topics[-1].en}.", "", h("experience")]
    for company, role, start, end, bullets in _jobs(rng, topics, zh=False):
        lines.append(f"{role}, {company} ({start} - {end if end < 2025 else 'present'})")
        lines += [bullet + b for b in bullets]
    lines += ["", h("projects")] + [bullet + p for p in _projects(rng, topics, zh=False)]
    papers = _papers(rng, name, topics, zh=False)
    if papers:
        lines += ["", h("publications")] + [bullet + p for p in papers]
    lines += ["", h("education"), f"{degree}, {rng.choice(EN_UNIVERSITIES)}, {grad - years} - {grad}",
              "", h("skills"), ", ".join(_skills(rng, topics)), ""]
    return "\n".join(lines)


def _write_zh(rng: random.Random, name: str, topics: list[Topic], speciality: Topic) -> str:
    degree, years = rng.choice(ZH_DEGREES)
    grad = 2025 - rng.randrange(3, 15)
    lines = [name, f"电话：138-0000-{rng.randrange(10000):04d} | 邮箱：user{rng.randrange(10**6):06d}"
             f"@example.com | {rng.choice(ZH_CITIES)}", "", "个人简介",
             f"{rng.randrange(3, 15)}年{speciality.zh}相关经验，同时关注{topics[-1].zh}。", "", "工作经历"]
    for company, role, start, end, bullets in _jobs(rng, topics, zh=True):
        lines.append(f"{company} {role} {start} – {end if end < 2025 else '至今'}")
        lines += ["• " + b for b in bullets]
    lines += ["", "项目经历"] + ["• " + p for p in _projects(rng, topics, zh=True)]
    papers = _papers(rng, name, topics, zh=True)
    if papers:
        lines += ["", "论文发表"] + ["• " + p for p in papers]
    lines += ["", "教育背景", f"{rng.choice(ZH_UNIVERSITIES)} {degree} {grad - years} – {grad}", "",
              "技能", "、".join(_skills(rng, topics)), ""]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Questions and the check that their labels hold

EN_QUESTIONS = ("Who has worked on {t}?", "Who has experience with {t}?", "Which candidates know {t}?")
ZH_QUESTIONS = ("谁做过{t}？", "有{t}经验的候选人有哪些？", "谁有{t}方面的经验？")


def _questions(resumes: list[Resume], asked: tuple[Topic, ...], seed: int) -> list[Question]:
    rng = random.Random(f"questions:{seed}")
    out = []
    for k, topic in enumerate(asked):
        relevant = tuple(Path(r.file).stem for r in resumes if topic.key in r.topics)
        out.append(Question(f"{topic.key}-en", rng.choice(EN_QUESTIONS).format(t=topic.en), "en",
                            "who_has", topic.key, relevant))
        if k % 2 == 0:
            out.append(Question(f"{topic.key}-zh", rng.choice(ZH_QUESTIONS).format(t=topic.zh), "zh",
                                "who_has", topic.key, relevant))
    for topic in ABSENT:
        out.append(Question(f"{topic.key}-neg", rng.choice(EN_QUESTIONS).format(t=topic.en), "en",
                            "negative", topic.key, ()))
    return out


def _mentions(text: str, topic: Topic) -> bool:
    lowered = text.lower()
    return topic.zh.lower() in lowered or \
        re.search(rf"(?<![a-z0-9]){re.escape(topic.en.lower())}(?![a-z0-9])", lowered) is not None


def _check_labels(resumes: list[Resume], questions: list[Question]) -> None:
    """Each asked topic is mentioned by exactly its holders; absent topics by nobody."""
    by_key = {t.key: t for t in ASKED + ABSENT}
    markers = [m for t in by_key.values() for m in (t.en.lower(), t.zh.lower())]
    any_marker = re.compile("|".join(re.escape(m) for m in sorted(markers, key=len, reverse=True)))
    suspects = [r for r in resumes if any_marker.search(r.text.lower())]  # the rest mention none
    for q in questions:
        topic = by_key[q.topic]
        mentioned = {Path(r.file).stem for r in suspects if _mentions(r.text, topic)}
        if mentioned != set(q.relevant):
            raise AssertionError(f"labels of {q.id} do not hold: {sorted(mentioned ^ set(q.relevant))}")


# ---------------------------------------------------------------------------------------------
# PDF rendering (reportlab, a dev dependency)


def write_pdf(resume: Resume, path: Path) -> Path:
    """A one- or two-page PDF of the resume text, drawn line by line (CJK in STSong-Light)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    if "STSong-Light" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    path.parent.mkdir(parents=True, exist_ok=True)
    width, height = A4
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    font = "STSong-Light" if resume.language == "zh" else "Helvetica"
    y = height - 56
    for line in resume.text.splitlines():
        line = line.lstrip("#").strip() if line.startswith("#") else line
        for piece in _wrap(line, font, 10.0, width - 112, pdfmetrics.stringWidth):
            if y < 56:
                c.showPage()
                y = height - 56
            c.setFont(font, 10.0)
            c.drawString(56, y, piece)
            y -= 14
    c.showPage()
    c.save()
    return path


def _wrap(line: str, font: str, size: float, limit: float, measure) -> list[str]:
    if measure(line, font, size) <= limit:
        return [line]
    cjk = font == "STSong-Light"
    parts, current = [], ""
    for token in (list(line) if cjk else line.split(" ")):
        candidate = current + token if cjk or not current else f"{current} {token}"
        if current and measure(candidate, font, size) > limit:
            parts.append(current)
            current = token
        else:
            current = candidate
    return parts + ([current] if current else [])
