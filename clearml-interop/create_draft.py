"""Starts a dataset version with the official SDK and leaves it unfinished, as a training script that
died after uploading would: the version's files are uploaded, it is never finalized, and nothing
pings it once this process has exited (the server's watchdog stops it later).

Usage: create_draft.py PROJECT NAME FOLDER OUT_JSON

The draft's parent is the newest existing version (if any). Writes {"id", "version", "parents"}.
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
    with open(out, "w") as f:
        json.dump({"id": ds.id, "version": ds.version, "parents": parents}, f)


if __name__ == "__main__":
    main()
