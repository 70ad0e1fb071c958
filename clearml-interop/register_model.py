"""Registers and publishes a model bundle with the official SDK, following eno's convention
(src-main/clearml/README.md): the ONNX weights are the model's file, eno-model.json (with the
weights' SHA-256) is the model's configuration, framework "ONNX", tag "eno".

Usage: register_model.py BUNDLE_DIR PROJECT TASK_NAME OUT_JSON

Writes {"id", "url"} of the published model to OUT_JSON.
"""
import hashlib
import json
import os
import sys

from clearml import OutputModel, Task


def main() -> None:
    bundle, project, task_name, out = sys.argv[1:5]
    with open(os.path.join(bundle, "eno-model.json")) as f:
        manifest = json.load(f)
    weights = os.path.join(bundle, manifest.get("model_file", "model.onnx"))
    with open(weights, "rb") as f:
        manifest["sha256"] = hashlib.sha256(f.read()).hexdigest()
    # Store this script rather than inspecting the git checkout it lives in.
    Task.force_store_standalone_script()
    task = Task.init(
        project_name=project,
        task_name=task_name,
        task_type=Task.TaskTypes.training,
        output_uri=True,
        auto_connect_frameworks=False,
        auto_connect_arg_parser=False,
        auto_resource_monitoring=False,
        auto_connect_streams=False,
    )
    model = OutputModel(
        task=task,
        name=f"{manifest['id']} {manifest['version']}",
        framework="ONNX",
        tags=["eno"],
        config_text=json.dumps(manifest, indent=2),
        label_enumeration={tag["name"]: i for i, tag in enumerate(manifest["tags"])},
    )
    # Synchronous upload: publishing must not run ahead of the weights.
    model.update_weights(weights_filename=weights, auto_delete_file=False, async_enable=False)
    model.publish()
    with open(out, "w") as f:
        json.dump({"id": model.id, "url": model.url}, f)
    task.close()


if __name__ == "__main__":
    main()
