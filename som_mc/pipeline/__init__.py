"""The pipeline layer: one plan -> executor -> reducer -> Dataset path for cases, courses,
portfolios and batches.
"""
