"""The experiment tracker: ClearML at the edges, a local stand-in for offline runs."""
