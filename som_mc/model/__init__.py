"""The model layer: plain arrays in, plain arrays out (layout, designs, kernels)."""
