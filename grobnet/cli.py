"""Command line interface: ``grobnet solve ...``."""
import argparse
import sys


def build_parser():
    parser = argparse.ArgumentParser(prog="grobnet", description=__doc__)
    from grobnet import __version__
    parser.add_argument("--version", action="version", version=f"grobnet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    solve = sub.add_parser("solve", help="critical points of a network's training loss")
    solve.add_argument("--example", choices=["xor"], help="run a built-in example")
    return parser


def main(argv=None):
    args = build_parser().parse_args(argv)
    if args.command == "solve":
        from grobnet import __version__
        print(f"grobnet {__version__}: the solver is being built; nothing to solve yet.")
        return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
