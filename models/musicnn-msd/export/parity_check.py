"""Parity check: model.onnx against the TensorFlow network on identical input.

Also holds the onnxruntime helpers the reference step uses to compare
musicnn's own extractor output with model.onnx.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np

from bundle import (ACTIVATION_TOLERANCE, EMBEDDING_TOLERANCE, INPUT_NAME, MODEL_NAME, MODEL_PATH, MUSIC_SUBDIR,
                    N_FRAMES, N_MELS, OUT_ACTIVATIONS, OUT_EMBEDDING, list_clips, log, musicnn_labels,
                    reference_patches, sha256_file, versions)
from tf_network import TFNetwork


def onnx_session():
    import onnxruntime as ort

    opts = ort.SessionOptions()
    opts.log_severity_level = 3
    return ort.InferenceSession(str(MODEL_PATH), sess_options=opts, providers=["CPUExecutionProvider"])


def onnx_run(sess, batch: np.ndarray, batch_size: int):
    acts, embs = [], []
    for i in range(0, batch.shape[0], batch_size):
        a, e = sess.run([OUT_ACTIVATIONS, OUT_EMBEDDING], {INPUT_NAME: batch[i:i + batch_size].astype(np.float32)})
        acts.append(a)
        embs.append(e)
    return np.concatenate(acts, axis=0), np.concatenate(embs, axis=0)


def diff_stats(a: np.ndarray, b: np.ndarray) -> dict:
    d = np.abs(a.astype(np.float64) - b.astype(np.float64))
    return {"max_abs_diff": float(d.max()), "mean_abs_diff": float(d.mean())}


def check_parity(audio_dir: Path) -> dict:
    clips = list_clips(audio_dir)
    patches, per_clip = [], []
    for clip in clips:
        b = reference_patches(clip)
        patches.append(b)
        per_clip.append({"clip": f"{MUSIC_SUBDIR}/{clip.name}", "patches": int(b.shape[0])})
    # A silent patch (log10(1+0) = 0 everywhere), as found at the start of many tracks.
    patches.append(np.zeros((1, N_FRAMES, N_MELS), dtype=np.float32))
    batch = np.concatenate(patches, axis=0)
    n = int(batch.shape[0])
    log(f"parity: {n} patches ({n - 1} from {len(clips)} clips, 1 silent)")

    net = TFNetwork(constant_inference=False)  # the extractor's wiring, is_training fed False
    t0 = time.perf_counter()
    tf_act, tf_emb = net.run(batch, batch_size=1)
    tf_secs = time.perf_counter() - t0
    net.close()

    sess = onnx_session()
    runs = []
    worst_act = np.zeros_like(tf_act, dtype=np.float64)
    worst_emb = np.zeros_like(tf_emb, dtype=np.float64)
    onnx_outputs = {}
    for bs in (1, 7, n):
        t0 = time.perf_counter()
        o_act, o_emb = onnx_run(sess, batch, bs)
        secs = time.perf_counter() - t0
        onnx_outputs[bs] = (o_act, o_emb)
        worst_act = np.maximum(worst_act, np.abs(o_act.astype(np.float64) - tf_act))
        worst_emb = np.maximum(worst_emb, np.abs(o_emb.astype(np.float64) - tf_emb))
        runs.append({
            "onnx_batch_size": bs,
            "activations": diff_stats(o_act, tf_act),
            "embedding": diff_stats(o_emb, tf_emb),
            "onnx_seconds": round(secs, 4),
        })
    a1, e1 = onnx_outputs[1]
    batch_consistency = max(
        max(float(np.abs(onnx_outputs[bs][0] - a1).max()), float(np.abs(onnx_outputs[bs][1] - e1).max()))
        for bs in onnx_outputs)

    labels = musicnn_labels()
    act_max = float(worst_act.max())
    emb_max = float(worst_emb.max())
    result = {
        "model": MODEL_NAME,
        "onnx_file": "model.onnx",
        "onnx_sha256": sha256_file(MODEL_PATH),
        "patches": n,
        "clips": per_clip,
        "extra_patches": ["silence (all zeros)"],
        "input": "musicnn.extractor.batch_data(file, 187, 187): librosa log-mel, float16 before log, no overlap",
        "tf_reference": "musicnn.models.define_model, is_training placeholder fed False, batch size 1 (as the extractor)",
        "tf_seconds": round(tf_secs, 4),
        "tolerance": {"activations": ACTIVATION_TOLERANCE, "embedding": EMBEDDING_TOLERANCE},
        "activations": {
            "max_abs_diff": act_max,
            "mean_abs_diff": float(np.mean([r["activations"]["mean_abs_diff"] for r in runs])),
            "per_tag_max_abs_diff": {t: float(worst_act[:, i].max()) for i, t in enumerate(labels)},
        },
        "embedding": {
            "max_abs_diff": emb_max,
            "mean_abs_diff": float(np.mean([r["embedding"]["mean_abs_diff"] for r in runs])),
            "max_abs_value": float(np.abs(tf_emb).max()),
            "per_dim_max_abs_diff_max": float(worst_emb.max(axis=0).max()),
            "per_dim_max_abs_diff_median": float(np.median(worst_emb.max(axis=0))),
        },
        "runs": runs,
        "onnx_batch_consistency_max_abs_diff": batch_consistency,
        "versions": versions(),
    }
    result["passed"] = bool(act_max <= ACTIVATION_TOLERANCE and emb_max <= EMBEDDING_TOLERANCE)
    log(f"parity: activations max |diff| {act_max:.3g}, embedding max |diff| {emb_max:.3g}, "
        f"ONNX batch-size consistency {batch_consistency:.3g}")
    return result
