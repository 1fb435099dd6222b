"""`jaxmigrate suggest PATH...`: report what each torch use becomes in JAX; optionally fix.

Files that never mention `torch` are skipped before parsing; libcst is imported only when a file
needs parsing; more than PARALLEL_FILES files are read by two processes. Exit status: 0 when it
ran, 1 with --check when findings remain, 2 on bad usage or a file that could not be read, parsed
or safely fixed (reported on stderr as `path:line:col: error: ...`; other files still processed).
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field

PARALLEL_FILES = 64
SKIP_DIRS = {".git", ".hg", ".venv", "venv", "__pycache__", "node_modules", ".tox", ".mypy_cache", "site"}


@dataclass
class Outcome:
    """What happened to one file (picklable, so it can come back from a worker process)."""

    path: str
    findings: list = field(default_factory=list)  # Finding.as_json() dicts
    errors: list = field(default_factory=list)  # "path:line:col: error: ..."
    diff: str = ""
    changed: bool = False
    skipped: bool = False  # never mentions torch


def collect(paths: list[str]) -> tuple[list[str], list[str]]:
    """Python files under the paths (folders recursively), and errors for paths that don't exist."""
    files, errors = [], []
    for p in paths:
        if os.path.isdir(p):
            for root, dirs, names in os.walk(p):
                dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
                files.extend(os.path.join(root, n) for n in sorted(names) if n.endswith(".py"))
        elif os.path.isfile(p):
            files.append(p)
        else:
            errors.append(f"{p}:0:0: error: no such file or directory")
    return files, errors


def decode(path: str, data: bytes) -> str:
    """Source text per PEP 263 (utf-8 by default); raises UnicodeDecodeError / SyntaxError."""
    import io
    import tokenize

    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


_CATALOGUE = None


def _catalogue():
    global _CATALOGUE
    if _CATALOGUE is None:
        import mapping
        from migrate.findings import Catalogue

        _CATALOGUE = Catalogue(mapping.load())
    return _CATALOGUE


def process(path: str, mode: str, select: tuple, ignore: tuple, unsafe: bool) -> Outcome:
    """Read, examine and (mode "fix") rewrite one file. Never raises for a bad file."""
    out = Outcome(path)
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        out.errors.append(f"{path}:0:0: error: cannot read: {e.strerror or e}")
        return out
    if b"torch" not in data:
        out.skipped = True
        return out
    try:
        text = decode(path, data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as e:
        out.errors.append(f"{path}:1:1: error: cannot decode: {e}")
        return out
    import libcst as cst

    from migrate.findings import Options, examine

    try:
        module = cst.parse_module(text)
    except cst.ParserSyntaxError as e:
        out.errors.append(f"{path}:{_syntax(e)}")
        return out
    except (RecursionError, MemoryError) as e:
        out.errors.append(f"{path}:1:1: error: cannot parse: {type(e).__name__}")
        return out
    options = Options(select, ignore, unsafe, render=mode in ("fix", "diff"), todo=mode in ("fix", "diff"))
    try:
        report = examine(path, text, _catalogue(), options, module)
    except RecursionError:
        out.errors.append(f"{path}:1:1: error: too deeply nested to analyse")
        return out
    out.findings = [f.as_json() for f in report.findings]
    if report.fixed is not None and report.fixed != text:
        problem = validate(path, report.fixed)
        if problem:
            out.errors.append(f"{path}:1:1: error: the rewrite does not compile ({problem}); file left unchanged")
            return out
        if mode == "diff":
            out.diff = "".join(difflib.unified_diff(text.splitlines(True), report.fixed.splitlines(True),
                                                    f"a/{path}", f"b/{path}"))
        else:
            try:
                write_atomic(path, report.fixed, data, text)
                out.changed = True
            except OSError as e:
                out.errors.append(f"{path}:0:0: error: cannot write: {e}; file left unchanged")
    return out


def _syntax(e) -> str:
    """`LINE:COL: error: syntax error: what`, with one position: libcst's message repeats one of its own
    (`error at 3:0:`), sometimes another line, which is left out."""
    what = re.sub(r"^(?:parser error: )?error at \d+:\d+: ", "", e.message)
    return f"{e.editor_line}:{e.editor_column}: error: syntax error: {what}"


def validate(path: str, text: str) -> str:
    """'' when the text compiles (Python's parser: a rewrite that broke the syntax, or a name clash such as a
    duplicate argument, is caught here); otherwise what failed."""
    try:
        compile(text, path, "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as e:
        return str(e).splitlines()[0]
    return ""


def write_atomic(path: str, text: str, original: bytes, original_text: str) -> None:
    """Write through a temporary file in the same folder, then os.replace: never half a file."""
    encoding = "utf-8"
    if original_text and original != original_text.encode("utf-8"):
        import io
        import tokenize

        encoding, _ = tokenize.detect_encoding(io.BytesIO(original).readline)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".jaxmigrate-", suffix=".py")
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as f:
            f.write(text)
        os.chmod(tmp, os.stat(path).st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _work(args: tuple) -> Outcome:
    return process(*args)


def run_files(files: list[str], mode: str, select: tuple, ignore: tuple, unsafe: bool,
              jobs: int | None = None) -> list[Outcome]:
    tasks = [(f, mode, select, ignore, unsafe) for f in files]
    if jobs is None:
        jobs = 2 if len(files) > PARALLEL_FILES else 1
    if jobs <= 1:
        return [_work(t) for t in tasks]
    import multiprocessing

    _catalogue()  # load the records once, before forking
    ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ctx.Pool(jobs) as pool:
        return pool.map(_work, tasks, chunksize=max(1, len(tasks) // (jobs * 8)))


def summary(outcomes: list[Outcome]) -> dict:
    findings = [f for o in outcomes for f in o.findings]
    calls = [f for f in findings if f["rule"].startswith("JM1")]
    methods = [f for f in findings if f["rule"].startswith("JM2")]
    structure = [f for f in findings if f["rule"].startswith("JM3")]
    with_rewrite = sum(1 for f in calls if f["replacement"])
    unsupported = Counter(f["api"] for f in calls + methods if f["status"] == "unsupported")
    unknown = Counter(f["api"] for f in calls + methods if f["status"] == "unknown")
    return {
        "files": len(outcomes),
        "files_with_torch": sum(1 for o in outcomes if not o.skipped and not o.errors),
        "files_with_errors": sum(1 for o in outcomes if o.errors),
        "torch_call_sites": len(calls),
        "with_rewrite": with_rewrite,
        "with_rewrite_percent": round(100 * with_rewrite / len(calls), 1) if calls else 0.0,
        "calls_by_status": dict(Counter(f["status"] for f in calls)),
        "method_calls": len(methods),
        "methods_by_confidence": dict(Counter(f["confidence"] for f in methods)),
        "methods_with_rewrite": sum(1 for f in methods if f["replacement"]),
        "structure": len(structure),
        "fixable": sum(1 for f in findings if f["fixable"]),
        "files_changed": sum(1 for o in outcomes if o.changed),
        "top_unsupported": unsupported.most_common(5),
        "top_unknown": unknown.most_common(5),
    }


def _wrapped(text: str) -> str:
    """The whole message, wrapped and indented under its finding (JSON has it on one line)."""
    import textwrap

    return textwrap.fill(" ".join(text.split()), 100, initial_indent="    ", subsequent_indent="    ")


def file_summary(o: Outcome, mode: str) -> str:
    """One line per file: call sites, rewrites (applied or applicable), what is left and its top codes, then the
    low-confidence calls and the structural findings, so that the numbers add up."""
    sites = [f for f in o.findings if f["rule"] < "JM300"]
    fixable = [f for f in sites if f["fixable"]]
    low = [f for f in sites if not f["fixable"] and f["confidence"] == "low"]
    left = [f for f in sites if not f["fixable"] and f["confidence"] != "low"]
    shape = [f for f in o.findings if f["rule"] >= "JM300"]
    shape_left = [f for f in shape if not f["fixable"]]
    top = Counter(f["rule"] for f in left).most_common(3)
    done = "rewritten" if mode == "fix" else "rewritable with --fix"
    return (f"{o.path}: {len(sites)} torch call sites, {len(fixable)} {done}, {len(left)} left to do"
            + (" (" + ", ".join(f"{code} x{n}" for code, n in top) + ")" if top else "")
            + (f", {len(low)} not rewritten (low confidence: the receiver may not be a tensor)" if low else "")
            + (f"; {len(shape)} structural ({len(shape) - len(shape_left)} {done}, {len(shape_left)} left)"
               if shape else "")
            + (" -- marked with # TODO(jaxmigrate) comments" if mode == "fix" and (left or shape_left) else ""))


def _one_line(text: str, width: int = 100) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 3] + "..."


def format_text(f: dict, show_sketch: bool) -> str:
    status = f["status"]
    if f["rule"].startswith("JM2") and f["confidence"] != "high":  # the record's status holds only on a tensor
        status = f"{status} if a tensor: {f['confidence']} confidence"
    head = f"{f['path']}:{f['line']}:{f['column']}: {f['rule']} [{status}]"
    api = f["api"] + ("(...)" if not f["api"].startswith("pattern") and f["rule"] < "JM300" else "")
    if f["replacement"]:
        line = f"{head} {api} -> {_one_line(f['replacement'])}"
        if (f["status"] != "verified" or not f["fixable"] or f["message"].startswith("leaves out")) and f["message"]:
            line += "\n" + _wrapped(f["message"])
    else:
        line = f"{head} {api}:\n" + _wrapped(f["message"])
    if show_sketch and f.get("sketch"):
        line += "\n" + "\n".join("    | " + s for s in f["sketch"].splitlines())
    return line


def format_summary(s: dict, mode: str) -> str:
    by = s["calls_by_status"]
    statuses = ", ".join(f"{by[k]} {k}" for k in ("verified", "caveat", "manual", "unsupported", "unknown") if k in by)
    conf = s["methods_by_confidence"]
    lines = [
        f"{s['files']} files ({s['files_with_torch']} with torch"
        + (f", {s['files_with_errors']} with errors" if s["files_with_errors"] else "") + ")",
        f"{s['torch_call_sites']} torch call sites · {s['with_rewrite']} with a rewrite ({s['with_rewrite_percent']}%)"
        + (f" · {statuses}" if statuses else ""),
        f"{s['method_calls']} tensor method calls ("
        + ", ".join(f"{conf.get(c, 0)} {c}" for c in ("high", "medium", "low")) + " confidence; "
        f"{s['methods_with_rewrite']} with a rewrite) · {s['structure']} structural findings",
    ]
    if s["top_unsupported"]:
        lines.append("top unsupported: " + ", ".join(f"{a} ({n})" for a, n in s["top_unsupported"]))
    if s["top_unknown"]:
        lines.append("top not yet in the catalogue: " + ", ".join(f"{a} ({n})" for a, n in s["top_unknown"]))
    if mode == "fix":
        lines.append(f"fixed: {s['files_changed']} files changed")
    elif s["fixable"]:
        lines.append(f"{s['fixable']} rewrites can be applied with --fix (--diff to preview)")
    return "\n".join(lines)


def run(paths: list[str], fmt: str = "text", mode: str = "report", select: tuple = (), ignore: tuple = (),
        unsafe: bool = False, check: bool = False, sketch: bool = False, jobs: int | None = None) -> int:
    files, errors = collect(paths)
    outcomes = run_files(files, mode, select, ignore, unsafe, jobs)
    outcomes.sort(key=lambda o: o.path)
    errors += [e for o in outcomes for e in o.errors]
    for e in errors:
        print(e, file=sys.stderr)
    s = summary(outcomes)
    if fmt == "json":
        print(json.dumps({"findings": [f for o in outcomes for f in o.findings], "summary": s}, indent=1))
    else:
        if mode == "diff":
            sys.stdout.write("".join(o.diff for o in outcomes))
        else:
            for o in outcomes:
                for f in o.findings:
                    if mode == "fix" and f["fixable"]:
                        continue  # applied
                    print(format_text(f, sketch))
                if o.findings:
                    print(file_summary(o, mode))
        print(format_summary(s, mode))
    if errors:
        return 2
    remaining = [f for o in outcomes for f in o.findings if not (mode == "fix" and f["fixable"])]
    return 1 if check and remaining else 0
