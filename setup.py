"""Build script for grobnet's compiled core.

The C sources of the F4 engine in ``csrc/`` are compiled together with the Cython
wrapper ``grobnet/engine/_core.pyx`` into ``grobnet.engine._core``; the path tracker
(``csrc/track.c``, the numeric layer's own kernel) with ``grobnet/numeric/_track.pyx``
into ``grobnet.numeric._track``.

Environment knobs (for developers):
  GROBNET_SANITIZE=1   build with AddressSanitizer + UndefinedBehaviorSanitizer
  GROBNET_DEBUG=1      build with -O0 -g
"""
import os
from glob import glob

import numpy
from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

try:
    from Cython.Build import cythonize
except ImportError as exc:  # pragma: no cover - build requirement
    raise SystemExit("grobnet needs Cython to build: pip install cython") from exc

here = os.path.dirname(os.path.abspath(__file__))
#: C sources of the numeric layer's tracker; every other csrc/*.c belongs to the F4 engine
TRACK_SOURCES = ["csrc/track.c"]
csources = sorted(os.path.relpath(p, here) for p in glob(os.path.join(here, "csrc", "*.c"))
                  if os.path.relpath(p, here) not in TRACK_SOURCES)

compile_args = ["-O3", "-std=c11", "-Wall", "-Wextra", "-Wno-unused-function", "-pthread"]
link_args = ["-pthread"]
if os.environ.get("GROBNET_DEBUG"):
    compile_args = ["-O0", "-g", "-std=c11", "-Wall", "-Wextra", "-pthread"]
if os.environ.get("GROBNET_SANITIZE"):
    san = ["-fsanitize=address,undefined", "-fno-omit-frame-pointer", "-g"]
    compile_args = ["-O1", "-std=c11", "-Wall", "-Wextra", "-pthread"] + san
    link_args += san

extensions = [
    Extension(
        "grobnet.engine._core",
        sources=["grobnet/engine/_core.pyx"] + csources,
        include_dirs=["csrc", numpy.get_include()],
        extra_compile_args=compile_args,
        extra_link_args=link_args,
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    ),
    Extension(
        "grobnet.numeric._track",
        sources=["grobnet/numeric/_track.pyx"] + TRACK_SOURCES,
        depends=["csrc/track.h", "csrc/track_kernel.h"],
        include_dirs=["csrc", numpy.get_include()],
        # complex products without C99's NaN/Inf recovery (the tracker tests finiteness)
        extra_compile_args=compile_args + ["-fcx-limited-range", "-pthread"],
        extra_link_args=link_args + ["-pthread"],
        define_macros=[("NPY_NO_DEPRECATED_API", "NPY_1_7_API_VERSION")],
    ),
]

#: flags each compiler is asked about first and built without when it refuses them
#: (-fcx-limited-range: GCC, clang >= 18; older clang, e.g. Apple's, lacks it)
OPTIONAL_FLAGS = ("-fcx-limited-range",)


class BuildExt(build_ext):
    """``build_ext`` that drops the :data:`OPTIONAL_FLAGS` the compiler refuses."""

    def build_extensions(self):
        refused = [flag for flag in OPTIONAL_FLAGS if not self._accepts(flag)]
        for ext in self.extensions:
            ext.extra_compile_args = [a for a in ext.extra_compile_args if a not in refused]
        super().build_extensions()

    def _accepts(self, flag: str) -> bool:
        import tempfile
        from setuptools.errors import CompileError
        with tempfile.TemporaryDirectory() as tmp:
            src = os.path.join(tmp, "flag.c")
            with open(src, "w") as f:
                f.write("int main(void) { return 0; }\n")
            try:
                self.compiler.compile([src], output_dir=tmp, extra_postargs=[flag])
            except CompileError:
                return False
        return True


setup(
    cmdclass={"build_ext": BuildExt},
    ext_modules=cythonize(
        extensions,
        language_level=3,
        compiler_directives={"boundscheck": False, "wraparound": False, "cdivision": True},
    ),
)
