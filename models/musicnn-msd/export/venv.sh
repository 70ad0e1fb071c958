#!/usr/bin/env bash
# Creates (or reuses) the Python environment used to export and check the
# musicnn (MSD) model bundle, then prints the environment's python path as the
# last line of standard output. Everything else goes to standard error, so
# callers can do:
#
#   PY="$(bash models/musicnn-msd/export/venv.sh | tail -n 1)"
#
# The environment lives in <repo>/.venv/musicnn. It is rebuilt only when the
# pinned requirements change: a stamp file records the hash of the inputs.
#
# Environment variables:
#   PYTHON          interpreter used to create the venv (default: python3; must be 3.11)
#   ENO_MUSICNN_VENV  override the venv location
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$here/../../.." && pwd -P)"
venv="${ENO_MUSICNN_VENV:-$repo_root/.venv/musicnn}"
req="$here/requirements.txt"
req_nodeps="$here/requirements-nodeps.txt"
stamp="$venv/.eno-requirements.sha256"
base_python="${PYTHON:-python3}"

log() { printf '[musicnn venv] %s\n' "$*" >&2; }

hash_inputs() {
  # Hash of everything that decides the environment's content.
  {
    printf 'python=%s\n' "$("$base_python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    cat "$req"
    printf -- '--- no-deps ---\n'
    cat "$req_nodeps"
  } | sha256sum | cut -d' ' -f1
}

if ! command -v "$base_python" >/dev/null 2>&1; then
  log "cannot find '$base_python' (set PYTHON to a Python 3.11 interpreter)"
  exit 1
fi
pyver="$("$base_python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ "$pyver" != "3.11" ]; then
  log "need Python 3.11 (tensorflow 2.15 wheels), '$base_python' is $pyver"
  exit 1
fi

mkdir -p "$(dirname "$venv")"

# Serialise concurrent callers (e.g. a benchmark and an export started together).
lockfile="$(dirname "$venv")/.musicnn-venv.lock"
exec 9>"$lockfile"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi

want="$(hash_inputs)"
py="$venv/bin/python"

if [ -x "$py" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  log "up to date ($venv)"
else
  if [ ! -x "$py" ]; then
    log "creating $venv"
    "$base_python" -m venv "$venv"
  else
    log "requirements changed, updating $venv"
  fi
  rm -f "$stamp"
  "$py" -m pip install --disable-pip-version-check --no-input -q -r "$req" >&2
  "$py" -m pip install --disable-pip-version-check --no-input -q --no-deps -r "$req_nodeps" >&2
  # Smoke test: the pieces the export and the reference tools import.
  "$py" - >&2 <<'PYEOF'
import importlib.util, os
import numpy, librosa, soundfile, onnx, onnxruntime, tf2onnx  # noqa: F401
spec = importlib.util.find_spec("musicnn")
ckpt = os.path.join(os.path.dirname(spec.origin), "MSD_musicnn", ".index")
if not os.path.isfile(ckpt):
    raise SystemExit("musicnn is installed but its MSD_musicnn checkpoint is missing: " + ckpt)
print("[musicnn venv] ok: numpy", numpy.__version__, "librosa", librosa.__version__,
      "onnxruntime", onnxruntime.__version__, "tf2onnx", tf2onnx.__version__)
PYEOF
  printf '%s\n' "$want" > "$stamp"
  log "ready ($venv)"
fi

printf '%s\n' "$py"
