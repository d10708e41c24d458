"""Fit the shipped scorer (app/analysis/data/scorer.json) from every labelled job. Deterministic: rerun it and the
file comes out the same (on the same features; see docs/analysis.md).

    python bench/fit_scorer.py              # choose hyper-parameters, fit, write scorer.json
    python bench/fit_scorer.py --encoder use

1. Hyper-parameters (L2 strength, weight of the pairwise loss, the relevance gate on content) are chosen by
   leave-one-job-out over the 12 development jobs only (bench/scoring_data.HOLDOUT stays out of every choice), and
   with them the discount of comparisons with same-topic questions (features.rival_weight) and the tail of level
   1's band (scoring_fit.choose_all), by the same leave-one-job-out.
2. With them, the scorer is fitted on all 14 labelled jobs (the held-out two included: they were used to judge the
   procedure, bench/scoring.py --final, not to choose anything) and written with the data's fingerprint.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import scoring_data as D  # noqa: E402
from bench import scoring_fit as SF  # noqa: E402

OUT = ROOT / "app" / "analysis" / "data" / "scorer.json"
VERSION = "lr-2026.12.4"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--encoder", default="e5", choices=("e5", "use"))
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args()
    by_discount = SF.tables(args.encoder)
    samples = by_discount[0.0]
    dev_jobs = {s["job"] for s in samples if s["job"] not in D.HOLDOUT}
    chosen = SF.choose_all(by_discount, dev_jobs, folds=None, log=lambda m: print(m, file=sys.stderr))
    print(f"  chosen by leave-one-job-out over the development jobs: {chosen}", file=sys.stderr)
    samples = by_discount[chosen["discount"]]
    scorer = SF.fit_chosen(samples, chosen, version=VERSION)
    data = dict(scorer.data)
    data.update(encoder=args.encoder, hyper=chosen, fitted_on={
        "samples": len(samples), "answers": len({s["id"] for s in samples}),
        "jobs": sorted({s["job"] for s in samples}), "fingerprint": SF.fingerprint(samples)})
    Path(args.out).write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {args.out}: {VERSION}, {chosen}, {len(samples)} samples", file=sys.stderr)


if __name__ == "__main__":
    main()
