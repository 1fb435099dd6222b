"""`python -m migrate.bench_convert FOLDER SPECS`: convert every file of a folder, check each model class.

FOLDER holds torch files (each is converted; a crash of convert is reported, never hidden). SPECS is a
Python file that defines

    SPECS = {
        "model.py::GPT": {"build": "GPT(GPTConfig(n_layer=2))", "inputs": "torch.randint(0, 65, (2, 16))"},
        "model.py::Block": {"build": ..., "inputs": ..., "steps": 3, "optimizer": "SGD(lr=0.01)"},
    }

one entry per model class (keys `file::Class`). Every class is checked by `jaxmigrate check` in its own
process (imports and memory stay apart, a hang is cut at --timeout) and the table says, per class:
converted, interface, numeric, behavioral. A class whose torch side does not build from its spec is
reported as such, never as a pass.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

CHILD = """
import json, sys
sys.path.insert(0, {root!r})
from migrate.check_model import check
r = check({torch!r}, {jax!r}, {build!r}, {inputs!r}, {steps!r}, {optimizer!r})
print("JM-RESULT " + json.dumps(r.as_json()))
"""


def convert_folder(folder: str, out: str) -> dict:
    """Convert every .py file; returns {file: {"classes": [...], "todos": n, "error": str|None, "seconds": s}}."""
    from migrate.convert_model import convert

    results = {}
    for name in sorted(os.listdir(folder)):
        if not name.endswith(".py"):
            continue
        start = time.perf_counter()
        try:
            with open(os.path.join(folder, name), encoding="utf-8") as f:
                result = convert(f.read(), name)
            with open(os.path.join(out, name), "w", encoding="utf-8") as f:
                f.write(result.text)
            compile(result.text, name, "exec")
            results[name] = {"classes": result.classes, "todos": len(result.todos), "error": None}
        except Exception as e:  # noqa: BLE001 - a crash is what this measures
            results[name] = {"classes": [], "todos": 0, "error": f"{type(e).__name__}: {e}"}
        results[name]["seconds"] = round(time.perf_counter() - start, 2)
    return results


def check_class(folder: str, out: str, key: str, spec: dict, timeout: int) -> dict:
    """Run `check` for one class in a child process; the stages' pass/fail and details."""
    name, _ = key.split("::")
    code = CHILD.format(root=os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                        torch=os.path.join(folder, name), jax=os.path.join(out, name), build=spec["build"],
                        inputs=spec["inputs"], steps=spec.get("steps", 3),
                        optimizer=spec.get("optimizer", "SGD(lr=0.01)"))
    try:
        proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout,
                              cwd=out)
    except subprocess.TimeoutExpired:
        return {"stages": {}, "error": f"timed out after {timeout} s"}
    for line in proc.stdout.splitlines():
        if line.startswith("JM-RESULT "):
            report = json.loads(line[len("JM-RESULT "):])
            return {"stages": {s["name"]: s for s in report["stages"]}, "error": None}
    tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["no output"]
    return {"stages": {}, "error": tail[0][:200]}


def _mark(stage: dict | None) -> str:
    if not stage or stage.get("passed") is None:
        return "-"
    return "pass" if stage["passed"] else "FAIL"


def table(converted: dict, checked: dict) -> str:
    lines = ["| class | converted | interface | numeric | behavioral | detail |",
             "| --- | --- | --- | --- | --- | --- |"]
    for key, result in checked.items():
        name, cls = key.split("::")
        conv = converted.get(name, {})
        ok = conv.get("error") is None and cls in conv.get("classes", [])
        stages = result["stages"]
        detail = result["error"] or next((s["detail"] for s in stages.values() if s.get("passed") is False), "")
        detail = detail.replace("|", "/").replace("\n", " ")[:140]
        lines.append(f"| {key} | {'yes' if ok else 'NO'} | {_mark(stages.get('interface'))} | "
                     f"{_mark(stages.get('numeric'))} | {_mark(stages.get('behavioral'))} | {detail} |")
    return "\n".join(lines)


def totals(converted: dict, checked: dict) -> str:
    all_classes = sum(len(c["classes"]) for c in converted.values())
    crashes = [f"{n}: {c['error']}" for n, c in converted.items() if c["error"]]
    count = lambda stage: sum(1 for r in checked.values()  # noqa: E731
                              if r["stages"].get(stage, {}).get("passed") is True)
    n = len(checked)
    pct = lambda k: f"{k}/{n} ({100 * k / n:.0f}%)" if n else "0/0"  # noqa: E731
    return "\n".join([
        f"files: {len(converted)}, convert crashes: {len(crashes)}" + "".join(f"\n  {c}" for c in crashes),
        f"nn.Module classes converted: {all_classes}; with a spec: {n}",
        f"interface: {pct(count('interface'))} · numeric: {pct(count('numeric'))} · "
        f"behavioral: {pct(count('behavioral'))}",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m migrate.bench_convert", description=__doc__.splitlines()[0])
    parser.add_argument("folder")
    parser.add_argument("specs")
    parser.add_argument("--timeout", type=int, default=300, help="seconds per class")
    parser.add_argument("--only", default="", help="only spec keys containing this text")
    parser.add_argument("--json", default=None, help="also write the raw results here")
    args = parser.parse_args(argv)
    namespace: dict = {}
    with open(args.specs, encoding="utf-8") as f:
        exec(compile(f.read(), args.specs, "exec"), namespace)  # noqa: S102 - the user's own spec file
    specs = namespace["SPECS"]
    with tempfile.TemporaryDirectory(prefix="jaxmigrate-bench-") as out:
        converted = convert_folder(args.folder, out)
        checked = {}
        for key, spec in specs.items():
            if args.only and args.only not in key:
                continue
            checked[key] = check_class(os.path.abspath(args.folder), out, key, spec, args.timeout)
            print(f"{key}: " + ", ".join(f"{k} {_mark(v)}" for k, v in checked[key]["stages"].items())
                  + (f" ({checked[key]['error']})" if checked[key]["error"] else ""), file=sys.stderr, flush=True)
    print(table(converted, checked))
    print()
    print(totals(converted, checked))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"converted": converted, "checked": checked}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
