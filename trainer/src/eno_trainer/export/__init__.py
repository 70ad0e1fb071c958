"""From the trained head to a model bundle the app loads: ONNX export, composition with the backbone,
the manifest, and the check that must pass before anything is published."""
