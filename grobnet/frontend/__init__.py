"""Frontend: a neural network and its data -> the polynomial system of the loss's critical points.

Pipeline stage 1 of grobnet.  ``Network`` (+ ``Activation``) and ``Dataset``
describe the model and its data exactly (rationals); ``gradient_system``
builds the loss as a python-flint polynomial and its gradient, returned as a
``PolynomialSystem`` — the object every later stage consumes.  The I/O
functions read and write systems in msolve, Singular and sympy formats;
``system_symmetries`` proves which permutations of the hidden units map the
critical set to itself.
"""
from grobnet.frontend.activations import NAMED_ACTIVATIONS, Activation, get_activation
from grobnet.frontend.data import Dataset, as_dataset, load_csv, random_dataset, xor
from grobnet.frontend.io import (from_msolve, from_sympy, read_msolve, to_msolve, to_singular,
                                 to_sympy, write_msolve)
from grobnet.frontend.loss import (L2, LOSSES, GeneralizedL2, as_regularization, gradient_system,
                                   loss_polynomial)
from grobnet.frontend.network import Network
from grobnet.frontend.parse import PolynomialSyntaxError, parse_polynomial, parse_polynomials
from grobnet.frontend.symmetry import SymmetryGroup, system_symmetries
from grobnet.frontend.system import PolynomialSystem

__all__ = [
    "PolynomialSystem", "PolynomialSyntaxError",
    "from_msolve", "read_msolve", "to_msolve", "write_msolve", "to_singular", "to_sympy",
    "from_sympy", "parse_polynomial", "parse_polynomials",
    "Activation", "get_activation", "NAMED_ACTIVATIONS",
    "Network",
    "Dataset", "xor", "random_dataset", "load_csv", "as_dataset",
    "L2", "GeneralizedL2", "as_regularization", "LOSSES", "loss_polynomial", "gradient_system",
    "SymmetryGroup", "system_symmetries",
]
