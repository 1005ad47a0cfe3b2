"""Commands of the core pipeline: demo, extract, flags, eval."""
