"""Step manifest: thresholds from measurements, threshold-report.json and eno-model.json.

How thresholds are chosen. AudioSet's labels are very unequal: "Music" and "Speech" are on about half
of its clips, instruments and singing on a few percent each, and every genre and mood on well under
one percent. The model's sigmoid outputs follow those priors: a rare class rarely passes 0.5 even
when it is right. So thresholds are set per category, not one for all:

* genre and descriptor (the rare classes): the threshold that maximises the mean F1 of "Classical
  music", "Rock music", "Electronic music" and "Pop music" on the 40 labelled clips (10 per genre,
  ../shared/labelled), the middle of the best plateau. Moods are as rare as genres in AudioSet and
  have no labels here that map onto them one to one, so they share it.
* instrument, vocal and other (frequent classes, confident outputs): INSTRUMENT_THRESHOLD, the
  highest round value that still passes the lead instrument of most shared music clips whose
  instrument is known from their sources (report: known_instruments; solo trumpet 0.93, ragtime
  piano 0.56, jazz piano 0.18 pass; the string orchestra's "String section" 0.14 does not, its
  "Violin, fiddle" does; the ukulele is heard as mallets by this small model).
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import numpy as np

from classes import MUSIC_INDEX, SPEECH_INDEX, music_classes
from onnx_export import MODEL_PATH
from upstream import BUNDLE_DIR, HERE, labels, log
from windows import HOP_SAMPLES, PATCH_FRAMES, WINDOW_SAMPLES

MANIFEST_PATH = BUNDLE_DIR / "eno-model.json"
REPORT_PATH = HERE / "threshold-report.json"
INSTRUMENT_THRESHOLD = 0.15
GENRE_MAP = {"classical": "Classical music", "rock": "Rock music", "electronic": "Electronic music", "pop": "Pop music"}
# Shared clips whose instrument is known from ../shared/audio/SOURCES.md.
KNOWN_INSTRUMENTS = {
    "music/sorohanro_-_solo-trumpet-06.ogg": "Trumpet",
    "music/bensound-thejazzpiano.mp3": "Piano",
    "music/442789__lena-orsa__happy-music-pistachio-ice-cream-ragtime.ogg": "Piano",
    "music/bensound-cute.mp3": "Ukulele",
    "music/Hungarian_Dance_number_5_-_Allegro_in_F_sharp_minor_(string_orchestra).ogg": "String section",
}


def labelled_scores(labelled_dir: Path, frontend, net) -> tuple[list[str], np.ndarray]:
    from references import run_clip
    rows = list(csv.DictReader(open(labelled_dir / "labels.csv")))
    genres, scores = [], []
    for row in rows:
        _, _, act, _ = run_clip(labelled_dir / row["file"], frontend, net)
        genres.append(row["genre"])
        scores.append(act.mean(axis=0))
    return genres, np.stack(scores)


def best_genre_threshold(genres: list[str], scores: np.ndarray, names: list[str]) -> dict:
    grid = np.round(np.arange(0.005, 0.3001, 0.005), 3)
    table = []
    for t in grid:
        f1s = []
        for genre, cls in GENRE_MAP.items():
            col = names.index(cls)
            truth = np.array([g == genre for g in genres])
            pred = scores[:, col] >= t
            tp = int((truth & pred).sum())
            fp = int((~truth & pred).sum())
            fn = int((truth & ~pred).sum())
            f1s.append(0.0 if tp == 0 else 2 * tp / (2 * tp + fp + fn))
        table.append((float(t), float(np.mean(f1s))))
    best = max(f for _, f in table)
    plateau = [t for t, f in table if f >= best - 1e-9]
    chosen = float(np.round(plateau[len(plateau) // 2], 3))
    return {"threshold": chosen, "mean_f1": best, "plateau": [plateau[0], plateau[-1]], "f1_by_threshold": table}


def write_manifest(audio_dir: Path, labelled_dir: Path, frontend, net) -> None:
    names = labels()
    genres, scores = labelled_scores(labelled_dir, frontend, net)
    genre_choice = best_genre_threshold(genres, scores, names)
    genre_t = genre_choice["threshold"]
    thresholds = {"genre": genre_t, "descriptor": genre_t, "instrument": INSTRUMENT_THRESHOLD,
                  "vocal": INSTRUMENT_THRESHOLD, "other": INSTRUMENT_THRESHOLD}
    tags = [{**t, "threshold": thresholds[t["category"]]} for t in music_classes(names)]
    refs = {}
    for f in sorted((BUNDLE_DIR / "reference").glob("*.json")):
        doc = json.loads(f.read_text())
        if "taggram" in doc:
            refs[doc["clip"]] = doc
    known = {}
    for clip, cls in KNOWN_INSTRUMENTS.items():
        doc = refs.get(clip)
        if doc:
            score = float(np.mean(np.asarray(doc["taggram"])[:, doc["tags"].index(cls)]))
            known[clip] = {"class": cls, "score": round(score, 4), "passes": score >= INSTRUMENT_THRESHOLD}
    per_genre = {g: {GENRE_MAP[x]: round(float(np.mean([s[names.index(GENRE_MAP[x])] for s, gg in zip(scores, genres) if gg == g])), 4)
                     for x in GENRE_MAP} for g in GENRE_MAP}
    report = {
        "thresholds": thresholds,
        "genre_threshold": genre_choice,
        "labelled_mean_scores_by_genre": per_genre,
        "known_instruments": known,
        "music_and_speech": {clip: {"music": round(float(np.mean(d["music"])), 4), "speech": round(float(np.mean(d["speech"])), 4)}
                             for clip, d in refs.items()},
    }
    REPORT_PATH.write_text(json.dumps(report, indent=2) + "\n")
    sha = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
    manifest = {
        "schema": 2,
        "id": "efficientat-mn04",
        "version": "1.0.0",
        "name": "EfficientAT mn04 (AudioSet)",
        "source": "default",
        "description": ("EfficientAT MobileNetV3 mn04 trained on AudioSet: 154 music classes (genres, moods, instruments, "
                        "singing) and whether the audio is music or speech, from 10-second windows at 32 kHz."),
        "input": {
            "kind": "logmel", "name": "logmel", "sample_rate": 32000, "pre_emphasis": 0.97,
            "n_fft": 1024, "win_length": 800, "hop": 320, "window": "hann-symmetric", "center": True,
            "pad_mode": "reflect", "power": 2, "n_mels": 128, "mel_scale": "kaldi", "mel_norm": None,
            "fmin": 0, "fmax": float(frontend.fmax), "log": "ln(x+1e-5)", "normalize": "(x+4.5)/5",
            "float16_before_log": False, "segment": "audio", "window_samples": WINDOW_SAMPLES,
            "window_hop_samples": HOP_SAMPLES, "tail": "end-aligned", "patch_frames": PATCH_FRAMES,
            "patch_hop_frames": PATCH_FRAMES, "short_clip": "repeat-pad",
        },
        "outputs": {"activations": "activations", "activations_dim": len(names), "embedding": "embedding", "embedding_dim": 384},
        "detectors": {"music": {"name": "Music", "index": MUSIC_INDEX}, "speech": {"name": "Speech", "index": SPEECH_INDEX}},
        "tags": tags,
        "licence": "MIT (EfficientAT, Florian Schmid); see LICENCE-EfficientAT.txt",
        "model_file": "model.onnx",
        "sha256": sha,
    }
    lines = json.dumps(manifest, indent=2).split("\n")
    # One line per tag keeps the file readable.
    text = json.dumps({k: v for k, v in manifest.items() if k != "tags"}, indent=2)
    tag_lines = ",\n".join("    " + json.dumps(t) for t in tags)
    text = text[:-2] + ',\n  "tags": [\n' + tag_lines + "\n  ]\n}\n"
    json.loads(text)
    del lines
    MANIFEST_PATH.write_text(text)
    log(f"wrote {MANIFEST_PATH.name}: {len(tags)} tags, thresholds {thresholds} (genre F1 {genre_choice['mean_f1']:.3f})")
