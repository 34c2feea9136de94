"""A topic question is read the same however a recruiter words it: the words that only carry the
request ("looking for", "any resumes mentioning", 有没有, 背景) never become its terms, the words
of a field never become stop words, and a translation the embedder guessed does not alone make
someone a match."""

from __future__ import annotations

import pytest
from langchain_core.embeddings import Embeddings

from retrieval.lexicon import Concept, question_terms, topic_clause, topic_text, without_lead_in
from retrieval.search import Evidence, Query, fuse
from retrieval.tokens import CHINESE, ENGLISH
from retrieval.types import Passage


def specific_terms(question: str) -> set[str]:
    """The question's terms that are words of their own (not phrases built from them)."""
    return {t.text.rstrip("\u0000") for t in question_terms(question) if not t.parts}


@pytest.mark.parametrize("question", [
    "Who has worked on Kubernetes?",
    "Looking for Kubernetes engineers",
    "Any resumes mentioning Kubernetes?",
    "Find me someone with hands-on Kubernetes experience",
    "Which applicants have strong Kubernetes skills?",
    "I need a Kubernetes expert",
    "who've we got with Kubernetes?",
    "Who has shipped Kubernetes before?",
    "Kubernetes",
    # chat filler, meetings, time and the resume pile are the request too
    "hmm, anyone among the applicants with Kubernetes skills?",
    "Need Kubernetes folks by Friday, who have we sourced?",
    "Would you mind showing who has Kubernetes listed?",
])
def test_english_request_wording_leaves_only_the_topic(question: str) -> None:
    assert specific_terms(question) == {"Kubernetes"}


@pytest.mark.parametrize("question", [
    "谁做过强化学习？",
    "有没有人熟悉强化学习？",
    "哪些候选人有强化学习背景？",
    "强化学习方向的候选人",
    "帮我找一下懂强化学习的人",
    "谁擅长强化学习？",
    "想找个强化学习经验丰富的，库里有吗？",
    "您好，下周要考强化学习，目前简历里谁做过？",
])
def test_chinese_request_wording_leaves_only_the_topic(question: str) -> None:
    assert specific_terms(question) == {"强化学习"}


@pytest.mark.parametrize("question, topic", [
    ("Who has done deep learning?", {"deep", "learning"}),
    ("Looking for engineers who have managed a team", {"managed", "team"}),
    ("Who has worked on time series forecasting?", {"series", "forecasting"}),
])
def test_words_of_a_field_stay_terms(question: str, topic: set[str]) -> None:
    assert topic <= specific_terms(question)


@pytest.mark.parametrize("word", ["deep", "team", "time", "security", "design", "推荐", "系统", "数据",
                                  "sync", "meeting", "staff", "exposure", "checking", "ats",
                                  "面试", "收集"])
def test_request_vocabulary_holds_no_domain_word(word: str) -> None:
    assert word not in ENGLISH.stop and word not in CHINESE.stop


# --- a guessed translation alone -------------------------------------------------------------


def _distillation_query() -> Query:
    """"distillation", with its alias 蒸馏 and a neighbour the embedder guessed (沉淀, "to settle":
    close in vector space, another meaning)."""
    concept = Concept("distillation", (frozenset({"distil"}), frozenset({"蒸馏"}), frozenset({"沉淀"})),
                      exact=2)
    return Query("Who has worked on distillation?", [[concept]], {"distillation": 1.0})


def _lone(text: str, relative: float) -> Evidence:
    passage = Passage(id="p:0", document_id="d", candidate_id="c", candidate_name="C",
                      source="c.md", text=text, start=0, end=len(text))
    [ev] = fuse([(passage, 0.2)], [], {"p:0": 0.2}, _distillation_query(), {})
    ev.mentions, ev.relative_similarity = 1, relative
    return ev


def test_a_lone_guessed_translation_needs_the_meaning_too() -> None:
    """One passage whose only match is a guessed neighbour supports a candidate only when its
    meaning is at least at the pool's median; the question's own word or an alias is trusted
    down to lone_mention_similarity."""
    guessed_far = _lone("逐渐沉淀与主导公司产品研发", relative=-0.5)
    guessed_close = _lone("逐渐沉淀与主导公司产品研发", relative=0.3)
    own_word = _lone("Led model distillation for on-device ranking", relative=-0.5)
    alias = _lone("负责模型蒸馏与压缩", relative=-0.5)

    assert guessed_far.guessed and not guessed_far.supports
    assert guessed_close.supports
    assert not own_word.guessed and own_word.supports
    assert not alias.guessed and alias.supports


def test_a_lone_mention_of_a_fields_specific_term_is_enough() -> None:
    """One line far from the question in meaning still supports a candidate when its word is one
    of the field's own terms in topics.toml (TCP for networking); the field's name alone is held
    to the lone-mention bar, as any word of the question is."""
    from retrieval.lexicon import _field_spellings

    concept = Concept("networking", (frozenset({"network"}), frozenset({"tcp"})), exact=2,
                      specific=_field_spellings("networking"))
    query = Query("Who has worked on networking?", [[concept]], {"networking": 1.0})

    def lone(text: str) -> Evidence:
        passage = Passage(id="p:0", document_id="d", candidate_id="c", candidate_name="C",
                          source="c.md", text=text, start=0, end=len(text))
        [ev] = fuse([(passage, 0.05)], [], {"p:0": 0.05}, query, {})
        ev.mentions, ev.relative_similarity = 1, -3.0
        return ev

    assert frozenset({"tcp"}) in concept.specific
    assert lone("Maintained custom TCP protocol handlers in C").supports
    assert not lone("Built the social network of the alumni club").supports


@pytest.mark.parametrize("question, topic", [
    ("OK so which people have actually worked on knowledge distillation, not just listed it?",
     "knowledge distillation"),
    ("Who has worked on LLM inference or serving?", "LLM inference serving"),
    ("我们人才库里有没有搞过分布式系统的？", "分布式系统"),
    ("Kubernetes", "Kubernetes"),
    ("Who has worked at Société Générale on 5G or 3D?", "Société Générale 5G 3D"),
])
def test_the_topic_of_a_question_is_its_words_without_the_request(question: str, topic: str) -> None:
    assert topic_text(question) == topic


class _Recording(Embeddings):
    """Each text its own fixed direction; records what was embedded and how."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(list(texts))
        return [[float(len(t) % 7 + 1), float(len(t) % 3), 2.0 * (t == "Rust")] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def test_the_question_vector_is_halfway_between_the_question_and_its_topic() -> None:
    import numpy as np

    from bot.assistant import _QuestionVectors

    embedder = _Recording()
    question = "Which candidates have actually shipped Rust?"
    vector = np.asarray(_QuestionVectors(question, embedder, {}).of_question())
    written, topic = (np.asarray(embedder.embed_query(t)) for t in (question, "Rust"))
    halfway = written / np.linalg.norm(written) + topic / np.linalg.norm(topic)

    assert embedder.calls[:2] == [[question], ["Rust"]]  # each alone: no batch effects
    assert np.allclose(vector, halfway / np.linalg.norm(halfway))
    assert np.isclose(np.linalg.norm(vector), 1.0)


def test_a_question_asked_again_is_not_embedded_again() -> None:
    from bot.assistant import _QuestionVectors

    embedder, asked = _Recording(), {}
    first = _QuestionVectors("Who knows Rust?", embedder, {}, asked).of_question()
    again = _QuestionVectors("Who knows Rust?", embedder, {}, asked).of_question()

    assert again == first and len(embedder.calls) == 2  # the question and its topic, once


@pytest.mark.parametrize("question", [
    "for the infra req, who has worked on Kubernetes?",
    "hiring manager for the search team asks: who has worked on Kubernetes?",
    "for our senior backend role: anyone with Kubernetes?",
    "infra这个岗位，谁做过Kubernetes？",
    "fyi, who knows Kubernetes?",
    "for the infra req — who has worked on Kubernetes?",  # a dash ends the clause too
    "hey, for the infra req - who has worked on Kubernetes?",  # a greeting, then the clause
])
def test_a_clause_naming_the_opening_is_not_part_of_the_topic(question: str) -> None:
    assert specific_terms(without_lead_in(question)) == {"Kubernetes"}


@pytest.mark.parametrize("question", ["hey what about Rust, Go?", "hi there do we have Rust, Go people?",
                                      "btw what about Rust, Go?"])
def test_a_greeting_that_holds_the_topic_is_kept(question: str) -> None:
    """The comma after "hey what about Rust" is a list's: what precedes it is asked too."""
    assert without_lead_in(question) == question


def test_a_greeting_before_a_question_that_asks_is_dropped() -> None:
    assert without_lead_in("hi Sam, who knows Rust?") == "who knows Rust?"


@pytest.mark.parametrize("question", [
    "Please list all candidates who have held a position at Google, including internships.",
    "Who has worked on the search team, building ranking?",
    "Kafka, Flink or Spark: who has used them?",
    "for the infra req, anyone?",
])
def test_a_clause_that_is_the_question_itself_stays(question: str) -> None:
    assert without_lead_in(question) == question


@pytest.mark.parametrize("question", [
    "for PhD holders, who has worked on Kubernetes?",
    "for someone with 5+ years, who knows Kubernetes?",
    "re Kafka, who has used Kubernetes with it?",
    "for a role in Seattle, who has Kubernetes experience?",
    "北京的岗位，谁做过Kubernetes？",
])
def test_a_lead_in_that_asks_something_of_the_people_stays(question: str) -> None:
    assert without_lead_in(question) == question


def test_the_lead_in_words_are_data_and_none_names_a_field() -> None:
    """stopwords.toml [lead_in]: the words of a clause that names the opening or who asks. None
    may be a field's name or term, or a topic question would lose its topic to a lead-in."""
    from retrieval.lexicon import _field_terms, _question_grammar, names_a_field

    lead = _question_grammar()["lead_in"]
    assert lead["openings"] and lead["asides"] and lead["asks"]
    for word in lead["openings"] + lead["asides"]:
        assert word.lower() not in _field_terms() and not names_a_field(word), word
    assert without_lead_in("for the infra headcount: who has worked on Kafka?") == \
        "who has worked on Kafka?"
    assert without_lead_in("谁在岗位上做过推荐系统，又做过搜索？") == "谁在岗位上做过推荐系统，又做过搜索？"


@pytest.mark.parametrize("message, clause", [
    ("We're spinning up a new team focused on stream processing. Who from the pipeline could we "
     "talk to?", "stream processing"),
    ("Team lead is asking if we've seen anyone strong in Kubernetes operators. Can you check?",
     "Kubernetes operators"),
    ("I've got a loop next week for a role that needs CUDA or Triton kernels. Who should I ping?",
     "CUDA or Triton kernels"),
    ("Hi! Trying to fill a role that centers on payments APIs - which candidates would fit?",
     "payments APIs"),
])
def test_the_chat_around_a_topic_clause_asks_nothing_of_a_resume(message: str, clause: str) -> None:
    """A cue ("focused on", "needs", "strong in") introduces what the message asks people to have
    done; the sentences and words around it (a new team, the pipeline, checking) are chat."""
    assert topic_clause(message) == clause


@pytest.mark.parametrize("message", [
    "Who has worked on stream processing?",  # nothing is left out
    "Which candidates have experience with Kafka, Pulsar or RabbitMQ?",
    "Who has built payment systems and worked on Kafka?",  # a requirement joined by "and"
    "Who has worked on databases: storage engines or query optimizers?",  # a colon elaborates
    "any stream processing experts in our pool?",  # no cue: read as a whole
    "谁做过流处理？",
])
def test_a_message_whose_words_all_ask_is_read_whole(message: str) -> None:
    assert topic_clause(message) == message


def test_a_topic_clause_finds_the_people_the_plain_question_finds(make_assistant, tmp_path) -> None:
    assistant = _one_job_people(make_assistant, tmp_path, [
        ("Ines Varga", "Built Flink stream processing jobs for fraud scoring"),
        ("Omar Lindqvist", "Maintained the new onboarding pipeline for the sales team"),
        ("Lena Brandt", "Built the payroll service in Go with PostgreSQL")])

    chatty = assistant.ask("We're spinning up a new team focused on stream processing. Who from "
                           "the pipeline could we talk to?")

    assert [hit.name for hit in chatty.candidates] == ["Ines Varga"]
    assert chatty.question.startswith("We're spinning up")  # the answer keeps the message


@pytest.mark.parametrize("message, kept", [
    ("Who has worked on stream processing? Ideally in production at scale.",
     "Who has worked on stream processing?"),
    ("Anyone with Kafka experience, bonus if they know Flink", "Anyone with Kafka experience"),
    ("Need a CUDA person, Rust a plus", "Need a CUDA person"),
    ("找一下做过推荐系统的，有大厂背景优先", "找一下做过推荐系统的"),
    ("谁做过推荐系统？有论文加分", "谁做过推荐系统？"),
    ("Who has worked on front-end development?", "Who has worked on front-end development?"),
    ("Ideally someone with Kafka", "Ideally someone with Kafka"),  # nothing else asks
    # what is said not to be asked is no requirement either
    ("Kafka internals — broker and log level, not just running a cluster",
     "Kafka internals — broker and log level"),
    ("谁做过编译器，而不是只会用框架的", "谁做过编译器"),
    ("need a stream processing engineer, Flink background would be ideal",
     "need a stream processing engineer"),
    # the clauses kept are the message as written: a hyphen inside a word ends no clause
    ("hands-on stream-processing work, not just coursework. Any matches?",
     "hands-on stream-processing work, Any matches?"),
])
def test_a_clause_that_states_a_preference_does_not_decide_who_matches(message: str, kept: str) -> None:
    from retrieval.lexicon import without_preferences

    assert without_preferences(message) == kept


def test_a_nice_to_have_nobody_has_leaves_the_match(make_assistant, tmp_path) -> None:
    assistant = _one_job_people(make_assistant, tmp_path, [
        ("Ines Varga", "Built Flink stream processing jobs for fraud scoring"),
        ("Lena Brandt", "Built the payroll service in Go with PostgreSQL")])

    answer = assistant.ask("Who has worked on stream processing? Haskell a plus")

    assert [hit.name for hit in answer.candidates] == ["Ines Varga"]


@pytest.mark.parametrize("message, kept", [
    ("Who has mentored interns? we are starting a mentoring programme", "Who has mentored interns?"),
    ("有没有做过推荐的？我们在招排序工程师", "有没有做过推荐的？"),
    ("Who fits? We need a Rust expert", "Who fits? We need a Rust expert"),  # the question names nothing
    ("Who knows Rust? Who knows Go?", "Who knows Rust? Who knows Go?"),  # two questions
    ("see https://example.com/jobs?id=3 who knows Rust", "see https://example.com/jobs?id=3 who knows Rust"),
])
def test_a_statement_after_the_question_adds_no_requirement(message: str, kept: str) -> None:
    from retrieval.lexicon import without_trailing_statement

    assert without_trailing_statement(message) == kept


def test_the_question_is_answered_without_the_statement_after_it(make_assistant, tmp_path) -> None:
    assistant = _one_job_people(make_assistant, tmp_path, [
        ("Ines Varga", "Built Flink stream processing jobs for fraud scoring"),
        ("Lena Brandt", "Built the payroll service in Go with PostgreSQL")])

    answer = assistant.ask("Who has worked on stream processing? we want someone to own the ingestion rewrite")

    assert [hit.name for hit in answer.candidates] == ["Ines Varga"]


def test_a_clause_of_request_words_after_a_cue_is_no_topic() -> None:
    """"… experience in this batch?": the cue's clause names the pile of resumes, not a topic,
    so the message is read whole; a domain sense of the word still counts where it is asked."""
    assert topic_clause("any Go or Rust experience in this batch?") == "any Go or Rust experience in this batch?"
    assert [t.text for t in question_terms("any Rust experience in this batch?")] == ["Rust"]
    assert "batch" in {t.text for t in question_terms("anyone with experience in batch processing?")}


def test_eng_is_engineering_in_chat() -> None:
    """"eng manager", "eng team": the usual chat abbreviation is one row of the field aliases, so
    a question's "eng" is read as engineering (and a resume's "Engineer" says it)."""
    from retrieval.aliases import aliases_of

    assert "engineering" in aliases_of("eng")
    assert "eng" in aliases_of("Engineering")


def test_starting_a_company_is_founding_in_both_languages(make_assistant, tmp_path) -> None:
    """"started my own company", 开公司: how people say they founded one (topics.toml); the
    words standing apart ("a bug found in the company's code") say nothing of it."""
    assistant = _one_job_people(make_assistant, tmp_path, [
        ("Ines Varga", "Started my own company building scheduling software for clinics"),
        ("Lena Brandt", "Fixed a bug found in the company's billing code"),
        ("Mara Lind", "2019年自己开公司，做诊所排班软件")])

    for question, founder in (("Who has started their own company?", "Ines Varga"),
                              ("谁以前自己开过公司", "Mara Lind")):
        names = [hit.name for hit in assistant.ask(question).candidates]
        assert founder in names and "Lena Brandt" not in names, question


def test_a_slip_of_typing_is_read_as_the_table_word_it_is_closest_to() -> None:
    from retrieval.lexicon import respelled

    def nothing_stored(word: str) -> bool:
        return False

    assert respelled("anyone who has done kubernates", nothing_stored) == \
        ("anyone who has done Kubernetes", [("kubernates", "Kubernetes")])
    assert respelled("computer vison ppl?", nothing_stored)[0] == "computer vision ppl?"
    # a word the documents hold is theirs, whatever a table says; short words stay as typed
    assert respelled("Kubernates", lambda word: True) == ("Kubernates", [])
    assert respelled("who knows Rist?", nothing_stored) == ("who knows Rist?", [])
    # far from every table word (a topic no one has): left as typed, so it stays a negative
    assert respelled("registered nurse", nothing_stored)[1] == []


def test_a_respelt_question_says_how_it_was_read(make_assistant, tmp_path) -> None:
    assistant = _one_job_people(make_assistant, tmp_path, [
        ("Ines Varga", "Ran Kubernetes clusters for the payments team"),
        ("Lena Brandt", "Built the payroll service in Go")], words_only=False)

    answer = assistant.ask("anyone who has done kubernates?")

    assert [hit.name for hit in answer.candidates] == ["Ines Varga"]
    assert "Read “kubernates” as “Kubernetes”." in answer.notice


def test_a_relative_clause_describes_what_is_asked_and_requirements_are_each_read() -> None:
    """"someone who has X" goes on describing the person asked for ("who" starts a new clause
    only after a comma); the requirements of one message are joined by "and", so that when few
    people meet them all, those who meet one follow (`either_of_joined`)."""
    message = ("hey team, we're opening a platform role. Looking for someone who has run Kafka in "
               "prod, knows Flink, ideally some Rust. PhD nice to have. Who should we talk to?")
    from retrieval.lexicon import without_preferences

    assert topic_clause(without_preferences(message)) == \
        "someone who has run Kafka in prod and Flink"
    assert topic_clause("Need someone strong in Rust for embedded devices, who fits?") == \
        "Need someone strong in Rust for embedded devices, who fits?"


def test_a_two_word_name_of_the_tables_with_a_stop_word_first_is_one_term() -> None:
    """"people managers" is the table's "people manager" (not "managers" alone, whose stem is
    also "management"); "teaching experience" is "teaching" in a frame."""
    from retrieval.lexicon import alternatives_of

    assert "people manager" in {t.text for t in question_terms("people managers?")}
    assert "teaching experience" not in {t.text for t in question_terms("who has teaching experience?")}
    assert alternatives_of("who has managed a team of 5 or more engineers?") == \
        ["who has managed a team of 5 or more engineers?"]
    assert len(alternatives_of("Who has worked on compilers or programming languages?")) == 2


def _one_job_people(make_assistant, tmp_path, people, words_only: bool = True):
    """An assistant over fictional one-job resumes; `words_only` switches off the bar's routes
    through meaning alone (in a corpus of three, one line close to the question stands out of
    the pool whatever its words, and these tests are about the words)."""
    from tests.conftest import ingest
    from tests.fixtures import write_one_job_resumes

    folder = write_one_job_resumes(tmp_path / "people", [(name, "Engineer, Northwind (2018 - 2024)", line)
                                                          for name, line in people])
    settings = {"strong_similarity": 9.0, "outstanding_similarity": 99.0} if words_only else {}
    assistant = make_assistant(**settings)
    assert not ingest(assistant, folder).failed
    return assistant


def test_an_ordinary_word_near_a_table_word_is_left_as_typed() -> None:
    """One slip, the same first letter, a field's word (not a place or an employer), and not
    just another form of the word: "fails" is not Rails, "settle" not Seattle, "unlisted" not
    United, "instructions" not a misspelt instruction."""
    from retrieval.lexicon import respelled

    for word in ("fails", "settle", "unlisted", "negative", "instructions", "identity"):
        assert respelled(f"who {word} here?", lambda typed: False)[1] == [], word


@pytest.mark.parametrize("question, field", [
    ("need a data engineer - ETL, Airflow", "data engineering"),
    ("any web developers around?", "web development"),
    ("quantitative researchers with C++", "quantitative research"),
])
def test_a_role_asks_for_the_field_the_tables_name_for_its_work(question: str, field: str) -> None:
    """"a data engineer": the role noun is soft, and "data" alone says far less than the field."""
    assert field in [t.text for t in question_terms(question)]


@pytest.mark.parametrize("question, word", [
    ("need a compiler engineer", "compiler"),  # the words before the role name the field already
    ("any mobile developers?", "mobile"),
    ("need a software engineer", "software"),  # no field "software engineering": as asked
])
def test_a_role_whose_field_is_named_already_or_unknown_is_read_as_asked(question: str, word: str) -> None:
    texts = [t.text for t in question_terms(question)]
    assert word in texts and not any(t.endswith(("engineering", "development")) for t in texts)


@pytest.mark.parametrize("question, either", [
    ("stream processing engineers - who has built real-time pipelines?",
     "stream processing engineers or who has built real-time pipelines?"),
    ("need an eng manager. who has managed people?", None),  # no dash or colon between them
    ("Kafka: who has run it in prod?", None),  # "it" names nothing: the one topic is Kafka
])
def test_the_people_named_and_the_work_asked_are_either_side(question: str, either: str | None) -> None:
    from retrieval.lexicon import either_of_named_and_asked

    assert either_of_named_and_asked(question) == either
