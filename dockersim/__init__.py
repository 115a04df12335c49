"""dockersim: run Docker tutorial scenarios against the real docker CLI and check the engine's state."""

__version__ = "0.1.0"
