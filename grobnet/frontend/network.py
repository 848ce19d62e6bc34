"""Fully connected polynomial networks and their parameters.

``Network(widths, activation, bias, output_activation)`` describes the map

    h⁰ = x,   zˡ = Wˡ hˡ⁻¹ (+ bˡ),   hˡ = σ(zˡ) for hidden layers,   f(x) = zᴸ (or τ(zᴸ)),

with ``L = len(widths) - 1`` layers.  Output layer linear unless
``output_activation`` is given.

Parameter naming (the convention of ``/work/shared/systems/nn_*.ms``):
layers are numbered **from 1**, units **from 0**.  ``w{l}_{j}_{i}`` is the
weight from unit i of layer l−1 (the inputs, for l = 1) to unit j of layer l,
and ``b{l}_{j}`` is unit j's bias.  The canonical order of
:attr:`Network.parameters` (= the variable order of the gradient system,
first variable largest) is layer by layer, unit by unit, each unit's
incoming weights in input order followed by its bias::

    [2,2,1] with bias:  w1_0_0, w1_0_1, b1_0, w1_1_0, w1_1_1, b1_1, w2_0_0, w2_0_1, b2_0
"""
from __future__ import annotations

import numbers

import flint
import numpy as np

from grobnet.frontend.activations import get_activation, to_fmpq

__all__ = ["Network"]


class Network:
    """A fully connected network with a polynomial activation.

    Parameters
    ----------
    widths : sequence of positive ints
        Layer widths, inputs first: ``[2, 2, 1]`` is 2 inputs, one hidden layer of 2, 1 output.
    activation : activation spec
        Hidden-layer activation; see :func:`grobnet.frontend.activations.get_activation`.
    bias : bool
        Whether every layer (output included) has biases.
    output_activation : activation spec or None
        Activation on the output layer; ``None`` (default) means linear output.
    """

    def __init__(self, widths, activation="identity", bias=False, output_activation=None):
        if isinstance(widths, str):
            widths = parse_widths(widths)
        try:
            widths = list(widths)
        except TypeError:
            raise TypeError(f"widths must be a sequence of positive integers, not "
                            f"{type(widths).__name__}") from None
        if len(widths) < 2:
            raise ValueError(f"widths {widths} need at least two entries (inputs and outputs)")
        for k, w in enumerate(widths):
            if isinstance(w, bool) or not isinstance(w, numbers.Integral):
                if isinstance(w, float) and w.is_integer():
                    raise TypeError(f"width {k} is the float {w!r}; widths must be integers")
                raise TypeError(f"width {k} is {w!r} of type {type(w).__name__}, not an integer")
            if w < 1:
                raise ValueError(f"width {k} is {w}; widths must be positive integers")
        if type(bias).__name__ not in ("bool", "bool_", "int") or bias not in (0, 1):
            raise TypeError(f"bias must be True or False, not {bias!r}")
        self.widths = tuple(int(w) for w in widths)
        self.activation = get_activation(activation)
        self.output_activation = (None if output_activation is None
                                  else get_activation(output_activation))
        self.bias = bool(bias)
        self.parameters = tuple(self._parameter_names())
        self._index = {name: k for k, name in enumerate(self.parameters)}

    # -- structure ---------------------------------------------------------
    @property
    def n_layers(self):
        """Number of weight layers L (= len(widths) - 1)."""
        return len(self.widths) - 1

    @property
    def n_inputs(self):
        return self.widths[0]

    @property
    def n_outputs(self):
        return self.widths[-1]

    @property
    def n_parameters(self):
        """Number of parameters (weights and biases)."""
        return len(self.parameters)

    def _parameter_names(self):
        for l in range(1, len(self.widths)):
            for j in range(self.widths[l]):
                for i in range(self.widths[l - 1]):
                    yield f"w{l}_{j}_{i}"
                if self.bias:
                    yield f"b{l}_{j}"

    def index(self, name):
        """Position of parameter ``name`` in :attr:`parameters`."""
        try:
            return self._index[name]
        except KeyError:
            raise KeyError(f"no parameter named {name!r} in {self.describe()}") from None

    def weight_name(self, layer, out, inp):
        """Name of the weight from unit ``inp`` of layer ``layer-1`` to unit ``out`` of ``layer``."""
        return f"w{layer}_{out}_{inp}"

    def bias_name(self, layer, out):
        """Name of unit ``out``'s bias in layer ``layer`` (only meaningful if ``bias``)."""
        return f"b{layer}_{out}"

    def layer_indices(self, layer):
        """``(W, b)``: indices into :attr:`parameters` of layer ``layer`` (1-based).

        ``W[j][i]`` is the index of ``w{layer}_{j}_{i}``; ``b[j]`` of ``b{layer}_{j}`` (``b`` is
        ``None`` without biases).
        """
        if not 1 <= layer <= self.n_layers:
            raise ValueError(f"layer {layer} out of range 1..{self.n_layers}")
        W = [[self._index[self.weight_name(layer, j, i)] for i in range(self.widths[layer - 1])]
             for j in range(self.widths[layer])]
        b = [self._index[self.bias_name(layer, j)] for j in range(self.widths[layer])] \
            if self.bias else None
        return W, b

    def context(self):
        """The ``fmpq_mpoly_ctx`` (degrevlex) whose variables are the parameters in order."""
        return flint.fmpq_mpoly_ctx.get(self.parameters, "degrevlex")

    def describe(self):
        """E.g. ``'[2,2,1] z+z^2, bias'``."""
        arch = "[" + ",".join(map(str, self.widths)) + "]"
        parts = [f"{arch} {self.activation.name}"]
        if self.output_activation is not None:
            parts.append(f"output {self.output_activation.name}")
        parts.append("bias" if self.bias else "no bias")
        return ", ".join(parts)

    def __repr__(self):
        out = "" if self.output_activation is None else \
            f", output_activation={self.output_activation.name!r}"
        return (f"Network({list(self.widths)}, activation={self.activation.name!r}, "
                f"bias={self.bias}{out})")

    def __eq__(self, other):
        if not isinstance(other, Network):
            return NotImplemented
        return (self.widths, self.activation, self.bias, self.output_activation) == \
            (other.widths, other.activation, other.bias, other.output_activation)

    def __hash__(self):
        return hash((self.widths, self.activation, self.bias, self.output_activation))

    # -- evaluation --------------------------------------------------------
    def _theta_vector(self, params):
        """``params`` (dict name->value, or sequence in canonical order) -> list."""
        if isinstance(params, dict):
            missing = [p for p in self.parameters if p not in params]
            if missing:
                raise ValueError(f"missing parameter values for {missing[:5]}"
                                 f"{' ...' if len(missing) > 5 else ''}")
            extra = [k for k in params if k not in self._index]
            if extra:
                raise ValueError(f"unknown parameters {extra[:5]} for {self.describe()}")
            return [params[p] for p in self.parameters]
        vals = list(params)
        if len(vals) != self.n_parameters:
            raise ValueError(f"{len(vals)} parameter values given, the network has "
                             f"{self.n_parameters}")
        return vals

    def unpack(self, params):
        """Numeric parameters -> list of ``(W, b)`` float numpy arrays per layer (b zeros if no bias)."""
        theta = np.asarray(self._theta_vector(params), dtype=float)
        layers = []
        for l in range(1, self.n_layers + 1):
            W_idx, b_idx = self.layer_indices(l)
            W = theta[np.array(W_idx, dtype=int)]
            b = theta[np.array(b_idx, dtype=int)] if b_idx is not None else np.zeros(len(W_idx))
            layers.append((W, b))
        return layers

    def forward(self, params, x):
        """Network output in floating point (numpy).

        ``params``: dict name -> value, or a sequence in :attr:`parameters` order.
        ``x``: one input (shape ``(n_inputs,)``) or a batch ``(m, n_inputs)``.
        Returns shape ``(n_outputs,)`` or ``(m, n_outputs)`` accordingly.
        """
        X = np.asarray(x, dtype=float)
        single = X.ndim == 1
        if single:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.n_inputs:
            raise ValueError(f"input of shape {np.asarray(x).shape} does not fit "
                             f"{self.n_inputs} network inputs")
        h = X
        layers = self.unpack(params)
        for l, (W, b) in enumerate(layers, start=1):
            z = h @ W.T + b
            if l < self.n_layers:
                h = self.activation(z)
            else:
                h = z if self.output_activation is None else self.output_activation(z)
        return h[0] if single else h

    def symbolic_outputs(self, x=None, ctx=None):
        """The outputs f_k(x) as ``fmpq_mpoly`` in the parameters.

        ``x``: an input point (sequence of exact rationals) — then the result is over
        :meth:`context`; or ``None`` for symbolic inputs — then the context is the
        parameters followed by input variables ``x_0, x_1, ...`` (``ctx`` may supply a
        context whose first ``n_parameters`` variables are the parameters and whose
        next ``n_inputs`` are the inputs).
        """
        if x is None:
            if ctx is None:
                ctx = flint.fmpq_mpoly_ctx.get(
                    self.parameters + tuple(f"x_{i}" for i in range(self.n_inputs)), "degrevlex")
            gens = ctx.gens()
            h = list(gens[self.n_parameters:self.n_parameters + self.n_inputs])
        else:
            ctx = self.context() if ctx is None else ctx
            gens = ctx.gens()
            vals = list(x)
            if len(vals) != self.n_inputs:
                raise ValueError(f"input has {len(vals)} coordinates, the network has "
                                 f"{self.n_inputs} inputs")
            h = [to_fmpq(v, "input") for v in vals]
        for l in range(1, self.n_layers + 1):
            W_idx, b_idx = self.layer_indices(l)
            z = []
            for j, row in enumerate(W_idx):
                acc = ctx.constant(0) if b_idx is None else gens[b_idx[j]]
                for i, k in enumerate(row):
                    acc = acc + gens[k] * h[i]
                z.append(acc)
            if l < self.n_layers:
                h = [self.activation(zj) for zj in z]
            elif self.output_activation is not None:
                h = [self.output_activation(zj) for zj in z]
            else:
                h = z
        return h


def parse_widths(text):
    """``"2,2,1"`` or ``"[2, 2, 1]"`` -> ``[2, 2, 1]``, with errors that name the bad entry."""
    s = text.strip().strip("[]()")
    if not s:
        raise ValueError("empty network widths; expected e.g. '2,2,1'")
    out = []
    for part in s.split(","):
        p = part.strip()
        if not p.lstrip("-").isdigit():
            raise ValueError(f"network width {p!r} in {text!r} is not an integer")
        out.append(int(p))
    return out
