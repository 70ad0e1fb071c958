#!/usr/bin/env bash
# The Python environment with the official ClearML SDK used by the interop tests, kept in this
# machine's venv cache (see scripts/python-venv.sh; ENO_CLEARML_VENV names a folder instead).
# Prints the python path as the last line:
#
#   PY="$(bash clearml-interop/venv.sh | tail -n 1)"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$here/.." && pwd -P)"
exec bash "$repo_root/scripts/python-venv.sh" "${ENO_CLEARML_VENV:-@clearml}" "$here/requirements.txt" \
  --min-python 3.9 --label 'clearml venv' \
  --check 'import clearml; print("[clearml venv] ok: clearml", clearml.__version__)'
