"""Time `jaxmigrate suggest` against libcst's own parse of the same files: `python -m migrate.bench [FOLDER]`.

With a FOLDER (any tree of *.py files: it is only read; --fix runs on a copy), prints how many call sites have a
finding, a rewrite, and a rewrite that --fix applies, and the time of the report, --diff and --fix against the
parse alone (target <= 2x for every mode), as wall time and as this process's CPU time (which other load on a
shared machine disturbs less). Without one, the corpus is the repository's own torch scripts plus
realistic variants generated from them (renamed imports and aliases, functions repeated under new names).
Also prints the command's start-up time (target < 0.5 s).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = (
    (r"^import torch\.nn\.functional as F$", "from torch.nn import functional as F"),
    (r"^import torch\.nn as nn$", "from torch import nn"),
    (r"^import torch$", "import torch as th\ntorch = th"),
)


def sources() -> list[str]:
    """The repo's torch scripts: examples/, nanogpt_jax/ and any *.py outside tests that imports torch."""
    found = []
    for folder in ("examples", "nanogpt_jax", "migrate", "mapping"):
        for root, _, names in os.walk(os.path.join(ROOT, folder)):
            for n in sorted(names):
                path = os.path.join(root, n)
                if n.endswith(".py") and re.search(r"^\s*(import torch|from torch)", open(path).read(), re.M):
                    found.append(path)
    return found


def corpus(folder: str, copies: int) -> list[str]:
    """Write `copies` variants of each source script; return their paths."""
    paths = []
    for src in sources():
        text = open(src, encoding="utf-8").read()
        base = os.path.splitext(os.path.basename(src))[0]
        for i in range(copies):
            variant = text
            old, new = VARIANTS[i % len(VARIANTS)]
            variant = re.sub(old, new, variant, count=1, flags=re.M)
            variant = re.sub(r"\bdef (\w+)\(", lambda m, i=i: f"def {m.group(1)}_{i}(", variant) if i % 2 else variant
            path = os.path.join(folder, f"{base}_{i}.py")
            with open(path, "w", encoding="utf-8") as f:
                f.write(variant)
            paths.append(path)
    return paths


def folder_bench(folder: str, repeat: int) -> None:
    """Findings, rewrites and applied rewrites in a folder, and each mode's time against the parse."""
    import shutil

    import libcst as cst

    from migrate import suggest

    paths, _ = suggest.collect([folder])
    texts = []
    for p in paths:
        with open(p, "rb") as f:
            data = f.read()
        try:
            texts.append(suggest.decode(p, data))
        except (UnicodeDecodeError, SyntaxError, LookupError):
            continue
    suggest.run_files(paths[:1], "report", (), (), False, jobs=1)  # load the records once

    def best(fn, setup=None) -> tuple[float, float]:
        """The best wall time and the best CPU time of this process (steadier on a shared machine)."""
        wall, cpu = [], []
        for _ in range(repeat):
            arg = setup() if setup else None
            start, start_cpu = time.perf_counter(), time.process_time()
            fn(arg)
            wall.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        return min(wall), min(cpu)

    def parse_all(_):
        for text in texts:
            try:
                cst.parse_module(text)
            except cst.ParserSyntaxError:
                pass

    with tempfile.TemporaryDirectory() as tmp:
        def fresh_copy():
            target = os.path.join(tmp, f"copy{len(os.listdir(tmp))}")
            shutil.copytree(folder, target)
            return suggest.collect([target])[0]

        parse = best(parse_all)
        times = {mode: best(lambda ps, m=mode: suggest.run_files(ps or paths, m, (), (), False, jobs=1),
                            fresh_copy if mode == "fix" else None) for mode in ("report", "diff", "fix")}
    outcomes = suggest.run_files(paths, "report", (), (), False, jobs=1)
    findings = [f for o in outcomes for f in o.findings if f["rule"] < "JM300"]
    print(f"{len(paths)} files, {sum(t.count(chr(10)) for t in texts)} lines, "
          f"{sum(1 for o in outcomes if o.errors)} with errors")
    print(f"call sites with a finding: {len(findings)} "
          f"({sum(1 for f in findings if f['rule'] < 'JM200')} calls, "
          f"{sum(1 for f in findings if f['rule'] >= 'JM200')} tensor methods)")
    print(f"  with a rewrite:          {sum(1 for f in findings if f['replacement'])}")
    print(f"  applied by --fix:        {sum(1 for f in findings if f['fixable'])}")
    print(f"structural findings:       {sum(1 for o in outcomes for f in o.findings if f['rule'] >= 'JM300')}")
    print(f"libcst parse only: {parse[0]:6.2f} s wall, {parse[1]:6.2f} s CPU")
    for mode, (wall, cpu) in times.items():
        label = "report" if mode == "report" else "--" + mode
        print(f"suggest {label:8}: {wall:6.2f} s wall, {cpu:6.2f} s CPU  ratio {wall / parse[0]:.2f}x parse "
              f"(CPU {cpu / parse[1]:.2f}x)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", help="a folder of *.py files to measure (read only)")
    parser.add_argument("--copies", type=int, default=20, help="variants per source script")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings")
    args = parser.parse_args(argv)
    if args.folder:
        folder_bench(args.folder, args.repeat)
        return 0
    import libcst as cst

    from migrate import suggest

    with tempfile.TemporaryDirectory() as folder:
        paths = corpus(folder, args.copies)
        texts = [open(p, encoding="utf-8").read() for p in paths]
        lines = sum(t.count("\n") for t in texts)
        suggest.run_files(paths[:1], "report", (), (), False, jobs=1)  # load records, warm caches

        def best(fn) -> float:
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                fn()
                times.append(time.perf_counter() - start)
            return min(times)

        parse = best(lambda: [cst.parse_module(t) for t in texts])
        serial = best(lambda: suggest.run_files(paths, "report", (), (), False, jobs=1))
        parallel = best(lambda: suggest.run_files(paths, "report", (), (), False, jobs=2))
        findings = sum(len(o.findings) for o in suggest.run_files(paths, "report", (), (), False, jobs=1))
    startup = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, text in (("no_torch", "x = 1\n"), ("small_torch", "import torch\nx = torch.cat([a, b], dim=0)\n")):
            path = os.path.join(folder, name + ".py")
            with open(path, "w") as f:
                f.write(text)
            times = []
            for _ in range(args.repeat):
                start = time.perf_counter()
                subprocess.run([sys.executable, "-m", "migrate.cli", "suggest", path], capture_output=True, check=True)
                times.append(time.perf_counter() - start)
            startup[name] = min(times)
    n = len(paths)
    print(f"corpus: {n} files, {lines} lines ({len(sources())} repo scripts x {args.copies} variants), "
          f"{findings} findings")
    print(f"libcst parse only:        {parse:6.2f} s  {n / parse:6.1f} files/s")
    print(f"suggest, 1 process:       {serial:6.2f} s  {n / serial:6.1f} files/s  ratio {serial / parse:.2f}x parse")
    print(f"suggest, 2 processes:     {parallel:6.2f} s  {n / parallel:6.1f} files/s  ratio {parallel / parse:.2f}x")
    print(f"start-up, whole command: {startup['no_torch']:.2f} s on a file without torch (libcst not imported), "
          f"{startup['small_torch']:.2f} s on a 2-line torch file")
    return 0


if __name__ == "__main__":
    sys.exit(main())
