"""The inputs layer: distributions, case files, the knowledge base, workbooks, evidence."""
