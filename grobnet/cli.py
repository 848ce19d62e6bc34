"""Command line interface: ``grobnet solve | roots | groebner | system``.

Two kinds of problems:

* a **polynomial system file** in msolve's format (first line the variables, second
  the characteristic, then the polynomials separated by commas; ``-`` reads
  standard input), as a Gröbner-basis user expects from msolve or Singular:
  ``grobnet solve --system FILE`` (the full report), ``grobnet roots FILE`` (the
  real solutions as certified intervals, msolve-style) and ``grobnet groebner
  FILE`` (the reduced basis mod p or over Q, any order; ``--leading-monomials``
  like msolve's ``-g 1``, ``-o`` writes the basis back as an msolve file);
* a **network problem** (``--net --activation --output-activation --bias --data
  --loss --reg --lam --seed --max-denominator``, or ``--example``), declared once
  in :func:`add_problem_arguments` and turned into objects once in
  :func:`problem_from_args`: ``grobnet solve`` (critical points) and ``grobnet
  system`` (export the gradient system).

Every result can be printed as a table or as JSON (``--json``): dimension,
degree, solutions, ``complete`` with its reason, the route and timings.  The
printing of a system's solutions is one function, :func:`report_solutions`.

Examples::

    grobnet solve --example xor
    grobnet solve --example xor --reg generalized-l2 --seed 1      # finite: 641 points
    grobnet solve --net 1,1,1,1 --data random:3 --gauge fix-scale --progress
    grobnet system --net 2,2,1 --activation "z+z^2" --bias --data xor \\
        --reg generalized-l2 --seed 1 --format msolve -o xor221.ms
    grobnet solve --system katsura6.ms --json
    grobnet roots katsura6.ms --digits 20
    grobnet groebner katsura6.ms --order grlex --modulus 65521 --leading-monomials
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import dataclass

import grobnet
from grobnet.analysis import StderrProgress
from grobnet.exact.probe import probe_system
from grobnet.frontend import as_regularization, from_msolve, load_csv, random_dataset

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
        return grobnet.gradient_system(self.net, self.data, loss=self.loss, reg=self.reg)


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
    if spec.lower() == "xor":
        return grobnet.xor()
    if spec.lower().startswith("random:"):
        parts = spec.split(":")[1:]
        try:
            m = int(parts[0])
            seed = int(parts[1]) if len(parts) > 1 else 0
        except (ValueError, IndexError):
            raise ValueError(f"--data {spec!r}: expected random:M or random:M:SEED") from None
        return random_dataset(m, net.n_inputs, net.n_outputs, seed=seed)
    if not os.path.exists(spec):
        raise ValueError(f"--data {spec!r} is neither 'xor', 'random:M[:SEED]' nor an "
                         "existing CSV file")
    return load_csv(spec, n_outputs=net.n_outputs, max_denominator=max_denominator)


def problem_from_args(args):
    """Build a :class:`Problem` from parsed options (``--example`` fixes the network, data
    and loss; a ``--reg`` other than ``none`` still applies, so that the remedy printed for
    an infinite critical set -- add ``--reg generalized-l2 --seed 1`` -- works as said)."""
    example = getattr(args, "example", None)
    if example:
        ex = EXAMPLES[example]
        net = grobnet.Network(ex["net"], activation=ex["activation"], bias=ex["bias"])
        data = _data_from_arg(ex["data"], net, None)
        reg_arg = getattr(args, "reg", "none") or "none"
        if reg_arg == "none":
            return Problem(net, data, ex["loss"], as_regularization(ex["reg"]),
                           ex["description"])
        reg = as_regularization(reg_arg, seed=args.seed, lam=args.lam)
        return Problem(net, data, ex["loss"], reg, f"{ex['description']}, with {reg_arg}")
    if args.net is None:
        raise ValueError("give --net WIDTHS (e.g. --net 2,2,1) or --example xor")
    net = grobnet.Network(args.net, activation=args.activation, bias=args.bias,
                  output_activation=args.output_activation)
    data = _data_from_arg(args.data, net, args.max_denominator)
    reg = as_regularization(args.reg, seed=args.seed, lam=args.lam)
    return Problem(net, data, args.loss, reg)


#: help of ``--max-memory`` (``solve`` and ``roots``)
MAX_MEMORY_HELP = ("megabytes for the dimension probe's Groebner bases mod p; beyond (or beyond "
                   "half of --timeout) the degree is unknown and the certified solutions found "
                   "by monodromy come back, marked incomplete")


def build_parser():
    """The argument parser of the ``grobnet`` command."""
    parser = argparse.ArgumentParser(
        prog="grobnet",
        description="Every critical point of a neural network's training loss, exactly; and "
                    "every solution or the Groebner basis of any polynomial system file "
                    "(msolve format).",
        epilog="Run 'grobnet COMMAND --help' for the options of a command.")
    parser.add_argument("--version", action="version", version=f"grobnet {grobnet.__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    solve = sub.add_parser(
        "solve", help="critical points of a network's loss, or all solutions of a system file",
        description="Critical points of a network's training loss (--example or --net ...), "
                    "or every solution of a polynomial system file (--system FILE.ms): "
                    "dimension, degree, certified real solutions, complete flag and route.")
    add_problem_arguments(solve)
    g = solve.add_argument_group("polynomial system (instead of a network)")
    g.add_argument("--system", metavar="FILE.ms", default=None,
                   help="solve this polynomial system (msolve format: variables, characteristic "
                        "0, polynomials; '-' reads standard input)")
    _add_solve_options(g)
    solve.add_argument("--json", action="store_true",
                       help="print the result as JSON instead of a table")
    solve.add_argument("--digits", type=int, default=30,
                       help="certified digits of every coordinate (default 30)")
    solve.add_argument("--timeout", type=float, default=None,
                       help="give up after this many seconds (the result then says so)")
    solve.add_argument("--max-memory", type=float, default=None, metavar="MB",
                       help=MAX_MEMORY_HELP)
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
    solve.add_argument("--proof", action="store_true",
                       help="also prove the dimension and the number of critical points by a "
                            "Groebner basis over Q (small and medium systems; the result says "
                            "when it was too expensive)")
    solve.add_argument("--replay", type=int, default=None, metavar="SEED",
                       help="the seed of the random primes (default: fresh; printed with "
                            "--json) to replay a run exactly")

    roots = sub.add_parser(
        "roots", help="real solutions of a system file as certified intervals (msolve-style)",
        description="Every real solution of a zero-dimensional polynomial system (msolve "
                    "format), one line of certified intervals [lower, upper] per solution, "
                    "exact decimal endpoints; the first line says dimension, degree, whether the "
                    "list is complete and which route certified it.")
    roots.add_argument("file", metavar="FILE.ms", help="msolve-format input ('-': standard input)")
    g = roots.add_argument_group("solving")
    _add_solve_options(g)
    g.add_argument("--digits", type=int, default=30,
                   help="certified digits of every coordinate (default 30)")
    g.add_argument("--timeout", type=float, default=None,
                   help="give up after this many seconds (the result then says so)")
    g.add_argument("--max-memory", type=float, default=None, metavar="MB",
                   help=MAX_MEMORY_HELP)
    g.add_argument("--seed", type=int, default=0,
                   help="seed of the random primes and linear form (default 0)")
    g.add_argument("--progress", action=argparse.BooleanOptionalAction, default=None,
                   help="print stages on stderr (default: when stderr is a terminal)")
    roots.add_argument("--json", action="store_true", help="print the result as JSON")

    gb = sub.add_parser(
        "groebner", help="reduced Groebner basis of a system file, mod p or over Q",
        description="The reduced Groebner basis of the polynomials of an msolve-format file: "
                    "over GF(p) (the file's characteristic, or --modulus) with grobnet's F4, "
                    "over Q by multimodular lifting.  Prints the basis by increasing leading "
                    "monomial (or only the leading monomials), with the dimension and degree.")
    gb.add_argument("file", metavar="FILE.ms", help="msolve-format input ('-': standard input)")
    gb.add_argument("--order", default="grevlex",
                    help="monomial order: grevlex (default; also degrevlex, drl), grlex "
                         "(degree then lex; also deglex), lex, or block with --blocks; the "
                         "first variable of the file is the largest")
    gb.add_argument("--blocks", metavar="N1,N2,...", default=None,
                    help="block sizes for --order block (grevlex inside each block, blocks "
                         "eliminated left to right), e.g. 3,1")
    gb.add_argument("--modulus", "-p", type=int, default=None,
                    help="compute over GF(p) for this prime p < 2^31 (default: the file's "
                         "characteristic; 0 means the rationals)")
    gb.add_argument("--leading-monomials", action="store_true",
                    help="print only the leading monomials (as msolve -g 1)")
    gb.add_argument("--timeout", type=float, default=None,
                    help="give up after this many seconds")
    gb.add_argument("-o", "--output", metavar="FILE.ms", default=None,
                    help="also write the basis to FILE.ms in msolve format (reusable as input)")
    gb.add_argument("--json", action="store_true", help="print the result as JSON")

    system = sub.add_parser("system", help="write the gradient system of a network's loss")
    add_problem_arguments(system)
    system.add_argument("--format", choices=FORMATS, default="msolve",
                        help="output format (default msolve)")
    system.add_argument("--integer", action="store_true",
                        help="write denominator-cleared integer equations (msolve format)")
    system.add_argument("-o", "--output", metavar="FILE", default=None,
                        help="write to FILE instead of standard output")
    return parser


def _add_solve_options(group):
    """Options of the solvers of a polynomial system (``solve --system`` and ``roots``)."""
    group.add_argument("--method", choices=["auto", "exact", "hybrid"], default="auto",
                       help="how the solutions are certified: exact (rational univariate "
                            "representation over Q), hybrid (degree mod p, monodromy, Krawczyk "
                            "proofs; falls back to exact), auto (default: hybrid for square "
                            "systems of large degree)")
    group.add_argument("--complex", action="store_true",
                       help="also list the non-real solutions (certified complex boxes)")


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
    if args.system is not None:
        return _cmd_solve_system(args, out)
    if args.method != "auto" or args.complex:
        raise ValueError("--method and --complex apply to --system FILE (a polynomial system); "
                         "a network's critical points are certified real points")
    problem = problem_from_args(args)
    system = problem.system()
    if not args.json:
        print(_describe_problem(problem, system), file=out)
    progress = _progress_printer(args)
    options = dict(digits=args.digits, timeout=args.timeout, progress=progress,
                   max_memory=_megabytes(args.max_memory),
                   positive_dimensional=args.positive_dimensional, proof=args.proof,
                   seed=args.replay)
    if args.gauge != "none":
        result = grobnet.critical_points(problem.net, problem.data, loss=problem.loss, reg=problem.reg,
                        gauge=args.gauge, **options)
    else:
        result = grobnet.critical_points(system, **options)
    if args.plot:
        grobnet.plot_critical_points(result, args.plot, seed=args.seed)
        if progress is not None:
            progress("plot", {"file": args.plot})
    if args.json:
        payload = {"dimension": result.dimension, "degree": result.degree,
                   "complete": result.complete, "reason": result.reason,
                   "guarantee": None if result.guarantee is None else
                   result.guarantee.as_dict(),
                   "seed": result.stats.get("seed"),
                   "order_check": result.stats.get("order_check"),
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
    if (result.dimension or 0) > 0 and problem.reg is None and result.gauge is None:
        print("\n" + _finite_remedy(problem), file=out)
    if args.plot:
        print(f"\nplot written to {args.plot}", file=out)
    return 0


def _megabytes(mb):
    """``--max-memory`` in bytes (``None`` stays ``None``)."""
    if mb is None:
        return None
    if not mb > 0:
        raise ValueError(f"--max-memory must be a positive number of megabytes, got {mb}")
    return int(mb * 2 ** 20)


def _progress_printer(args):
    """The stderr progress printer, when ``--progress`` is on (default: stderr is a terminal)."""
    wanted = args.progress if args.progress is not None else sys.stderr.isatty()
    return StderrProgress(sys.stderr) if wanted else None


def _finite_remedy(problem):
    """What generalized L2 regularization does to this problem (a cheap mod-p probe)."""
    reg = grobnet.GeneralizedL2(seed=1)
    system = grobnet.gradient_system(problem.net, problem.data, loss=problem.loss, reg=reg)
    hs = probe_system(system).hilbert
    dim, deg = hs.dimension, hs.degree
    return ("The critical set is infinite because of the network's symmetries (rescaling and "
            "GL(h) acting on hidden layers).\nTo make it finite, add generalized L2 "
            "regularization (one random weight per parameter; Mehta et al., TPAMI 2021):\n"
            "  add `--reg generalized-l2 --seed 1` to the command "
            "(python: reg=GeneralizedL2(seed=1)).\n"
            f"With it ({reg.describe()}), the critical set has dimension {dim} and "
            f"{deg} complex critical points (counted with multiplicity, from Groebner bases "
            "modulo two random primes)."
            + _gauge_remedy(problem) +
            "\nTo sample real points on the infinite set itself (marked as samples, not a "
            "complete list), add `--positive-dimensional slices`.")


def _gauge_remedy(problem):
    """What fixing the scale of every hidden unit does (only for homogeneous activations)."""
    try:
        fixing = grobnet.gauge_fixed_system(problem.net, problem.data, loss=problem.loss,
                                            reg=problem.reg)
    except (grobnet.NotHomogeneous, ValueError) as exc:
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


# ------------------------------------------------------------------ polynomial system files
#: options of ``solve`` that a polynomial system file shares with a network problem
_SYSTEM_OPTIONS = {"command", "system", "method", "complex", "json", "digits", "timeout",
                   "progress", "seed"}


def _network_options_given(args):
    """The network-problem options given on the command line (``--net``, ``--data``, ...)."""
    defaults = vars(build_parser().parse_args(["solve"]))
    return sorted("--" + k.replace("_", "-") for k, v in vars(args).items()
                  if k not in _SYSTEM_OPTIONS and v != defaults.get(k))


def read_system(path):
    """The :class:`~grobnet.PolynomialSystem` of an msolve-format file (``-``: standard input)."""
    if path == "-":
        return from_msolve(sys.stdin.read(), name="stdin")
    return grobnet.read_msolve(path)


def _cmd_solve_system(args, out):
    extra = _network_options_given(args)
    if extra:
        raise ValueError(f"{', '.join(extra)} describe{'s' * (len(extra) == 1)} a network "
                         "problem, but --system solves a polynomial system file: give one or "
                         "the other")
    return _solve_file(args.system, args, out, terse=False)


def _cmd_roots(args, out):
    return _solve_file(args.file, args, out, terse=True)


def _solve_file(path, args, out, terse):
    if args.digits < 1:
        raise ValueError(f"--digits must be a positive integer, got {args.digits}")
    t0 = time.perf_counter()
    system = read_system(path)
    t_read = time.perf_counter() - t0
    if system.characteristic:
        raise ValueError(f"{path} is over GF({system.characteristic}): solving (real "
                         "solutions) works over the rationals, characteristic 0; `grobnet "
                         "groebner` computes bases mod p")
    t1 = time.perf_counter()
    sols = grobnet.solve(system, complex=args.complex, digits=args.digits, method=args.method,
                         seed=args.seed, timeout=args.timeout, progress=_progress_printer(args),
                         max_memory=_megabytes(args.max_memory))
    timings = {"read": t_read, "solve": time.perf_counter() - t1}
    report_solutions(sols, system, out, as_json=args.json, digits=args.digits, timings=timings,
                     terse=terse)
    return 0


def report_solutions(sols, system, out, *, as_json=False, digits=30, timings=None, terse=False):
    """Print the :class:`~grobnet.Solutions` of ``system``: a table (``grobnet solve
    --system``), one line of intervals per real solution (``grobnet roots``, ``terse``) or
    JSON.  Every field of the answer is decided here, once, for all three forms."""
    timings = dict(timings or {})
    timings["total"] = sum(timings.values())
    timings.update({k[:-len("_time")]: v for k, v in sols.stats.items()   # the solver's stages
                    if k.endswith("_time") and k != "total_time" and isinstance(v, (int, float))})
    names = list(sols.variables)
    real = None if sols.real is None else [
        {v: _real_coordinate(x, digits) for v, x in zip(names, s.intervals)} for s in sols.real]
    cplx = None if sols.complex is None else [
        {v: {"re": _real_coordinate(z.real, digits), "im": _real_coordinate(z.imag, digits)}
         for v, z in zip(names, s.intervals)} for s in sols.complex]
    finite = sols.dimension == 0
    payload = {
        "system": system.name, "variables": names, "equations": len(system.equations),
        "dimension": sols.dimension,
        "degree": sols.degree if sols.dimension is None or sols.dimension >= 0 else 0,
        "n_real": None if real is None else len(real),
        "complete": sols.complete, "reason": sols.reason or None, "route": sols.route,
        "digits": digits, "real": real, "complex": cplx,
        "timings": {k: round(v, 6) for k, v in timings.items()},
    }
    if as_json:
        print(json.dumps(payload, indent=2), file=out)
        return payload
    state = "complete" if sols.complete else f"INCOMPLETE: {sols.reason}"
    if sols.dimension is None:
        what = ("dimension and degree unknown (the dimension probe did not finish)"
                + ("" if real is None else f", {len(real)} certified real solutions"))
    elif sols.dimension < 0:
        what = "no solution (the equations are inconsistent)"
    elif not finite:
        what = (f"positive-dimensional: dimension {sols.dimension}, degree {sols.degree} "
                "(infinitely many solutions; none listed)")
    else:
        what = (f"dimension 0, degree {sols.degree} (complex solutions with multiplicity)"
                + ("" if real is None else f", {len(real)} real"))
    if terse:
        print(f"# {system.name or 'system'}: {what}; {state}; route {sols.route or '-'}; "
              f"{timings['total']:.3g} s", file=out)
        print(",".join(names), file=out)
        for point in real or []:
            print(", ".join(f"[{c['lower']}, {c['upper']}]" for c in point.values()), file=out)
        return payload
    width = max([len(v) for v in names] + [1])
    lines = [f"system:    {system.name or 'stdin'}: {len(system.equations)} equations in "
             f"{len(names)} variables ({', '.join(names[:8])}{', ...' if len(names) > 8 else ''})",
             f"solutions: {what}",
             f"complete:  {'yes' if sols.complete else 'NO: ' + sols.reason}",
             f"route:     {sols.route or '-'}",
             "time:      " + f"{timings['total']:.3g} s (" + ", ".join(
                 f"{k} {v:.3g} s" for k, v in timings.items() if k != "total") + ")"]
    if real:
        radius = max(float(x.rad()) for s in sols.real for x in s.intervals)
        lines.append(f"\n{len(real)} real solution{'s' * (len(real) != 1)} (each value is the "
                     f"midpoint of a certified box of radius <= {radius:.1e}; --json gives "
                     "the intervals):")
        for k, point in enumerate(real, 1):
            lines.append(f"  #{k}")
            lines += [f"    {v:<{width}} = {c['value']}" for v, c in point.items()]
    if cplx:
        others = [p for p, s in zip(cplx, sols.complex) if not s.is_real]
        lines.append(f"\n{len(others)} non-real solution{'s' * (len(others) != 1)} "
                     "(midpoints of certified boxes):")
        for k, point in enumerate(others, 1):
            lines.append(f"  #{k}")
            lines += [f"    {v:<{width}} = {c['re']['value']} {_signed(c['im']['value'])}*I"
                      for v, c in point.items()]
    print("\n".join(lines), file=out)
    return payload


def _signed(text):
    return f"- {text[1:]}" if text.startswith("-") else f"+ {text}"


def _real_coordinate(x, digits):
    """A certified real interval as exact decimal endpoints (rounded outward to ``digits``
    significant digits) and its midpoint to ``digits`` digits."""
    m, r, e = (int(v) for v in x.mid_rad_10exp(digits + 2))
    return {"lower": _decimal(m - r, e, digits, up=False),
            "upper": _decimal(m + r, e, digits, up=True),
            "value": x.str(digits, radius=False)}


def _decimal(n, e, digits, up):
    """``n * 10**e`` rounded to ``digits`` significant digits (up: towards +inf, else -inf),
    as an exact decimal string (scientific notation for very small or large numbers)."""
    extra = len(str(abs(n))) - digits
    if extra > 0:
        n = -((-n) // 10**extra) if up else n // 10**extra
        e += extra
    if n == 0:
        return "0"
    sign, text = ("-" if n < 0 else ""), str(abs(n)).rstrip("0")
    e += len(str(abs(n))) - len(text)
    point = len(text) + e                   # the value is 0.text * 10**point
    if not -6 < point <= 21:
        frac = text[1:]
        return f"{sign}{text[0]}{'.' + frac if frac else ''}e{point - 1}"
    if e >= 0:
        return sign + text + "0" * e
    text = text.rjust(-e + 1, "0")
    return sign + text[:e] + "." + text[e:]


def _cmd_groebner(args, out):
    t0 = time.perf_counter()
    system = read_system(args.file)
    t_read = time.perf_counter() - t0
    blocks = None
    if args.blocks is not None:
        try:
            blocks = tuple(int(b) for b in args.blocks.split(","))
        except ValueError:
            raise ValueError(f"--blocks {args.blocks!r}: expected sizes like 3,1") from None
    modulus = args.modulus
    if modulus == 0:
        if system.characteristic:
            raise ValueError(f"--modulus 0 (the rationals), but {args.file} is over "
                             f"GF({system.characteristic})")
        modulus = None
    t1 = time.perf_counter()
    G = grobnet.groebner(system, order=args.order, blocks=blocks, modulus=modulus,
                         timeout=args.timeout)
    t_basis = time.perf_counter() - t1
    # the basis is in sympy's order (decreasing leading monomial); the command prints it by
    # increasing leading monomial, as msolve -g does
    lms = G.leading_monomials()[::-1]
    polys = G.polys[::-1]
    p = getattr(G, "modulus", None)
    names = list(system.variables)
    graded = G.order in ("grevlex", "grlex")
    dim, deg = grobnet.dimension_and_degree(lms, len(names)) if names else (-1 if polys else 0, 1)
    complete = getattr(G, "complete", True)
    reason = getattr(G, "reason", "") or None
    field = f"GF({p})" if p else "QQ"
    if args.output:
        with open(args.output, "w", encoding="utf-8") as fh:
            fh.write(",".join(names) + f"\n{p or 0}\n" + ",\n".join(map(str, polys)) + "\n")
    if args.json:
        payload = {"system": system.name, "variables": names, "field": field,
                   "characteristic": p or 0, "order": G.order,
                   "blocks": list(G.blocks) if G.blocks else None,
                   "size": len(polys), "dimension": dim,
                   "degree": deg if graded or dim == 0 else None,
                   "complete": complete, "reason": reason,
                   "leading_monomials": [list(m) for m in lms],
                   "polynomials": None if args.leading_monomials else [str(f) for f in polys],
                   "timings": {"read": round(t_read, 6), "basis": round(t_basis, 6)}}
        print(json.dumps(payload, indent=2), file=out)
        return 0
    order = G.order + (f"({','.join(map(str, G.blocks))})" if G.blocks else "")
    size = f"dimension {dim}" if dim >= 0 else "the unit ideal (no solution)"
    if dim >= 0 and (graded or dim == 0):
        size += f", degree {deg}"
    extra = ""
    if p is None:
        extra = f", {len(G.primes)} primes, verified {G.verified or 'no'}"
    lines = [f"# Groebner basis of {system.name or 'stdin'}: {len(polys)} polynomials in "
             f"{','.join(names)} over {field}, order {order}",
             f"# {size}; {'complete' if complete else 'INCOMPLETE: ' + str(reason)}{extra}; "
             f"{t_basis:.3g} s" + (f"; written to {args.output}" if args.output else ""),
             "# by increasing leading monomial:"]
    if args.leading_monomials:
        lines += [_monomial(m, names) for m in lms]
    else:
        lines += [f"{f}," for f in polys[:-1]] + [str(f) for f in polys[-1:]]
    print("\n".join(lines), file=out)
    return 0


def _monomial(exps, names):
    parts = [v if e == 1 else f"{v}^{e}" for v, e in zip(names, exps) if e]
    return "*".join(parts) or "1"


def main(argv=None, out=None):
    """Run the ``grobnet`` command; returns the exit status (errors -> status 2 on stderr,
    a time budget exceeded -> status 3)."""
    out = sys.stdout if out is None else out
    parser = build_parser()
    args = parser.parse_args(argv)
    commands = {"solve": _cmd_solve, "roots": _cmd_roots, "groebner": _cmd_groebner,
                "system": _cmd_system}
    try:
        return commands[args.command](args, out)
    except BrokenPipeError:                     # the reader (e.g. `| head`) stopped reading
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except grobnet.BudgetExceeded as exc:
        parser.exit(3, f"grobnet {args.command}: stopped: {exc}\n")
    except (ValueError, OSError, ImportError) as exc:
        parser.exit(2, f"grobnet {args.command}: error: {exc}\n")


if __name__ == "__main__":
    sys.exit(main())
