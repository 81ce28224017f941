#!/usr/bin/env bash
# One entry point on a fresh machine with Python >= 3.11: creates .venv, installs the project
# (pyproject.toml: all dependencies, including the CJK chart font), then
#   ./dev.sh run  [run options]   runs the baseline scenario and writes results + charts
#   ./dev.sh studio [SCENARIO] [studio options] opens the what-if studio in the browser
#   ./dev.sh lint                  checks style and types: ruff check, ruff format --check, mypy
#   ./dev.sh test [pytest options] runs lint, then the test suite (all tiers, slow ones included)
set -euo pipefail
cd "$(dirname "$0")"

pick_python() {
  for c in "${PYTHON:-}" python3.11 python3.12 python3.13 python3; do
    [ -n "$c" ] && command -v "$c" >/dev/null 2>&1 || continue
    if "$c" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then echo "$c"; return; fi
  done
  echo "error: Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)" >&2
  exit 2
}

if [ ! -x .venv/bin/python ]; then
  "$(pick_python)" -m venv .venv
fi
# reinstall only when pyproject.toml changed since the last install
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[test]"
  touch .venv/.installed
fi

# every check runs, so one call lists all findings; the exit status is 1 if any check failed
lint() {
  local failed=0
  echo "ruff check" >&2
  .venv/bin/ruff check . || failed=1
  echo "ruff format --check" >&2
  .venv/bin/ruff format --check . || failed=1
  echo "mypy" >&2
  .venv/bin/mypy || failed=1
  return "$failed"
}

cmd="${1:-}"
shift || true
case "$cmd" in
  run)  exec .venv/bin/python run_sim.py run scenarios/baseline.toml "$@" ;;
  studio) exec .venv/bin/python run_sim.py studio "$@" ;;
  lint) lint ;;
  test) lint || { echo "error: style or type findings above; fix them before the tests run" >&2; exit 1; }
        exec .venv/bin/python -m pytest -n auto -q "$@" ;;
  *)    echo "usage: ./dev.sh run [options] | ./dev.sh studio [scenario] [options] | ./dev.sh lint | ./dev.sh test [pytest options]" >&2; exit 2 ;;
esac
