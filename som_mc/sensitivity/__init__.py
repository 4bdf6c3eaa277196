"""Sensitivity analysis and value of information: which input drives the result, and which is
worth knowing better."""
