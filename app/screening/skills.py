"""The skill dictionary: concepts, their synonyms, and the narrower skills that evidence them.

A requirement names a concept ("消息队列"); a resume may say it another way ("MQ") or name an instance of it
("Kafka"): both count, so a synonym is never reported as missing. A resume that names a sibling instance
(requirement "Kafka", resume "RabbitMQ") is only *related*: the verdict is "uncertain", for a person to judge.
Add words here; bump DICTIONARY_VERSION so "re-parse all" and re-screening pick them up.
"""
import re

DICTIONARY_VERSION = "skills-2026.11-1"

# concept -> (synonyms, narrower instances). Each instance may itself be a concept with synonyms.
CONCEPTS = {
    "PostgreSQL": (["PostgreSQL", "Postgres", "PG", "pgsql"], []),
    "MySQL": (["MySQL", "MariaDB"], []),
    "Oracle": (["Oracle数据库", "Oracle DB", "Oracle"], []),
    "SQL Server": (["SQL Server", "MSSQL"], []),
    "关系数据库": (["关系数据库", "关系型数据库", "RDBMS"], ["PostgreSQL", "MySQL", "Oracle", "SQL Server"]),
    "SQL": (["SQL"], []),
    "Redis": (["Redis"], []),
    "Memcached": (["Memcached"], []),
    "缓存": (["缓存", "cache"], ["Redis", "Memcached"]),
    "MongoDB": (["MongoDB", "Mongo"], []),
    "Elasticsearch": (["Elasticsearch", "ES", "ELK"], []),
    "Kafka": (["Kafka"], []),
    "RabbitMQ": (["RabbitMQ"], []),
    "RocketMQ": (["RocketMQ"], []),
    "消息队列": (["消息队列", "消息中间件", "MQ"], ["Kafka", "RabbitMQ", "RocketMQ"]),
    "Python": (["Python", "py3"], []),
    "Go": (["Golang", "Go语言", "Go"], []),
    "Java": (["Java", "JVM"], []),
    "C++": (["C++", "CPP"], []),
    "JavaScript": (["JavaScript", "JS", "ES6"], []),
    "TypeScript": (["TypeScript", "TS"], []),
    "Flask": (["Flask"], []),
    "Django": (["Django"], []),
    "FastAPI": (["FastAPI"], []),
    "Spring": (["Spring Boot", "SpringBoot", "Spring"], []),
    "Gin": (["Gin"], []),
    "Web框架": (["Web框架", "web 框架"], ["Flask", "Django", "FastAPI", "Spring", "Gin"]),
    "React": (["React", "React.js"], []),
    "Vue": (["Vue", "Vue.js"], []),
    "Docker": (["Docker", "容器化"], []),
    "Kubernetes": (["Kubernetes", "K8s"], []),
    "Linux": (["Linux", "Ubuntu", "CentOS"], []),
    "Git": (["Git", "GitLab", "GitHub"], []),
    "微服务": (["微服务", "microservice", "microservices"], []),
    "性能优化": (["性能优化", "性能调优", "SQL优化", "慢查询", "调优"], []),
    "故障排查": (["故障排查", "线上故障", "问题排查", "排查", "故障处理"], []),
    "高并发": (["高并发", "并发"], []),
    "机器学习": (["机器学习", "深度学习", "PyTorch", "TensorFlow"], []),
    "数据分析": (["数据分析", "Excel", "Tableau", "Power BI"], []),
    "销售": (["销售", "B2B销售", "大客户销售", "电话销售"], []),
    "客户开发": (["客户开发", "拓客", "新客户开发", "客户拓展"], []),
    "CRM": (["CRM", "Salesforce", "纷享销客"], []),
    "谈判": (["谈判", "商务谈判"], []),
    "英语": (["英语", "英文", "CET-6", "CET-4", "CET6", "CET4", "雅思", "托福", "English"], []),
    "沟通": (["沟通", "协调", "协作"], []),
}


def _compile(term):
    """A case-insensitive pattern; Latin terms must not sit inside a longer word ("PG" not in "UPGRADE")."""
    escaped = re.escape(term).replace(r"\ ", r"\s*")
    if re.search(r"[A-Za-z0-9]", term):
        short = len(term) <= 3
        return re.compile(rf"(?<![A-Za-z0-9+#]){escaped}(?![A-Za-z0-9+#])", 0 if short else re.IGNORECASE)
    return re.compile(escaped)


PATTERNS = {concept: [(term, _compile(term)) for term in synonyms] for concept, (synonyms, _) in CONCEPTS.items()}


def canonical(word):
    """The concept a word names (its own spelling when unknown)."""
    low = word.strip().lower()
    for concept, (synonyms, _) in CONCEPTS.items():
        if low == concept.lower() or low in (s.lower() for s in synonyms):
            return concept
    return word.strip()


def narrower(concept):
    """The concept and every instance under it (transitively)."""
    out, todo = [], [concept]
    while todo:
        c = todo.pop(0)
        if c not in out:
            out.append(c)
            todo.extend(CONCEPTS.get(c, ((), []))[1])
    return out


def parents(concept):
    return [c for c, (_, kids) in CONCEPTS.items() if concept in kids]


def siblings(concept):
    """Other instances of the concepts above `concept` (Kafka -> RabbitMQ, RocketMQ)."""
    return [s for p in parents(concept) for s in narrower(p) if s not in (concept, p)]


def find(text, concept):
    """Every mention of `concept` in text as (start, end, term), synonyms included, not instances."""
    patterns = PATTERNS.get(concept) or [(concept, _compile(concept))]
    hits = []
    for term, pattern in patterns:
        for m in pattern.finditer(text):
            if not any(s <= m.start() < e for s, e, _ in hits):
                hits.append((m.start(), m.end(), term))
    return sorted(hits)


def skills_in(text):
    """The concepts mentioned in text (in dictionary order), for the parsed resume's skill list."""
    return [c for c in CONCEPTS if PATTERNS[c] and any(p.search(text) for _, p in PATTERNS[c])]
