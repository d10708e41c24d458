"""Screening measured on the labelled resume set (tests/fixtures/resumes, issue 19): per job, Spearman between the
screening score and the recruiter's label; per trap, the share of labelled pairs the scores order as the labels do;
where each stuffed-skills-list resume ranks in its job.

Each job is imported from its template with the criteria left blank (the editor's default: derived from the
requirements); each file is stored, parsed by the service (OCR for photos and scans) with today = the set's
`as_of`, and the job is screened (`screen.screen_job`). Leave-one-job-out: the rules have nothing fitted on labels,
so the held-out job's ranking is the same whether or not the other jobs are seen; if anything is ever fitted, fit
it in `fit(jobs_without_the_held_out_one)` (the identity today) and screen the held-out job with it.
"""
import datetime as dt
import hashlib
from itertools import combinations
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
SET = ROOT / "tests" / "fixtures" / "resumes"


def load():
    labels = yaml.safe_load((SET / "labels.yaml").read_text(encoding="utf-8"))
    return labels


def screen_set(labels):
    """{resume id: (job, score, screening row)} from parsing and screening every resume of the set."""
    from app.core.models import Application, Candidate
    from app.core.storage import get_storage
    from app.screening import parsing, screen
    from app.screening.job_templates import import_template
    from app.screening.models import Resume, Screening

    today = dt.date.fromisoformat(str(labels["as_of"]))
    jobs, apps = {}, {}
    for job_key in sorted({r["job"] for r in labels["resumes"].values()}):
        jobs[job_key] = import_template((SET / "jobs" / f"{job_key}.yaml").read_text(encoding="utf-8"))
    storage = get_storage()
    for rid, r in sorted(labels["resumes"].items()):
        data = (SET / r["file"]).read_bytes() if (SET / r["file"]).exists() else \
            (SET / "files" / r["job"] / Path(r["file"]).name).read_bytes()
        candidate = Candidate.create(name=rid, phone="")
        application = Application.create(candidate=candidate, job=jobs[r["job"]])
        digest = hashlib.sha256(data).hexdigest()
        key = f"resumes/{jobs[r['job']].id}/{digest[:32]}"
        storage.save(key, data)
        resume = Resume.create(application=application, file_key=key, kind=Path(r["file"]).suffix[1:],
                               size_bytes=len(data), sha256=digest)
        parsing.parse_resume(resume.id, today=today)
        apps[application.id] = rid
    for job in jobs.values():
        screen.screen_job(job.id)
    out = {}
    for s in Screening.select():
        rid = apps[s.application_id]
        out[rid] = (labels["resumes"][rid]["job"], s.score, s)
    return jobs, out


def fit(training):
    """What would be chosen from the labelled jobs in `training` (nothing: the rules are not fitted)."""
    return None


def measure(labels, scored):
    from bench.screening import spearman

    resumes = labels["resumes"]
    per_job, traps, stuffed = {}, {}, []
    for job in sorted({r["job"] for r in resumes.values()}):
        fit([j for j in {r["job"] for r in resumes.values()} if j != job])   # leave-one-job-out
        ids = sorted(i for i in scored if scored[i][0] == job)
        scores = [scored[i][1] for i in ids]
        per_job[job] = spearman(scores, [resumes[i]["label"] for i in ids])
        for a, b in combinations(ids, 2):
            la, lb = resumes[a]["label"], resumes[b]["label"]
            if la == lb:
                continue
            right = (scored[a][1] - scored[b][1]) * (la - lb) > 0
            for trap in set(resumes[a]["traps"]) | set(resumes[b]["traps"]):
                done, total = traps.get(trap, (0, 0))
                traps[trap] = (done + right, total + 1)
        for i in ids:
            if "stuffed_skills" in resumes[i]["traps"]:
                above = sum(scored[j][1] >= scored[i][1] for j in ids if j != i)   # ties count against it
                stuffed.append((i, job, above + 1, len(ids), scored[i][1], above + 1 <= len(ids) / 2))
    return per_job, traps, stuffed


def report(per_job, traps, stuffed, title):
    md = [f"### {title}", "", "| job | Spearman (score, label) |", "|---|---|"]
    md += [f"| {job} | {rho:.3f} |" for job, rho in per_job.items()]
    md += ["", "| trap | pairs right | share |", "|---|---|---|"]
    md += [f"| {t} | {d}/{n} | {d / n:.0%} |" for t, (d, n) in sorted(traps.items())]
    in_top = [s for s in stuffed if s[5]]
    md += ["", f"Stuffed-list resumes in their job's top half: {len(in_top)} of {len(stuffed)}"
           + (f" ({', '.join(f'{s[0]} rank {s[2]}/{s[3]}' for s in in_top)})" if in_top else "") + ".",
           "Ranks of the stuffed-list resumes: " + ", ".join(f"{s[0]} {s[2]}/{s[3]}" for s in stuffed) + "."]
    return md
