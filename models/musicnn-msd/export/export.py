#!/usr/bin/env python3
"""Build the musicnn (MSD) model bundle for eno.

Steps, all run in order by default:

  onnx        rebuild the MSD_musicnn network from the installed `musicnn`
              package in inference mode, restore its checkpoint, freeze it and
              convert it to models/musicnn-msd/model.onnx
              (input `logmel` [batch,187,96] -> outputs `activations` [batch,50]
              after sigmoid and `embedding` [batch,200], the penultimate layer).
  parity      feed the same real log-mel patches to the TensorFlow network and
              to model.onnx (onnxruntime, CPU) and write export/parity.json.
              Exits non-zero when activations differ by more than 1e-4.
  references  run musicnn's own extractor over the shared audio clips and write
              reference/<clip>.json (taggram + penultimate per patch), plus
              reference/mel-synthetic.json for checking a log-mel front end.
  manifest    write export/threshold-report.json and eno-model.json.

Run through export.sh, which prepares the pinned Python environment first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

# The steps live in sibling modules of this script:
#   bundle.py        settings, paths and helpers shared by every step
#   tf_network.py    the MSD_musicnn TensorFlow network with its checkpoint
#   onnx_convert.py  freeze + tf2onnx conversion (step onnx)
#   onnx_passes.py   clean-up passes that make model.onnx small and reproducible
#   parity_check.py  model.onnx against the TensorFlow network (step parity)
#   fixtures.py      reference/<clip>.json and reference/mel-synthetic.json (step references)
#   manifest.py      threshold-report.json and eno-model.json (step manifest)
# Keep the folder free of bytecode caches when it runs.
sys.dont_write_bytecode = True

from bundle import (ACTIVATION_TOLERANCE, DEFAULT_AUDIO_DIR, EMBEDDING_TOLERANCE, MODEL_PATH,  # noqa: E402
                    PARITY_PATH, REPO_ROOT, log)
from fixtures import make_references  # noqa: E402
from manifest import write_threshold_report_and_manifest  # noqa: E402
from onnx_convert import export_onnx  # noqa: E402
from parity_check import check_parity  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--audio-dir", type=Path, default=Path(os.environ.get("ENO_SHARED_AUDIO", DEFAULT_AUDIO_DIR)),
                    help="shared audio folder holding music/*.mp3|ogg (default: <repo>/../shared/audio)")
    ap.add_argument("--steps", default="onnx,parity,references,manifest",
                    help="comma-separated subset of: onnx,parity,references,manifest")
    args = ap.parse_args(argv)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = set(steps) - {"onnx", "parity", "references", "manifest"}
    if unknown:
        ap.error(f"unknown steps: {sorted(unknown)}")
    audio_dir = args.audio_dir.resolve()

    export_info = None
    if "onnx" in steps:
        export_info = export_onnx()
    if not MODEL_PATH.exists():
        raise SystemExit(f"{MODEL_PATH} is missing; run the onnx step")

    previous = json.loads(PARITY_PATH.read_text()) if PARITY_PATH.exists() else None
    parity = None
    if "parity" in steps:
        parity = check_parity(audio_dir)
        if "references" not in steps and previous and "extractor_vs_onnx" in previous \
                and previous.get("onnx_sha256") == parity["onnx_sha256"]:
            parity["extractor_vs_onnx"] = previous["extractor_vs_onnx"]  # still about this model.onnx
        if export_info:
            parity["onnx_graph"] = {k: export_info[k] for k in
                                    ("opset", "bytes", "nodes", "op_counts", "parameters", "checkpoint_data_sha256",
                                     "batchnorm_folded_into_dense", "redundant_reshapes_removed")}
    elif previous is not None:
        parity = previous

    if "references" in steps:
        refs = make_references(audio_dir)
        if parity is not None:
            parity["extractor_vs_onnx"] = {
                "note": ("musicnn's own extractor taggram (reference/*.json before rounding) against model.onnx; "
                         "embedding: TF penultimate per patch against model.onnx"),
                "activations_max_abs_diff": max(c["activations"]["max_abs_diff"] for c in refs["extractor_vs_onnx"]),
                "embedding_max_abs_diff": max(c["embedding"]["max_abs_diff"] for c in refs["extractor_vs_onnx"]),
                "clips": refs["extractor_vs_onnx"],
                "failed_clips": refs["failed"],
            }
            e2e = parity["extractor_vs_onnx"]
            if e2e["activations_max_abs_diff"] > ACTIVATION_TOLERANCE or \
                    e2e["embedding_max_abs_diff"] > EMBEDDING_TOLERANCE:
                parity["passed"] = False

    if parity is not None and ("parity" in steps or "references" in steps):
        PARITY_PATH.write_text(json.dumps(parity, indent=2) + "\n")
        log(f"wrote {PARITY_PATH.relative_to(REPO_ROOT)}")

    if "manifest" in steps:
        write_threshold_report_and_manifest()

    if parity is not None and not parity.get("passed", False):
        log(f"PARITY FAILED: activations max |diff| {parity['activations']['max_abs_diff']:.3g} "
            f"(limit {ACTIVATION_TOLERANCE}), embedding {parity['embedding']['max_abs_diff']:.3g} "
            f"(limit {EMBEDDING_TOLERANCE}); extractor check: {parity.get('extractor_vs_onnx', {}).get('activations_max_abs_diff')}")
        return 1
    log("done")
    return 0


if __name__ == "__main__":
    # tf2onnx names helper tensors while iterating over sets, so the bytes of
    # model.onnx (and the sha256 in the manifest) depend on string hashing.
    # Pin it so that repeated exports are byte-identical.
    if os.environ.get("PYTHONHASHSEED") != "0":
        os.environ["PYTHONHASHSEED"] = "0"
        os.execv(sys.executable, [sys.executable, *sys.argv])
    sys.exit(main())
