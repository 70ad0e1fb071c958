"""Prints every tag of each file as JSON, read by mutagen (an independent reader for eno's tests).

Usage: python dump_tags.py FILE...  ->  one JSON object per line:
{"path", "type", "id3_version" (or null), "tags": {key: [values]}, "pictures": [sha1...]}
"""
import hashlib
import json
import sys

import mutagen
from mutagen.flac import Picture
from mutagen.mp4 import AtomDataType, MP4FreeForm


def text_of(value):
    if isinstance(value, MP4FreeForm) and value.dataformat == AtomDataType.UTF8:
        return value.decode("utf-8")
    if isinstance(value, bytes):
        return "bytes:" + hashlib.sha1(value).hexdigest()
    data = getattr(value, "data", None)
    if isinstance(data, bytes):
        return "bytes:" + hashlib.sha1(data).hexdigest()
    return str(value)


def dump(path):
    f = mutagen.File(path)
    out = {"path": path, "type": type(f).__name__ if f else None, "id3_version": None, "tags": {}, "pictures": []}
    tags = getattr(f, "tags", None)
    if tags is None:
        return out
    version = getattr(tags, "version", None)
    if version:
        out["id3_version"] = ".".join(str(v) for v in version[:2])
    for key in sorted(tags.keys()):
        value = tags[key]
        if hasattr(value, "text") and isinstance(value.text, list):
            values = [str(t) for t in value.text]
        elif isinstance(value, list):
            values = [text_of(v) for v in value]
        else:
            values = [text_of(value)]
        out["tags"][str(key)] = values
        if key.startswith("APIC") or key == "covr":
            out["pictures"] += [v for v in values if v.startswith("bytes:")] if key == "covr" else [text_of(value)]
    for pic in getattr(f, "pictures", []) or []:
        out["pictures"].append("bytes:" + hashlib.sha1(pic.data).hexdigest())
    for block in tags.get("metadata_block_picture", []) if hasattr(tags, "get") else []:
        import base64
        out["pictures"].append("bytes:" + hashlib.sha1(Picture(base64.b64decode(block)).data).hexdigest())
    return out


if __name__ == "__main__":
    for p in sys.argv[1:]:
        print(json.dumps(dump(p)))
