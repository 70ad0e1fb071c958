"""eno's trainer: turns reviewed corrections (and an optional base dataset) into the next model bundle."""

__version__ = "0.1.0"
