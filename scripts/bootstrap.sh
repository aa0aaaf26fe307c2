#!/usr/bin/env bash
# Create .venv and install breachscan with everything its tests need. Idempotent; safe on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
EXTRAS=${BREACHSCAN_EXTRAS:-dev,spark,airflow}
.venv/bin/python -m pip install --quiet -e ".[${EXTRAS}]"
