"""Question analysis: what a topic question asks does not depend on how it is worded."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from retrieval.lexicon import _singular, alternatives_of, question_terms


def tokenize_all(text: str) -> frozenset[str]:
    """A sentence's tokens as terms are matched against them (phrase tokens included)."""
    from retrieval.tokens import sentence_tokens

    return sentence_tokens(text)


def words(question: str) -> list[str]:
    """The single words a question asks about (phrases left out)."""
    return [t.text.rstrip("\u0000") for t in question_terms(question) if not t.parts]


@pytest.mark.parametrize(("a", "b"), [
    ("谁有 Kubernetes 经验？", "谁有 Kubernetes 运维经验？"),
    ("谁做过端到端加密？", "谁有端到端加密经验？"),
    ("Who has Terraform experience?", "Who has worked with Terraform?"),
    ("Who has experience with Rust?", "Which candidates have used Rust in projects?"),
    ("Who has done mobile development?", "Who has mobile experience?"),
    # recruiting chat (the stop list's blind-written register)
    ("Who has Terraform experience?", "HM pinged me, she needs Terraform folks by EOD, any referrals?"),
    ("Who has Terraform experience?", "Backfill req, urgent: can I reach out to anyone with Terraform?"),
    ("谁做过Flink？", "HC批下来了，用人经理那边急要做过Flink的，帮我捞几份"),
    ("Who has Kubernetes experience?", "any folks with Kubernetes ops experience?"),
    ("谁做过编译器？", "谁写过编译器？"),
    ("Who has Kafka experience?", "Kafka gurus or hackers around?"),
])
def test_words_that_only_carry_the_question_change_nothing(a: str, b: str) -> None:
    assert words(a) == words(b) and words(a)


def test_a_pronoun_is_no_topic() -> None:
    """"… written a compiler or worked on one": the second alternative asks nothing."""
    assert words("worked on one. who we got?") == []


def test_a_soft_word_is_the_topic_when_nothing_more_specific_is_asked() -> None:
    assert words("Who does systems research?") == ["systems", "research"]
    assert words("谁做过运维？") == ["运维"]
    assert words("Who has worked on distributed systems?") == ["distributed"]
    assert words("Who has organized a hackathon?") == ["hackathon"]


def test_a_soft_word_stays_inside_a_known_phrase() -> None:
    phrases = [t.text for t in question_terms("Who has worked on operating systems?") if t.parts]
    assert "operating systems" in phrases
    assert _singular("operating systems") == "operating system"
    assert _singular("ads") == "ads" and _singular("class") == "class"


def test_a_question_reads_the_same_in_every_process() -> None:
    """The question's frame is cut off longest word first, whatever order Python's string hashing
    gives a set of frame words: "我们" + "人才库" + "里", never "人才" + "库里" (a word of its own,
    which then became a concept no resume expresses, and the answer "no one" in some processes)."""
    code = ("from retrieval.lexicon import question_terms; "
            "print([t.text for t in question_terms('我们人才库里有没有搞过编译器的？')])")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={**os.environ, "PYTHONHASHSEED": str(seed)}).stdout
            for seed in range(1, 6)}
    assert len(seen) == 1 and "库里" not in seen.pop()


def test_a_one_character_frame_word_before_a_longer_one_is_frame_too() -> None:
    """人才库 + 里 + 有谁做过: "里" alone is no frame word of its own length, and left in, jieba
    glued 过 to the topic (过端)."""
    texts = [t.text for t in question_terms("我们人才库里有谁做过端到端加密？")]
    assert "端到端加密" in texts and not any(t.startswith("过") for t in texts)


def test_too_many_slashed_words_are_read_as_alternatives_alone() -> None:
    question = "Who knows " + " ".join("/".join(f"w{i}x{j}" for j in range(40)) for i in range(12))
    alternatives = alternatives_of(question + "?")
    assert len(alternatives) < 500 and not any("/" in a for a in alternatives)


@pytest.mark.parametrize(("question", "expected"), [
    ("Who has worked on finance, fintech or quantitative trading?",
     ["Who has worked on finance", "fintech", "quantitative trading?"]),
    ("Who has built data pipelines like Spark, Flink or Kafka?",
     ["Who has built data pipelines", "Spark", "Flink", "Kafka?"]),
    ("Who knows Python, Go and Rust?", ["Who knows Python, Go and Rust?"]),  # a list of AND
    ("Who has speech recognition (ASR) experience?", ["Who has speech recognition   experience?", "ASR"]),
    ("谁做过推荐系统或搜索？", ["谁做过推荐系统", "搜索？"]),
    # a slash inside a word offers that word's alternatives; a slashed name stays whole
    ("Who has worked on INT8/INT4 model quantization?",
     ["Who has worked on INT8 model quantization?", "Who has worked on INT4 model quantization?"]),
    ("Who knows TCP/IP or CI/CD?", ["Who knows TCP/IP", "CI/CD?"]),
    ("Who has worked on pruning / distillation?", ["Who has worked on pruning", "distillation?"]),
    # examples in a parenthesis are alternatives each
    ("Who has built image generation models (Stable Diffusion, GANs)?",
     ["Who has built image generation models  ?", "Stable Diffusion", "GANs"]),
    ("谁做过生成式模型（Diffusion / GAN）？", ["谁做过生成式模型 ？", "Diffusion", "GAN"]),
    # a generic word before "or" shares the other alternative's topic; a topic stands alone
    ("Who has done research or work in Kafka?", ["Who has done research in Kafka?", "work in Kafka?"]),
    ("Who has done research or teaching?", ["Who has done research", "teaching?"]),
    ("Who has done research or teaching in ML?", ["Who has done research in ML?", "teaching in ML?"]),
    # a list after a colon, a dash or a question mark gives examples of what comes before it
    ("Looking for an embedded engineer: firmware, microcontrollers, RTOS.",
     ["Looking for an embedded engineer", "firmware", "microcontrollers", "RTOS."]),
    ("who's done computer vision work? detection, face rec, tracking",
     ["who's done computer vision work", "detection", "face rec", "tracking"]),
    ("who has competition results — hackathons, CTFs", ["who has competition results", "hackathons", "CTFs"]),
    ("谁做过模型量化？INT8、低比特", ["谁做过模型量化", "INT8", "低比特"]),
    # ... but not a sentence after it, nor two things joined by "or" alone
    ("Who has worked on Kafka? Ideally in production, at scale.",
     ["Who has worked on Kafka? Ideally in production, at scale."]),
    ("Who knows statistics? PhD level or heavy modelling",
     ["Who knows statistics? PhD level", "heavy modelling"]),
    # ... nor a list after words that name nothing: it is what is asked, not examples of it
    ("Need someone with: Python, SQL, Airflow", ["Need someone with: Python, SQL, Airflow"]),
])
def test_lists_and_examples_are_alternatives(question: str, expected: list[str]) -> None:
    assert alternatives_of(question) == expected


def test_an_acronym_in_the_plural_is_the_acronym() -> None:
    import numpy as np

    from retrieval.lexicon import Lexicon, _word_concept

    concept = _word_concept("GPUs", Lexicon(), np.zeros(4, dtype=np.float32))
    assert concept is not None and concept.found_in({"gpu", "cluster"}) == 1.0
    assert concept.found_in({"gpus"}) == 1.0


def test_chinese_words_that_make_a_known_name_stay_together() -> None:
    """jieba cuts 机器学习 into 机器 + 学习 and drops the lone 大 of 大模型: both are known names."""
    assert "机器学习" in words("谁有机器学习经验？") and "机器" not in words("谁有机器学习经验？")
    assert "大模型" in words("谁做过大模型推理优化？")


@pytest.mark.parametrize("question", ["找一下有后端开发经验的候选人", "有后端开发经验的人有吗？",
                                      "帮我找有前端开发经验的同学"])
def test_a_name_the_tables_know_is_never_cut_by_the_words_around_it(question: str) -> None:
    """jieba reads 有后端开发 as 有后 ("to have heirs") + 端 + 开发: a name of the tables in the
    question is kept whole whatever its neighbours are."""
    found = words(question)
    assert any(w in found for w in ("后端开发", "前端开发")) and "有后" not in found


@pytest.mark.parametrize("question, kept, cut", [("有没有人大模型经验？", "大模型", "人大"),
                                                 ("谁管理过大数据团队？", "大数据", "理大"),
                                                 ("谁做过大数据平台？", "大数据", "数据平台")])
def test_a_short_name_does_not_cut_a_longer_one(question: str, kept: str, cut: str) -> None:
    """人大 (a university) and 理大 are names of the alias table too; beginning one character
    before 大模型 or 大数据 they must not take its first character. Two longer names that overlap
    are read from the left (大数据平台: 大数据), as jieba reads them."""
    found = words(question)
    assert kept in found and cut not in found


def test_a_word_finds_its_family_in_the_corpus_by_stem_and_meaning() -> None:
    import numpy as np

    from retrieval.lexicon import Lexicon

    base = {"finance": [1.0, 0.0, 0.0], "Financial": [0.95, 0.1, 0.0], "financially": [0.9, 0.2, 0.0],
            "finalist": [0.0, 1.0, 0.0], "fine": [0.0, 0.0, 1.0], "Financial Times": [0.9, 0.0, 0.3]}
    lexicon = Lexicon.build(set(base) - {"finance"}, lambda texts: np.asarray([base[t] for t in texts]), {})
    vector = np.asarray(base["finance"], dtype=np.float32)

    assert sorted(lexicon.variants("finance", vector, 0.85)) == ["Financial", "financially"]
    assert lexicon.variants("finance", vector, 0.999) == []  # close in spelling, not in meaning
    assert lexicon.variants("AI", vector, 0.5) == []  # too short to have a family


def test_a_chinese_word_no_passage_has_is_read_by_its_words() -> None:
    """分布式服务 in no stored passage: 分布式 and 服务 are the question's concepts, as the words of an
    English phrase are; a word the corpus has, or a table names (强化学习), stays whole."""
    import numpy as np

    from retrieval.lexicon import Lexicon, concepts_for

    words = ["分布式", "服务", "分布", "布式", "强化", "学习", "扩容"]
    rng = np.random.default_rng(7)
    table = {w: rng.normal(size=8) for w in words + ["分布式服务", "强化学习", "弹性扩容"]}

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray([table[t] for t in texts], dtype=np.float32)

    lexicon = Lexicon.build(set(words), embed, {})

    def labels(question: str) -> list[list[str]]:
        return [sorted(c.label for c in segment) for segment in concepts_for(question, lexicon, embed)]

    assert labels("谁做过分布式服务？") == [["分布式", "服务"]]
    assert labels("谁做过强化学习？") == [["强化学习"]]
    assert labels("谁做过扩容？") == [["扩容"]]


def test_a_word_another_concept_already_names_is_no_second_requirement() -> None:
    """"founder" is one of the startup field's own terms (topics.toml): asked beside the field it
    is the narrower requirement, and the field goes. A piece of a term (社区 of 开源社区) asks for
    the field again, and goes itself. Two names of one thing keep one."""
    import numpy as np

    from retrieval.lexicon import Lexicon, concepts_for

    words = ["startup", "founder", "开源", "社区", "贡献", "React", "Kafka", "大模型", "推理", "优化",
             "创业公司", "创业", "公司", "机器学习", "Rust"]
    rng = np.random.default_rng(11)
    table: dict[str, np.ndarray] = {}

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray([table.setdefault(t, rng.normal(size=8)) for t in texts], dtype=np.float32)

    lexicon = Lexicon.build(set(words), embed, {})

    def labels(question: str) -> list[list[str]]:
        return [sorted(c.label for c in segment) for segment in concepts_for(question, lexicon, embed)]

    assert labels("Who has startup founder experience?") == [["founder"]]
    assert labels("Who has worked on React and Kafka?") == [["Kafka", "React"]]  # neither names the other
    assert labels("谁做过开源社区？") == [["开源"]]
    assert labels("Who has 机器学习 machine learning and Rust experience?") in (
        [["Rust", "机器学习"]], [["Rust", "machine learning"]])
    assert labels("谁做过大模型推理优化？") == [["优化", "大模型", "推理"]]  # parts count for themselves


def test_a_part_of_a_phrase_is_not_named_by_the_phrase() -> None:
    """大模型推理优化 is written with 大模型's words, but 大模型 beside it still counts for itself:
    a line on LLMs covers part of the question. A field's term beside the field keeps the term."""
    from retrieval.lexicon import Concept, _without_named_by_others

    phrase = Concept("大模型推理优化", (frozenset({"大模", "模型", "推理", "优化"}), frozenset({"大模", "模型"})),
                     exact=2)
    part = Concept("大模型", (frozenset({"大模", "模型"}),))
    field = Concept("mobile", (frozenset({"mobil"}), frozenset({"flutter"})), exact=2,
                    specific=(frozenset({"flutter"}),))
    term = Concept("Flutter", (frozenset({"flutter"}),))
    assert [c.label for c in _without_named_by_others([phrase, part])] == ["大模型推理优化", "大模型"]
    assert [c.label for c in _without_named_by_others([term, field])] == ["Flutter"]
    assert [c.label for c in _without_named_by_others([field, term])] == ["Flutter"]


@pytest.mark.parametrize("question, kept", [
    ("Who has done firmware and embedded software?", "embedded software"),
    ("Who has done embedded software and firmware?", "embedded software"),
    ("谁做过固件和嵌入式开发？", "嵌入式开发"),
    ("Who has done firmware for embedded software?", "firmware"),  # a modifier: the term
    # in a clause of its own the term illustrates the field: "… that kind", "think …"
    ("做过嵌入式开发的，固件那种", "嵌入式开发"),
    ("embedded software people? think firmware", "embedded software"),
])
def test_a_fields_term_joined_to_the_field_by_and_is_one_side_of_it(question: str, kept: str) -> None:
    """"firmware and embedded software" names the field by two of its sides, and "embedded
    software? think firmware" illustrates it: the field stays (its terms include firmware),
    where "Flutter mobile development" asks for Flutter."""
    from retrieval.lexicon import Concept, _spellings, _without_named_by_others

    field_name, term_name = ("嵌入式开发", "固件") if "固件" in question else ("embedded software", "firmware")
    term = Concept(term_name, _spellings(term_name))
    field = Concept(field_name, _spellings(field_name) + _spellings(term_name), exact=2,
                    specific=_spellings(term_name))
    merged = _without_named_by_others([term, field], question)
    assert [c.label for c in merged] == [kept]
    if kept == field_name:
        assert merged[0].found_in(frozenset(tokenize_all(term_name))) == 1.0


def test_a_merged_field_keeps_all_its_names_when_merged_again() -> None:
    """"cloud" and "DevOps" (two names of one row) merge first; a field that "cloud" is then one
    side of ("cloud and infra") takes all of the merged concept, DevOps included."""
    from retrieval.lexicon import Concept, _spellings, _without_named_by_others

    cloud = Concept("cloud", _spellings("cloud"))
    devops = Concept("DevOps", _spellings("DevOps"))
    infra = Concept("infra", _spellings("infra") + _spellings("cloud"), exact=2, specific=_spellings("cloud"))
    merged = _without_named_by_others([cloud, devops, infra], "Who knows cloud and infra? DevOps too")
    assert [c.label for c in merged] == ["infra"]
    assert merged[0].found_in(frozenset(tokenize_all("DevOps"))) == 1.0


def test_two_names_of_one_field_are_one_requirement() -> None:
    """"DevOps and cloud infrastructure", "competitive programming contests": either name of the
    field expresses it; asked as two requirements, a line saying one would cover half."""
    from retrieval.lexicon import Concept, _spellings, _without_named_by_others

    devops = Concept("DevOps", _spellings("DevOps"))
    cloud = Concept("cloud infrastructure", _spellings("cloud infrastructure"))
    merged = _without_named_by_others([devops, cloud], "Who knows DevOps and cloud infrastructure?")
    assert [c.label for c in merged] == ["DevOps"]
    assert merged[0].found_in(frozenset(tokenize_all("cloud infrastructure"))) == 1.0
    assert merged[0].found_in(frozenset(tokenize_all("DevOps"))) == 1.0


def test_pieces_jieba_cuts_from_chat_are_no_concepts() -> None:
    """方要 (业务方要), 拉个 (帮我拉个), 查下: in no passage, no table and not in jieba's dictionary,
    they are chat cut apart, not terms; a dictionary word no passage has (会计师) is still asked."""
    import numpy as np

    from retrieval.lexicon import Lexicon, concepts_for

    words = ["计算机视觉", "业务", "注册", "图像"]
    rng = np.random.default_rng(5)
    table: dict[str, np.ndarray] = {}

    def embed(texts: list[str]) -> np.ndarray:
        return np.asarray([table.setdefault(t, rng.normal(size=8)) for t in texts], dtype=np.float32)

    lexicon = Lexicon.build(set(words), embed, {})

    def labels(question: str) -> set[str]:
        return {c.label for segment in concepts_for(question, lexicon, embed) for c in segment}

    assert "方要" not in labels("急！业务方要计算机视觉的人，库里有谁？")
    assert labels("下周有个岗位需要计算机视觉背景，帮我拉个shortlist") == {"计算机视觉"}
    assert labels("老板问有没有计算机视觉方面的人选，能帮忙查下吗") == {"计算机视觉"}
    assert "会计师" in labels("谁是注册会计师？")
    assert labels("谁做过点云？") == {"点云"}  # a table term, though no passage or dictionary has it


def test_a_table_name_spans_one_letter_words() -> None:
    """"managing a team" is one field name: its "a" must not hide it."""
    terms = question_terms("Which candidates have experience with managing a team?")
    assert any(t.text == "managing a team" for t in terms)


@pytest.mark.parametrize(("question", "expected"), [
    ("Slack me anyone with Kafka experience", ["Kafka"]),  # a soft word alone: the request
    ("Our customer wants someone with Kafka experience", ["Kafka"]),
    ("Who has built Slack integrations?", ["Slack", "integrations"]),  # before a noun: which thing
    ("Who has done remote sensing?", ["remote", "sensing"]),
])
def test_a_soft_word_counts_as_the_first_word_of_a_noun_phrase(question: str, expected: list[str]) -> None:
    assert words(question) == expected


@pytest.mark.parametrize("question, examples", [
    ("search engine work? think Elasticsearch, Vespa, Solr", "Elasticsearch, Vespa, Solr"),
    ("CV people: e.g. detection, tracking", "detection, tracking"),
    ("推荐系统？比如召回、排序", "召回、排序"),
    ("视觉方向的？检测、分割、三维视觉这些做过的都算", "检测、分割、三维视觉这些做过的都算"),  # chat after the last item
])
def test_examples_after_a_break_may_open_with_a_word_that_says_so(question: str, examples: str) -> None:
    from retrieval.lexicon import examples_after_break

    assert examples_after_break(question).endswith(" such as " + examples)


@pytest.mark.parametrize("question, read", [
    ("有自己创过业的吗", "有自己创业的吗"),  # 离合词: the tables know 创业
    ("做过推荐的吗", "做过推荐的吗"),        # 做推 is no word: 过 stays
    ("谁参加过算法竞赛还拿过奖", "谁参加过算法竞赛还拿奖"),  # 拿奖 = award (aliases.toml)
    ("谁以前开过公司", "谁以前开公司"),  # a two-character object: 开公司 (topics.toml)
])
def test_a_separable_chinese_verb_is_read_whole(question: str, read: str) -> None:
    from retrieval.lexicon import joined_separable_verbs

    assert joined_separable_verbs(question) == read


def test_a_term_jieba_cuts_in_two_is_read_whole() -> None:
    """联合创始人 is one term of the founder field; jieba cuts it into 联合 ("joint") + 创始人."""
    terms = {t.text for t in question_terms("谁当过联合创始人")}
    assert "联合创始人" in terms and "联合" not in terms


@pytest.mark.parametrize("question, asked", [
    ("serious Kafka people?", ["Kafka"]),
    ("actual Haskell experience, anyone?", ["Haskell"]),
    ("genuine Rust experience, anyone?", ["Rust"]),
    ("anyone with Kafka in prod?", ["Kafka"]),  # prod is production: soft
])
def test_a_hedge_is_how_a_question_asks_not_what(question: str, asked: list[str]) -> None:
    assert [t.text for t in question_terms(question) if not t.parts] == asked


def test_a_hyphenated_word_is_the_name_the_tables_write_with_a_space() -> None:
    """"knowledge-graph" is the known name "knowledge graph" (and so its field); a word the tables
    know hyphenated stays as typed."""
    assert [t.text for t in question_terms("knowledge-graph folks?")] == ["knowledge graph"]
    assert "open-source" in {t.text for t in question_terms("any open-source folks?")}


def test_taking_part_is_how_a_question_asks_not_what() -> None:
    """参加 ("took part in") asks as 参与 does: the competition is what is asked, and "won a prize"
    (拿过奖) is the award it names, not 过奖 ("you flatter me")."""
    from retrieval.lexicon import joined_separable_verbs

    terms = {t.text for t in question_terms(joined_separable_verbs("谁参加过算法竞赛还拿过奖？"))}
    assert "算法竞赛" in terms and "拿奖" in terms
    assert not terms & {"参加", "过奖"}


def test_examples_after_a_break_stay_with_the_clause_the_topic_cue_picks() -> None:
    """"worked on DB internals? storage engines, query execution": the examples belong to what
    the cue introduces, so the clause keeps them."""
    from retrieval.lexicon import examples_after_break, topic_clause

    read = topic_clause(examples_after_break("anyone who's worked on DB internals? storage engines, query execution"))
    assert "storage engines" in read and "query execution" in read


def test_chinese_qualifiers_of_fame_carry_the_question_as_english_ones_do() -> None:
    """知名/著名 are "notable"/"well-known" (stop words in English too); 给 is a preposition."""
    texts = [t.text for t in question_terms("有给知名开源项目贡献过代码的吗？")]
    assert "开源项目" in texts and not any("知名" in t or t.startswith("给") for t in texts)


def test_a_name_of_the_alias_table_is_read_by_its_translations_not_the_embedders_guesses() -> None:
    """量子计算 is "quantum computing" (aliases.toml); an embedder that puts it beside
    "quantization" would make every quantized model a quantum computer. A word the tables do
    not know (声纹识别) still takes the embedder's neighbour."""
    import numpy as np

    from retrieval.lexicon import Lexicon, concepts_for

    axes = {"量子计算": 0, "quantization": 0, "声纹": 1, "声纹识别": 1, "voiceprint": 1}

    def embed(texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 8), np.float32)
        for i, text in enumerate(texts):
            out[i, axes.get(text, 2 + len(text) % 6)] = 1.0
        return out

    lexicon = Lexicon.build({"quantization", "voiceprint", "kubernetes"}, embed, {})
    (segment,) = concepts_for("量子计算方向有人吗？", lexicon, embed)
    assert "quantum computing" in segment[0].expansions and "quantization" not in segment[0].expansions
    (segment,) = concepts_for("谁做过声纹识别？", lexicon, embed)
    assert "voiceprint" in segment[0].expansions


@pytest.mark.parametrize("question, word, inner", [
    ("谁做过大型机开发？", "大型机", None),       # a mainframe; 大型 is only "large"
    ("谁做过机器人？", "机器人", None),           # a robot; 机器 a machine
    ("谁是开源项目的贡献者？", "贡献者", ("贡献",)),  # -er: the same topic
    ("谁做过前端开发？", "前端开发", ("前端",)),     # 开发 says little
    ("谁做过大模型推理？", "大模型", ("模型",)),     # the head stays
])
def test_a_chinese_word_is_read_without_a_part_only_when_its_head_stays(
        question: str, word: str, inner: tuple[str, ...] | None) -> None:
    found = {t.text: t.parts for t in question_terms(question)}
    assert word in found
    assert found.get(word + "\u0000") == inner
