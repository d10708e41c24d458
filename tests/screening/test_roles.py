"""Work entries relevant to the job by meaning (roles.py): a job of a family the phrase table does not know, and a
resume that describes the work in its own words, still earn relevant years; the vectors are stored at parse time.
The real sentence encoder (USE, shipped in the venv) runs: nothing is patched."""
import datetime as dt

from app.screening import criteria, experience, matching, roles

TODAY = dt.date(2026, 11, 1)
# 景观设计师 is in no family of the phrase table; the first entry shares no title word and none of its terms.
TEXT = ("姓名: 李婷\n工作经历\n2020.03-至今 绿城园林工程有限公司 方案主创\n"
        "负责住宅小区和城市公园的绿化方案、植物配置与施工图,与甲方和施工队对接落地。\n"
        "2016.07-2020.02 华润万家超市 收银组长\n负责收银台排班、对账和顾客投诉处理。\n")
JOB = ("景观设计师", "负责居住区和公园的景观方案设计、植物配置和施工图深化,配合项目落地。")
LINES = "必须 技能: AutoCAD\n必须 相关年限: 3"


def _reading(stored=None):
    reading = matching.read(TEXT, TODAY)
    reading["similar"] = roles.similarities(stored or roles.role_vectors(TEXT, TODAY), roles.job_vector(*JOB))
    return reading


def test_an_entry_close_in_meaning_is_relevant_and_an_unrelated_one_is_not():
    reading = _reading()
    blocks = {b.title: b.start for b in reading["blocks"] if b.kind == "work"}
    garden = reading["similar"][blocks["绿城园林工程有限公司 方案主创"]]
    shop = reading["similar"][blocks["华润万家超市 收银组长"]]
    assert garden >= roles.ROLE_SIMILAR > shop
    job = experience.job_words(JOB[0], criteria.parse_text(LINES))
    assert experience.years(TEXT, reading["blocks"], None, job) == (10.2, 0.0)   # by words alone: nothing
    assert experience.years(TEXT, reading["blocks"], None, job, reading["similar"], roles.ROLE_SIMILAR) == (10.2, 6.7)


def test_the_years_verdict_says_which_entry_and_feeds_the_score():
    c = dict(criteria.parse_text(LINES)[1], job=experience.job_words(JOB[0], criteria.parse_text(LINES)))
    with_meaning = matching.judge(c, TEXT, {}, reading=_reading())
    words_only = matching.judge(c, TEXT, {}, reading=matching.read(TEXT, TODAY))
    assert with_meaning["verdict"] == "matched" and words_only["verdict"] == "missing"
    assert with_meaning["role_years"] == 6.7 and "role_years" not in words_only
    assert "按经历内容与岗位相近的约 6.7 年" in with_meaning["why"] and "绿城园林" in with_meaning["why"]
    assert "绿城园林" in with_meaning["evidence"]["text"]
    skill = {"id": "c1", "kind": "must", "type": "skill", "verdict": "missing", "credit": 0.0}
    strong, weak = dict(with_meaning), dict(with_meaning, role_years=1.0)
    assert matching.score([skill, strong]) > matching.score([skill, weak])   # more years close to the job
    assert abs(matching.role_depth([skill, strong]) - min(1.0, 6.7 / (matching.EXPERIENCE_CAP * 3))) < 1e-9
    assert matching.role_depth([skill, words_only]) is None   # rows screened before: the plain score
    assert matching.score([skill, words_only]) == matching.score([skill, words_only], experience_share=0)


def test_stored_vectors_give_the_same_similarities_as_fresh_ones():
    stored = roles.role_vectors(TEXT, TODAY)
    assert [r["title"] for r in stored] == ["绿城园林工程有限公司 方案主创", "华润万家超市 收银组长"]
    fresh = roles.similarities(stored, roles.job_vector(*JOB))
    again = roles.of_resume({"roles": stored}, TEXT, TODAY, roles.job_vector(*JOB))
    computed = roles.of_resume({}, TEXT, TODAY, roles.job_vector(*JOB))   # a row parsed before the vectors
    assert fresh == again and computed.keys() == fresh.keys()
    assert all(abs(computed[k] - fresh[k]) < 0.01 for k in fresh)
    assert roles.role_vectors("专业技能\nPython、SQL\n", TODAY) == []
