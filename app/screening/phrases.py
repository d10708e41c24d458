"""The screening phrase table (app/screening/data/phrases.yaml): skill concepts with synonyms, instances and the
figures that evidence them by meaning, job families for relevant years, related majors.

`SCREENING_PHRASES_FILE` may name a company's own YAML file of the same shape, added to the shipped one. The
table's version (the shipped `version` plus a hash of the company file) is part of the parser and screener
versions, so changing either re-parses and re-screens.
"""
import hashlib
import os
import re
from functools import lru_cache
from pathlib import Path

import yaml

SHIPPED = Path(__file__).resolve().parent / "data" / "phrases.yaml"


def _merge(table, data):
    for name, entry in (data.get("concepts") or {}).items():
        have = table["concepts"].setdefault(str(name), {"synonyms": [], "instances": [], "figures": [],
                                                       "soft": False})
        have["soft"] = bool((entry or {}).get("soft", have["soft"]))
        have["credential"] = bool((entry or {}).get("credential", have.get("credential")))
        for key in ("synonyms", "instances", "figures"):
            have[key] = list(dict.fromkeys(have[key] + [str(x) for x in (entry or {}).get(key) or []]))
    for name, entry in (data.get("families") or {}).items():
        have = table["families"].setdefault(str(name), {"titles": [], "terms": []})
        for key in ("titles", "terms"):
            have[key] = list(dict.fromkeys(have[key] + [str(x) for x in (entry or {}).get(key) or []]))
    for name, related in (data.get("majors") or {}).items():
        have = table["majors"].setdefault(str(name), [])
        have.extend(str(x) for x in related or [] if str(x) not in have)


@lru_cache(maxsize=4)
def _load(extra):
    table = {"concepts": {}, "families": {}, "majors": {}}
    shipped = yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))
    _merge(table, shipped)
    version = str(shipped["version"])
    if extra:
        blob = Path(extra).read_text(encoding="utf-8")
        _merge(table, yaml.safe_load(blob) or {})
        version += "+" + hashlib.sha1(blob.encode()).hexdigest()[:6]
    for entry in table["concepts"].values():
        entry["figure_patterns"] = [re.compile(f) for f in entry["figures"]]
    table["version"] = version
    return table


def table():
    """{"version", "concepts", "families", "majors"}: the shipped table plus SCREENING_PHRASES_FILE."""
    return _load(os.environ.get("SCREENING_PHRASES_FILE", ""))


def version():
    return table()["version"]
