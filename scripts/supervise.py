"""Run every process of a Procfile and restart any that exits, with a backoff and a log line.

    python scripts/supervise.py [Procfile.dev] [--scale worker=2] [--min-backoff 1] [--max-backoff 60]

The development run (scripts/up.sh) uses it on Procfile.dev, the one list of processes. honcho, used before,
stops nothing and restarts nothing when a process dies: a killed scoring worker silently stopped scoring.
Production uses systemd (config/systemd/) or supervisord (config/supervisord.conf) instead; see
docs/operations.md.

`--scale NAME=N` runs N copies of a process, named NAME.1 ... NAME.N (the models worker: one per core, see
docs/operations.md, sizing); every other process runs once.

Each command runs under `/bin/sh -c` (so `$VARS` expand as in honcho) in its own process group, its output
prefixed with the time and its name. A process that exits is started again after a backoff that doubles from
--min-backoff up to --max-backoff and starts over once the process stayed up STABLE_S. Ctrl-C or SIGTERM stops
everything: SIGTERM to each group, SIGKILL to what is left after STOP_GRACE_S.
"""
import argparse
import os
import signal
import subprocess
import sys
import threading
import time

STABLE_S = 30
STOP_GRACE_S = 10
_print_lock = threading.Lock()


def say(name, line):
    with _print_lock:
        sys.stdout.write(f"{time.strftime('%H:%M:%S')} {name:<12}| {line}\n")
        sys.stdout.flush()


def read_procfile(path):
    """[(name, command)] in file order; blank lines and comments skipped."""
    entries = []
    with open(path, encoding="utf-8") as handle:
        for raw in handle:
            line = raw.strip()
            if not line or line.startswith("#"):
                continue
            name, sep, command = line.partition(":")
            if not sep or not name.strip() or not command.strip():
                raise SystemExit(f"{path}: not 'name: command': {line}")
            entries.append((name.strip(), command.strip()))
    return entries


class Child:
    """One Procfile process and its restarts."""

    def __init__(self, name, command, min_backoff, max_backoff):
        self.name, self.command = name, command
        self.min_backoff, self.max_backoff = min_backoff, max_backoff
        self.backoff = min_backoff
        self.proc = None
        self.started_at = 0.0
        self.restart_at = None  # when a restart is due (monotonic), while waiting out the backoff

    def start(self):
        self.proc = subprocess.Popen(["/bin/sh", "-c", self.command], stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        self.started_at = time.monotonic()
        self.restart_at = None
        say("supervise", f"started {self.name} (pid {self.proc.pid}): {self.command}")
        threading.Thread(target=self._pipe, args=(self.proc,), daemon=True).start()

    def _pipe(self, proc):
        for raw in proc.stdout:
            say(self.name, raw.decode("utf-8", "replace").rstrip("\n"))

    def check(self, now):
        """Notice an exit (schedule the restart) or a restart that is due (start)."""
        if self.restart_at is not None:
            if now >= self.restart_at:
                self.start()
            return
        code = self.proc.poll()
        if code is None:
            return
        if now - self.started_at >= STABLE_S:
            self.backoff = self.min_backoff
        how = f"was killed by signal {-code}" if code < 0 else f"exited with code {code}"
        say("supervise", f"{self.name} (pid {self.proc.pid}) {how}; restarting in {self.backoff:g} s")
        self.restart_at = now + self.backoff
        self.backoff = min(self.backoff * 2, self.max_backoff)

    def signal(self, sig):
        """Signal the whole process group: what the command started too, even after the shell itself exited."""
        if self.proc is None:
            return
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass


def run(entries, min_backoff, max_backoff):
    children = [Child(name, command, min_backoff, max_backoff) for name, command in entries]
    stopping = threading.Event()

    def stop(signum, _frame):
        say("supervise", f"got {signal.Signals(signum).name}: stopping every process")
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    for child in children:
        child.start()
    while not stopping.wait(0.2):
        now = time.monotonic()
        for child in children:
            child.check(now)
    for child in children:
        child.signal(signal.SIGTERM)
    deadline = time.monotonic() + STOP_GRACE_S
    while time.monotonic() < deadline and any(c.proc.poll() is None for c in children):
        time.sleep(0.1)
    for child in children:
        child.signal(signal.SIGKILL)
    return 0


def scaled(entries, scales):
    """`entries` with each process named in `scales` ({name: copies}) repeated as name.1 ... name.N."""
    unknown = set(scales) - {name for name, _ in entries}
    if unknown:
        raise SystemExit(f"--scale names no process of the Procfile: {', '.join(sorted(unknown))}")
    out = []
    for name, command in entries:
        if name in scales:
            out += [(f"{name}.{i}", command) for i in range(1, scales[name] + 1)]
        else:
            out.append((name, command))
    return out


def scale_option(text):
    """argparse type of --scale: NAME=N with N >= 1."""
    name, sep, count = text.partition("=")
    if not sep or not name or not count.isdigit() or int(count) < 1:
        raise argparse.ArgumentTypeError(f"not NAME=N with N >= 1: {text}")
    return name, int(count)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("procfile", nargs="?", default="Procfile.dev")
    parser.add_argument("--scale", type=scale_option, action="append", default=[], metavar="NAME=N",
                        help="run N copies of the process NAME (repeatable)")
    parser.add_argument("--min-backoff", type=float, default=1.0, help="seconds before the first restart")
    parser.add_argument("--max-backoff", type=float, default=60.0, help="longest wait between restarts")
    args = parser.parse_args(argv)
    entries = scaled(read_procfile(args.procfile), dict(args.scale))
    if not entries:
        raise SystemExit(f"{args.procfile}: no processes")
    return run(entries, args.min_backoff, args.max_backoff)


if __name__ == "__main__":
    sys.exit(main())
