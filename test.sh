#!/usr/bin/env bash
# Builds nscr and runs every test project; the last line is "N passed, N failed[, N skipped]".
# As root it first installs the clients the end-to-end tests drive (skopeo, podman, buildah, docker, and Chromium for
# the web UI's browser tests) and PostgreSQL (the cluster tests start private servers with initdb/pg_ctl; no system
# service is started). Building src/Gateway runs npm ci for the web UI's chart library (uPlot), so node/npm come first.
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# Debian package -> a command it provides (checked with command -v, then dpkg).
declare -A tools=(
  [skopeo]=skopeo [podman]=podman [buildah]=buildah [busybox-static]=busybox [docker.io]=dockerd [apache2-utils]=htpasswd
  [postgresql]=postgres [nginx-light]=nginx [curl]=curl [shellcheck]=shellcheck [docker-compose]=docker-compose
  [systemd]=systemd-analyze [chromium]=chromium
)

installed() {
  { command -v "${tools[$1]}" >/dev/null 2>&1 || compgen -G "/usr/lib/postgresql/*/bin/${tools[$1]}" >/dev/null; } &&
    [[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

# apt may be held by another process for a while: retry instead of failing.
apt_retry() {
  local attempt
  for attempt in $(seq 1 30); do
    if DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 "$@"; then
      return 0
    fi
    echo "apt-get $1 failed (attempt $attempt), retrying in 10 s" >&2
    sleep 10
  done
  return 1
}

missing=()
for package in "${!tools[@]}"; do
  installed "$package" || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -eq 0 ]]; then
    echo "installing: ${missing[*]}"
    apt_retry update -q
    apt_retry install -y -q "${missing[@]}"
  else
    echo "warning: not root, cannot install ${missing[*]}; the end-to-end tests will fail" >&2
  fi
fi

# The S3 store's tests start s3rver (an S3-API server from npm), installed project-locally from its lock file.
# Any node with its npm will do (a NodeSource nodejs bundles npm; Debian splits them into nodejs and npm).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [[ $(id -u) -eq 0 ]]; then
    echo "installing: nodejs npm"
    apt_retry update -q
    apt_retry install -y -q nodejs npm
  else
    echo "warning: not root, cannot install nodejs and npm; building src/Gateway (web UI assets) and the S3 store tests will fail" >&2
  fi
fi
s3rver_dir=tests/Storage.Tests/s3rver
if [[ ! -f $s3rver_dir/node_modules/s3rver/package.json ]]; then
  (cd "$s3rver_dir" && npm ci --no-audit --no-fund --loglevel=error)
fi

dotnet build Nscr.sln -c Release
# The self-contained server, once, for tests/EndToEnd.Tests/Packaging (it runs artifacts/server/nscr-server).
dotnet publish src/Gateway -c Release -r linux-x64 --self-contained -o artifacts/server

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
# One test project at a time: the Orleans test clusters, the real servers and the clients of the end-to-end
# tests starve each other on two cores when every project runs at once (silos then miss their start-up deadline).
dotnet test Nscr.sln -c Release --no-build -m:1 --logger "console;verbosity=minimal" 2>&1 | tee "$log" || status=$?

# One VSTest summary per test project, e.g.
# "Passed!  - Failed:     0, Passed:    12, Skipped:     0, Total:    12, Duration: 2 s - Nscr.X.Tests.dll (net10.0)"
read -r passed failed skipped < <(
  grep -E '^(Passed|Failed)! +- Failed: ' "$log" | sort -u |
    sed -E 's/.*Failed: *([0-9]+), Passed: *([0-9]+), Skipped: *([0-9]+),.*/\2 \1 \3/' |
    awk '{ p += $1; f += $2; s += $3 } END { print p + 0, f + 0, s + 0 }'
)
if ((status != 0 && failed == 0)); then
  echo "dotnet test exited with $status without a failed test (a crashed test host or a build problem)" >&2
fi

summary="$passed passed, $failed failed"
((skipped > 0)) && summary+=", $skipped skipped"
echo "$summary"
((status == 0 && failed == 0))
