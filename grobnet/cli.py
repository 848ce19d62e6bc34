"""Command line interface: ``grobnet solve ...`` and ``grobnet system ...``.

Every subcommand that works on a network problem takes the same options
(``--net --activation --output-activation --bias --data --loss --reg --lam
--seed --max-denominator``), declared once in :func:`add_problem_arguments`
and turned into objects once in :func:`problem_from_args`, so new
subcommands and new ``solve`` options reuse them.

Examples::

    grobnet solve --example xor
    grobnet solve --example xor --positive-dimensional slices --plot xor.png
    grobnet solve --example xor --reg generalized-l2 --seed 1      # finite: 641 points
    grobnet solve --net 1,1,1,1 --data random:3 --gauge fix-scale --progress
    grobnet system --net 2,2,1 --activation "z+z^2" --bias --data xor \\
        --reg generalized-l2 --seed 1 --format msolve -o xor221.ms
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass

#: Built-in examples: name -> keyword arguments of the problem.
EXAMPLES = {
    "xor": dict(net="2,2,2,1", activation="identity", bias=False, data="xor", loss="mse",
                reg="none", description="the seed's XOR network: [2,2,2,1], identity "
                "activation, no bias, MSE on the 4 XOR points"),
}

FORMATS = ("msolve", "singular", "sympy")


@dataclass
class Problem:
    """A network problem assembled from command-line options."""
    net: object
    data: object
    loss: str
    reg: object
    label: str = ""

    def system(self):
        """The gradient system of this problem."""
        from grobnet.frontend.loss import gradient_system
        return gradient_system(self.net, self.data, loss=self.loss, reg=self.reg)


def add_problem_arguments(parser, with_example=True):
    """Declare the options that describe a network problem (shared by all subcommands)."""
    g = parser.add_argument_group("network problem")
    if with_example:
        g.add_argument("--example", choices=sorted(EXAMPLES),
                       help="a built-in problem (xor: the seed's [2,2,2,1] linear net on XOR); "
                            "overrides the options below")
    g.add_argument("--net", metavar="WIDTHS", default=None,
                   help="layer widths, inputs first, e.g. 2,2,1")
    g.add_argument("--activation", default="identity",
                   help="hidden activation: identity, square, z+z^2, tanh, sigmoid, relu "
                        "(polynomial approximations), or any polynomial in z such as "
                        "'z - 1/3*z^3' (default: identity)")
    g.add_argument("--output-activation", default=None,
                   help="activation of the output layer (default: linear)")
    g.add_argument("--bias", action="store_true", help="give every layer biases")
    g.add_argument("--data", default="xor",
                   help="xor (default), random:M[:SEED] (M random points, coordinates k/10 "
                        "in [-1,1]), or a CSV file (inputs then targets per row)")
    g.add_argument("--loss", choices=["mse", "sse"], default="mse",
                   help="mean (default) or sum of squared errors")
    g.add_argument("--reg", choices=["none", "l2", "generalized-l2"], default="none",
                   help="regularization: none, l2 (weight --lam), generalized-l2 (one random "
                        "weight per parameter from --seed)")
    g.add_argument("--lam", default=None,
                   help="L2 weight as an exact rational, e.g. 1/10 (default 1/10)")
    g.add_argument("--seed", type=int, default=0,
                   help="seed of the generalized-L2 weights (default 0)")
    g.add_argument("--max-denominator", type=int, default=None,
                   help="round float data to the nearest rational with at most this "
                        "denominator (default: convert floats exactly)")
    return g


def _data_from_arg(spec, net, max_denominator):
    from grobnet.frontend.data import load_csv, random_dataset, xor
    if spec.lower() == "xor":
        return xor()
    if spec.lower().startswith("random:"):
        parts = spec.split(":")[1:]
        try:
            m = int(parts[0])
            seed = int(parts[1]) if len(parts) > 1 else 0
        except (ValueError, IndexError):
            raise ValueError(f"--data {spec!r}: expected random:M or random:M:SEED") from None
        return random_dataset(m, net.n_inputs, net.n_outputs, seed=seed)
    import os
    if not os.path.exists(spec):
        raise ValueError(f"--data {spec!r} is neither 'xor', 'random:M[:SEED]' nor an "
                         "existing CSV file")
    return load_csv(spec, n_outputs=net.n_outputs, max_denominator=max_denominator)


def problem_from_args(args):
    """Build a :class:`Problem` from parsed options (``--example`` fixes the network, data
    and loss; a ``--reg`` other than ``none`` still applies, so that the remedy printed for
    an infinite critical set -- add ``--reg generalized-l2 --seed 1`` -- works as said)."""
    from grobnet.frontend.loss import as_regularization
    from grobnet.frontend.network import Network
    example = getattr(args, "example", None)
    if example:
        ex = EXAMPLES[example]
        net = Network(ex["net"], activation=ex["activation"], bias=ex["bias"])
        data = _data_from_arg(ex["data"], net, None)
        reg_arg = getattr(args, "reg", "none") or "none"
        if reg_arg == "none":
            return Problem(net, data, ex["loss"], as_regularization(ex["reg"]),
                           ex["description"])
        reg = as_regularization(reg_arg, seed=args.seed, lam=args.lam)
        return Problem(net, data, ex["loss"], reg, f"{ex['description']}, with {reg_arg}")
    if args.net is None:
        raise ValueError("give --net WIDTHS (e.g. --net 2,2,1) or --example xor")
    net = Network(args.net, activation=args.activation, bias=args.bias,
                  output_activation=args.output_activation)
    data = _data_from_arg(args.data, net, args.max_denominator)
    reg = as_regularization(args.reg, seed=args.seed, lam=args.lam)
    return Problem(net, data, args.loss, reg)


def build_parser():
    """The argument parser of the ``grobnet`` command."""
    parser = argparse.ArgumentParser(
        prog="grobnet",
        description="Every critical point of a neural network's training loss, exactly.")
    from grobnet import __version__
    parser.add_argument("--version", action="version", version=f"grobnet {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    solve = sub.add_parser("solve", help="critical points of a network's training loss")
    add_problem_arguments(solve)
    solve.add_argument("--json", action="store_true",
                       help="print the critical points as JSON instead of a table")
    solve.add_argument("--digits", type=int, default=30,
                       help="certified digits of every coordinate (default 30)")
    solve.add_argument("--timeout", type=float, default=None,
                       help="give up after this many seconds (the result then says so)")
    solve.add_argument("--plot", metavar="FILE.png", default=None,
                       help="draw the loss along lines through the critical points (needs "
                            "matplotlib)")
    solve.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                       help="print stages and F4 rounds on stderr (default: when stderr is a "
                            "terminal)")
    solve.add_argument("--gauge", choices=["none", "fix-scale"], default="none",
                       help="fix-scale: fix one incoming weight of every hidden unit to 1 "
                            "(homogeneous activations, no regularization; one point per "
                            "scaling orbit)")
    solve.add_argument("--positive-dimensional", choices=["values", "slices"], default="values",
                       help="for an infinite critical set: exact critical values only (default) "
                            "or also witness points from random affine slices (samples)")

    system = sub.add_parser("system", help="write the gradient system of a network's loss")
    add_problem_arguments(system)
    system.add_argument("--format", choices=FORMATS, default="msolve",
                        help="output format (default msolve)")
    system.add_argument("--integer", action="store_true",
                        help="write denominator-cleared integer equations (msolve format)")
    system.add_argument("-o", "--output", metavar="FILE", default=None,
                        help="write to FILE instead of standard output")
    return parser


def _solver():
    """grobnet's critical-point solver, or ``None`` while it is not built."""
    try:
        from grobnet.analysis import critical_points
    except ImportError:
        return None
    return critical_points


def _describe_problem(problem, system):
    net, data = problem.net, problem.data
    lines = []
    if problem.label:
        lines.append(f"Example: {problem.label}")
    lines.append(f"Network:  {net.describe()} ({net.n_parameters} parameters: "
                 f"{', '.join(net.parameters[:6])}{', ...' if net.n_parameters > 6 else ''})")
    lines.append(f"Data:     {data.describe()}")
    loss_text = "MSE = (1/m) sum_i sum_k (f_k(x_i) - y_ik)^2" if problem.loss == "mse" else \
        "SSE = sum_i sum_k (f_k(x_i) - y_ik)^2"
    reg = problem.reg.describe() if problem.reg is not None else "no regularization"
    lines.append(f"Loss:     {loss_text}, {reg}")
    lines.append("Critical points are the solutions of the gradient system:")
    lines.append(system.summary())
    return "\n".join(lines)


def _cmd_solve(args, out):
    problem = problem_from_args(args)
    system = problem.system()
    if not args.json:
        print(_describe_problem(problem, system), file=out)
    solver = _solver()
    if solver is None:
        print("\nThe exact solver is not wired into grobnet yet: this command shows the "
              "system it will solve. Export it with `grobnet system ... --format msolve`.",
              file=out)
        return 0
    progress = _progress_printer(args)
    options = dict(digits=args.digits, timeout=args.timeout, progress=progress,
                   positive_dimensional=args.positive_dimensional)
    if args.gauge != "none":
        result = solver(problem.net, problem.data, loss=problem.loss, reg=problem.reg,
                        gauge=args.gauge, **options)
    else:
        result = solver(system, **options)
    if args.plot:
        from grobnet.analysis.plot import plot_critical_points
        plot_critical_points(result, args.plot, seed=args.seed)
        if progress is not None:
            progress("plot", {"file": args.plot})
    if args.json:
        import json
        payload = {"dimension": result.dimension, "degree": result.degree,
                   "complete": result.complete, "reason": result.reason,
                   "sampled": result.sampled,
                   "gauge": None if result.gauge is None else {
                       "fixed": sorted(result.gauge.fixed), "relation": result.gauge.relation,
                       "variables": list(result.system.variables)},
                   "points": result.to_records(),
                   "critical_values": [] if result.values is None else [
                       {"value": float(v), "exact": None if v.exact is None else str(v.exact),
                        "dimension": v.dimension, "attained": v.attained}
                       for v in result.values.values]}
        print(json.dumps(payload, indent=2), file=out)
        return 0
    print("\n" + result.summary(), file=out)
    if result.dimension > 0 and problem.reg is None and result.gauge is None:
        print("\n" + _finite_remedy(problem), file=out)
    if args.plot:
        print(f"\nplot written to {args.plot}", file=out)
    return 0


def _progress_printer(args):
    """The stderr progress printer, when ``--progress`` is on (default: stderr is a terminal)."""
    from grobnet.analysis.progress import StderrProgress
    wanted = args.progress if args.progress is not None else sys.stderr.isatty()
    return StderrProgress(sys.stderr) if wanted else None


def _finite_remedy(problem):
    """What generalized L2 regularization does to this problem (a cheap mod-p probe)."""
    from grobnet.exact.probe import probe_system
    from grobnet.frontend.loss import GeneralizedL2, gradient_system
    reg = GeneralizedL2(seed=1)
    system = gradient_system(problem.net, problem.data, loss=problem.loss, reg=reg)
    hs = probe_system(system).hilbert
    dim, deg = hs.dimension, hs.degree
    return ("The critical set is infinite because of the network's symmetries (rescaling and "
            "GL(h) acting on hidden layers).\nTo make it finite, add generalized L2 "
            "regularization (one random weight per parameter; Mehta et al., TPAMI 2021):\n"
            "  add `--reg generalized-l2 --seed 1` to the command "
            "(python: reg=GeneralizedL2(seed=1)).\n"
            f"With it ({reg.describe()}), the critical set has dimension {dim} and "
            f"{deg} complex critical points (counted with multiplicity, from a mod-p basis)."
            + _gauge_remedy(problem) +
            "\nTo sample real points on the infinite set itself (marked as samples, not a "
            "complete list), add `--positive-dimensional slices`.")


def _gauge_remedy(problem):
    """What fixing the scale of every hidden unit does (only for homogeneous activations)."""
    from grobnet.analysis.gauge import NotHomogeneous, gauge_fixed_system
    from grobnet.exact.probe import probe_system
    try:
        fixing = gauge_fixed_system(problem.net, problem.data, loss=problem.loss, reg=problem.reg)
    except (NotHomogeneous, ValueError) as exc:
        return f"\nGauge fixing (--gauge fix-scale) does not apply: {exc}."
    hs = probe_system(fixing.system).hilbert
    dim, deg = hs.dimension, hs.degree
    size = f"dimension {dim}" + (f", {deg} complex critical points" if dim == 0 else "")
    return ("\nWithout changing the loss, `--gauge fix-scale` fixes one incoming weight of each "
            f"hidden unit to 1 ({', '.join(fixing.fixed)}; valid because the activation is "
            f"homogeneous of degree {fixing.degree}): one point per scaling orbit, orbits with a "
            f"fixed weight 0 are lost. The fixed critical set has {size}"
            + (" (the remaining symmetry, e.g. GL(h) of linear layers, is not a scaling)."
               if dim > 0 else "."))


def _format_system(system, fmt, integer):
    if fmt == "msolve":
        return system.to_msolve(integer=integer)
    if integer:
        raise ValueError("--integer applies to --format msolve only")
    if fmt == "singular":
        return system.to_singular()
    exprs, symbols = system.to_sympy()
    lines = [f"# {system!r}", f"# variables: {', '.join(map(str, symbols))}"]
    lines += [f"{e}" for e in exprs]
    return "\n".join(lines) + "\n"


def _cmd_system(args, out):
    problem = problem_from_args(args)
    system = problem.system()
    text = _format_system(system, args.format, args.integer)
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(text)
        print(f"wrote {system!r} to {args.output} ({args.format} format)", file=out)
    else:
        out.write(text)
    return 0


def main(argv=None, out=None):
    """Run the ``grobnet`` command; returns the exit status (errors -> status 2 on stderr)."""
    out = sys.stdout if out is None else out
    parser = build_parser()
    args = parser.parse_args(argv)
    commands = {"solve": _cmd_solve, "system": _cmd_system}
    try:
        return commands[args.command](args, out)
    except (ValueError, OSError, ImportError) as exc:
        parser.exit(2, f"grobnet {args.command}: error: {exc}\n")


if __name__ == "__main__":
    sys.exit(main())
