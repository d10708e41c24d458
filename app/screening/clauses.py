"""What the words around a mention say about it: negation ("没有使用过 Kafka" is no claim) and proficiency
("精通" / "熟悉" / "了解" / "仅了解"), read within the mention's clause."""
import re

SEPARATORS = ",，。;；!！?？\n"
NEGATION_BEFORE = re.compile(r"(没有|没|未曾|从未|未|不会|不懂|不熟悉|不了解|缺乏|无(?!锡))[^,，。;；]{0,12}$")
NEGATION_AFTER = re.compile(r"^[^,，。;；]{0,6}(不熟|不了解|不会|没用过|没有用过|未使用)")
# (pattern, factor, label): the nearest word before the mention in its clause, or right after it, sets the factor.
PROFICIENCY = [
    (re.compile(r"仅了解|只了解|听说过|略懂|略知|简单了解|初步了解|入门|接触过一点|自学过|仅接触"), 0.35, "仅了解"),
    (re.compile(r"了解|接触过|一般|基础|初级|学习过|学过|看过"), 0.65, "了解"),
    (re.compile(r"熟悉|掌握|会用|能使用"), 0.95, "熟悉"),
    (re.compile(r"精通|熟练|深入|擅长|专家"), 1.0, "精通"),
]


def clause_bounds(text, start, end):
    clause_start = max(text.rfind(ch, 0, start) for ch in SEPARATORS) + 1
    ends = [i for i in (text.find(ch, end) for ch in SEPARATORS) if i >= 0]
    return clause_start, (min(ends) if ends else len(text))


def negated(text, start, end):
    """Whether the mention text[start:end] sits in a negated clause ("没有使用过 Kafka", "Kafka 不熟")."""
    clause_start, clause_end = clause_bounds(text, start, end)
    return bool(NEGATION_BEFORE.search(text[clause_start:start]) or NEGATION_AFTER.search(text[end:clause_end]))


def proficiency(text, start, end):
    """(factor, word) the proficiency words around a mention give it; (1.0, "") when none is said."""
    clause_start, clause_end = clause_bounds(text, start, end)
    after = re.split(r"[、/]", text[end:min(clause_end, end + 10)])[0]
    before = text[clause_start:start]
    found = []
    for pattern, factor, word in PROFICIENCY:
        if pattern.search(after):
            found.append((-1, factor, word))        # right after the mention: "Redis 仅了解", "Redis(了解)"
        for m in pattern.finditer(before):
            found.append((len(before) - m.end(), factor, word))
    if not found:
        return 1.0, ""
    nearest = min(d for d, _, _ in found)
    return min((f, w) for d, f, w in found if d == nearest)
