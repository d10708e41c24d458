"""Put back on their queue the jobs a dead worker left "started".

RQ notices such a job only when its heartbeat runs out (job timeout + 60 s: 16 minutes for a transcription), so
a worker restarted after a crash first hands its predecessor's jobs back, then answers resume at once.
"""
import logging
import os
import socket

from rq import Worker
from rq.registry import StartedJobRegistry

log = logging.getLogger(__name__)


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _dead(worker, host):
    """A registered worker is known dead only when it ran on this host and its process is gone."""
    return worker.hostname == host and bool(worker.pid) and not _pid_alive(worker.pid)


def requeue_abandoned(queues):
    """Re-enqueue (same job id) every started job whose worker is gone; return their ids."""
    if not queues:
        return []
    connection = queues[0].connection
    host = socket.gethostname()
    workers = {w.name: w for w in Worker.all(connection=connection)}
    requeued = []
    for queue in queues:
        registry = StartedJobRegistry(queue=queue)
        for job_id, _execution in registry.get_job_and_execution_ids(cleanup=False):
            job = queue.fetch_job(job_id)
            if job is None:
                continue
            worker = workers.get(job.worker_name)
            if worker is not None and not _dead(worker, host):
                continue  # alive, or on another host: RQ's heartbeat expiry will tell
            registry.remove_executions(job)
            queue.enqueue_job(job)
            requeued.append(job_id)
            log.warning("job %s was left running by dead worker %s: re-enqueued", job_id, job.worker_name)
    return requeued
