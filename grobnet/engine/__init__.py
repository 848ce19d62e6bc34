"""The F4 engine over GF(p): the C core and the one door into it.

Callers use :mod:`grobnet.engine.modp` (bases, traced runs and replays, normal forms,
RUR kernels, integer input mod p), :mod:`grobnet.engine.tracing` (the per-process
trace cache of a multimodular run), :mod:`grobnet.engine.convert` (user input into
python-flint polynomials and integer polynomials), :mod:`grobnet.engine.basis`
(``GroebnerBasis``, the result interface shared by both fields),
:mod:`grobnet.engine.groebner` (its GF(p) kind) and :mod:`grobnet.engine.hilbert`
(Hilbert series of leading monomials); nothing outside this package imports ``_core``.
"""
