"""What the claim analysis counts as concrete content (claims._signals, claims._figures): the cases the anchors'
measurement found missed (docs/analysis.md, "Known weaknesses"). No encoder runs here."""

from app.analysis import claims


def _figures(text: str) -> list[str]:
    return [f["text"] for f in claims._figures(text, 0)]


def test_figures_in_chinese_numerals_with_a_measure_word_count():
    assert _figures("比如八十单卖了一百二十件就是一点五") == ["八十单", "一百二十件", "一点五"]
    assert _figures("放弃一家准交率只有八成的厂") == ["八成"]
    assert _figures("一张两兆多的轮播图拖慢了加载") == ["两兆"]
    assert _figures("响应时间零点三秒") == ["零点三秒"]


def test_articles_and_bit_by_bit_are_not_figures():
    assert _figures("这是一件小事") == []
    assert _figures("一单一单地跟进") == []
    assert _figures("一点一点地改过来") == []
    assert _figures("我有一点紧张") == []
