"""The full sweep of the catalogue in one command: `python -m mapping.sweep`.

Runs every record's proof under the `fuzz` hypothesis profile (rich cases, then 200 fresh draws with
subnormals), every silent difference, and the OpInfo sweep when `tests/test_opinfo.py` exists; then
writes the outcome, with its date and versions, to `mapping/SWEEP.md`, the last recorded result.
`-k EXPR` narrows it to some records (the result says so); `--examples N` changes the draws per record;
`--minutes M` stops it after M minutes and records what ran by then (the result says it is partial).
`--after ID` runs only the proofs of the records after ID in catalogue order (`--count N`: the next N), and
`--ids FILE` those of the record ids listed in FILE, one a line: the way to sweep the rest in chunks.
A run rewrites the top of SWEEP.md and keeps its hand-written sections (`## Earlier runs`, `## Open findings`).
"""

from __future__ import annotations

import argparse
import datetime
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULT = ROOT / "mapping" / "SWEEP.md"
# pytest -v with xdist: "[gw0] [  5%] PASSED tests/test_catalogue.py::test_record_matches_torch[torch.abs]"
# Hand-written sections of SWEEP.md that a sweep keeps: the earlier runs (chunks, resolutions) and the differences
# found, not yet documented in records. A run rewrites only what comes before the first of them.
KEPT = ("\n## Earlier runs", "\n## Open findings")
PROOF = "tests/test_catalogue.py::test_record_matches_torch"
OUTCOME = re.compile(r"\b(PASSED|FAILED|ERROR|SKIPPED|XFAIL|XPASS) (tests/\S+)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m mapping.sweep", description=__doc__.split("\n")[0])
    parser.add_argument("-k", default="", help="pytest -k expression: only these records (default: all)")
    parser.add_argument("--examples", type=int, default=200, help="hypothesis draws per record (fuzz: 200)")
    parser.add_argument("--minutes", type=float, default=0, help="stop after this many minutes (default: no limit)")
    parser.add_argument("-n", default="2", help="pytest-xdist workers (default 2)")
    parser.add_argument("--after", default="", help="only the proofs of the records after this record id")
    parser.add_argument("--count", type=int, default=0, help="with --after: only the next N records")
    parser.add_argument("--ids", default="", help="only the proofs of the record ids in this file, one a line")
    args = parser.parse_args(argv)
    if args.after or args.ids:
        tests = [f"{PROOF}[{i}]" for i in chosen(args.after, args.count, args.ids)]
    else:
        tests = ["tests/test_catalogue.py"] + (["tests/test_opinfo.py"] if (ROOT / "tests/test_opinfo.py").exists()
                                               else [])
    cmd = [sys.executable, "-m", "pytest", *tests, "-v", "-p", "no:randomly", "-p", "no:cacheprovider",
           "-n", args.n, "-rf", "--tb=line", *(["-k", args.k] if args.k else [])]
    env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz", "JAXMIGRATE_FUZZ_EXAMPLES": str(args.examples)}
    start = time.time()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            start_new_session=True)  # its own process group: stopping it stops the workers too
    stopped = threading.Event()
    if args.minutes:
        def stop() -> None:
            stopped.set()
            os.killpg(proc.pid, signal.SIGTERM)

        timer = threading.Timer(args.minutes * 60, stop)
        timer.daemon = True
        timer.start()
    lines = []
    for line in proc.stdout:  # shown as it runs
        print(line, end="", flush=True)
        lines.append(line)
    proc.wait()
    minutes = (time.time() - start) / 60
    out = "".join(lines)
    outcomes = {test: kind for kind, test in OUTCOME.findall(out)}
    counts = {kind: sum(k == kind for k in outcomes.values()) for kind in sorted(set(outcomes.values()))}
    if stopped.is_set():
        summary = "stopped after the time limit: " + ", ".join(f"{v} {k.lower()}" for k, v in counts.items())
        if outcomes:
            summary += f"; the last test to finish was `{list(outcomes)[-1]}`"
    else:
        summary = next((ln.strip("= ") for ln in reversed(out.splitlines()) if re.search(r"\d+ (passed|failed)", ln)),
                       f"no summary (exit {proc.returncode})")
    failures = sorted(t for t, k in outcomes.items() if k in ("FAILED", "ERROR"))
    RESULT.write_text(_render(args, tests, summary, failures, minutes, proc.returncode, stopped.is_set())
                      + hand_written(RESULT.read_text() if RESULT.exists() else ""))
    print(f"recorded in {RESULT.relative_to(ROOT)}")
    return proc.returncode or (1 if stopped.is_set() else 0)


def hand_written(text: str) -> str:
    """The part of SWEEP.md a run keeps: from the first hand-written section (`KEPT`) to the end."""
    starts = [i for i in (text.find(h) for h in KEPT) if i >= 0]
    return text[min(starts):] if starts else ""


def chosen(after: str, count: int, ids_file: str) -> list[str]:
    """Record ids with a proof: those listed in `ids_file`, or those after `after` in catalogue order."""
    import mapping

    runnable = [r.id for r in mapping.load() if r.checks]
    if ids_file:
        wanted = [line.strip() for line in Path(ids_file).read_text().splitlines() if line.strip()]
        unknown = sorted(set(wanted) - set(runnable))
        if unknown:
            raise SystemExit(f"no proof for these record ids: {', '.join(unknown)}")
        return wanted
    if after not in runnable:
        raise SystemExit(f"--after {after}: no record with a proof has this id")
    rest = runnable[runnable.index(after) + 1:]
    return rest[:count] if count else rest


def _render(args, tests: list[str], summary: str, failures: list[str], minutes: float, code: int,
            partial: bool) -> str:
    from mapping import versions

    scope = f"records matching `-k {args.k}`" if args.k else "the whole catalogue"
    if args.ids:
        scope = f"the proofs of the {len(tests)} records listed in `{args.ids}`"
    elif args.after:
        first, last = (t.partition("[")[2].rstrip("]") for t in (tests[0], tests[-1])) if tests else ("", "")
        scope = f"the proofs of the {len(tests)} records after `{args.after}` in catalogue order (`{first}` … `{last}`)"
    if partial:
        scope += f" (partial: stopped after {args.minutes:g} minutes, in test order)"
    lines = [
        "# Last catalogue sweep",
        "",
        "Written by `python -m mapping.sweep` (see `mapping/README.md`); rerun it to refresh this file.",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- scope: {scope}; {', '.join(tests) if not (args.after or args.ids) else 'tests/test_catalogue.py'}",
        f"- draws: each record's rich cases, then {args.examples} fresh hypothesis draws (fuzz profile, "
        "subnormals included)",
        "- versions: " + ", ".join(f"{k} {v}" for k, v in versions.VERIFIED_WITH.items()),
        f"- result: {summary} (exit {code}; {minutes:.0f} min wall)",
        "",
    ]
    if failures:
        lines += ["## Failures", ""] + [f"- `{f}`" for f in failures] + [""]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
