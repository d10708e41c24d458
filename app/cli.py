"""Flask CLI commands: `flask --app wsgi <command>`."""
import sys
from pathlib import Path

import click

from app.errors import AppError


def _fail(exc):
    click.echo(f"错误 Error: {exc.message}", err=True)
    sys.exit(1)


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
    from app.analytics.cli import register as register_analytics
    register_analytics(app)

    @app.cli.group()
    def db():
        """Database schema commands."""

    @db.command("upgrade")
    def db_upgrade():
        """Apply pending schema migrations in place."""
        from app.migrations import upgrade
        applied = upgrade()
        click.echo(f"applied migrations: {applied}" if applied else "database is up to date")

    @app.cli.group()
    def jobs():
        """Job templates: import, export, list."""

    @jobs.command("import")
    @click.argument("path", type=click.Path(exists=True, dir_okay=False))
    def jobs_import(path):
        """Create a job from a YAML template; nothing changes when the file has a problem."""
        from app.services.job_templates import import_template
        try:
            job = import_template(Path(path).read_text(encoding="utf-8"))
        except AppError as exc:
            _fail(exc)
        click.echo(f"imported job {job.id}: {job.title}")

    @jobs.command("export")
    @click.argument("job_id", type=int)
    def jobs_export(job_id):
        """Print a job as a YAML template."""
        from app.services.job_templates import export_template
        try:
            click.echo(export_template(job_id), nl=False)
        except AppError as exc:
            _fail(exc)

    @jobs.command("list")
    def jobs_list():
        """List jobs."""
        from app.models import Job
        for job in Job.select().order_by(Job.id):
            click.echo(f"{job.id}\t{job.title}\t{job.status}")

    @app.cli.command("invite")
    @click.option("--job", "job_id", type=int, required=True, help="job id")
    @click.option("--name", required=True, help="candidate name")
    @click.option("--phone", required=True, help="candidate phone")
    @click.option("--hours", type=int, default=None, help="hours until the link expires")
    @click.option("--qr", "qr_path_option", default=None, help="where to write the QR code PNG")
    def invite(job_id, name, phone, hours, qr_path_option):
        """Invite a candidate to a job's AI interview; print the link and write a QR code."""
        from app.services.invitations import invite_candidate, qr_path, write_qr_png
        from app.services.links import interview_url
        try:
            interview, token = invite_candidate(job_id, name, phone, ttl_hours=hours)
        except AppError as exc:
            _fail(exc)
        url = interview_url(token)
        # The default place is purged by `retention purge` once the link stops working; a --qr path is yours.
        qr = write_qr_png(url, qr_path_option or qr_path(interview.id))
        click.echo(f"面试链接 link: {url}")
        click.echo(f"二维码 QR code: {qr}")
        click.echo(f"有效期至 expires (UTC): {interview.expires_at:%Y-%m-%d %H:%M}")

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

        from app.analysis.asr import configured_engine
        from app.services.calibration import resolve_profile, score_files
        engine = configured_engine(app.config.get("ASR_ENGINE", "faster-whisper"), app.config.get("ASR_BEAM_SIZE", 1))
        try:
            chosen = resolve_profile(profile)
            for result in score_files(Path(job_file).read_text(encoding="utf-8"), question_index, media, engine,
                                      profile=chosen):
                click.echo(json.dumps(result, ensure_ascii=False))
        except AppError as exc:
            _fail(exc)

    @app.cli.command("score-text")
    @click.option("--job-file", type=click.Path(exists=True, dir_okay=False), required=True,
                  help="a job template (YAML)")
    @click.option("--question", "question_index", type=int, required=True, help="question number, from 0")
    @click.option("--profile", default=None, help="scoring profile: a JSON file or a saved profile version")
    @click.argument("tsv", type=click.File("r", encoding="utf-8"))
    def score_text(job_file, question_index, profile, tsv):
        """Score typed answers (lines `id<TAB>text`, `-` for stdin); print one JSON line per answer."""
        import json

        from app.services.calibration import resolve_profile, score_texts
        try:
            chosen = resolve_profile(profile)
            for result in score_texts(Path(job_file).read_text(encoding="utf-8"), question_index, tsv,
                                      profile=chosen):
                click.echo(json.dumps(result, ensure_ascii=False))
        except AppError as exc:
            _fail(exc)

    @app.cli.group()
    def scoring():
        """Scoring: calibrate a job's weights to its raters."""

    @scoring.command("calibrate")
    @click.option("--job", "job_id", type=int, required=True, help="job id")
    @click.option("--min-ratings", type=int, default=None, help="ratings needed before fitting (default 30)")
    @click.option("--folds", type=int, default=5, help="cross-validation folds")
    def scoring_calibrate(job_id, min_ratings, folds):
        """Fit the job's scoring weights to its ratings; save a new profile only if held-out agreement improves."""
        from app.services.ratings import MIN_RATINGS, calibrate_job
        try:
            result = calibrate_job(job_id, min_ratings=min_ratings or MIN_RATINGS, folds=folds)
        except AppError as exc:
            _fail(exc)
        for line in calibration_report(result):
            click.echo(line)

    @app.cli.group()
    def retention():
        """Retention of recordings and face photos."""

    @retention.command("purge")
    @click.option("--days", type=int, default=None, help="override RETENTION_DAYS")
    @click.option("--dry-run", is_flag=True, help="only count what would be deleted")
    def retention_purge(days, dry_run):
        """Delete recordings and face photos past RETENTION_DAYS, and chunks of uploads that can never complete."""
        from app.services.retention import (
            purge_abandoned_uploads,
            purge_dead_link_qr_codes,
            purge_expired_attachments,
            purge_expired_media,
        )
        interviews, files = purge_expired_media(days=days, dry_run=dry_run)
        verb = "would purge" if dry_run else "purged"
        click.echo(f"{verb} media of {interviews} interviews ({files} files deleted)")
        if not dry_run:
            click.echo(f"removed {purge_expired_attachments(days=days)} message attachments past retention")
            click.echo(f"removed chunks of {purge_abandoned_uploads()} abandoned uploads")
            click.echo(f"removed {purge_dead_link_qr_codes()} QR codes of links that no longer work")

    @app.cli.group()
    def resumes():
        """Resumes of applicants."""

    @resumes.command("reparse")
    def resumes_reparse():
        """Queue a re-parse of every current resume read by an older parser (after the dictionaries improved)."""
        from app.services import jobs as job_registry
        job_registry.enqueue(job_registry.REPARSE_RESUMES)
        click.echo("queued: resumes parsed by an older parser version will be parsed again, then re-screened")

    @app.cli.group()
    def storage():
        """Where media live (STORAGE=local|s3)."""

    @storage.command("check")
    @click.option("--create-bucket", is_flag=True, help="create S3_BUCKET when it does not exist")
    def storage_check(create_bucket):
        """Write, read and delete a test object in the configured storage (run it on each new host)."""
        from app.services.storage import check_round_trip
        try:
            click.echo(check_round_trip(create_bucket=create_bucket))
        except Exception as exc:  # noqa: BLE001 - any failure is the answer this command gives
            raise click.ClickException(f"storage check failed: {exc}") from exc

    from app.process.cli import register as register_process
    register_process(app.cli)

    @app.cli.command("seed-demo")
    def seed_demo():
        """Create the demo job (once) and print a fresh candidate link."""
        from app.services.demo import seed_demo as run
        for line in run(app.instance_path):
            click.echo(line)
