"""Critical points of a network's loss: evaluation, Hessian inertia, training checks."""
