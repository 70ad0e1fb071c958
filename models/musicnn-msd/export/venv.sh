#!/usr/bin/env bash
# The Python environment used to export and check the musicnn (MSD) bundle and to run musicnn's
# own tagger in the benchmark, kept in this machine's venv cache (see scripts/python-venv.sh;
# ENO_MUSICNN_VENV names a folder instead). Prints the python path as the last line:
#
#   PY="$(bash models/musicnn-msd/export/venv.sh | tail -n 1)"
#
# musicnn itself is installed without dependencies (requirements-nodeps.txt): its metadata asks
# for numpy<1.17, which has no build for Python 3.11; the pinned set works with it.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$here/../../.." && pwd -P)"
exec bash "$repo_root/scripts/python-venv.sh" "${ENO_MUSICNN_VENV:-@musicnn}" "$here/requirements.txt" \
  --no-deps "$here/requirements-nodeps.txt" --python-version 3.11 --label 'musicnn venv' \
  --check '
import importlib.util, os
import numpy, librosa, soundfile, onnx, onnxruntime, tf2onnx
spec = importlib.util.find_spec("musicnn")
ckpt = os.path.join(os.path.dirname(spec.origin), "MSD_musicnn", ".index")
if not os.path.isfile(ckpt):
    raise SystemExit("musicnn is installed but its MSD_musicnn checkpoint is missing: " + ckpt)
print("[musicnn venv] ok: numpy", numpy.__version__, "librosa", librosa.__version__, "onnxruntime", onnxruntime.__version__)
'
