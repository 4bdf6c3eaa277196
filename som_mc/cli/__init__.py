"""The command line: ``som-mc``."""

from som_mc.cli.app import EXIT_USER_ERROR, main

__all__ = ["EXIT_USER_ERROR", "main"]
