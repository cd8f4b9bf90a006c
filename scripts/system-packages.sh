#!/usr/bin/env bash
# Installs, from Debian's packages, what the full test run needs beyond Node
# and npm, when it is missing: Chromium and fonts for the browser journeys and
# their screenshots, faketime for the run under a shifted clock, python3 with
# pip for the tests of the generated repositories, and a PostgreSQL server for
# the database tests. Needs root (CI runs as root); prints what it installs.
#
#   sudo bash scripts/system-packages.sh          install what is missing
#   bash scripts/system-packages.sh --check       list what is missing, exit 1 if any
set -euo pipefail

missing=()
has_command() { command -v "$1" >/dev/null 2>&1; }
has_package() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

# Chromium drives the journeys; fonts-liberation2 gives the metric-compatible
# Arial and Helvetica and fonts-roboto Roboto, the families Backstage's theme
# asks for, so that screenshots look as in a desktop browser.
has_command chromium || missing+=(chromium)
has_package fonts-liberation2 || missing+=(fonts-liberation2)
has_package fonts-roboto-unhinted || missing+=(fonts-roboto-unhinted)
# LD_PRELOAD clock shift for the "a year from now" run (.ci/run).
has_command faketime || missing+=(faketime)
has_command python3 || missing+=(python3)
python3 -m pip --version >/dev/null 2>&1 || missing+=(python3-pip)
installed_postgres=0
if ! has_command pg_ctlcluster; then
  missing+=(postgresql)
  installed_postgres=1
fi

if [ "${1:-}" = "--check" ]; then
  if ((${#missing[@]})); then
    echo "system packages missing: ${missing[*]}"
    exit 1
  fi
  echo "system packages: all present"
  exit 0
fi

if ((${#missing[@]} == 0)); then
  echo "system packages: all present"
  exit 0
fi

if [ "$(id -u)" != 0 ]; then
  echo "system packages missing: ${missing[*]}; run this script as root (sudo bash $0)" >&2
  exit 1
fi

echo "system packages: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
for command in chromium faketime python3; do
  has_command "$command" || {
    echo "system packages: $command is still missing after apt-get install" >&2
    exit 1
  }
done

if ((installed_postgres)); then
  # A machine without PostgreSQL gets the server the tests expect: on
  # 127.0.0.1:5432 with trust authentication for local connections only.
  version="$(ls /etc/postgresql | head -n 1)"
  hba="/etc/postgresql/$version/main/pg_hba.conf"
  sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
fi
echo "system packages: installed ${missing[*]}"
