"""Reporters: each turns StepResults into output; the runner never prints."""
