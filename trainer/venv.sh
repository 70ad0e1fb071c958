#!/usr/bin/env bash
# The trainer's Python environment (PyTorch, ONNX, the ClearML SDK, pytest), kept in this machine's
# venv cache by the hash of the pinned requirements (see scripts/python-venv.sh; ENO_TRAINER_VENV
# names a folder instead). The first build downloads about 5.5 GB; later calls reuse it. Prints the
# python path as the last line:
#
#   PY="$(bash trainer/venv.sh | tail -n 1)"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$here/.." && pwd -P)"
exec bash "$repo_root/scripts/python-venv.sh" "${ENO_TRAINER_VENV:-@trainer}" "$here/requirements.txt" \
  --no-deps "$here/requirements-dev.txt" --python-version 3.11 --label 'trainer venv' \
  --check 'import torch, onnx, onnxruntime, clearml, omegaconf; print("[trainer venv] ok: torch", torch.__version__)'
