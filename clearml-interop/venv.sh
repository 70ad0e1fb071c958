#!/usr/bin/env bash
# Creates (or reuses) the Python environment with the official ClearML SDK used by the interop
# tests, then prints the environment's python path as the last line of standard output. Everything
# else goes to standard error, so callers can do:
#
#   PY="$(bash clearml-interop/venv.sh | tail -n 1)"
#
# The environment lives in <repo>/.venv/clearml. It is rebuilt only when the pinned requirements
# change: a stamp file records the hash of the inputs.
#
# Environment variables:
#   PYTHON            interpreter used to create the venv (default: python3; 3.9 or newer)
#   ENO_CLEARML_VENV  override the venv location
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
repo_root="$(cd "$here/.." && pwd -P)"
venv="${ENO_CLEARML_VENV:-$repo_root/.venv/clearml}"
req="$here/requirements.txt"
stamp="$venv/.eno-requirements.sha256"
base_python="${PYTHON:-python3}"

log() { printf '[clearml venv] %s\n' "$*" >&2; }

if ! command -v "$base_python" >/dev/null 2>&1; then
  log "cannot find '$base_python' (set PYTHON to a Python 3 interpreter)"
  exit 1
fi
if ! "$base_python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)'; then
  log "need Python 3.9 or newer, '$base_python' is $("$base_python" -V 2>&1)"
  exit 1
fi

mkdir -p "$(dirname "$venv")"

# Serialise concurrent callers (test files run in parallel workers).
exec 9>"$(dirname "$venv")/.clearml-venv.lock"
if command -v flock >/dev/null 2>&1; then
  flock 9
fi

want="$({ "$base_python" -c 'import sys; print("python=%d.%d" % sys.version_info[:2])'; cat "$req"; } | sha256sum | cut -d' ' -f1)"
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
  "$py" -c 'import clearml; print("[clearml venv] ok: clearml", clearml.__version__)' >&2
  printf '%s\n' "$want" > "$stamp"
  log "ready ($venv)"
fi

printf '%s\n' "$py"
