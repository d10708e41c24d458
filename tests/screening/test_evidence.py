"""Screening reads experience (issue 19): how strongly each criterion is evidenced, figures as evidence, years
total and relevant, criteria derived from requirements. Resumes are written inline."""
import datetime as dt

from app.screening import criteria, experience, matching, requirements, resume_fields

TODAY = dt.date(2026, 11, 1)
HEAD = "姓名: 王磊\n电话: 13800001234 | 现居: 上海\n教育背景\n2010.09-2014.06 同济大学 软件工程 本科\n"


def judge(lines, text, family=None):
    fields = resume_fields.parse(text, TODAY)
    reading = matching.read(text, TODAY)
    out = {}
    for c in criteria.parse_text(lines):
        c["family"] = family
        v = matching.judge(c, text, fields, reading=reading)
        out[v["label"]] = v
    return out


def one(line, text, family=None):
    return next(iter(judge(line, text, family).values()))


USED = HEAD + "工作经历\n2019.07-至今 上海云帆科技有限公司 后端开发工程师\n负责订单服务,使用 Kafka 做异步通知。\n"
PROJECT = HEAD + "项目经历\n电商平台(技术栈: Kafka、Spring Boot)\n"
LISTED = HEAD + ("工作经历\n2019.07-至今 上海美味餐饮有限公司 店长\n负责门店排班与营业额。\n"
                 "专业技能\n熟悉 Kafka、Redis、Go。\n")


def test_used_in_work_beats_a_project_mention_beats_the_skills_list():
    used, project, listed = (one("必须 技能: 消息队列", t) for t in (USED, PROJECT, LISTED))
    assert used["verdict"] == "matched" and used["strength"] == "used" and "Kafka" in used["evidence"]["text"]
    assert project["verdict"] == "matched" and project["strength"] == "mentioned"
    assert listed["verdict"] == "uncertain" and listed["strength"] == "listed"
    assert "仅在技能列表中出现，未见使用经历" in listed["why"]
    assert used["credit"] > project["credit"] > listed["credit"] > 0
    assert "属于消息队列" in used["why"] and "使用约 7.3 年" in used["why"]


def test_longer_and_more_recent_use_counts_more():
    short_old = HEAD + "工作经历\n2012.07-2012.12 甲科技有限公司 开发工程师\n用 Kafka 做日志收集。\n"
    long_recent = HEAD + "工作经历\n2021.07-至今 乙科技有限公司 开发工程师\n用 Kafka 做日志收集。\n"
    a, b = (one("必须 技能: Kafka", t) for t in (short_old, long_recent))
    assert a["strength"] == b["strength"] == "used" and b["credit"] > a["credit"]


def test_proficiency_words_lower_and_negation_is_no_match():
    base = HEAD + "工作经历\n2019.07-至今 丙科技有限公司 后端工程师\n"
    said = {word: one("必须 技能: Redis", base + text) for word, text in {
        "used": "使用 Redis 做缓存。\n", "了解": "了解 Redis。\n", "仅了解": "Redis 仅了解。\n",
        "听说过": "听说过 Redis。\n", "未使用过": "未使用过 Redis。\n"}.items()}
    assert said["used"]["credit"] > said["了解"]["credit"] > said["仅了解"]["credit"]
    assert said["仅了解"]["verdict"] == said["听说过"]["verdict"] == "uncertain"
    assert "自述「仅了解」" in said["仅了解"]["why"]
    assert said["未使用过"]["verdict"] == "missing" and said["未使用过"]["credit"] == 0
    assert "否定" in said["未使用过"]["why"]


def test_figures_evidence_a_phrase_with_the_sentence():
    text = HEAD + ("工作经历\n2018.07-至今 丁网络有限公司 高级工程师\n"
                   "负责交易网关,峰值 QPS 3 万,P99 延迟从 200ms 降到 40ms。\n带 6 人小组完成支付系统重构。\n"
                   "日均处理 20 亿条日志,数据量 300TB。\n")
    v = judge("必须 技能: 高并发\n加分 技能: 团队管理\n加分 技能: 大数据\n加分 技能: 性能优化", text)
    assert v["技能: 高并发"]["verdict"] == "matched" and v["技能: 高并发"]["strength"] == "used"
    assert v["技能: 高并发"]["evidence"]["text"] == "负责交易网关,峰值 QPS 3 万,P99 延迟从 200ms 降到 40ms"
    assert "数字体现高并发" in v["技能: 高并发"]["why"]
    assert v["技能: 团队管理"]["verdict"] == "matched" and "带 6 人" in v["技能: 团队管理"]["evidence"]["text"]
    assert v["技能: 大数据"]["verdict"] == "matched" and "20 亿条" in v["技能: 大数据"]["evidence"]["text"]
    assert v["技能: 性能优化"]["verdict"] == "matched"
    plain = HEAD + "工作经历\n2018.07-至今 戊有限公司 工程师\n负责内部报表,每月 3 个版本。\n"
    assert one("必须 技能: 高并发", plain)["verdict"] == "missing"


def test_a_company_phrase_file_extends_the_table(tmp_path, monkeypatch):
    extra = tmp_path / "ours.yaml"
    extra.write_text("concepts:\n  消息队列: {instances: [NATS]}\n  NATS: {synonyms: [NATS]}\n", encoding="utf-8")
    text = HEAD + "工作经历\n2019.07-至今 己有限公司 后端工程师\n用 NATS 做服务间消息。\n"
    assert one("必须 技能: 消息队列", text)["verdict"] == "missing"
    monkeypatch.setenv("SCREENING_PHRASES_FILE", str(extra))
    assert one("必须 技能: 消息队列", text)["verdict"] == "matched"
    assert "+" in matching.screener_version() and "+" in resume_fields.parser_version()


def test_total_and_relevant_years_overlaps_once_and_until_the_parse_date():
    text = HEAD + ("工作经历\n2014.07-2018.06 第一中学 数学教师\n负责高一数学教学。\n"
                   "2018.07-2020.06 庚网络科技有限公司 Java开发工程师\n开发接口,维护 MySQL 数据库。\n"
                   "2020.01-至今 辛科技有限公司\n后端开发工程师\n负责微服务与 Redis 缓存。\n")
    blocks = experience.blocks(text, TODAY)
    assert [b.title for b in blocks if b.kind == "work"][2] == "辛科技有限公司 后端开发工程师"  # dates on the next line
    total, relevant = experience.years(text, blocks, "后端开发")
    assert (total, relevant) == (12.2, 8.3)   # 47 + 100 months; 2018.07 -> 2026.11, the 2020 overlap once
    v = judge("必须 相关年限: 10\n必须 年限: 10\n必须 相关年限: 5", text, family="后端开发")
    assert v["相关年限: 10 年以上"]["verdict"] == "missing" and 0 < v["相关年限: 10 年以上"]["credit"] < 1
    assert v["年限: 10 年以上"]["verdict"] == "matched" and v["相关年限: 5 年以上"]["verdict"] == "matched"
    later = matching.read(text, dt.date(2027, 11, 1))
    assert experience.years(text, later["blocks"], "后端开发") == (13.2, 9.3)


def test_job_family_from_the_title():
    assert experience.family_of("高级Java开发工程师") == "后端开发"
    assert experience.family_of("大客户销售经理") == "销售"
    assert experience.family_of("资深数据分析师") == "数据"


def test_a_stuffed_skills_list_scores_below_experience_said_in_other_words():
    lines = "必须 技能: Go\n必须 技能: PostgreSQL\n必须 技能: 高并发\n加分 技能: 消息队列\n必须 相关年限: 3"
    stuffed = HEAD + ("工作经历\n2016.07-至今 上海美味餐饮有限公司 店长\n负责门店运营与排班。\n"
                      "专业技能\n精通 Go、PostgreSQL、高并发、Kafka、Redis、Docker、Kubernetes。\n")
    senior = HEAD + ("工作经历\n2016.07-至今 壬科技有限公司 服务端工程师\n用 Golang 重写推送服务,"
                     "数据存 PG,峰值每秒 5 万条消息,经 RocketMQ 分发。\n")
    verdicts = [list(judge(lines, t, family="后端开发").values()) for t in (stuffed, senior)]
    scores = [matching.score(v) for v in verdicts]
    assert scores[1] > 90 > 40 > scores[0]
    assert matching.stuffed_list(verdicts[0]) and not matching.stuffed_list(verdicts[1])
    assert matching.score(verdicts[0], stuffed_factor=0.0) < matching.score(verdicts[0], stuffed_factor=1.0)


def test_requirements_numerals_ranges_degrees_majors_groups_nice_and_unparsed():
    derived = requirements.derive(
        "1. 统招本科及以上学历,计算机或相关专业;\n2. 三年以上 Java 开发经验;\n3. 3-5年工作经验\n"
        "4) 熟悉 MySQL、Redis 或 MongoDB;\n5、有高并发系统经验者优先;\n- 两年+ 带团队经验\n"
        "6. 五年及以上相关工作经验,硕士优先\n7. 身体健康并且愿意长期在本地稳定发展下去\n8. 有责任心,抗压能力强\n"
        "9. 一年以上销售经验", "上海")
    text = criteria.to_text(derived)
    assert text == ("必须 学历: 本科\n必须 专业: 计算机 | 相关专业\n必须 相关年限: 3\n必须 技能: Java\n"
                    "必须 年限: 3\n必须 技能: MySQL | Redis | MongoDB\n加分 技能: 高并发\n必须 相关年限: 2\n"
                    "必须 技能: 团队管理\n必须 相关年限: 5\n加分 学历: 硕士\n"
                    "# 未能解析: 身体健康并且愿意长期在本地稳定发展下去\n加分 技能: 责任心\n"
                    "必须 相关年限: 1\n必须 技能: 销售\n加分 城市: 上海")
    again = criteria.parse_text(text)
    assert criteria.to_text(again) == text   # the editor keeps the 未能解析 line for HR
    assert [c["value"] for c in criteria.judged(again) if c["kind"] == "unparsed"] == []
    assert requirements.number("十二") == 12 and requirements.number("两") == 2 and requirements.number("半") == 0.5


def test_a_line_the_phrase_table_does_not_know_gives_the_jobs_own_terms():
    derived = requirements.derive("1. 熟练掌握 AutoCAD、SolidWorks 等制图软件;\n2. 持有低压电工证;\n"
                                  "3. 三年以上机械设计经验,其中一年以上模具或冲压工作经验;\n4. 有带教经验者优先")
    assert criteria.to_text(derived) == ("必须 技能: AutoCAD | SolidWorks\n必须 技能: 低压电工证\n"
                                         "必须 相关年限: 3\n必须 技能: 模具 | 冲压\n加分 技能: 带教")
    text = HEAD + "专业技能\nAutoCAD、SolidWorks、低压电工证、模具、冲压、带教\n"   # named, never used: listed
    v = judge(criteria.to_text(derived), text)
    assert v.pop("技能: 低压电工证")["strength"] == "credential"   # a certificate: being listed is its evidence
    assert {v[k]["verdict"] for k in v if k.startswith("技能")} == {"uncertain"}


def test_the_jobs_own_long_term_is_found_by_most_of_its_words():
    derived = requirements.derive("熟练掌握数控车床编程、三坐标测量仪操作")
    assert criteria.to_text(derived) == "必须 技能: 数控车床编程\n必须 技能: 三坐标测量仪操作"
    text = HEAD + "工作经历\n2019.07-至今 某机械公司 技术员\n负责数控车床的编程和首件检验,用测量仪抽检。\n"
    v = judge(criteria.to_text(derived), text)
    assert v["技能: 数控车床编程"]["verdict"] == "matched"     # 数控车床 … 编程: its words in one sentence
    assert v["技能: 三坐标测量仪操作"]["verdict"] == "missing"


def test_majors_exact_related_and_unrelated():
    def major(name):
        text = f"教育背景\n2010.09-2014.06 某某大学 {name} 本科\n"
        return one("必须 专业: 计算机 | 相关专业", text)["verdict"]
    assert major("计算机科学与技术") == "matched" and major("电子信息工程") == "matched"
    assert major("汉语言文学") == "missing"
    text = "教育背景\n2010.09-2013.06 某某职业学院 护理 大专\n"
    assert one("必须 专业: 护理学", text)["verdict"] == "matched"   # the shorter name inside the other


def test_relevant_years_for_a_family_the_table_does_not_know():
    text = HEAD + ("工作经历\n2022.03-2026.11 某药企 医药代表\n负责 6 家医院的药品推广。\n"
                   "2018.07-2022.02 某医院 外科 护士\n术后护理、换药。\n"
                   "2016.07-2018.06 某诊所 前台\n接诊登记,协助护理呼吸机和 CRRT 病人。\n")
    lines = "必须 技能: 呼吸机\n必须 技能: CRRT\n必须 相关年限: 2"
    job = experience.job_words("重症监护室(ICU)护士", criteria.parse_text(lines))
    blocks = experience.blocks(text, TODAY)
    # 护士 in the title, or two of the job's terms in the text; the 医药代表 years are not relevant
    assert experience.years(text, blocks, None, job) == (10.2, 5.5)   # 23 + 43 of 122 months


def test_employer_and_title_on_the_line_before_the_dates():
    text = ("工作经历\n甲科技有限公司 后端工程师\n2019.07-至今\n负责订单服务。\n"
            "乙网络有限公司 Java开发\n2016.07-2019.06\n维护支付系统。\n")
    work = [(b.title, b.months) for b in experience.blocks(text, TODAY) if b.kind == "work"]
    assert work == [("甲科技有限公司 后端工程师", 88), ("乙网络有限公司 Java开发", 35)]


def test_evidence_quotes_the_clause_never_half_a_word_or_the_next_line():
    """The quote stops at the clause or sentence around the mention (it ran into the next line and cut words:
    "网关,峰值 … 40ms。 带", "… 使用 Redi"), and says "…" where a long clause goes on."""
    text = HEAD + ("工作经历\n2018.07-至今 丁网络有限公司 高级工程师\n"
                   "负责交易网关,峰值 QPS 3 万,P99 延迟从 200ms 降到 40ms。\n带 6 人小组完成支付系统重构。\n"
                   "在 Kafka 集群上做了分区调优,使用 Redis 缓存热点数据。\n"
                   "主导订单中心从单体迁移到微服务架构并且独立设计了基于 Elasticsearch "
                   "的全文检索服务以及配套的监控告警体系\n")
    v = judge("加分 技能: 性能优化\n加分 技能: Kafka\n加分 技能: Elasticsearch", text)
    assert v["技能: 性能优化"]["evidence"]["text"] == "P99 延迟从 200ms 降到 40ms"
    assert v["技能: Kafka"]["evidence"]["text"] == "在 Kafka 集群上做了分区调优"
    quote = v["技能: Elasticsearch"]["evidence"]["text"]
    assert quote.startswith("…") and quote.endswith("…") and "Elasticsearch" in quote
    assert "Elasticsearc…" not in quote and not quote[1:].startswith(("lasticsearch", "sticsearch"))
