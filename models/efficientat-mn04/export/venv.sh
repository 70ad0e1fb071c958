#!/usr/bin/env bash
# The Python environment used to export and check the EfficientAT mn04 bundle and to measure
# reduced-precision models, kept in this machine's venv cache (see scripts/python-venv.sh;
# ENO_EFFICIENTAT_VENV names a folder instead). Prints the python path as the last line:
#
#   PY="$(bash models/efficientat-mn04/export/venv.sh | tail -n 1)"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$here/../../.." && pwd -P)"
exec bash "$repo_root/scripts/python-venv.sh" "${ENO_EFFICIENTAT_VENV:-@efficientat}" "$here/requirements.txt" \
  --python-version 3.11 --label 'efficientat venv' \
  --check '
import numpy, torch, torchaudio, torchvision, onnx, onnxruntime, librosa
print("[efficientat venv] ok: torch", torch.__version__, "torchaudio", torchaudio.__version__, "onnxruntime", onnxruntime.__version__)
'
