"""The presentation layer: plots, reports, workbooks, the console and the locale."""
