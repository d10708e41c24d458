"""scripts/supervise.py on a tiny Procfile in a temporary folder: a killed process is started again (with a log
line), a crashing one is restarted with a doubling backoff, and stopping the supervisor stops its processes.
No timing asserts: every wait polls with a generous bound."""
import os
import signal
import subprocess
import sys
import time

from tests.support.app import ROOT

SUPERVISE = ROOT / "scripts" / "supervise.py"
BOUND_S = 60


def wait_for(predicate, what):
    deadline = time.time() + BOUND_S
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"not within {BOUND_S} s: {what}")


def alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    with open(f"/proc/{pid}/stat") as stat:   # a zombie is not alive
        return stat.read().split(") ", 1)[1][0] != "Z"


def pids(path):
    return [int(line) for line in path.read_text().split()] if path.exists() else []


def start(tmp_path, procfile, *options):
    (tmp_path / "Procfile").write_text(procfile)
    log = open(tmp_path / "supervise.log", "w")  # noqa: SIM115 - closed by the caller through the process
    proc = subprocess.Popen([sys.executable, str(SUPERVISE), "Procfile", *options], cwd=tmp_path, stdout=log,
                            stderr=subprocess.STDOUT)
    return proc, tmp_path / "supervise.log"


def stop(proc):
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=BOUND_S)


def test_a_killed_process_is_started_again_and_stop_stops_everything(tmp_path):
    # `echo $$` is the shell's pid, and exec keeps it for sleep: the file lists each start's pid.
    proc, log = start(tmp_path, "worker: echo $$ >> worker.pids; exec sleep 600\n"
                                "web: echo $$ >> web.pids; exec sleep 600\n")
    try:
        (first,) = wait_for(lambda: pids(tmp_path / "worker.pids"), "the worker started")
        (web,) = wait_for(lambda: pids(tmp_path / "web.pids"), "the web process started")
        os.kill(first, signal.SIGKILL)
        _, second = wait_for(lambda: len(pids(tmp_path / "worker.pids")) == 2 and pids(tmp_path / "worker.pids"),
                             "the worker started again")
        assert second != first and alive(second)
        text = log.read_text()
        assert f"worker (pid {first}) was killed by signal 9; restarting in" in text, text
        assert pids(tmp_path / "web.pids") == [web] and alive(web)   # the others were left alone
    finally:
        stop(proc)
    assert proc.returncode == 0
    wait_for(lambda: not alive(second) and not alive(web), "the processes stopped with the supervisor")


def test_a_crashing_process_is_restarted_with_a_doubling_backoff(tmp_path):
    proc, log = start(tmp_path, "crasher: echo boom; exit 3\n", "--min-backoff", "0.05", "--max-backoff", "0.2")
    try:
        wait_for(lambda: log.read_text().count("restarting in") >= 5, "five restarts")
    finally:
        stop(proc)
    waits = [line.rsplit("restarting in ", 1)[1] for line in log.read_text().splitlines() if "restarting in" in line]
    assert waits[:5] == ["0.05 s", "0.1 s", "0.2 s", "0.2 s", "0.2 s"], waits
    assert "exited with code 3" in log.read_text() and "crasher     | boom" in log.read_text()


def test_scale_runs_copies_of_one_process_and_refuses_an_unknown_name(tmp_path):
    proc, log = start(tmp_path, "worker: echo $$ >> worker.pids; exec sleep 600\n"
                                "web: echo $$ >> web.pids; exec sleep 600\n", "--scale", "worker=2")
    try:
        copies = wait_for(lambda: len(pids(tmp_path / "worker.pids")) == 2 and pids(tmp_path / "worker.pids"),
                          "two workers started")
        wait_for(lambda: pids(tmp_path / "web.pids"), "the web process started")
        assert len(set(copies)) == 2 and all(alive(pid) for pid in copies)
        text = log.read_text()
        assert "started worker.1 (pid" in text and "started worker.2 (pid" in text, text
        assert len(pids(tmp_path / "web.pids")) == 1   # only the named process is scaled
    finally:
        stop(proc)
    wrong = subprocess.run([sys.executable, str(SUPERVISE), "Procfile", "--scale", "wokrer=2"], cwd=tmp_path,
                           capture_output=True, text=True, timeout=BOUND_S)
    assert wrong.returncode != 0 and "wokrer" in wrong.stderr
