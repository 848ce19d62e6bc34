r"""Gauge fixing: remove the scaling symmetry of homogeneous hidden units.

The symmetry
------------
Let every hidden unit have the activation ``σ(z) = c·z^k`` (``k >= 1``, ``c != 0``:
identity, ``z^2``, ...).  For a hidden unit ``u = (l, j)`` and a real ``α != 0``, let
``g_u(α)`` multiply the unit's incoming weights ``w{l}_{j}_*`` (and its bias) by
``α`` and its outgoing weights ``w{l+1}_*_{j}`` by ``α^-k``.  Since
``σ(α z) = α^k σ(z)``, the network function is unchanged, so the *unregularized*
loss is invariant: ``L ∘ g_u(α) = L``.  The torus ``T = (R*)^H`` (``H`` hidden units)
acts linearly and diagonally, and every critical point lies on an orbit of
critical points (``∇L(gθ) = g^{-T} ∇L(θ)``), so the critical set is at least
``H``-dimensional around points where the action is free.

``z + z^2`` is not homogeneous (``σ(αz) != α^k σ(z)``): there is no such symmetry
and nothing to fix, so :func:`gauge_fixed_system` refuses it.  Regularization
(L2, generalized L2) breaks the invariance, so it refuses that too: fixing a
weight of a non-invariant loss would change its critical points.

The fixed system
----------------
For every hidden unit ``u = (l, j)`` choose one incoming weight
``f_u = w{l}_{j}_{i_u}`` and set it to 1.  The gauge-fixed loss is
``L~ = L|_{f_u = 1 for all u}`` in the remaining variables and the fixed system is
``∇L~ = 0`` (the partial derivatives of ``L`` in the *free* variables, on the slice
``S = {f_u = 1}``).

**Theorem.**  (a) Every critical point of ``L~`` is a critical point of ``L``
(with the fixed weights inserted).  (b) Every critical point of ``L`` at which
no fixed weight vanishes lies on exactly one ``T``-orbit meeting ``S``, in exactly
one point, and that point is a critical point of ``L~``: critical points of
``L~`` correspond one to one to ``T``-orbits of critical points of ``L`` with all
``f_u != 0``.  (c) At such a point ``L = L~ ∘ π`` near ``θ`` for a submersion ``π``
along the orbits, so the loss values agree and the Hessian of ``L`` is that of
``L~`` plus ``H`` zero eigenvalues (the orbit directions): a minimum / saddle of
index ``k`` / maximum of ``L~`` is a (non-isolated) minimum / saddle of index
``k`` / maximum of ``L``.

*Proof.*  (a) Differentiate ``L(g_u(α)θ) = L(θ)`` at ``α = 1``: the Euler identity

    E_u:  Σ_{in(u)} θ_m ∂_m L  -  k Σ_{out(u)} θ_m ∂_m L  =  0   for all θ.

At a critical point of ``L~`` every partial ``∂_m L`` with ``m`` free vanishes, so
``E_u`` only keeps fixed variables, all equal to 1.  ``f_u`` is incoming for ``u``
(coefficient 1) and outgoing only for unit ``(l-1, i_u)``; so ``E_u`` reads
``∂_{f_u} L = k Σ_{u' in layer l+1, i_{u'} = j} ∂_{f_{u'}} L``.  For the last hidden
layer the sum is empty (output weights are never fixed), hence ``∂_{f_u} L = 0``;
descending layer by layer, all ``∂_{f_u} L = 0``: the point is critical for ``L``.
(b) Given ``θ`` with all ``f_u != 0``, the fixed weight of ``u = (l, j)`` becomes
``α_u · α_{(l-1, i_u)}^{-k} · f_u`` under ``g(α)`` (the second factor only for
``l >= 2``); solving ``= 1`` layer by layer gives one and only one ``α`` (over the
reals: ``α_u`` is determined, sign included).  ``g(α)θ`` is critical since ``g``
is linear and invertible and ``L ∘ g = L``.  (c) By the same triangular structure
the map ``α -> (fixed weights of g(α)θ)`` has an invertible Jacobian at ``α = 1``,
so the orbits cross ``S`` transversally and ``θ -> (the point of S on θ's orbit)``
is a smooth submersion ``π`` near ``θ`` with ``L = L~ ∘ π``.  ∎

What is lost
------------
Critical points at which some fixed weight is 0 have no representative.  These
include every point where a unit's incoming weights all vanish (a *dead* unit,
for instance the origin), whose outgoing weights are then free: such sets are
positive-dimensional whatever the gauge.  To cover a stratum ``f_u = 0``, solve the
original system with ``f_u = 0`` added and another incoming weight of ``u`` fixed
(``fixed=`` chooses which).  Critical *values* found on the fixed system are
critical values of ``L``; values attained only where a fixed weight vanishes are
missed (compare with :func:`grobnet.analysis.critical_values` on the original).

Permutations
------------
Hidden units of one layer can be permuted without changing the function.  That is
a finite symmetry whose natural fix is an inequality (order the units), which a
polynomial system cannot express; instead :meth:`GaugeFixing.permutation_classes`
groups the solutions of the fixed system into classes of points that are
permutations of each other (after re-fixing the scale).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from grobnet.frontend import PolynomialSystem, gradient_system
from grobnet.frontend.loss import as_regularization

__all__ = ["GaugeFixing", "NotHomogeneous", "gauge_fixed_system", "homogeneous_degree"]


class NotHomogeneous(ValueError):
    """The activation (or the regularized loss) has no scaling symmetry to fix."""


def homogeneous_degree(activation) -> int | None:
    """``k`` if the activation is ``c·z^k`` (``k >= 1``), else ``None``."""
    nonzero = [k for k, c in enumerate(activation.coefficients) if c != 0]
    if len(nonzero) == 1 and nonzero[0] >= 1:
        return nonzero[0]
    return None


@dataclass
class GaugeFixing:
    """A gauge-fixed gradient system and its relation to the original (see module doc).

    ``system``: the fixed :class:`~grobnet.frontend.PolynomialSystem` (free variables
    only, ``loss`` = ``L~``); ``original``: the original gradient system;
    ``fixed``: parameter name -> the value it is fixed to (1); ``degree``: the
    homogeneity degree ``k``; ``relation``: the theorem in words.
    """

    system: object
    original: object
    network: object
    fixed: dict
    degree: int
    relation: str = ""
    units: list = field(default_factory=list)     # [(layer, unit, fixed input index)]

    def full_point(self, free_values) -> list:
        """The original parameters (in the network's order) of a point of the fixed system."""
        vals = dict(zip(self.system.variables, free_values))
        vals.update(self.fixed)
        return [vals[name] for name in self.original.variables]

    def regauge(self, theta) -> np.ndarray | None:
        """The point of the slice on the scaling orbit of ``theta`` (floats), or ``None`` when a
        fixed weight vanishes (to ``1e-9`` relative) so that the orbit misses the slice."""
        net, k = self.network, self.degree
        theta = np.array(theta, dtype=float)
        scale = float(np.max(np.abs(theta))) or 1.0
        for layer, unit, inp in self.units:          # layer by layer, as in the proof
            W, b = net.layer_indices(layer)
            f = theta[W[unit][inp]]
            if abs(f) <= 1e-9 * scale:
                return None
            alpha = 1.0 / f
            for i in W[unit]:
                theta[i] *= alpha
            if b is not None:
                theta[b[unit]] *= alpha
            Wn, _ = net.layer_indices(layer + 1)
            for row in Wn:
                theta[row[unit]] *= alpha ** (-k)
        return theta

    def permute(self, theta, perms) -> np.ndarray:
        """Apply one permutation per hidden layer (``perms[l-1]`` for layer ``l``) to ``theta``."""
        net = self.network
        theta = np.asarray(theta, dtype=float)
        out = theta.copy()
        for layer in range(1, net.n_layers + 1):
            W, b = net.layer_indices(layer)
            rows = perms[layer - 1] if layer < net.n_layers else list(range(len(W)))
            cols = perms[layer - 2] if layer >= 2 else list(range(len(W[0])))
            for j, row in enumerate(W):
                for i, idx in enumerate(row):
                    out[idx] = theta[W[rows[j]][cols[i]]]
                if b is not None:
                    out[b[j]] = theta[b[rows[j]]]
        return out

    def permutation_classes(self, points, digits: int = 8) -> list:
        """Group points of the fixed system (free coordinates, floats) into classes related
        by permutations of hidden units: a list of lists of indices into ``points``."""
        net = self.network
        layers = [range(w) for w in net.widths[1:-1]]
        all_perms = list(itertools.product(*(itertools.permutations(r) for r in layers)))
        keys = []
        for pt in points:
            theta = np.array(self.full_point(list(pt)), dtype=float)
            best = None
            for perms in all_perms:
                moved = self.regauge(self.permute(theta, perms))
                if moved is None:
                    continue
                key = tuple(np.round(moved, digits) + 0.0)
                best = key if best is None or key < best else best
            keys.append(best)
        classes: dict = {}
        for i, key in enumerate(keys):
            classes.setdefault(key, []).append(i)
        return list(classes.values())

    def __repr__(self):
        return (f"GaugeFixing({len(self.fixed)} weights fixed to 1, degree {self.degree}: "
                f"{self.original.nvars} -> {self.system.nvars} variables)")


def gauge_fixed_system(net, data, loss: str = "mse", reg=None, fixed=None) -> GaugeFixing:
    """The gradient system of ``net`` with the scale of every hidden unit fixed.

    ``fixed`` maps ``(layer, unit)`` to the input index of the incoming weight to fix
    (default 0 for every hidden unit).  Raises :class:`NotHomogeneous` when the hidden
    activation is not ``c·z^k`` or when ``reg`` is given, and ``ValueError`` when the
    network has no hidden layer.  See the module docstring for what the fixed system
    means.
    """
    if as_regularization(reg) is not None:
        raise NotHomogeneous(
            f"gauge fixing needs an unregularized loss: {as_regularization(reg).describe()} is "
            "not invariant under rescaling hidden units, so fixing a weight would change the "
            "critical points (regularization already removes the symmetry)")
    k = homogeneous_degree(net.activation)
    if k is None:
        raise NotHomogeneous(
            f"activation {net.activation.polynomial_string()} is not homogeneous (c*z^k): "
            "sigma(a*z) != a^k*sigma(z), so hidden units have no scaling symmetry to fix")
    if net.n_layers < 2:
        raise ValueError(f"{net.describe()} has no hidden layer: there is no gauge to fix")
    original = gradient_system(net, data, loss=loss)
    fixed = dict(fixed or {})
    units, values = [], {}
    for layer in range(1, net.n_layers):
        for unit in range(net.widths[layer]):
            inp = fixed.pop((layer, unit), 0)
            if not 0 <= inp < net.widths[layer - 1]:
                raise ValueError(f"fixed[({layer}, {unit})] = {inp}: layer {layer} units have "
                                 f"{net.widths[layer - 1]} incoming weights")
            units.append((layer, unit, inp))
            values[net.weight_name(layer, unit, inp)] = 1
    if fixed:
        raise ValueError(f"fixed names units that are not hidden units: {sorted(fixed)}")
    free = [v for v in original.variables if v not in values]
    L = original.loss.subs(values)
    idx = [original.variables.index(v) for v in free]
    # L~ as a polynomial in the free variables only
    terms = {tuple(int(e[i]) for i in idx): c for e, c in L.terms()}
    loss_free = PolynomialSystem(free, [], loss=None).ctx.from_dict(terms)
    equations = [loss_free.derivative(i) for i in range(len(free))]
    metadata = dict(original.metadata)
    relation = (f"{len(values)} hidden-unit weights fixed to 1 ({', '.join(values)}); activation "
                f"homogeneous of degree {k}. Each critical point of the fixed system is a critical "
                "point of the original loss; each scaling orbit of critical points with all fixed "
                "weights nonzero has exactly one representative; points where a fixed weight is 0 "
                "are not represented. Loss values and Hessian index agree (the original Hessian "
                f"has {len(values)} extra zero eigenvalues along the orbit).")
    metadata.update({"gauge": "fix-scale", "fixed": dict(values), "description":
                     metadata.get("description", "") + f"; gauge: {', '.join(values)} = 1"})
    system = PolynomialSystem(free, equations, loss=loss_free, metadata=metadata,
                              name=(original.name or "") + " gauge-fixed")
    return GaugeFixing(system, original, net, values, k, relation, units)
