"""Building a base dataset (the RYM collection) in the corrections' format: tag the audio with the
project's own engine, match tracks to the metadata CSV by their artist and album tags, write the
label records and embeddings, and register the folder as a versioned ClearML dataset."""
