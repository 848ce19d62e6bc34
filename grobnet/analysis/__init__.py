"""Critical points of a network's loss: evaluation, Hessian inertia, critical values, training
checks, and the remedies for infinite critical sets (gauge fixing, random affine slices)."""
from grobnet.analysis.critical_points import CriticalPoint, CriticalPoints, critical_points
from grobnet.analysis.critical_values import CriticalValue, CriticalValues, critical_values
from grobnet.analysis.gauge import GaugeFixing, NotHomogeneous, gauge_fixed_system
from grobnet.analysis.plot import LossLine, PlotUnavailable, loss_lines, plot_critical_points
from grobnet.analysis.progress import StderrProgress
from grobnet.analysis.slices import SliceSample, SliceSamples, slice_samples

__all__ = ["critical_points", "CriticalPoint", "CriticalPoints",
           "critical_values", "CriticalValue", "CriticalValues",
           "gauge_fixed_system", "GaugeFixing", "NotHomogeneous",
           "slice_samples", "SliceSamples", "SliceSample",
           "plot_critical_points", "loss_lines", "LossLine", "PlotUnavailable",
           "StderrProgress"]
