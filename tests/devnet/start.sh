#!/usr/bin/env bash
# Shopkeep's own copy of the devnet launcher (adapted from shared/reference/bluesky-devnet).
# The test command runs it; tests/fixtures/bluesky.py starts it itself when SHOPKEEP_DEVNET_URL
# is not set. State lives outside the repo in $DEVNET_HOME (default /tmp/shopkeep-devnet).
#
# Local AT Protocol network on 127.0.0.1 for integration tests:
#   PLC directory :2582, PDS :2583, Bsky AppView :2584, Ozone :2587 (+ bsync/dataplane on random ports)
# built from @atproto/dev-env (npm) + a private Postgres cluster. No Docker, no Redis, no internet
# except the npm registry (and Debian's, only if Postgres is missing).
#
# usage: start.sh [start|stop|restart|status|install]     (default: start)
#   start    install if needed, start Postgres + network in the background, wait until ready,
#            print PDS_URL=..., SHOPKEEP_DEVNET_URL=... and the ready JSON; exits 0 when ready
#            (idempotent if already running); a failed start cleans up after itself
#   stop     stop the network (SIGTERM -> clean close) and the private Postgres; only our own PIDs
#   status   print the ready JSON if running (exit 0) or "not running" (exit 1)
#   install  only install Node 22 (from the npm registry) + npm ci + Postgres
#
# env (all optional):
#   DEVNET_HOME=/tmp/shopkeep-devnet   everything lives here (node, node_modules, pg data, logs)
#   DEVNET_PG_PORT=54340           private Postgres port (127.0.0.1 only)
#   DEVNET_PLC_PORT=2582 DEVNET_PDS_PORT=2583 DEVNET_APPVIEW_PORT=2584 DEVNET_OZONE_PORT=2587
#   DEVNET_INVITE_REQUIRED=1       PDS requires invite codes (admin basic auth admin:admin-pass)
#   DEVNET_RATE_LIMITS=1          PDS rate limits on (in-memory; e.g. createSession 30/5min per identifier+ip)
#   DEVNET_LOG=1                   verbose pino logs of all services into devnet.log
#   DEVNET_READY_TIMEOUT=180       seconds to wait for readiness
#   DEVNET_NODE_VERSION=22.23.3    node-linux-<arch> package version used when system node < 22
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DEVNET_HOME=${DEVNET_HOME:-/tmp/shopkeep-devnet}
APP=$DEVNET_HOME/app
RUN=$DEVNET_HOME/run
PGDIR=$DEVNET_HOME/pg
PG_PORT=${DEVNET_PG_PORT:-54340}
PLC_PORT=${DEVNET_PLC_PORT:-2582}
PDS_PORT=${DEVNET_PDS_PORT:-2583}
APPVIEW_PORT=${DEVNET_APPVIEW_PORT:-2584}
OZONE_PORT=${DEVNET_OZONE_PORT:-2587}
NODE_VERSION=${DEVNET_NODE_VERSION:-22.23.3}
READY_TIMEOUT=${DEVNET_READY_TIMEOUT:-180}
READY_FILE=$RUN/ready.json
PIDFILE=$RUN/devnet.pid
LOG=$RUN/devnet.log

log() { echo "[devnet] $*" >&2; }
die() { echo "[devnet] ERROR: $*" >&2; exit 1; }

# ---------------------------------------------------------------- node >= 22
NODE_BIN_DIR=""
NODE_HEADERS_DIR=""
ensure_node() {
  local sys_major=0
  if command -v node >/dev/null 2>&1; then
    sys_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
  fi
  if [ "$sys_major" -ge 22 ]; then
    NODE_BIN_DIR=$(dirname "$(readlink -f "$(command -v node)")")
    local prefix; prefix=$(dirname "$NODE_BIN_DIR")
    [ -f "$prefix/include/node/node.h" ] && NODE_HEADERS_DIR=$prefix
    return
  fi
  command -v npm >/dev/null 2>&1 || die "npm not found (needed to fetch Node 22 from the npm registry)"
  local arch
  case "$(uname -m)" in
    x86_64) arch=x64 ;; aarch64|arm64) arch=arm64 ;; *) die "unsupported arch $(uname -m)" ;;
  esac
  local pkg=node-linux-$arch
  local dir=$DEVNET_HOME/node/node_modules/$pkg
  if [ ! -x "$dir/bin/node" ] || [ "$("$dir/bin/node" -v)" != "v$NODE_VERSION" ]; then
    log "installing Node $NODE_VERSION from the npm registry ($pkg) ..."
    mkdir -p "$DEVNET_HOME/node"
    [ -f "$DEVNET_HOME/node/package.json" ] || echo '{"private":true}' > "$DEVNET_HOME/node/package.json"
    npm install --prefix "$DEVNET_HOME/node" --no-audit --no-fund --no-save "$pkg@$NODE_VERSION" >&2
  fi
  NODE_BIN_DIR=$dir/bin
  NODE_HEADERS_DIR=$dir   # has include/node/*.h: lets node-gyp build better-sqlite3 offline
}

# ---------------------------------------------------------------- postgres
PG_BIN=""
ensure_postgres() {
  PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
  if [ -z "$PG_BIN" ]; then
    [ "$(id -u)" = 0 ] || die "Postgres not installed and not root: apt-get install postgresql"
    log "installing postgresql from Debian ..."
    apt-get update -q >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
  fi
}

as_pg() { # run a command as the cluster owner (initdb/postgres refuse to run as root)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  ensure_postgres
  if [ ! -f "$PGDIR/data/PG_VERSION" ]; then
    log "initdb $PGDIR/data"
    rm -rf "$PGDIR"; mkdir -p "$PGDIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDIR"
    as_pg "$PG_BIN/initdb" -D "$PGDIR/data" -U pg --auth=trust -E UTF8 >"$PGDIR/initdb.log" 2>&1 \
      || { cat "$PGDIR/initdb.log" >&2; die "initdb failed"; }
  fi
  if ! as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" status >/dev/null 2>&1; then
    # throwaway test DB: no fsync; loopback only; socket inside PGDIR
    as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/pg.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $PG_PORT -k $PGDIR -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" >&2 \
      || { tail -20 "$PGDIR/pg.log" >&2; die "postgres failed to start"; }
  fi
  # fresh database every start: PLC is in-memory and PDS data lives in $RUN/tmp, so old appview rows would dangle
  "$PG_BIN/psql" -q -h 127.0.0.1 -p "$PG_PORT" -U pg -d postgres -v ON_ERROR_STOP=1 \
    -c "DROP DATABASE IF EXISTS bsky WITH (FORCE)" -c "CREATE DATABASE bsky" >&2
}

pg_stop() {
  [ -f "$PGDIR/data/postmaster.pid" ] || return 0
  ensure_postgres
  as_pg "$PG_BIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >&2 || true
}

# ---------------------------------------------------------------- npm packages
install_app() {
  ensure_node
  export PATH="$NODE_BIN_DIR:$PATH"
  mkdir -p "$APP"
  cp "$HERE/package.json" "$HERE/package-lock.json" "$HERE/devnet.mjs" "$APP/"
  local want; want=$(cat "$APP/package-lock.json" "$NODE_BIN_DIR/node" | sha256sum | cut -c1-16)
  if [ ! -d "$APP/node_modules" ] || [ "$(cat "$APP/.installed" 2>/dev/null)" != "$want" ]; then
    log "npm ci (@atproto/dev-env + deps, ~500 MB; better-sqlite3 compiles from source, ~1-2 min) ..."
    local t0=$SECONDS
    (
      cd "$APP"
      # prebuilt better-sqlite3 binaries come from GitHub (unreachable) -> node-gyp build needs headers
      if [ -n "$NODE_HEADERS_DIR" ]; then export npm_config_nodedir=$NODE_HEADERS_DIR; fi
      npm ci --no-audit --no-fund >&2
    )
    log "npm ci took $((SECONDS - t0))s"
  fi
  # npm may skip install scripts (allowScripts) or an ABI may differ: make sure the native module loads
  if ! (cd "$APP" && node -e "new (require('better-sqlite3'))(':memory:').close()" 2>/dev/null); then
    log "building better-sqlite3 for $(node -v) ..."
    (
      cd "$APP"
      if [ -n "$NODE_HEADERS_DIR" ]; then export npm_config_nodedir=$NODE_HEADERS_DIR; fi
      npm rebuild better-sqlite3 >&2
    )
    (cd "$APP" && node -e "new (require('better-sqlite3'))(':memory:').close()") || die "better-sqlite3 does not load"
  fi
  echo "$want" > "$APP/.installed"
}

# ---------------------------------------------------------------- network
is_running() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

do_start() {
  if is_running && [ -f "$READY_FILE" ]; then
    log "already running (pid $(cat "$PIDFILE"))"
    echo "PDS_URL=http://localhost:$PDS_PORT"; echo "SHOPKEEP_DEVNET_URL=http://localhost:$PDS_PORT"
    cat "$READY_FILE"; return 0
  fi
  install_app
  for p in "$PLC_PORT" "$PDS_PORT" "$APPVIEW_PORT" "$OZONE_PORT"; do
    port_busy "$p" && die "port $p on 127.0.0.1 is already in use"
  done
  pg_start
  rm -rf "$RUN"; mkdir -p "$RUN/tmp"
  local t0; t0=$(date +%s%N)
  (
    cd "$APP"
    export DB_POSTGRES_URL="postgresql://pg@127.0.0.1:$PG_PORT/bsky"
    export DB_POSTGRES_SCHEMA=devnet
    export REDIS_HOST="127.0.0.1:6379"   # asserted by TestNetwork.create() but never connected to
    export TMPDIR="$RUN/tmp"            # PDS sqlite dbs + blobs + port locks
    export DEVNET_READY_FILE="$READY_FILE"
    export DEVNET_PLC_PORT=$PLC_PORT DEVNET_PDS_PORT=$PDS_PORT DEVNET_APPVIEW_PORT=$APPVIEW_PORT DEVNET_OZONE_PORT=$OZONE_PORT
    if [ "${DEVNET_LOG:-0}" = 1 ]; then export LOG_ENABLED=true LOG_LEVEL=${LOG_LEVEL:-info}; fi
    exec setsid nohup node devnet.mjs >"$LOG" 2>&1 </dev/null
  ) &
  echo $! > "$PIDFILE"
  local deadline=$((SECONDS + READY_TIMEOUT))
  until [ -f "$READY_FILE" ]; do
    if ! is_running; then tail -40 "$LOG" >&2; do_stop; die "network process exited during start-up (log: $LOG)"; fi
    [ $SECONDS -lt $deadline ] || { tail -40 "$LOG" >&2; do_stop; die "not ready after ${READY_TIMEOUT}s"; }
    sleep 0.2
  done
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "ready in $((ms / 1000)).$(( (ms % 1000) / 100 ))s (pid $(cat "$PIDFILE"), log $LOG)"
  echo "PDS_URL=http://localhost:$PDS_PORT"
  echo "SHOPKEEP_DEVNET_URL=http://localhost:$PDS_PORT"
  cat "$READY_FILE"
}

do_stop() {
  local pid=""
  [ -f "$PIDFILE" ] && pid=$(cat "$PIDFILE" 2>/dev/null || true)
  if is_running; then
    log "stopping network pid $pid"
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    if kill -0 "$pid" 2>/dev/null; then log "pid $pid did not exit, SIGKILL"; kill -KILL "$pid" 2>/dev/null || true; fi
  fi
  # anything left in our own session/process group (setsid made pid == pgid)
  if [ -n "$pid" ] && kill -0 -- "-$pid" 2>/dev/null; then kill -KILL -- "-$pid" 2>/dev/null || true; fi
  rm -f "$PIDFILE" "$READY_FILE"
  rm -rf "$RUN/tmp"
  pg_stop
  log "stopped"
}

case "${1:-start}" in
  start) do_start ;;
  stop) do_stop ;;
  restart) do_stop; do_start ;;
  status) if is_running && [ -f "$READY_FILE" ]; then cat "$READY_FILE"; else echo "not running"; exit 1; fi ;;
  install) install_app; ensure_postgres; log "installed (node: $NODE_BIN_DIR, app: $APP, postgres: $PG_BIN)" ;;
  *) echo "usage: $0 [start|stop|restart|status|install]" >&2; exit 2 ;;
esac
