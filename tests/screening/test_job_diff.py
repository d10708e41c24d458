"""job_diff.compare: what changed between two job versions, in words (pure: snapshots in, plain dicts out)."""
import copy
import json

import yaml

from app.screening import job_diff
from app.screening.job_templates import validate_template
from tests.support.app import ROOT


def snapshot():
    """The shipped backend template as a stored JobVersion snapshot (through JSON, as the database gives it back:
    anchor levels become strings)."""
    text = (ROOT / "job_templates" / "backend-engineer.yaml").read_text(encoding="utf-8")
    return json.loads(json.dumps(validate_template(yaml.safe_load(text)), ensure_ascii=False))


def edited(change):
    old = snapshot()
    new = copy.deepcopy(old)
    change(new)
    return old, new


def words(items):
    """Each change as one line of text: its summary and details, as a reader of the page takes them in."""
    lines = []
    for item in items:
        details = [f"{d['label']}: {d['old']} → {d['new']}" for d in item.get("details", [])]
        lines.append(" | ".join([item.get("summary") or item.get("label", ""), *details]))
    return lines


def test_the_same_snapshot_has_no_change():
    result = job_diff.compare(snapshot(), snapshot())
    assert result["changed"] is False
    assert not any(result[k] for k in ("fields", "texts", "dimensions", "questions", "screening"))


def test_requirements_are_diffed_line_by_line_with_the_changed_characters_marked():
    def change(tpl):
        lines = tpl["requirements"].replace("3年以上", "5年以上").splitlines()
        tpl["requirements"] = "\n".join([*lines[:4], "6. 有 Kubernetes 经验优先;"])
    old, new = edited(change)
    (text,) = job_diff.compare(old, new)["texts"]
    assert text["label"] == "任职要求" and text["added"] == 2 and text["removed"] == 2
    kinds = [(row["kind"], row["text"][:2]) for row in text["lines"]]
    assert kinds == [("removed", "1."), ("added", "1."), ("same", "2."), ("same", "3."), ("same", "4."),
                     ("removed", "5."), ("added", "6.")]
    replaced = text["lines"][1]["marks"]
    assert [piece for piece, changed in replaced if changed] == ["5"]   # only the figure HR changed is marked


def test_long_unchanged_runs_fold_to_a_count():
    old = "\n".join(f"第{i}条" for i in range(1, 11))
    new = old.replace("第6条", "第六条")
    rows = job_diff.line_diff(old, new)
    assert [r["kind"] for r in rows] == ["skip", "same", "same", "removed", "added", "same", "same", "skip"]
    assert rows[0]["text"] == "… 3 行未变 …" and rows[-1]["count"] == 2


def test_dimensions_added_removed_renamed_and_weights_in_percent():
    def change(tpl):
        talk, logic, fit = tpl["dimensions"]
        logic["name"] = "分析能力"          # renamed: same description, keywords and rubric
        logic["weight"] = 25
        fit["weight"] = 45
        tpl["dimensions"] = [logic, fit, {"name": "学习能力", "weight": 30, "description": "能快速学会新技术",
                                          "keywords": ["学习"], "rubric": ["讲了学会一项新技术的经历"]}]
        for q in tpl["questions"]:
            q["dimensions"] = [{"逻辑思维": "分析能力", "语言表达": "学习能力"}.get(d, d) for d in q["dimensions"]]
            q["anchors"] = {{"逻辑思维": "分析能力", "语言表达": "学习能力"}.get(d, d): a
                            for d, a in q.get("anchors", {}).items()}
    old, new = edited(change)
    result = job_diff.compare(old, new)
    assert words(result["dimensions"]) == [
        "删除维度「语言表达」(原权重 20%)",
        "新增维度「学习能力」,权重 30%",
        "维度「逻辑思维」改名为「分析能力」 | 权重: 30% → 25%",
        "维度「岗位匹配度」 | 权重: 50% → 45%",
    ]
    # the rename follows into the questions: only 语言表达 → 学习能力 is a change of what a question assesses
    assert words(result["questions"]) == [
        "第 1 题 | 考察维度: 语言表达、岗位匹配度 → 学习能力、岗位匹配度",
        "第 4 题 | 考察维度: 语言表达、逻辑思维 → 学习能力、分析能力",
    ]


def test_dimension_details_and_order():
    def change(tpl):
        talk, logic, fit = tpl["dimensions"]
        talk["keywords"] = [*talk["keywords"][1:], "表达"]
        talk["rubric"] = talk["rubric"][:2]
        tpl["dimensions"] = [fit, talk, logic]
    old, new = edited(change)
    lines = words(job_diff.compare(old, new)["dimensions"])
    assert lines == ["维度「语言表达」 | 关键词(删除): 清楚 → None | 关键词(新增): None → 表达 | "
                     "评分要点(删除): 能用通俗的话解释技术概念 → None",
                     "维度的顺序调整为:岗位匹配度、语言表达、逻辑思维"]


def test_questions_added_removed_reworded_and_timing():
    def change(tpl):
        q = tpl["questions"]
        q[1]["text"] = q[1]["text"].replace("线上性能问题", "线上性能或稳定性问题")
        q[1]["think_seconds"], q[1]["answer_seconds"], q[1]["retakes"] = 60, 240, 0
        del q[0]
        q.append({"text": "你为什么想加入我们公司?", "dimensions": ["语言表达"], "think_seconds": 30,
                  "answer_seconds": 90, "retakes": 0, "anchors": {}})
    old, new = edited(change)
    items = job_diff.compare(old, new)["questions"]
    assert [(i["kind"], i["number"]) for i in items] == [("removed", 1), ("reworded", 1), ("added", 4)]
    assert items[0]["summary"] == "删除了原第 1 题" and items[0]["text"].startswith("请做一个简短的自我介绍")
    assert items[1]["summary"] == "第 1 题(原第 2 题)改了措辞"
    reworded, *timing = items[1]["details"]
    assert [p for p, changed in reworded["new_marks"] if changed] == ["或稳定性"]
    assert words([{"summary": "", "details": timing}]) == [
        " | 思考时间: 45 秒 → 60 秒 | 作答时间: 180 秒 → 240 秒 | 可重录: 1 次 → 0 次"]
    assert items[2]["setting"] == "考察 语言表达;思考时间 30 秒,作答时间 90 秒,可重录 0 次"


def test_a_question_that_only_shifts_is_not_reported_but_a_swap_is():
    def remove_first(tpl):
        del tpl["questions"][0]
    assert [i["kind"] for i in job_diff.compare(*edited(remove_first))["questions"]] == ["removed"]

    def swap(tpl):
        q = tpl["questions"]
        q[2], q[3] = q[3], q[2]
    items = job_diff.compare(*edited(swap))["questions"]
    assert [i["kind"] for i in items] == ["moved"] and "调整了顺序" in items[0]["summary"]


def test_a_rewritten_question_is_removed_and_added_not_reworded():
    def change(tpl):
        tpl["questions"][3]["text"] = "请介绍一个你最自豪的开源贡献。"
    items = job_diff.compare(*edited(change))["questions"]
    assert [(i["kind"], i["number"]) for i in items] == [("removed", 4), ("added", 4)]


def test_anchors_changed_per_level_once_for_a_question_whose_dimensions_share_them():
    def change(tpl):
        anchors = tpl["questions"][0]["anchors"]
        for levels in anchors.values():
            levels["3"] = "我做了三年后端开发,负责会员系统接口,也处理线上问题和值班。"
            levels.pop("5")
    items = job_diff.compare(*edited(change))["questions"]
    assert [d["label"] for d in items[0]["details"]] == ["示例答案 3 级", "示例答案 5 级"]
    three, five = items[0]["details"]
    assert three["old"].startswith("我做了三年后端开发，最近") and five["new"] is None


def test_anchors_that_differ_per_dimension_are_named_by_dimension():
    def change(tpl):
        tpl["questions"][0]["anchors"]["语言表达"] = {**tpl["questions"][0]["anchors"]["语言表达"],
                                                      "1": "我不太会表达,就说这么多吧,谢谢。"}
    items = job_diff.compare(*edited(change))["questions"]
    assert [d["label"] for d in items[0]["details"]] == ["示例答案 · 语言表达 1 级"]


def test_fields_managers_by_name_and_screening_settings():
    def change(tpl):
        tpl["title"] = "高级后端开发工程师"
        tpl["managers"] = ["zhangwei", "lisi"]
        tpl["identity_by_sms"] = True
        tpl["screening"]["auto_invite_at"] = 85
        tpl["screening"]["criteria"] = tpl["screening"]["criteria"][:-1]
    old, new = edited(change)
    result = job_diff.compare(old, new, name={"zhangwei": "张伟", "lisi": "李四"}.get)
    assert [(f["label"], f["old"], f["new"]) for f in result["fields"]] == [
        ("岗位名称", "后端开发工程师", "高级后端开发工程师"), ("用人经理", "张伟", "张伟、李四"),
        ("身份核验用短信验证码", "关闭", "开启")]
    criteria, invite = result["screening"]
    assert criteria["label"] == "筛选条件" and criteria["removed"] == 1 and criteria["added"] == 0
    assert (invite["label"], invite["old"], invite["new"]) == ("自动邀请", "关闭", "筛选分 ≥ 85")


def test_an_older_snapshot_without_the_newer_keys_reads_as_the_defaults():
    old, new = snapshot(), snapshot()
    for q in old["questions"]:
        del q["think_seconds"], q["retakes"]
        q.pop("anchors")
    del old["family"]
    old.pop("screening")
    result = job_diff.compare(old, new)
    assert [f["label"] for f in result["fields"]] == ["岗位类别"]
    assert all(d["label"].startswith("示例答案") or d["label"] == "思考时间"
               for item in result["questions"] for d in item["details"])


def test_criteria_of_a_kind_today_s_code_does_not_know_are_shown_as_stored():
    old, new = snapshot(), snapshot()
    old["screening"]["criteria"].append({"kind": "retired_kind", "type": "skill", "value": "COBOL"})
    old["screening"]["questions"] = [{"id": "q1", "text": "能否出差?"}]   # an older shape without its options
    (criteria, knockouts) = job_diff.compare(old, new)["screening"]
    assert [r["text"] for r in criteria["lines"] if r["kind"] == "removed"] == ["retired_kind skill COBOL"]
    assert knockouts["removed"] == 1


def test_a_very_long_replaced_line_is_diffed_without_marking_characters():
    old, new = "甲" * 3000, "甲" * 2999 + "乙"
    removed, added = job_diff.line_diff(old, new)
    assert (removed["kind"], added["kind"]) == ("removed", "added") and removed["marks"] is None
