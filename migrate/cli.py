"""The `jaxmigrate` command line. Imports stay lazy: `--help` must not load torch, jax or libcst."""

from __future__ import annotations

import argparse
import sys

from migrate import __version__


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `jaxmigrate` console script."""
    parser = argparse.ArgumentParser(prog="jaxmigrate", description="PyTorch -> JAX migration kit.")
    parser.add_argument("--version", action="version", version=f"jaxmigrate {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    cat = sub.add_parser("catalogue", help="list the torch -> JAX records, with counts")
    cat.add_argument("--format", choices=("text", "json", "markdown"), default="text")
    cat.add_argument("--namespace", default="", help="only records whose torch name starts with this prefix")

    ver = sub.add_parser("verify", help="run the equivalence checks of records against real PyTorch")
    ver.add_argument("ids", nargs="*", metavar="ID", help="record ids or prefixes (default: all)")
    ver.add_argument("--examples", type=int, default=3, help="hypothesis examples per record")

    args = parser.parse_args(argv)
    if args.command == "catalogue":
        from migrate.catalogue import run

        return run(args.format, args.namespace)
    from migrate.verify import run

    return run(args.ids, args.examples)


if __name__ == "__main__":
    sys.exit(main())
