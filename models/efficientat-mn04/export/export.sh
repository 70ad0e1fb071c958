#!/usr/bin/env bash
# Rebuild the EfficientAT mn04 bundle: model.onnx, parity.json, reference fixtures,
# threshold-report.json and eno-model.json. Extra arguments go to export.py (e.g. --steps parity).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
py="$(bash "$here/venv.sh" | tail -n 1)"
exec "$py" "$here/export.py" "$@"
