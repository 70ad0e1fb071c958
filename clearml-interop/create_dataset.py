"""Creates a dataset version with the official SDK on top of the newest one, as the training side
might (for example to add files of its own).

Usage: create_dataset.py PROJECT NAME FOLDER OUT_JSON

The new version's parent is the newest existing version (if any); FOLDER's files are added under
their relative paths. Writes {"id", "version", "parents"} to OUT_JSON.
"""
import json
import sys

from clearml import Dataset


def main() -> None:
    project, name, folder, out = sys.argv[1:5]
    try:
        parents = [Dataset.get(dataset_project=project, dataset_name=name).id]
    except ValueError:
        parents = []
    ds = Dataset.create(dataset_project=project, dataset_name=name, parent_datasets=parents)
    ds.add_files(folder)
    ds.upload()
    ds.finalize()
    with open(out, "w") as f:
        json.dump({"id": ds.id, "version": ds.version, "parents": parents}, f)


if __name__ == "__main__":
    main()
