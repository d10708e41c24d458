"""`flask --app wsgi invite`, `score-answer` and `scoring calibrate`."""
from pathlib import Path

import click

from app.core.cli import fail
from app.core.errors import AppError
from app.core.localtime import local_time, zone_label


def _fmt(value):
    return "-" if value is None else f"{value:.3f}"


def calibration_report(result):
    """The lines `scoring calibrate` prints."""
    lines = [f"岗位 job {result['job']}: {result['ratings']} 条评分 ratings; 起点 prior {result['prior']}"]
    if result["needed"]:
        lines.append(f"评分不足,还需要 {result['needed']} 条 not enough ratings: {result['needed']} more needed")
        return lines
    fit = result["fit"]
    if "needed" in fit:
        lines.append(f"可用评分不足,还需要 {fit['needed']} 条 not enough usable ratings: {fit['needed']} more needed")
        return lines
    b, a = fit["before"], fit["after"]
    lines.append("n | Spearman before→after | QWK before→after | pairwise before→after (held-out)")
    lines.append(f"{fit['n']} | {_fmt(b['spearman'])}→{_fmt(a['spearman'])} | {_fmt(b['qwk'])}→{_fmt(a['qwk'])} | "
                 f"{_fmt(b['pairwise'])}→{_fmt(a['pairwise'])}"
                 + ("" if fit["improved"] else " (未提升,保留原权重 not improved, kept)"))
    lines.append("    weights: " + ", ".join(f"{c} {w:+.2f}" for c, w in fit["terms"].items()))
    lines.append(f"已保存评分配置 saved profile {result['saved']}" if result["saved"]
                 else "未保存:留出集一致性没有提升 nothing saved: held-out agreement did not improve")
    return lines


def register(app):
    @app.cli.command("invite")
    @click.option("--job", "job_id", type=int, required=True, help="job id")
    @click.option("--name", required=True, help="candidate name")
    @click.option("--phone", required=True, help="candidate phone")
    @click.option("--hours", type=int, default=None, help="hours until the link expires")
    @click.option("--qr", "qr_path_option", default=None, help="where to write the QR code PNG")
    def invite(job_id, name, phone, hours, qr_path_option):
        """Invite a candidate to a job's AI interview and tell them (SMS, WeChat) as HR's form does; print the
        link and what it was sent on, and write a QR code."""
        from app.core.links import interview_url
        from app.interview.invitations import invite, qr_path, write_qr_png
        try:
            interview, token, sent = invite(job_id, name, phone, ttl_hours=hours)
        except AppError as exc:
            fail(exc)
        url = interview_url(token)
        # The default place is purged by `retention purge` once the link stops working; a --qr path is yours.
        qr = write_qr_png(url, qr_path_option or qr_path(interview.id))
        click.echo(f"面试链接 link: {url}")
        click.echo(f"二维码 QR code: {qr}")
        click.echo(f"有效期至 expires ({zone_label()}): {local_time(interview.expires_at, '%Y-%m-%d %H:%M')}")
        for announced in sent:
            click.echo(f"已通知候选人 notified: {announced['summary']}")

    @app.cli.command("score-answer")
    @click.option("--job-file", type=click.Path(exists=True, dir_okay=False), required=True,
                  help="a job template (YAML)")
    @click.option("--question", "question_index", type=int, required=True, help="question number, from 0")
    @click.option("--profile", default=None,
                  help="scoring profile: a JSON file, or the version of a saved profile (default weights if omitted)")
    @click.argument("media", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
    def score_answer(job_file, question_index, profile, media):
        """Transcribe and score recorded answers; print one JSON object per file."""
        import json

        from app.interview.answer_jobs import asr_engine
        from app.interview.score_files import resolve_profile, score_files
        engine = asr_engine()
        try:
            chosen = resolve_profile(profile)
            for result in score_files(Path(job_file).read_text(encoding="utf-8"), question_index, media, engine,
                                      profile=chosen):
                click.echo(json.dumps(result, ensure_ascii=False))
        except AppError as exc:
            fail(exc)

    @app.cli.command("score-text")
    @click.option("--job-file", type=click.Path(exists=True, dir_okay=False), required=True,
                  help="a job template (YAML)")
    @click.option("--question", "question_index", type=int, required=True, help="question number, from 0")
    @click.option("--profile", default=None, help="scoring profile: a JSON file or a saved profile version")
    @click.argument("tsv", type=click.File("r", encoding="utf-8"))
    def score_text(job_file, question_index, profile, tsv):
        """Score typed answers (lines `id<TAB>text`, `-` for stdin); print one JSON line per answer."""
        import json

        from app.interview.score_files import resolve_profile, score_texts
        try:
            chosen = resolve_profile(profile)
            for result in score_texts(Path(job_file).read_text(encoding="utf-8"), question_index, tsv,
                                      profile=chosen):
                click.echo(json.dumps(result, ensure_ascii=False))
        except AppError as exc:
            fail(exc)

    @app.cli.group()
    def scoring():
        """Scoring: calibrate a job's weights to its raters."""

    @scoring.command("calibrate")
    @click.option("--job", "job_id", type=int, required=True, help="job id")
    @click.option("--min-ratings", type=int, default=None, help="ratings needed before fitting (default 30)")
    @click.option("--folds", type=int, default=5, help="cross-validation folds")
    def scoring_calibrate(job_id, min_ratings, folds):
        """Fit the job's scoring weights to its ratings; save a new profile only if held-out agreement improves."""
        from app.interview.ratings import MIN_RATINGS, calibrate_job
        try:
            result = calibrate_job(job_id, min_ratings=min_ratings or MIN_RATINGS, folds=folds)
        except AppError as exc:
            fail(exc)
        for line in calibration_report(result):
            click.echo(line)
