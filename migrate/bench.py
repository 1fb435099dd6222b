"""Time `jaxmigrate suggest` against libcst's own parse of the same files: `python -m migrate.bench`.

The corpus is the repository's own torch scripts plus realistic variants generated from them
(renamed imports and aliases, functions repeated under new names), written to a temporary folder.
Prints files/s for the parse alone and for the full suggest (parse, name resolution, findings,
positions), their ratio (target <= 3x), and the command's start-up time (target < 0.5 s).
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=20, help="variants per source script")
    parser.add_argument("--repeat", type=int, default=3, help="best of N timings")
    args = parser.parse_args(argv)
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
