"""Reads the newest version of a dataset with the official SDK, as the training code would.

Usage: read_dataset.py PROJECT NAME OUT_JSON

Writes to OUT_JSON: the version's id and version string, its direct parents, the lineage as the SDK
rebuilds it from "Dataset Struct", and every file of
get_local_copy() (relative POSIX path -> SHA-256 and size of the bytes the SDK produced).
"""
import hashlib
import json
import os
import sys

from clearml import Dataset


def main() -> None:
    project, name, out = sys.argv[1:4]
    ds = Dataset.get(dataset_project=project, dataset_name=name)
    root = ds.get_local_copy()
    files = {}
    for folder, _, names in os.walk(root):
        for file_name in names:
            path = os.path.join(folder, file_name)
            with open(path, "rb") as f:
                data = f.read()
            rel = os.path.relpath(path, root).replace(os.sep, "/")
            files[rel] = {"sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
    # The lineage as SDK 2.x rebuilds it from the "Dataset Struct" configuration object.
    struct = ds._task.get_configuration_object_as_dict("Dataset Struct") or {}
    struct_graph = {node["job_id"]: [struct[p]["job_id"] for p in node["parents"]] for node in struct.values()}
    result = {
        "id": ds.id,
        "version": ds.version,
        "parents": list(ds._get_parents()),
        "dependency_graph": ds.get_dependency_graph(),
        "struct_graph": struct_graph,
        "struct_versions": sorted(node.get("version") or "" for node in struct.values()),
        "local_copy": root,
        "files": files,
    }
    with open(out, "w") as f:
        json.dump(result, f)


if __name__ == "__main__":
    main()
