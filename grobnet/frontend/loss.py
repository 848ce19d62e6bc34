"""Training loss of a network as an exact polynomial, and its gradient system.

Conventions (the seed's):

* **MSE** (``loss="mse"``): L(θ) = (1/m) Σᵢ Σₖ (fₖ(xᵢ; θ) − yᵢₖ)² over the m data points;
* **SSE** (``loss="sse"``): the same sum without the 1/m;
* **L2(λ)** adds λ·Σⱼ θⱼ² over *every* parameter, biases included;
* **generalized L2** adds Σⱼ λⱼ θⱼ² with one λⱼ per parameter (in
  :attr:`Network.parameters` order), given, or drawn from a seed: λⱼ = k/1000
  with k uniform in {1, …, 1000} (so λⱼ ∈ [1/1000, 1]), k drawn one parameter
  after the other by ``random.Random(seed).randint(1, 1000)`` — reproducible
  across platforms and Python versions, and the generator behind the shared
  ``nn_*_gl2.ms`` benchmark systems (seeds 1, 2, 3).

:func:`gradient_system` returns the polynomial system ∂L/∂θⱼ = 0 (j in parameter
order), whose solutions are the critical points of L.

Construction (python-flint arithmetic, no sympy): the residual of output k at
point i is rᵢₖ = Σ_α xᵢ^α c_{kα}(θ) − yᵢₖ where c_{kα} are the coefficients of
the network's output as a polynomial in *symbolic* inputs x.  Hence
Σᵢ rᵢₖ² = Pᵀ G P with P = (c_{kα}, 1) and the small Gram matrix
G = Σᵢ vᵢ vᵢᵀ, vᵢ = (xᵢ^α, −yᵢₖ).  The loss costs one "square" of the output
polynomial however many data points there are (instead of one per point);
the gradient is then flint's exact ``derivative``.
"""
from __future__ import annotations

import numbers
import random
from dataclasses import dataclass
from fractions import Fraction

import flint

from grobnet.frontend.activations import to_fmpq
from grobnet.frontend.data import as_dataset
from grobnet.frontend.network import Network
from grobnet.frontend.system import PolynomialSystem

__all__ = ["L2", "GeneralizedL2", "as_regularization", "loss_polynomial", "gradient_system",
           "LOSSES"]

#: Supported loss kinds.
LOSSES = ("mse", "sse")


def _nonnegative_rational(value, what):
    try:
        q = to_fmpq(value, what)
    except ValueError as exc:
        raise ValueError(str(exc).replace("activation coefficients", "regularization weights")) \
            from None
    if q < 0:
        raise ValueError(f"{what} {q} is negative; regularization weights must be >= 0")
    return q


@dataclass(frozen=True)
class L2:
    """Uniform L2 regularization λ·Σⱼ θⱼ² over every parameter (biases included).

    ``lam`` must be an exact non-negative rational (int, Fraction, fmpq, or text like ``"1/10"``).
    """
    lam: object

    def __post_init__(self):
        object.__setattr__(self, "lam", _nonnegative_rational(self.lam, "L2 weight lambda"))

    def weights(self, n_parameters):
        """The per-parameter weights λⱼ (all equal to λ)."""
        return [self.lam] * n_parameters

    def describe(self):
        return f"L2(lambda={self.lam})"


@dataclass(frozen=True)
class GeneralizedL2:
    """Generalized L2 regularization Σⱼ λⱼ θⱼ², one weight per parameter.

    Give ``lams`` (one exact rational per parameter, in parameter order) or
    ``seed`` (then λⱼ = k/1000, k = ``random.Random(seed).randint(1, 1000)`` drawn in
    parameter order, so λⱼ ∈ [1/1000, 1]).  With a seed the same network always gets the
    same weights; a prefix of the draws is shared between networks of different sizes.
    """
    lams: tuple = None
    seed: int = None

    def __post_init__(self):
        if self.lams is None and self.seed is None:
            raise ValueError("GeneralizedL2 needs either lams (one per parameter) or a seed")
        if self.lams is not None and self.seed is not None:
            raise ValueError("GeneralizedL2 takes lams or seed, not both")
        if self.lams is not None:
            if isinstance(self.lams, (str, bytes)) or not hasattr(self.lams, "__len__"):
                raise TypeError(f"lams must be a sequence of rationals, not {type(self.lams).__name__}")
            lams = tuple(_nonnegative_rational(v, f"generalized L2 weight lams[{j}]")
                         for j, v in enumerate(self.lams))
            object.__setattr__(self, "lams", lams)
        else:
            if isinstance(self.seed, bool) or not isinstance(self.seed, numbers.Integral):
                raise TypeError(f"seed must be an integer, not {self.seed!r}")
            object.__setattr__(self, "seed", int(self.seed))

    def weights(self, n_parameters):
        """The λⱼ for a network with ``n_parameters`` parameters."""
        if self.lams is not None:
            if len(self.lams) != n_parameters:
                raise ValueError(f"generalized L2 has {len(self.lams)} weights but the network has "
                                 f"{n_parameters} parameters")
            return list(self.lams)
        rng = random.Random(self.seed)
        return [flint.fmpq(rng.randint(1, 1000), 1000) for _ in range(n_parameters)]

    def describe(self):
        if self.lams is not None:
            return "generalized L2(lams=[" + ", ".join(map(str, self.lams)) + "])"
        return f"generalized L2(seed={self.seed})"


def as_regularization(reg, seed=None, lam=None):
    """Normalise ``reg``: ``None``/``"none"``, an :class:`L2`/:class:`GeneralizedL2`, a rational
    (uniform L2 weight), ``"l2"`` (weight ``lam``, default 1/10), or ``"generalized-l2"``
    (weights from ``seed``, default 0)."""
    if reg is None:
        return None
    if isinstance(reg, (L2, GeneralizedL2)):
        return reg
    if isinstance(reg, str):
        key = reg.strip().lower().replace("_", "-")
        if key in ("none", ""):
            return None
        if key == "l2":
            return L2(Fraction(1, 10) if lam is None else lam)
        if key in ("generalized-l2", "gl2", "generalized"):
            return GeneralizedL2(seed=0 if seed is None else seed)
        raise ValueError(f"unknown regularization {reg!r} (none, l2, generalized-l2)")
    if isinstance(reg, (numbers.Number, flint.fmpq, flint.fmpz)) and not isinstance(reg, bool):
        return L2(reg)
    raise TypeError(f"regularization {reg!r} of type {type(reg).__name__} is not understood")


def _dataset_for(net, data):
    """``data`` as a :class:`Dataset` that fits ``net`` (a table's trailing ``net.n_outputs``
    columns are its targets)."""
    if not isinstance(net, Network):
        raise TypeError(f"net must be a grobnet Network, not {type(net).__name__}")
    data = as_dataset(data, n_outputs=net.n_outputs)
    _check_compatible(net, data)
    return data


def _check_compatible(net, data):
    if data.n_inputs != net.n_inputs:
        raise ValueError(f"data points have {data.n_inputs} inputs but the network "
                         f"{list(net.widths)} takes {net.n_inputs}")
    if data.n_outputs != net.n_outputs:
        raise ValueError(f"data targets have {data.n_outputs} outputs but the network "
                         f"{list(net.widths)} has {net.n_outputs}")


def _monomial_value(x, alpha):
    v = flint.fmpq(1)
    for xi, a in zip(x, alpha):
        if a:
            v *= xi ** int(a)
    return v


def _sum_of_squared_residuals(net, data, ctx):
    """Σᵢ Σₖ (fₖ(xᵢ) − yᵢₖ)² as an fmpq_mpoly over ``ctx`` (Gram-matrix construction)."""
    n, d = net.n_parameters, net.n_inputs
    mixed = flint.fmpq_mpoly_ctx.get(net.parameters + tuple(f"x_{i}" for i in range(d)),
                                     "degrevlex")
    outputs = net.symbolic_outputs(ctx=mixed)
    total = ctx.constant(0)
    for k, fk in enumerate(outputs):
        # split f_k(θ, x) = Σ_α c_α(θ) x^α
        groups = {}
        for monom, coeff in fk.terms():
            alpha = tuple(int(e) for e in monom[n:])
            groups.setdefault(alpha, {})[tuple(monom[:n])] = coeff
        alphas = sorted(groups)
        P = [ctx.from_dict(groups[a]) for a in alphas] + [ctx.constant(1)]
        # Gram matrix G = Σᵢ vᵢ vᵢᵀ with vᵢ = (xᵢ^α..., −yᵢₖ)
        size = len(P)
        G = [[flint.fmpq(0)] * size for _ in range(size)]
        for x, y in zip(data.inputs, data.targets):
            v = [_monomial_value(x, a) for a in alphas] + [-y[k]]
            for a in range(size):
                va = v[a]
                if va == 0:
                    continue
                row = G[a]
                for b in range(a, size):
                    row[b] += va * v[b]
        # Pᵀ G P = Σ_a P_a (G_aa P_a + 2 Σ_{b>a} G_ab P_b)
        for a in range(size):
            partner = G[a][a] * P[a]
            for b in range(a + 1, size):
                if G[a][b] != 0:
                    partner += (2 * G[a][b]) * P[b]
            if not partner.is_zero():
                total += P[a] * partner
    return total


def loss_polynomial(net, data, loss="mse", reg=None):
    """The training loss L(θ) as an ``fmpq_mpoly`` over ``net.context()`` (see module doc).

    ``data``: anything :func:`~grobnet.frontend.data.as_dataset` reads (a list of
    ``(input, target)`` samples, a pair ``(inputs, targets)``, an array, a DataFrame, a
    CSV path, ``"xor"``, a :class:`Dataset`)."""
    data = _dataset_for(net, data)
    if not isinstance(loss, str) or loss.lower() not in LOSSES:
        raise ValueError(f"unknown loss {loss!r}; expected one of {', '.join(LOSSES)}")
    reg = as_regularization(reg)
    ctx = net.context()
    L = _sum_of_squared_residuals(net, data, ctx)
    if loss.lower() == "mse":
        L = L * flint.fmpq(1, data.m)
    if reg is not None:
        lams = reg.weights(net.n_parameters)
        L = L + ctx.from_dict({tuple(2 if i == j else 0 for i in range(net.n_parameters)): lam
                               for j, lam in enumerate(lams) if lam != 0})
    return L


def gradient_system(net, data, loss="mse", reg=None, name=None):
    """The critical-point equations ∂L/∂θⱼ = 0 as a :class:`PolynomialSystem`.

    ``data``: a :class:`Dataset`, a list of ``(input, target)`` samples, a pair
    ``(inputs, targets)``, a 2-D array or pandas DataFrame (targets last), a CSV
    path, or ``"xor"`` (see :func:`~grobnet.frontend.data.as_dataset`).
    ``loss``: ``"mse"`` or ``"sse"``.  ``reg``: ``None``, :class:`L2`,
    :class:`GeneralizedL2`, or a spec accepted by :func:`as_regularization`.
    The system's ``loss`` is L, its ``metadata`` records the network, the data,
    the loss kind, the regularization and the λⱼ used.
    """
    data = _dataset_for(net, data)
    reg = as_regularization(reg)
    L = loss_polynomial(net, data, loss=loss, reg=reg)
    equations = [L.derivative(j) for j in range(net.n_parameters)]
    lams = reg.weights(net.n_parameters) if reg is not None else None
    if name is None:
        label = f"{data.name} " if data.name else ""
        name = f"{label}[{','.join(map(str, net.widths))}] {net.activation.name}"
        if net.bias:
            name += " bias"
        if reg is not None:
            name += " " + ("l2" if isinstance(reg, L2) else "gl2")
    metadata = {
        "network": net,
        "data": data,
        "loss_kind": loss.lower(),
        "regularization": reg,
        "lambdas": lams,
        "description": (f"gradient of {loss.upper()} loss of {net.describe()} on "
                        f"{data.describe()}"
                        + (f", {reg.describe()}" if reg is not None else ", no regularization")),
    }
    return PolynomialSystem(net.parameters, equations, characteristic=0, loss=L,
                            metadata=metadata, name=name)
