#!/usr/bin/env python3
"""Tag audio files with musicnn's own Python/TensorFlow extractor (MSD_musicnn).

This is the reference that eno's ONNX tagger is compared with, for both tags
and speed. Usage (inside the environment made by venv.sh):

    reference_tagger.py --json FILE...

The first file is tagged once untimed to warm TensorFlow up; then every file
is tagged and timed. musicnn's extractor rebuilds the TF graph, opens a new
session and restores the checkpoint on every call, so each per-file time
includes that cost (includes_graph_build: true); model_load_seconds reports
that part alone, measured by running the same build/restore steps by
themselves.

With --json, prints exactly one JSON line on standard output:
    {files, audio_seconds, wall_seconds, model_load_seconds, includes_graph_build,
     per_file: [{file, seconds, audio_seconds, patches, top5: [{tag, score}]}], ...}
Everything else (TensorFlow logs, progress) goes to standard error.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import sys
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import warnings  # noqa: E402

warnings.filterwarnings("ignore", message=r"`tf\.layers\.", category=UserWarning)

MODEL = "MSD_musicnn"
INPUT_LENGTH = 3  # seconds, as musicnn recommends (the model was trained on 3 s patches)
LOAD_REPEATS = 3


def audio_duration(path: str) -> float | None:
    try:
        import soundfile as sf

        info = sf.info(path)
        return info.frames / float(info.samplerate)
    except Exception:
        try:
            import librosa

            return float(librosa.get_duration(path=path))
        except Exception:
            return None


def time_model_load() -> float:
    """Time the graph build + session + checkpoint restore that each extractor call does."""
    import tensorflow as tf
    from musicnn import configuration as config
    from musicnn import models
    import librosa
    import musicnn

    n_frames = librosa.time_to_frames(INPUT_LENGTH, sr=config.SR, n_fft=config.FFT_SIZE,
                                      hop_length=config.FFT_HOP) + 1
    t0 = time.perf_counter()
    tf.compat.v1.reset_default_graph()
    with tf.name_scope("model"):
        x = tf.compat.v1.placeholder(tf.float32, [None, n_frames, config.N_MELS])
        is_training = tf.compat.v1.placeholder(tf.bool)
        y = models.define_model(x, is_training, MODEL, len(config.MSD_LABELS))[0]
        tf.nn.sigmoid(y)
    sess = tf.compat.v1.Session()
    sess.run(tf.compat.v1.global_variables_initializer())
    saver = tf.compat.v1.train.Saver()
    saver.restore(sess, os.path.join(os.path.dirname(musicnn.__file__), MODEL) + "/")
    elapsed = time.perf_counter() - t0
    sess.close()
    return elapsed


def tag_file(extractor, path: str):
    import numpy as np

    # The extractor prints progress on stdout; keep stdout for the JSON line.
    with contextlib.redirect_stdout(sys.stderr):
        t0 = time.perf_counter()
        taggram, tags = extractor(path, model=MODEL, input_length=INPUT_LENGTH,
                                  input_overlap=False, extract_features=False)
        seconds = time.perf_counter() - t0
    taggram = np.asarray(taggram)
    scores = taggram.mean(axis=0)
    order = np.argsort(-scores)[:5]
    top5 = [{"tag": tags[i], "score": round(float(scores[i]), 4)} for i in order]
    return seconds, int(taggram.shape[0]), top5


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--json", action="store_true", help="print one JSON line with the results")
    ap.add_argument("files", nargs="+", help="audio files (anything librosa.load reads)")
    args = ap.parse_args(argv)

    import importlib.metadata as md

    with contextlib.redirect_stdout(sys.stderr):
        import librosa
        import numpy as np
        import tensorflow as tf
        from musicnn.extractor import extractor

    files = list(args.files)
    missing = [f for f in files if not os.path.isfile(f)]
    if missing:
        print(f"not found: {missing}", file=sys.stderr)
        return 2

    # Warm-up on the first file (untimed in the totals).
    t0 = time.perf_counter()
    try:
        tag_file(extractor, files[0])
    except Exception as exc:
        print(f"warm-up failed on {files[0]}: {type(exc).__name__}: {exc}", file=sys.stderr)
    warmup_seconds = time.perf_counter() - t0

    with contextlib.redirect_stdout(sys.stderr):
        load_times = [time_model_load() for _ in range(LOAD_REPEATS)]

    per_file = []
    audio_total = 0.0
    wall0 = time.perf_counter()
    for path in files:
        dur = audio_duration(path)
        entry = {"file": path, "audio_seconds": round(dur, 3) if dur is not None else None}
        try:
            seconds, patches, top5 = tag_file(extractor, path)
            entry.update({"seconds": round(seconds, 4), "patches": patches, "top5": top5})
            audio_total += dur or 0.0
        except Exception as exc:  # musicnn's extractor fails on clips shorter than one 3 s patch
            entry.update({"seconds": None, "error": f"{type(exc).__name__}: {exc}"})
        per_file.append(entry)
        print(f"[reference] {os.path.basename(path)}: {entry.get('seconds')} s", file=sys.stderr)
    wall_seconds = time.perf_counter() - wall0

    result = {
        "tool": "musicnn-reference-extractor",
        "model": MODEL,
        "files": len(files),
        "audio_seconds": round(audio_total, 3),
        "wall_seconds": round(wall_seconds, 4),
        "model_load_seconds": round(statistics.median(load_times), 4),
        "model_load_seconds_runs": [round(t, 4) for t in load_times],
        "includes_graph_build": True,
        "warmup_seconds": round(warmup_seconds, 4),
        "extractor_args": {"input_length": INPUT_LENGTH, "input_overlap": False, "extract_features": False},
        "per_file": per_file,
        "versions": {
            "tensorflow": tf.__version__,
            "librosa": librosa.__version__,
            "numpy": np.__version__,
            "musicnn": md.version("musicnn"),
        },
    }
    ok = any(e.get("seconds") is not None for e in per_file)
    if args.json:
        sys.stdout.write(json.dumps(result, separators=(",", ":")) + "\n")
    else:
        for e in per_file:
            tags = ", ".join(f"{t['tag']} ({t['score']:.2f})" for t in e.get("top5", []))
            print(f"{e['file']}: {e.get('seconds')} s  {tags or e.get('error')}")
        print(f"{len(files)} files, {result['audio_seconds']} s of audio in {result['wall_seconds']} s "
              f"(graph build + restore ~{result['model_load_seconds']} s per file, included)")
    sys.stdout.flush()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
