"""What changed between two saved versions of a job, in words HR reads (the 「对比」 page of the version list).

`compare(old, new)` takes two JobVersion snapshots (the template dicts job_versions.record stores) and returns
plain lists and dicts: no database, no Flask. Snapshots carry no question or dimension ids, so they are matched:
- dimensions by name; a removed and an added one whose description, keywords and rubric read alike (difflib ratio
  >= RENAME_RATIO) are one dimension renamed, and a question's dimensions follow the rename;
- questions by identical text first, then a removed and an added one whose texts read alike (>= REWORD_RATIO) are
  one question reworded; the rest are added or removed.
Long texts (profile, requirements, screening criteria) are diffed line by line with difflib; a line replaced by
one like it marks the characters that changed.
"""
import difflib

from app.screening import criteria as criteria_text

RENAME_RATIO = 0.6
REWORD_RATIO = 0.45
MARK_LIMIT = 4000   # characters of a replaced pair of lines past which no characters are marked (difflib is quadratic)
CONTEXT_LINES = 2   # unchanged lines kept around a change; longer unchanged runs fold into one "N 行未变" line
FIELDS = (("title", "岗位名称"), ("department", "部门"), ("family", "岗位类别"), ("location", "工作地点"))
TEXTS = (("description", "岗位描述"), ("requirements", "任职要求"))
# a question's timing: the template's key, the words, the unit, the default an older snapshot may leave out
TIMING = (("think_seconds", "思考时间", " 秒", 30), ("answer_seconds", "作答时间", " 秒", 120),
          ("retakes", "可重录", " 次", 1))


def compare(old, new, name=str):
    """The changes from snapshot `old` to snapshot `new`; `changed` is False when there are none. `name(userid)`
    says a manager as people read them (the page passes the WeCom member's name)."""
    old, new = old or {}, new or {}
    renames = {}
    result = {
        "fields": _fields(old, new, name),
        "texts": [t for t in (_text(label, old.get(key), new.get(key)) for key, label in TEXTS) if t],
        "dimensions": _dimensions(old.get("dimensions") or [], new.get("dimensions") or [], renames),
        "questions": _questions(old.get("questions") or [], new.get("questions") or [], renames),
        "screening": _screening(old.get("screening") or {}, new.get("screening") or {}),
    }
    result["changed"] = any(result.values())
    return result


def line_diff(old, new, context=CONTEXT_LINES):
    """Lines of the two texts as [{"kind": same | removed | added | skip, "text", "marks"}]; `marks` are
    [(piece, changed)] for a replaced line, else None; `skip` stands for a run of unchanged lines (its `count`)."""
    a, b = (old or "").splitlines(), (new or "").splitlines()
    rows = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if tag == "equal":
            rows.extend(_fold([{"kind": "same", "text": t, "marks": None} for t in a[i1:i2]], context,
                              first=i1 == 0 and j1 == 0, last=i2 == len(a) and j2 == len(b)))
            continue
        removed, added = a[i1:i2], b[j1:j2]
        pairs = [_marks(x, y) for x, y in zip(removed, added, strict=False)]
        rows.extend({"kind": "removed", "text": t, "marks": pairs[k][0] if k < len(pairs) else None}
                    for k, t in enumerate(removed))
        rows.extend({"kind": "added", "text": t, "marks": pairs[k][1] if k < len(pairs) else None}
                    for k, t in enumerate(added))
    return rows


def _fold(same, context, first, last):
    """Unchanged lines with only `context` of them kept next to a change."""
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(same) <= keep_head + keep_tail + 1:
        return same
    hidden = len(same) - keep_head - keep_tail
    return [*same[:keep_head], {"kind": "skip", "text": f"… {hidden} 行未变 …", "count": hidden, "marks": None},
            *same[len(same) - keep_tail:]]


def _marks(a, b):
    """The two lines cut into (piece, changed) runs, or (None, None) when they share too little to be worth it."""
    if len(a) + len(b) > MARK_LIMIT:
        return None, None
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    if matcher.ratio() < 0.3:
        return None, None
    left, right = [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if a[i1:i2]:
            left.append((a[i1:i2], tag != "equal"))
        if b[j1:j2]:
            right.append((b[j1:j2], tag != "equal"))
    return left, right


def _text(label, old, new):
    old, new = (old or "").strip(), (new or "").strip()
    if old == new:
        return None
    lines = line_diff(old, new)
    return {"label": label, "lines": lines, "added": sum(r["kind"] == "added" for r in lines),
            "removed": sum(r["kind"] == "removed" for r in lines)}


def _change(label, old, new, long=False):
    """One changed value: `old` None when it was added, `new` None when it was removed."""
    item = {"label": label, "old": old, "new": new, "long": long, "old_marks": None, "new_marks": None}
    if long and old and new:
        item["old_marks"], item["new_marks"] = _marks(old, new)
    return item


def _fields(old, new, name):
    changes = [_change(label, old.get(key) or "—", new.get(key) or "—")
               for key, label in FIELDS if (old.get(key) or "") != (new.get(key) or "")]
    before, after = list(old.get("managers") or []), list(new.get("managers") or [])
    if before != after:
        changes.append(_change("用人经理", "、".join(map(name, before)) or "—", "、".join(map(name, after)) or "—"))
    for key, label in (("use_expressions", "表情计入评分"), ("identity_by_sms", "身份核验用短信验证码")):
        if bool(old.get(key)) != bool(new.get(key)):
            changes.append(_change(label, _on(old.get(key)), _on(new.get(key))))
    return changes


def _on(value):
    return "开启" if value else "关闭"


def _similarity(a, b):
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio() if a and b else 0.0


def _pair(removed, added, key, threshold):
    """Pairs (i, j) of a removed and an added item alike by `key` (best first, each used once)."""
    scored = sorted(((_similarity(key(r), key(a)), i, j) for i, r in enumerate(removed) for j, a in enumerate(added)),
                    reverse=True)
    pairs, used_r, used_a = [], set(), set()
    for ratio, i, j in scored:
        if ratio >= threshold and i not in used_r and j not in used_a:
            pairs.append((i, j))
            used_r.add(i)
            used_a.add(j)
    return pairs


def _dimension_body(d):
    return "\n".join([d.get("description") or "", " ".join(d.get("keywords") or []), *(d.get("rubric") or [])])


def _dimensions(old, new, renames):
    """Dimension changes; fills `renames` (old name -> new name) for the questions."""
    old_by, new_by = {d["name"]: d for d in old}, {d["name"]: d for d in new}
    removed = [d for d in old if d["name"] not in new_by]
    added = [d for d in new if d["name"] not in old_by]
    pairs = _pair(removed, added, _dimension_body, RENAME_RATIO)
    for i, j in pairs:
        renames[removed[i]["name"]] = added[j]["name"]
    matched = [(old_by[name], new_by[name]) for name in new_by if name in old_by]
    matched += [(removed[i], added[j]) for i, j in pairs]
    items = []
    for d in old:   # removed first, in the old order
        if d["name"] not in new_by and d["name"] not in renames:
            items.append({"kind": "removed", "name": d["name"],
                          "summary": f"删除维度「{d['name']}」(原权重 {d.get('weight', 0)}%)", "details": []})
    renamed_to = set(renames.values())
    for d in new:
        if d["name"] not in old_by and d["name"] not in renamed_to:
            items.append({"kind": "added", "name": d["name"],
                          "summary": f"新增维度「{d['name']}」,权重 {d.get('weight', 0)}%", "details": []})
    for before, after in sorted(matched, key=lambda pair: new.index(pair[1])):
        details = _dimension_details(before, after)
        renamed = before["name"] != after["name"]
        if not details and not renamed:
            continue
        summary = (f"维度「{before['name']}」改名为「{after['name']}」" if renamed else f"维度「{after['name']}」")
        items.append({"kind": "renamed" if renamed else "changed", "name": after["name"], "summary": summary,
                      "details": details})
    order_before = [renames.get(d["name"], d["name"]) for d in old]
    common = [name for name in (d["name"] for d in new) if name in order_before]
    if common != [name for name in order_before if name in common]:
        items.append({"kind": "order", "name": "", "summary": "维度的顺序调整为:" + "、".join(
            d["name"] for d in new), "details": []})
    return items


def _dimension_details(before, after):
    details = []
    if before.get("weight") != after.get("weight"):
        details.append(_change("权重", f"{before.get('weight', 0)}%", f"{after.get('weight', 0)}%"))
    if (before.get("description") or "") != (after.get("description") or ""):
        details.append(_change("说明", before.get("description") or "—", after.get("description") or "—", long=True))
    details += _list_change("关键词", before.get("keywords"), after.get("keywords"))
    details += _list_change("评分要点", before.get("rubric"), after.get("rubric"))
    return details


def _list_change(label, before, after):
    before, after = list(before or []), list(after or [])
    gone, came = [x for x in before if x not in after], [x for x in after if x not in before]
    changes = []
    if gone:
        changes.append(_change(f"{label}(删除)", "、".join(gone), None))
    if came:
        changes.append(_change(f"{label}(新增)", None, "、".join(came)))
    return changes


def _questions(old, new, renames):
    old_texts = [q["text"] for q in old]
    used, matched = set(), {}
    for j, q in enumerate(new):   # the same text first (a question that moved keeps its text)
        i = next((i for i, t in enumerate(old_texts) if t == q["text"] and i not in used), None)
        if i is not None:
            used.add(i)
            matched[j] = i
    removed = [i for i in range(len(old)) if i not in used]
    added = [j for j in range(len(new)) if j not in matched]
    for a, b in _pair([old[i] for i in removed], [new[j] for j in added], lambda q: q["text"], REWORD_RATIO):
        matched[added[b]] = removed[a]
    items = [{"kind": "removed", "number": i + 1, "summary": f"删除了原第 {i + 1} 题", "text": old[i]["text"],
              "details": []} for i in range(len(old)) if i not in matched.values()]
    moved = _moved(matched)
    for j, q in enumerate(new):
        if j not in matched:
            items.append({"kind": "added", "number": j + 1, "summary": f"新增第 {j + 1} 题", "text": q["text"],
                          "setting": _question_setting(q), "details": []})
            continue
        i = matched[j]
        details = _question_details(old[i], q, renames)
        reworded = old[i]["text"] != q["text"]
        if reworded:
            details.insert(0, _change("题目文字", old[i]["text"], q["text"], long=True))
        if details or j in moved:
            was = f"(原第 {i + 1} 题)" if i != j else ""
            kind = "reworded" if reworded else "changed" if details else "moved"
            words = {"reworded": "改了措辞", "changed": "", "moved": "调整了顺序"}[kind]
            items.append({"kind": kind, "number": j + 1, "summary": f"第 {j + 1} 题{was}{words}", "text": q["text"],
                          "details": details})
    return sorted(items, key=lambda item: (item["number"], item["kind"] != "removed"))


def _moved(matched):
    """The new positions of questions whose order among the kept questions changed (not those that only shifted
    because one before them was added or removed): outside the longest run kept in the old order."""
    order = sorted(matched)   # new positions
    olds = [matched[j] for j in order]
    blocks = difflib.SequenceMatcher(None, sorted(olds), olds, autojunk=False).get_matching_blocks()
    kept = {olds[b.b + k] for b in blocks for k in range(b.size)}
    return {j for j in order if matched[j] not in kept}


def _question_setting(q):
    timing = ",".join(f"{label} {q.get(key, default)}{unit}" for key, label, unit, default in TIMING)
    return f"考察 {'、'.join(q.get('dimensions') or [])};{timing}"


def _question_details(before, after, renames):
    details = []
    dims_before = [renames.get(d, d) for d in before.get("dimensions") or []]
    dims_after = list(after.get("dimensions") or [])
    gone, came = [d for d in dims_before if d not in dims_after], [d for d in dims_after if d not in dims_before]
    if gone or came:   # said with the names each version had
        details.append(_change("考察维度", "、".join(before.get("dimensions") or []), "、".join(dims_after)))
    for key, label, unit, default in TIMING:
        a, b = before.get(key, default), after.get(key, default)
        if a != b:
            details.append(_change(label, f"{a}{unit}", f"{b}{unit}"))
    details += _anchor_changes(before.get("anchors"), after.get("anchors"), renames)
    return details


def _anchors(anchors, renames=None):
    """{dimension: {level (int): text}}, a JSON round trip's string levels read back as numbers."""
    renames = renames or {}
    return {renames.get(d, d): {int(lv): t for lv, t in (levels or {}).items()}
            for d, levels in (anchors or {}).items()}


def _shared(anchors):
    """The one {level: text} every dimension shares (the editor writes them so), or None when they differ."""
    sets = list(anchors.values())
    if not sets:
        return {}
    return sets[0] if all(s == sets[0] for s in sets) else None


def _anchor_changes(before, after, renames):
    before, after = _anchors(before, renames), _anchors(after)
    if before == after:
        return []
    shared_before, shared_after = _shared(before), _shared(after)
    if shared_before is not None and shared_after is not None:
        if shared_before == shared_after:
            return []   # the same answers, now standing for other dimensions too (the dimension line says so)
        return _level_changes("示例答案", shared_before, shared_after)
    changes = []
    for dim in [*before, *[d for d in after if d not in before]]:
        changes += _level_changes(f"示例答案 · {dim}", before.get(dim, {}), after.get(dim, {}))
    return changes


def _level_changes(label, before, after):
    return [_change(f"{label} {lv} 级", before.get(lv), after.get(lv), long=True)
            for lv in sorted({*before, *after}) if before.get(lv) != after.get(lv)]


def _screening(old, new):
    changes = []
    text = _text("筛选条件", _criteria(old.get("criteria")), _criteria(new.get("criteria")))
    if text:
        changes.append({**text, "kind": "text"})
    questions = _text("淘汰问题", _knockouts(old.get("questions")), _knockouts(new.get("questions")))
    if questions:
        changes.append({**questions, "kind": "text"})
    if bool(old.get("knockout_rejects")) != bool(new.get("knockout_rejects")):
        changes.append({"kind": "value", **_change("淘汰问题不符合时自动淘汰", _on(old.get("knockout_rejects")),
                                                   _on(new.get("knockout_rejects")))})
    for key, label, show in (("auto_invite_at", "自动邀请", lambda v: "关闭" if v is None else f"筛选分 ≥ {v}"),
                             ("remind_after_days", "未处理提醒", lambda v: "关闭" if not v else f"{v} 天")):
        if key in old and key in new and old[key] != new[key]:
            changes.append({"kind": "value", **_change(label, show(old.get(key)), show(new.get(key)))})
    return changes


def _criteria(value):
    """The criteria as the editor writes them, one a line; a line the words of today's code do not know (an
    older snapshot's kind or type) as stored, rather than no page at all."""
    if not isinstance(value, list):
        return str(value or "")
    lines = []
    for c in value:
        try:
            lines.append(criteria_text.to_text([c]))
        except (KeyError, TypeError):
            lines.append(" ".join(str(v) for v in (c.values() if isinstance(c, dict) else [c])))
    return "\n".join(lines)


def _knockouts(value):
    try:
        return criteria_text.questions_to_text(value or [])
    except (KeyError, TypeError):
        return "\n".join(str(q) for q in value or [])
