"""Loading the label-record datasets (corrections, base), merging, joining embeddings, splitting."""
