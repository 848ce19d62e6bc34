"""Critical points of a network's loss: evaluation, Hessian inertia, critical values, training checks."""
from grobnet.analysis.critical_points import CriticalPoint, CriticalPoints, critical_points
from grobnet.analysis.critical_values import CriticalValue, CriticalValues, critical_values

__all__ = ["critical_points", "CriticalPoint", "CriticalPoints",
           "critical_values", "CriticalValue", "CriticalValues"]
