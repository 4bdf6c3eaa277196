"""Numba kernels: plain arrays and scalars in, plain arrays out. No xarray, objects or I/O."""
