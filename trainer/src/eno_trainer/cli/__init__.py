"""Entry points: `train` and `prepare`."""
