"""Explained screening on text: synonyms are not "missing", negations are not matches, each verdict has evidence."""
import datetime as dt

from app.screening import criteria, matching, requirements, resume_fields

RESUME = """姓名: 张伟
电话: 13800001234 | 现居: 上海
教育背景
2012.09-2016.06 复旦大学 计算机科学与技术 本科
工作经历
2016.07-2019.06 杭州数联科技有限公司 软件工程师
2019.07-至今 上海云帆信息技术有限公司 后端开发工程师
负责招聘系统后端,用 Python、PG 和 Flask 开发接口,用 RabbitMQ 做异步任务。
专业技能
熟悉 Python、PG、Flask,用 RabbitMQ 做异步任务。没有使用过 Kafka。对 Go 不熟悉。
"""
TODAY = dt.date(2026, 11, 1)


def verdicts(lines, text=RESUME):
    fields = resume_fields.parse(text, TODAY)
    return {v["label"]: v for v in (matching.judge(c, text, fields) for c in criteria.parse_text(lines))}


def test_fields_years_from_ranges_up_to_today():
    fields = resume_fields.parse(RESUME, TODAY)
    assert (fields["name"], fields["phone"], fields["city"], fields["highest_degree"]) == (
        "张伟", "13800001234", "上海", "本科")
    assert fields["education"][0]["school"] == "复旦大学" and fields["education"][0]["major"] == "计算机科学与技术"
    assert [w["employer"] for w in fields["work"]] == ["杭州数联科技有限公司", "上海云帆信息技术有限公司"]
    assert fields["work"][1]["end"] == "至今" and fields["total_years"] == 10.2   # 2016.07 -> 2026.11, no overlap
    assert "Kafka" not in fields["skills"] and "Go" not in fields["skills"] and "PostgreSQL" in fields["skills"]


def test_synonyms_and_instances_match_with_evidence():
    v = verdicts("必须 技能: PostgreSQL\n加分 技能: 消息队列\n必须 技能: Web框架")
    assert v["技能: PostgreSQL"]["verdict"] == "matched" and "PG" in v["技能: PostgreSQL"]["why"]
    span = v["技能: PostgreSQL"]["evidence"]
    assert RESUME[span["start"]:span["end"]] == "PG"
    assert v["技能: 消息队列"]["verdict"] == "matched" and "RabbitMQ" in v["技能: 消息队列"]["why"]
    assert v["技能: Web框架"]["verdict"] == "matched"


def test_negation_is_not_a_match():
    v = verdicts("必须 技能: Kafka\n必须 技能: Go")
    assert v["技能: Kafka"]["verdict"] == "missing" and "否定" in v["技能: Kafka"]["why"]
    assert v["技能: Go"]["verdict"] == "missing"


def test_a_sibling_skill_is_uncertain_not_missing():
    text = RESUME.replace("没有使用过 Kafka。", "")
    v = verdicts("必须 技能: Kafka", text)
    assert v["技能: Kafka"]["verdict"] == "uncertain" and "RabbitMQ" in v["技能: Kafka"]["why"]


def test_years_degree_city():
    v = verdicts("必须 年限: 12\n必须 学历: 硕士\n加分 城市: 上海\n必须 年限: 3")
    assert v["年限: 12 年以上"]["verdict"] == "missing" and v["年限: 3 年以上"]["verdict"] == "matched"
    assert v["学历: 硕士及以上"]["verdict"] == "missing" and v["城市: 上海"]["verdict"] == "matched"


def test_short_latin_aliases_need_word_boundaries():
    text = "负责系统 UPGRADE 和 GoPro 相机"
    v = verdicts("必须 技能: PostgreSQL\n必须 技能: Go", text)
    assert v["技能: PostgreSQL"]["verdict"] == "missing" and v["技能: Go"]["verdict"] == "missing"


def test_score_weights_must_haves_and_ignores_knockouts():
    def v(kind, verdict):
        return {"kind": kind, "verdict": verdict}
    assert matching.score([v("must", "matched"), v("nice", "missing")]) == 75.0
    assert matching.score([v("must", "uncertain"), v("knockout", "missing")]) == 50.0


def test_criteria_text_round_trips_and_names_bad_lines():
    derived = requirements.derive("1. 本科及以上学历,3年以上经验;\n2. 熟悉 MySQL/PostgreSQL,了解 Redis;\n"
                              "3. 有 Kafka 经验者优先", "上海")
    assert criteria.to_text(derived) == ("必须 学历: 本科\n必须 年限: 3\n必须 技能: MySQL | PostgreSQL\n"
                                         "加分 技能: Redis\n加分 技能: Kafka\n加分 城市: 上海")
    assert criteria.parse_text(criteria.to_text(derived)) == derived
    try:
        criteria.parse_text("必须 学历: 本科\n应该 技能: Go")
    except criteria.CriteriaError as exc:
        assert "第 2 行" in exc.message
    else:
        raise AssertionError("a bad line must be refused")


def test_a_sentence_close_in_meaning_is_offered_as_uncertain_evidence():
    text = "负责容器编排平台的日常运维。"
    calls = []

    def semantic(label):   # stands in for ranking.semantic_finder (the sentence encoder is tested on its own)
        calls.append(label)
        return (0.71, 0, len(text) - 1)

    fields = resume_fields.parse(text, TODAY)
    v = matching.judge({"id": "c1", "kind": "must", "type": "skill", "value": ["Kubernetes"]}, text, fields,
                       semantic=semantic)
    assert calls == ["Kubernetes"] and v["verdict"] == "uncertain" and "0.71" in v["why"]
    assert v["evidence"]["text"] == "负责容器编排平台的日常运维"
    found = matching.judge({"id": "c2", "kind": "must", "type": "skill", "value": ["Python"]},
                           "熟悉 Python。", fields, semantic=semantic)
    assert found["verdict"] == "uncertain" and calls == ["Kubernetes"]   # the dictionary answers first
    assert found["strength"] == "listed" and "仅在技能列表中出现，未见使用经历" in found["why"]
