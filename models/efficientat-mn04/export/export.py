#!/usr/bin/env python3
"""Build the EfficientAT mn04 bundle for eno.

Steps, run in order by default:
  onnx        the upstream network with the released weights to model.onnx
  parity      model.onnx against the upstream PyTorch forward on real log-mel windows -> parity.json
  references  reference/<clip>.json for every shared clip (upstream front end + PyTorch) and
              reference/mel-synthetic.json (upstream front end on a synthetic signal)
  manifest    thresholds (threshold-report.json) and eno-model.json

The upstream code and weights are read from ../shared/models/efficientat-mn04 (ENO_EFFICIENTAT_DIR).
Run through export.sh, which prepares the pinned Python environment first.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

sys.dont_write_bytecode = True

from onnx_export import MODEL_PATH, export_onnx  # noqa: E402
from parity import check_parity, onnx_session  # noqa: E402
from upstream import HERE, REPO_ROOT, WEIGHTS, WEIGHTS_SHA256, build_frontend, build_model, log, upstream_versions  # noqa: E402

PARITY_PATH = HERE / "parity.json"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--audio-dir", type=Path, default=Path(os.environ.get("ENO_SHARED_AUDIO", REPO_ROOT.parent / "shared" / "audio")))
    ap.add_argument("--labelled-dir", type=Path, default=REPO_ROOT.parent / "shared" / "labelled")
    ap.add_argument("--steps", default="onnx,parity,references,manifest")
    args = ap.parse_args(argv)
    steps = [s.strip() for s in args.steps.split(",") if s.strip()]
    unknown = set(steps) - {"onnx", "parity", "references", "manifest"}
    if unknown:
        ap.error(f"unknown steps: {sorted(unknown)}")
    import torch
    torch.set_num_threads(1)
    torch.manual_seed(0)
    net = build_model()
    frontend = build_frontend()
    graph = export_onnx(net) if "onnx" in steps else None
    if not MODEL_PATH.exists():
        raise SystemExit(f"{MODEL_PATH} is missing; run the onnx step")
    session = onnx_session(MODEL_PATH)
    parity = json.loads(PARITY_PATH.read_text()) if PARITY_PATH.exists() else {}
    if "parity" in steps:
        import numpy as np

        from references import list_clips, run_clip
        mels = np.concatenate([run_clip(path, frontend, net)[1] for _, path in list_clips(args.audio_dir.resolve())])
        parity = {"model": "mn04_as", "weights_sha256": WEIGHTS_SHA256, "weights": WEIGHTS.name,
                  "onnx_file": MODEL_PATH.name, **check_parity(mels, net, session),
                  "input": "log-mel windows of every shared clip (music and nonmusic), upstream front end",
                  "versions": upstream_versions()}
        if graph:
            parity["onnx_graph"] = graph
    if "references" in steps:
        from references import make_references
        refs = make_references(args.audio_dir.resolve(), frontend, net, session)
        parity["pytorch_vs_onnx_per_clip"] = refs["clips"]
    if parity:
        import hashlib
        parity["onnx_sha256"] = hashlib.sha256(MODEL_PATH.read_bytes()).hexdigest()
        PARITY_PATH.write_text(json.dumps(parity, indent=2) + "\n")
    if "manifest" in steps:
        from manifest import write_manifest
        write_manifest(args.audio_dir.resolve(), args.labelled_dir.resolve(), frontend, net)
    if parity and not parity.get("passed", False):
        log("PARITY FAILED")
        return 1
    log("done")
    return 0


if __name__ == "__main__":
    sys.exit(main())
