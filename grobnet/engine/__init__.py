"""The F4 engine over GF(p): the C core and the one door into it.

Callers use :mod:`grobnet.engine.modp` (bases, traced runs and replays, normal forms,
RUR kernels, integer input mod p), :mod:`grobnet.engine.tracing` (the per-process
trace cache of a multimodular run), :mod:`grobnet.engine.convert` (user input into
python-flint polynomials and integer polynomials) and :mod:`grobnet.engine.groebner`
(``GroebnerBasis`` over GF(p)); nothing outside this package imports ``_core``.
"""
