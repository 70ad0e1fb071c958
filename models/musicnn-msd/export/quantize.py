#!/usr/bin/env python3
"""Reduced-precision copies of model.onnx, measured against the exact model.

Variants (ONNX Runtime's own tools):
  int8-dynamic  quantize_dynamic: int8 weights, activations quantised per run
  int8-static   quantize_static, QDQ, int8 per-channel weights and uint8 activations, min/max ranges
                calibrated on 4 log-mel patches of each labelled clip (../shared/labelled), not on the
                clips measured
  fp16          every float tensor in half precision, float32 at the inputs and outputs

Each variant is timed on the CPU provider and compared with model.onnx on the log-mel patches of
the shared music clips (computed as musicnn's extractor does: librosa 16 kHz, float16 mel power,
log10(1 + 10000 x)): mean |diff| of the activations and whether each clip keeps its top-5 tags.
Writes export/precision-report.json and, with --write NAME, model-NAME.onnx beside model.onnx.
Runs in the EfficientAT export environment (the one with onnxruntime's quantisation tools):
  PY="$(bash models/efficientat-mn04/export/venv.sh | tail -n 1)"; "$PY" models/musicnn-msd/export/quantize.py
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.dont_write_bytecode = True
HERE = Path(__file__).resolve().parent
BUNDLE = HERE.parent
REPO = BUNDLE.parent.parent
MODEL = BUNDLE / "model.onnx"


def patches_of(path: Path, limit: int | None = None) -> np.ndarray:
    import librosa
    y, _ = librosa.load(str(path), sr=16000)
    mel = librosa.feature.melspectrogram(y=y, sr=16000, hop_length=256, n_fft=512, n_mels=96).T.astype(np.float32)
    # As eno's front end: mel power rounded to float16 (overflow clamped to its maximum), then the
    # log computed in float32.
    logmel = np.log10(10000 * np.minimum(mel, 65504).astype(np.float16).astype(np.float32) + 1)
    n = len(logmel) // 187
    out = logmel[: n * 187].reshape(n, 187, 96)
    return out[:limit] if limit else out


def session(path: Path):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    return ort.InferenceSession(str(path), opts, providers=["CPUExecutionProvider"])


def run(sess, x: np.ndarray, batch: int = 2) -> np.ndarray:
    return np.concatenate([sess.run(["activations"], {"logmel": x[i:i + batch]})[0] for i in range(0, len(x), batch)])


class Calibration:
    def __init__(self, patches: np.ndarray):
        self.items = iter([{"logmel": patches[i:i + 1]} for i in range(len(patches))])

    def get_next(self):
        return next(self.items, None)


def make_variant(name: str, out: Path, calib: np.ndarray) -> None:
    from onnxruntime.quantization import CalibrationMethod, QuantFormat, QuantType, quantize_dynamic, quantize_static
    from onnxruntime.quantization.shape_inference import quant_pre_process
    pre = out.with_suffix(".pre.onnx")
    quant_pre_process(str(MODEL), str(pre))
    try:
        if name == "int8-dynamic":
            quantize_dynamic(str(pre), str(out), weight_type=QuantType.QInt8, per_channel=True)
        elif name == "int8-static":
            quantize_static(str(pre), str(out), Calibration(calib), quant_format=QuantFormat.QDQ, per_channel=True,
                            activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8,
                            calibrate_method=CalibrationMethod.MinMax,
                            # Ranges are folded in every few patches: the calibrator otherwise keeps every
                            # intermediate tensor of every patch in memory (tens of GB for this network).
                            extra_options={"CalibMaxIntermediateOutputs": 31})
        elif name == "fp16":
            import onnx
            from onnxruntime.transformers.float16 import convert_float_to_float16
            model = convert_float_to_float16(onnx.load(str(pre)), keep_io_types=True)
            onnx.save(model, str(out))
        else:
            raise SystemExit(f"unknown variant {name}")
    finally:
        pre.unlink(missing_ok=True)


def top5(scores: np.ndarray) -> list[int]:
    return [int(i) for i in np.argsort(-scores, kind="stable")[:5]]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--variants", default="int8-dynamic,int8-static,fp16")
    ap.add_argument("--write", help="keep this variant as model-<name>.onnx")
    ap.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    args = ap.parse_args()
    music = sorted((args.shared / "audio" / "music").iterdir())
    labelled = sorted((args.shared / "labelled").glob("*.mp3"))
    calib = np.concatenate([patches_of(p, 4) for p in labelled])
    clips = {p.name: patches_of(p) for p in music}
    exact = session(MODEL)
    ref = {k: run(exact, v) for k, v in clips.items()}
    allp = np.concatenate(list(clips.values()))

    def timed(sess) -> float:
        run(sess, allp[:8])
        t = time.perf_counter()
        run(sess, allp)
        return (time.perf_counter() - t) * 1000 / len(allp)

    path = HERE / "precision-report.json"
    earlier = json.loads(path.read_text())["variants"] if path.exists() else {}
    report = {"patches": int(len(allp)), "calibration_patches": int(len(calib)), "exact_ms_per_patch": round(timed(exact), 2),
              "variants": earlier}
    import onnxruntime
    report["onnxruntime"] = onnxruntime.__version__
    for name in [v for v in args.variants.split(",") if v]:
        out = BUNDLE / f"model-{name}.onnx"
        try:
            make_variant(name, out, calib)
            sess = session(out)
        except Exception as exc:  # a variant the CPU provider cannot run is reported, not fatal
            report["variants"][name] = {"error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"}
            print(f"{name}: {report['variants'][name]['error']}", file=sys.stderr)
            out.unlink(missing_ok=True)
            continue
        per_clip = {}
        for k, v in clips.items():
            got = run(sess, v)
            per_clip[k] = {"mean_abs_diff": float(np.abs(got - ref[k]).mean()),
                           "top5_same": top5(got.mean(0)) == top5(ref[k].mean(0))}
        worst = max(c["mean_abs_diff"] for c in per_clip.values())
        entry = {"ms_per_patch": round(timed(sess), 2), "exact_ms_per_patch_same_run": report["exact_ms_per_patch"],
                 "bytes": out.stat().st_size, "worst_clip_mean_abs_diff": worst,
                 "top5_same_on_every_clip": all(c["top5_same"] for c in per_clip.values()), "clips": per_clip}
        entry["keeps_tags"] = bool(entry["top5_same_on_every_clip"] and worst <= 0.01)
        report["variants"][name] = entry
        print(f"{name}: {entry['ms_per_patch']} ms/patch (exact {report['exact_ms_per_patch']}), worst mean |diff| {worst:.4f}, "
              f"top-5 kept on every clip: {entry['top5_same_on_every_clip']}", file=sys.stderr)
        if name != args.write:
            out.unlink(missing_ok=True)
    path.write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
