#!/usr/bin/env bash
# The Python environment with scikit-learn that the learned-tag classifier is checked against, kept
# in this machine's venv cache (see scripts/python-venv.sh; ENO_SKLEARN_VENV names a folder
# instead). Prints the python path as the last line:
#
#   PY="$(bash test-support/sklearn/venv.sh | tail -n 1)"
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$here/../.." && pwd -P)"
exec bash "$repo_root/scripts/python-venv.sh" "${ENO_SKLEARN_VENV:-@sklearn}" "$here/requirements.txt" \
  --min-python 3.9 --label 'sklearn venv' \
  --check 'import sklearn; print("[sklearn venv] ok: scikit-learn", sklearn.__version__)'
