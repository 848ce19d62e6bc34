"""Algorithm registry: which kernel computes a Groebner basis for a method and a domain.

A kernel is a callable ``kernel(system, options, convert_time=0.0) -> result``
taking the converted input (:class:`grobnet.engine.convert.InputSystem`), the
normalised :class:`grobnet.engine.options.Options` and the seconds already spent
converting the input (for the statistics), and returning a result
object (a :class:`grobnet.engine.groebner.GroebnerBasis` over GF(p); over the
rationals whatever the exact layer defines, with the same interface).

The table is static and names kernels as ``"module:attribute"`` strings that
are imported on first use, so a layer that does not exist yet costs nothing
and plugging a new one in is one line here -- e.g. the exact layer's
multimodular F4 over the rationals is the ``("f4", "QQ")`` line below (an
adapter that imports ``grobnet.exact`` only when called, and raises
``NotImplementedError`` naming it when it is missing).
"""
from __future__ import annotations

import importlib
from types import MappingProxyType

#: ``(method, domain) -> "module:attribute"``; domain is ``"GF(p)"`` or ``"QQ"``.
METHODS = MappingProxyType({
    ("f4", "GF(p)"): "grobnet.engine.groebner:f4_modp",
    ("f4", "QQ"): "grobnet.engine.groebner:f4_qq",     # adapter to grobnet.exact.lift
})

_DOMAIN_HELP = {
    "QQ": "Groebner bases over the rationals (modulus=None) come from grobnet.exact "
          "(multimodular F4), which is not available in this build; pass modulus=p for "
          "a prime p below 2^31 to compute over GF(p)",
    "GF(p)": "no kernel over GF(p) is available in this build",
}


def methods(domain: str) -> tuple:
    """Names of the methods registered for ``domain`` (``"GF(p)"`` or ``"QQ"``)."""
    return tuple(sorted(m for (m, d) in METHODS if d == domain))


def lookup(method: str, domain: str):
    """The kernel for ``method`` over ``domain``.

    Raises ``ValueError`` for a method unknown over that domain and
    ``NotImplementedError`` when the method is registered but its module is
    not available (yet) in this installation.
    """
    target = METHODS.get((method, domain))
    if target is None:
        known = ", ".join(repr(m) for m in methods(domain)) or "none"
        raise ValueError(f"unknown method {method!r} over {domain}; available: {known}")
    module_name, _, attr = target.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name and (module_name == exc.name or module_name.startswith(exc.name + ".")):
            raise NotImplementedError(f"method {method!r}: {_DOMAIN_HELP[domain]} "
                                      f"(module {module_name} not found)") from None
        raise
    try:
        return getattr(module, attr)
    except AttributeError:
        raise NotImplementedError(f"method {method!r}: {_DOMAIN_HELP[domain]} "
                                  f"({module_name} has no {attr})") from None
