"""The `jaxmigrate` command line. Imports stay lazy: `--help` must not load torch, jax or libcst."""

from __future__ import annotations

import argparse
import os
import sys

from migrate import __version__


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `jaxmigrate` console script."""
    try:
        return _run(argv)
    except BrokenPipeError:  # the reader left (`jaxmigrate suggest . | head`): stop quietly, like Unix tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at interpreter exit
        return 141  # 128 + SIGPIPE


def _run(argv: list[str] | None) -> int:
    parser = argparse.ArgumentParser(prog="jaxmigrate", description="PyTorch -> JAX migration kit.")
    parser.add_argument("--version", action="version", version=f"jaxmigrate {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cat = sub.add_parser("catalogue", help="list the torch -> JAX records, with counts")
    cat.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    cat.add_argument("--namespace", default="", help="only records whose torch name starts with this prefix")
    cat.add_argument("--coverage", action="store_true",
                     help="per torch namespace: public names, those with a record, verified, the largest missing "
                          "(imports the installed torch)")

    ver = sub.add_parser("verify", help="run the equivalence checks of records against real PyTorch")
    ver.add_argument("ids", nargs="*", metavar="ID", help="record ids or prefixes (default: all)")
    ver.add_argument("--examples", type=int, default=None,
                     help="hypothesis draws per record after its rich cases (default: CI's 2, seeded per record)")

    sug = sub.add_parser("suggest", help="report what each torch use in your code becomes in JAX; --fix rewrites")
    sug.add_argument("paths", nargs="+", metavar="PATH", help="files or folders (recursive *.py)")
    sug.add_argument("--format", choices=("text", "json"), default="text")
    out = sug.add_mutually_exclusive_group()
    out.add_argument("--diff", action="store_true", help="show the rewrites as a unified diff; write nothing")
    out.add_argument("--fix", action="store_true", help="apply the verified rewrites in place (atomically)")
    sug.add_argument("--unsafe-fixes", action="store_true",
                     help="also apply caveat rewrites and medium-confidence method rewrites")
    sug.add_argument("--select", default="", help="only these rule codes or prefixes, comma-separated (JM1,JM301)")
    sug.add_argument("--ignore", default="", help="skip these rule codes or prefixes, comma-separated")
    sug.add_argument("--check", action="store_true", help="exit 1 when findings remain (for CI)")
    sug.add_argument("--sketch", action="store_true", help="print the JAX sketch under each structural finding")
    sug.add_argument("--jobs", type=int, default=None, help="worker processes (default: 2 for large inputs)")

    conv = sub.add_parser("convert", help="convert a PyTorch model file to a Flax NNX file")
    conv.add_argument("path", metavar="PATH", help="the torch file (never modified)")
    conv.add_argument("-o", "--output", default=None, help="write here (atomically); default: stdout")
    conv.add_argument("--weights", default=None, help="a torch checkpoint to convert too (needs --build)")
    conv.add_argument("--build", default=None, help='how to build the model, e.g. "GPT(GPTConfig())"')

    chk = sub.add_parser("check", help="prove a converted model equal to the torch one: interface, numeric, "
                                       "behavioral")
    chk.add_argument("torch_path", metavar="TORCH_FILE")
    chk.add_argument("jax_path", metavar="JAX_FILE")
    chk.add_argument("--build", required=True, help='e.g. "GPT(GPTConfig(n_layer=2))" (rngs is added for JAX)')
    chk.add_argument("--inputs", required=True, help='torch expression, e.g. "torch.randint(0, 65, (2, 16))"')
    chk.add_argument("--steps", type=int, default=3, help="optimizer steps of the behavioral stage (0: skip)")
    chk.add_argument("--optimizer", default="AdamW(lr=1e-3)", help="a torch.optim class call, without params")
    chk.add_argument("--format", choices=("text", "json"), default="text")

    args = parser.parse_args(argv)
    if args.command == "convert":
        from migrate.convert_model import run as convert

        return convert(args.path, args.output, args.weights, args.build)
    if args.command == "check":
        from migrate.check_model import run as check

        return check(args.torch_path, args.jax_path, args.build, args.inputs, args.steps, args.optimizer,
                     args.format)
    if args.command == "suggest":
        from migrate.suggest import run as suggest

        codes = lambda s: tuple(c.strip().upper() for c in s.split(",") if c.strip())  # noqa: E731
        mode = "fix" if args.fix else "diff" if args.diff else "report"
        return suggest(args.paths, args.format, mode, codes(args.select), codes(args.ignore), args.unsafe_fixes,
                       args.check, args.sketch, args.jobs)
    if args.command == "catalogue":
        from migrate.catalogue import run, run_coverage

        return run_coverage(args.format, args.namespace) if args.coverage else run(args.format, args.namespace)
    from migrate.verify import run

    return run(args.ids, args.examples)


if __name__ == "__main__":
    sys.exit(main())
