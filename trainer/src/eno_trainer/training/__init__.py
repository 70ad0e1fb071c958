"""Fitting the head: loss, loop with early stopping, metrics and thresholds."""
