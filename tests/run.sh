#!/usr/bin/env bash
# The whole test suite, from a fresh clone: installs the system packages Qt,
# Xvfb and the Secret Service keychain need, the Python packages, starts the
# local AT Protocol network, and runs pytest under a private D-Bus session with
# an unlocked gnome-keyring. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

SYSTEM_PACKAGES=(
  xvfb xauth dbus dbus-x11 gnome-keyring
  libegl1 libgl1 libfontconfig1 libxkbcommon0 libxkbcommon-x11-0 libdbus-1-3 libglib2.0-0
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0
  libxcb-shape0 libxcb-xinerama0 libxcb-randr0 libxcb-xfixes0 libxcb-xkb1 fonts-dejavu-core fonts-noto-color-emoji
  postgresql binutils dunst
  dpkg-dev desktop-file-utils appstream lintian patchelf x11-utils
)

install_system_packages() {
  command -v dpkg-query >/dev/null || { echo "Not a Debian/Ubuntu system: install the equivalents of: ${SYSTEM_PACKAGES[*]}"; return; }
  local missing=()
  for p in "${SYSTEM_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "Installing system packages: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}

install_python_packages() {
  [ -x .venv/bin/python ] || python3 -m venv .venv
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  # exactly the versions CI tested (constraints.txt); pip's notes about unreachable
  # local package indexes are noise here
  .venv/bin/python -m pip install -q -e '.[test,build]' -c constraints.txt 2> >(grep -v '^WARNING: Location' >&2)
}

install_system_packages
install_python_packages

export QT_QPA_PLATFORM=offscreen
export PYTHONDONTWRITEBYTECODE=1

started_devnet=0
keyring_home=""
cleanup() {
  stop_test_postgres
  [ -n "$keyring_home" ] && rm -rf "$keyring_home"
  [ "$started_devnet" = 1 ] && bash tests/devnet/start.sh stop >/dev/null 2>&1
  return 0
}
trap cleanup EXIT

# The real local Bluesky network (PLC + PDS + AppView), stopped again on exit.
if [ "${SHOPKEEP_SKIP_DEVNET:-0}" != "1" ]; then
  started_devnet=1
  devnet_out=$(bash tests/devnet/start.sh start)
  echo "$devnet_out" | tail -n 3
  SHOPKEEP_DEVNET_URL=$(echo "$devnet_out" | sed -n 's/^PDS_URL=//p' | tail -n 1)
  export SHOPKEEP_DEVNET_URL
fi

.venv/bin/ruff check app tests bench
.venv/bin/ruff format --check app tests bench
# --strict on all of app/, the window included ([tool.mypy] in pyproject.toml)
.venv/bin/mypy

# A throwaway PostgreSQL cluster on 127.0.0.1 for the `postgres` tests (team mode): initdb
# into a temporary folder, a free port, no fsync; stopped and deleted on exit. The tests
# read SHOPKEEP_TEST_PG_DSN; SHOPKEEP_TEST_POSTGRES=required makes a missing server fail
# them instead of skipping. (The devnet's own Postgres on port 54340 is another cluster.)
test_pg_dir=""
as_test_pg_owner() {  # initdb and postgres refuse to run as root
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
start_test_postgres() {
  export SHOPKEEP_TEST_POSTGRES=required
  local bin port
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$bin" ] || { echo "PostgreSQL is not installed: the postgres tests will fail"; return 0; }
  test_pg_dir=$(mktemp -d)
  [ "$(id -u)" -eq 0 ] && chown postgres: "$test_pg_dir"
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  as_test_pg_owner "$bin/initdb" -D "$test_pg_dir/data" -U shopkeep --auth=trust -E UTF8 \
    --locale=C.UTF-8 >"$test_pg_dir/initdb.log" 2>&1 \
    || { cat "$test_pg_dir/initdb.log"; echo "initdb failed: the postgres tests will fail"; return 0; }
  as_test_pg_owner "$bin/pg_ctl" -D "$test_pg_dir/data" -l "$test_pg_dir/server.log" -w -t 60 \
    start -o "-c listen_addresses=127.0.0.1 -p $port -k $test_pg_dir -c fsync=off \
    -c synchronous_commit=off -c full_page_writes=off" >/dev/null \
    || { tail -n 20 "$test_pg_dir/server.log"; echo "PostgreSQL did not start: the postgres tests will fail"; return 0; }
  export SHOPKEEP_TEST_PG_DSN="postgresql://shopkeep@127.0.0.1:$port/postgres"
}
stop_test_postgres() {
  [ -n "$test_pg_dir" ] || return 0
  [ -f "$test_pg_dir/data/postmaster.pid" ] \
    && as_test_pg_owner "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)/pg_ctl" \
      -D "$test_pg_dir/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$test_pg_dir"
  return 0
}
start_test_postgres

# A private session bus with a fresh, unlocked Secret Service keychain (its files in a
# temporary folder, so an old keyring with another password never asks for one), and
# a virtual screen.
keyring_home=$(mktemp -d)
export SHOPKEEP_KEYRING_HOME="$keyring_home"
dbus-run-session -- bash -c '
  echo -n "shopkeep-test" | XDG_DATA_HOME="$SHOPKEEP_KEYRING_HOME" \
    gnome-keyring-daemon --unlock --components=secrets >/dev/null
  # Services the bus starts on demand (the notification daemon) see the virtual screen too;
  # tests/pytest_session.sh runs pytest (for the whole suite, the frozen build beside it).
  exec xvfb-run -a -s "-screen 0 1600x1000x24" bash tests/pytest_session.sh "$@"
' pytest "$@"
