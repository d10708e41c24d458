"""`flask --app wsgi analytics ...`: demo data, rollup refresh, flags, weekly snapshots."""
import datetime as dt

import click


def register(app):
    @app.cli.group()
    def analytics():
        """Recruiting analytics (docs/analytics.md)."""

    @analytics.command("demo-data")
    @click.option("--applications", type=int, default=3000, show_default=True)
    @click.option("--seed", type=int, default=7, show_default=True)
    @click.option("--days", type=int, default=365, show_default=True, help="spread over the last N days")
    @click.option("--churn", type=float, default=0.0, help="mean extra invite/start resets per candidacy")
    @click.option("--weeks", type=int, default=12, show_default=True, help="weekly fairness snapshots to take")
    @click.option("--once", is_flag=True, help="do nothing when synthetic demo jobs already exist")
    def demo_data(applications, seed, days, churn, weeks, once):
        """Fill the database with SYNTHETIC applications ("[演示数据]" jobs) with planted effects."""
        from app.analytics import demo, flags, impact, rollup
        from app.analytics.funnel import Cohort
        from app.core.base import utcnow
        from app.core.models import Job
        if once and demo.demo_present():
            click.echo("synthetic demo data already loaded: nothing added")
            return
        made = demo.generate(applications, seed=seed, days=days, churn=churn)
        click.echo("synthetic demo data: " + ", ".join(f"{k} {v}" for k, v in made.items()))
        click.echo(f"rollup: {rollup.refresh()} applications")
        job_ids = [j.id for j in Job.select(Job.id).where(Job.title.startswith(demo.PREFIX))]
        now = utcnow()
        for w in range(weeks - 1, -1, -1):
            impact.snapshot(now - dt.timedelta(weeks=w), job_ids)
        click.echo(f"weekly fairness snapshots: {weeks}")
        found = flags.compute(Cohort(start=now - dt.timedelta(days=365), demo=True))
        flags.sync(found)
        for f in found:
            click.echo(f"flag: {f['message']}")

    @analytics.command("refresh")
    @click.option("--rebuild", is_flag=True, help="rewrite every fact, not only what changed")
    def refresh(rebuild):
        """Bring the analytics rollup up to date."""
        from app.analytics import rollup
        click.echo(f"rewrote {rollup.rebuild() if rebuild else rollup.refresh()} applications")

    @analytics.command("flags")
    @click.option("--push", is_flag=True, help="tell HR in WeCom about new flags (once each)")
    @click.option("--days", type=int, default=180, show_default=True)
    def flags_cmd(push, days):
        """Compute bottleneck flags over the last N days, store them and optionally push new ones."""
        from app.analytics import daily
        lines = list(daily.check_flags(days=days, push=push))
        for line in lines:
            click.echo(line)
        if not any(line.startswith("flag:") for line in lines):
            click.echo(f"最近 {days} 天没有统计上显著的瓶颈 no bottleneck flags in the last {days} days")

    @analytics.command("snapshot")
    def snapshot():
        """Store this week's adverse-impact tables (all jobs and each job)."""
        from app.analytics import impact
        from app.core.base import utcnow
        from app.core.models import Job
        week = impact.snapshot(utcnow(), [j.id for j in Job.select(Job.id)])
        click.echo(f"snapshot of week {week}")
