"""Summarise a schemathesis NDJSON report as a table per operation; write bench/results/fuzz-<database>.md.

    python bench/fuzz_table.py EVENTS.ndjson STATUS MAX_TIME MAX_EXAMPLES SEED VERSION DATABASE   (run by fuzz.sh)
"""
import collections
import json
import platform
import sys
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


def summarise(path):
    """{operation: {"cases": n, "statuses": Counter, "server_errors": n}} from ScenarioFinished events."""
    ops = collections.defaultdict(lambda: {"cases": 0, "statuses": collections.Counter(), "server_errors": 0})
    for line in Path(path).read_text().splitlines():
        event = json.loads(line).get("ScenarioFinished")
        if not event:
            continue
        recorder = event["recorder"]
        row = ops[recorder["label"]]
        for interaction in (recorder.get("interactions") or {}).values():
            response = interaction.get("response") or {}
            status = response.get("status_code")
            row["cases"] += 1
            row["statuses"][status if status is not None else "no response"] += 1
            if isinstance(status, int) and status >= 500:
                row["server_errors"] += 1
    return ops


def table(ops):
    lines = ["| operation | requests | 5xx | status codes seen |", "|---|---:|---:|---|"]
    for label in sorted(ops):
        row = ops[label]
        codes = ", ".join(f"{code}×{n}" for code, n in sorted(row["statuses"].items(), key=lambda kv: str(kv[0])))
        lines.append(f"| `{label}` | {row['cases']} | {row['server_errors']} | {codes} |")
    total = sum(r["cases"] for r in ops.values())
    errors = sum(r["server_errors"] for r in ops.values())
    lines.append(f"| **all** | {total} | {errors} | |")
    return "\n".join(lines), total, errors


def main():
    events, status, max_time, examples, seed, version, database = sys.argv[1:8]
    text, total, errors = table(summarise(events))
    header = (f"# Fuzzing /mp/api/v1 with schemathesis {version} on {database}\n\n"
              f"{time.strftime('%Y-%m-%d %H:%M')} · Python {platform.python_version()} · {platform.machine()} · "
              f"check `not_a_server_error` · max {examples} examples per operation · time budget {max_time} s · "
              f"seed {seed} · schemathesis exit {status}\n\n")
    RESULTS.mkdir(exist_ok=True)
    name = f"fuzz-{database}.md"
    (RESULTS / name).write_text(header + text + "\n", encoding="utf-8")
    print(header + text)
    print(f"\n{total} requests, {errors} server errors; written to bench/results/{name}")


if __name__ == "__main__":
    main()
