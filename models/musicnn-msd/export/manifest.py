"""threshold-report.json and the bundle manifest eno-model.json.

Tags get fixed per-category thresholds; the report shows how the reference
clips score against them. The manifest describes the input pipeline, the
outputs, the tags and the sha256 of model.onnx.
"""

from __future__ import annotations

import json

import numpy as np

from bundle import (CATEGORY_THRESHOLDS, EMBEDDING_DIM, HOP, INPUT_NAME, MANIFEST_PATH, MODEL_PATH, N_FFT,
                    N_FRAMES, N_MELS, OUT_ACTIVATIONS, OUT_EMBEDDING, REFERENCE_DIR, REPO_ROOT, SAMPLE_RATE,
                    TAG_CATEGORIES, THRESHOLD_REPORT_PATH, librosa_defaults, log, musicnn_labels, sha256_file)


def tag_category(tag: str) -> str:
    for cat, names in TAG_CATEGORIES.items():
        if tag in names:
            return cat
    return "genre"


def load_reference_taggrams() -> list[tuple[str, np.ndarray]]:
    out = []
    for path in sorted(REFERENCE_DIR.glob("*.json")):
        if path.name == "mel-synthetic.json":
            continue
        doc = json.loads(path.read_text())
        out.append((doc["clip"], np.asarray(doc["taggram"], dtype=np.float64)))
    return out


def write_threshold_report_and_manifest():
    import librosa

    labels = musicnn_labels()
    refs = load_reference_taggrams()
    if not refs:
        raise SystemExit("no reference taggrams; run the references step first")
    track_scores = np.stack([tg.mean(axis=0) for _, tg in refs])  # [clips, 50]
    all_patches = np.concatenate([tg for _, tg in refs], axis=0)  # [patches, 50]
    report_tags = []
    for i, tag in enumerate(labels):
        cat = tag_category(tag)
        thr = CATEGORY_THRESHOLDS[cat]
        col = track_scores[:, i]
        report_tags.append({
            "tag": tag,
            "category": cat,
            "threshold": thr,
            "track_score_min": round(float(col.min()), 4),
            "track_score_median": round(float(np.median(col)), 4),
            "track_score_max": round(float(col.max()), 4),
            "patch_p90": round(float(np.percentile(all_patches[:, i], 90)), 4),
            "clips_at_or_above_threshold": int((col >= thr).sum()),
        })
    per_clip = []
    for (clip, _), scores in zip(refs, track_scores):
        order = np.argsort(-scores)
        per_clip.append({
            "clip": clip,
            "top5": [{"tag": labels[j], "score": round(float(scores[j]), 4)} for j in order[:5]],
            "tags_at_or_above_threshold": [labels[j] for j in order
                                           if scores[j] >= CATEGORY_THRESHOLDS[tag_category(labels[j])]],
        })
    report = {
        "rule": ("fixed per-category thresholds (no tuning on these clips); track score = mean over "
                 "patches of the sigmoid activations"),
        "category_thresholds": {k: v for k, v in CATEGORY_THRESHOLDS.items()},
        "clips": len(refs),
        "patches": int(all_patches.shape[0]),
        "tags": report_tags,
        "per_clip": per_clip,
    }
    THRESHOLD_REPORT_PATH.write_text(json.dumps(report, indent=2) + "\n")
    log(f"wrote {THRESHOLD_REPORT_PATH.relative_to(REPO_ROOT)}")

    lib = librosa_defaults()
    if lib["pad_mode"] != lib["stft_pad_mode"]:
        raise SystemExit("librosa melspectrogram and stft disagree on pad_mode")
    manifest = {
        "schema": 1,
        "id": "musicnn-msd",
        "version": "1.0.0",
        "name": "musicnn (MSD)",
        "source": "default",
        "description": ("Music auto-tagging CNN (musicnn, trained on the Million Song Dataset) that predicts "
                        "50 genre, mood, era, vocal and instrument tags from 3-second log-mel patches."),
        "input": {
            "kind": "logmel",
            "name": INPUT_NAME,
            "sample_rate": SAMPLE_RATE,
            "n_fft": N_FFT,
            "hop": HOP,
            "window": lib["window"],
            "center": lib["center"],
            "pad_mode": lib["pad_mode"],
            "power": int(lib["power"]) if float(lib["power"]).is_integer() else lib["power"],
            "n_mels": N_MELS,
            "mel_scale": "htk" if lib["htk"] else "slaney",
            "mel_norm": lib["norm"],
            "fmin": int(lib["fmin"]) if float(lib["fmin"]).is_integer() else lib["fmin"],
            "fmax": SAMPLE_RATE // 2 if lib["fmax"] is None else lib["fmax"],
            "log": "log10(1+10000*x)",
            "float16_before_log": True,
            "patch_frames": N_FRAMES,
            "patch_hop_frames": N_FRAMES,
            "short_clip": "repeat-pad",
        },
        "outputs": {
            "activations": OUT_ACTIVATIONS,
            "embedding": OUT_EMBEDDING,
            "embedding_dim": EMBEDDING_DIM,
        },
        "tags": [{"name": t, "category": tag_category(t), "threshold": CATEGORY_THRESHOLDS[tag_category(t)]}
                 for t in labels],
        "licence": "ISC (musicnn, Jordi Pons et al.); see LICENCE-musicnn.txt",
        "sha256": sha256_file(MODEL_PATH),
    }
    assert librosa.__version__  # the values above come from this librosa
    MANIFEST_PATH.write_text(manifest_text(manifest))
    log(f"wrote {MANIFEST_PATH.relative_to(REPO_ROOT)}")
    return report


def manifest_text(manifest: dict) -> str:
    """2-space indented JSON with one line per tag."""
    marker = "__TAGS__"
    text = json.dumps({**manifest, "tags": marker}, indent=2)
    tags = ",\n".join("    " + json.dumps(t) for t in manifest["tags"])
    text = text.replace(json.dumps(marker), "[\n" + tags + "\n  ]")
    if json.loads(text) != manifest:
        raise SystemExit("manifest formatting changed its content")
    return text + "\n"
