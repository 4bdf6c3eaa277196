"""The analysis layer: sensitivity, decision and follow-up, reading runs."""
