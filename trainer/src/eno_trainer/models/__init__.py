"""The networks the trainer fits."""
