"""The labelled resume set (tests/fixtures/resumes, issue 19): complete, consistent with its sources, and readable
by the project's resume reader. Reading only: nothing here screens or scores a resume."""
from collections import Counter
from pathlib import Path

import pytest
import yaml

from app.screening import resume_files
from app.screening.job_templates import parse_template
from tests.fixtures.resumes import build

SET = Path(build.__file__).resolve().parent
LABELS = yaml.safe_load((SET / "labels.yaml").read_text(encoding="utf-8"))
SOURCES = {r["id"]: r for r in build.load_sources()}
REQUIRED_TRAPS = {"stuffed_skills", "synonyms", "negation", "proficiency", "years_in_ranges", "figures",
                  "career_changer", "few_keywords", "ordinary"}
TEXT = [i for i, r in SOURCES.items() if r["format"] in ("pdf", "docx")]
OCR = [i for i, r in SOURCES.items() if r["format"] in ("photo", "scan")]


def test_size_jobs_and_labels():
    resumes = LABELS["resumes"]
    assert len(resumes) >= 80
    assert set(LABELS["jobs"]) == {r["job"] for r in resumes.values()} and len(LABELS["jobs"]) >= 4
    assert len({j["family"] for j in LABELS["jobs"].values()}) == len(LABELS["jobs"])  # different families
    for job, count in Counter(r["job"] for r in resumes.values()).items():
        assert count >= 20, job
        labels = [r["label"] for r in resumes.values() if r["job"] == job]
        assert set(labels) == {1, 2, 3, 4, 5}, job  # every job spans the whole scale
    for rid, r in resumes.items():
        assert r["label"] in (1, 2, 3, 4, 5) and isinstance(r["label"], int), rid
        assert r["reason"].strip() and r["traps"], rid
        assert set(r["traps"]) <= set(LABELS["traps"]), rid


def test_every_trap_is_planted_several_times_across_jobs():
    assert set(LABELS["traps"]) == REQUIRED_TRAPS
    for trap in REQUIRED_TRAPS:
        holders = [r for r in LABELS["resumes"].values() if trap in r["traps"]]
        assert len(holders) >= 4 and len({r["job"] for r in holders}) >= 3, trap
    stuffed = [r["label"] for r in LABELS["resumes"].values() if "stuffed_skills" in r["traps"]]
    assert max(stuffed) <= 2  # a skills list alone is never worth an interview


def test_labels_match_the_sources_and_the_files_exist():
    assert set(SOURCES) == set(LABELS["resumes"])
    for rid, r in LABELS["resumes"].items():
        assert SOURCES[rid]["job"] == r["job"] and build.file_of(SOURCES[rid]) == r["file"], rid
        assert (SET / r["file"]).stat().st_size < 300_000, rid


@pytest.mark.parametrize("job", sorted(LABELS["jobs"]))
def test_job_templates_import(job):
    tpl = parse_template((SET / LABELS["jobs"][job]["template"]).read_text(encoding="utf-8"))
    assert tpl["title"] == LABELS["jobs"][job]["title"] and tpl["family"] == LABELS["jobs"][job]["family"]
    assert tpl["screening"]["questions"]  # every job has a knockout question


def test_committed_files_are_what_the_sources_build():
    """One resume of each format and layout is rebuilt byte for byte: the files were not edited by hand and the
    sources were not changed without a rebuild."""
    seen = {}
    for rid, r in SOURCES.items():
        seen.setdefault((r["format"], r.get("layout")), rid)
    for rid in seen.values():
        assert build.render(SOURCES[rid]) == (SET / build.file_of(SOURCES[rid])).read_bytes(), rid


def _read(rid):
    r = SOURCES[rid]
    text, kind, method = resume_files.extract_text((SET / build.file_of(r)).read_bytes())
    return r, text, kind, method


@pytest.mark.parametrize("rid", TEXT)
def test_pdf_and_word_files_read_as_text(rid):
    r, text, kind, method = _read(rid)
    assert (kind, method) == (r["format"], "text")
    assert r["name"] in text and r["phone"] in text  # the header, also when it sits in a text box or a table
    for entry in r.get("work") or []:
        assert resume_files.normalise(entry["head"]) in text, entry["head"]


@pytest.mark.slow
@pytest.mark.parametrize("rid", OCR)
def test_photos_and_scans_read_through_ocr(rid):
    r, text, kind, method = _read(rid)
    assert kind == ("image" if r["format"] == "photo" else "pdf") and method == "ocr"
    assert r["phone"] in text.replace(" ", "")
    assert r["name"] in text.replace(" ", "")
