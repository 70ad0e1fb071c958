#!/usr/bin/env bash
# Creates (or reuses) a pinned Python environment and prints its python path as the last line of
# standard output (everything else goes to standard error):
#
#   python-venv.sh DIR|@NAME REQUIREMENTS [--no-deps REQUIREMENTS] [--python-version X.Y | --min-python X.Y]
#                  [--check PYTHON_CODE] [--label NAME]
#
# @NAME keeps the environment in this machine's cache, outside the clone, named by the hash of its
# inputs: $ENO_VENV_CACHE, else ${XDG_CACHE_HOME:-~/.cache}/eno/venvs/NAME-<hash>. A fresh clone (CI)
# then reuses an environment an earlier run built from the same pinned files instead of installing
# again (the large ones, such as PyTorch's, take minutes). A DIR is used as given.
# The environment is rebuilt only when its inputs change (a stamp records their hash), and
# concurrent callers wait for each other. PYTHON picks the interpreter (default python3).
set -euo pipefail

venv="$1"
req="$2"
shift 2
req_nodeps=""
exact=""
minimum=""
check=""
label="venv"
while [ $# -gt 0 ]; do
  case "$1" in
    --no-deps) req_nodeps="$2"; shift 2 ;;
    --python-version) exact="$2"; shift 2 ;;
    --min-python) minimum="$2"; shift 2 ;;
    --check) check="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    *) echo "python-venv.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
base_python="${PYTHON:-python3}"
log() { printf '[%s] %s\n' "$label" "$*" >&2; }

if ! command -v "$base_python" >/dev/null 2>&1; then
  log "cannot find '$base_python' (set PYTHON to a Python 3 interpreter)"
  exit 1
fi
pyver="$("$base_python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
if [ -n "$exact" ] && [ "$pyver" != "$exact" ]; then
  log "need Python $exact, '$base_python' is $pyver"
  exit 1
fi
if [ -n "$minimum" ] && ! "$base_python" -c "import sys; sys.exit(0 if sys.version_info[:2] >= tuple(map(int, '$minimum'.split('.'))) else 1)"; then
  log "need Python $minimum or newer, '$base_python' is $pyver"
  exit 1
fi

want="$({ printf 'python=%s\n' "$pyver"; cat "$req"; [ -z "$req_nodeps" ] || { printf -- '--- no-deps ---\n'; cat "$req_nodeps"; }; } | sha256sum | cut -d' ' -f1)"
case "$venv" in
  @*) venv="${ENO_VENV_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/eno/venvs}/${venv#@}-${want:0:16}" ;;
esac

mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
if command -v flock >/dev/null 2>&1; then flock 9; fi
py="$venv/bin/python"
stamp="$venv/.eno-requirements.sha256"

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
  [ -z "$req_nodeps" ] || "$py" -m pip install --disable-pip-version-check --no-input -q --no-deps -r "$req_nodeps" >&2
  [ -z "$check" ] || "$py" -c "$check" >&2
  printf '%s\n' "$want" > "$stamp"
  log "ready ($venv)"
fi

printf '%s\n' "$py"
