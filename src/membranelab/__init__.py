"""membranelab: exercises on the resting membrane potential, solved and graded."""
__version__ = "0.1.0"
__all__ = ["__version__"]
