#!/usr/bin/env bash
# Create .venv and install breachscan with everything its tests need. Idempotent; safe on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}

# System packages the tests use for real: Chromium renders report.html; Java runs Spark in local mode.
if [[ ${BREACHSCAN_SKIP_APT:-} != 1 ]] && command -v apt-get >/dev/null && [[ $(id -u) == 0 ]]; then
  need=()
  command -v chromium >/dev/null || need+=(chromium)
  command -v java >/dev/null || need+=(openjdk-17-jre-headless)
  if ((${#need[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  fi
fi

if [[ ! -x .venv/bin/python ]]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
EXTRAS=${BREACHSCAN_EXTRAS:-dev,spark,airflow}
.venv/bin/python -m pip install --quiet -e ".[${EXTRAS}]"
