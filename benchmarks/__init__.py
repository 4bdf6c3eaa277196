"""Measured speed and memory of som-mc, against reference implementations (see README.md)."""
