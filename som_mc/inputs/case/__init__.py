"""Business-case files: structure (schema), reading (load) and named inputs (inputs)."""
