#!/usr/bin/env bash
# pytest inside the private D-Bus session, keychain and virtual screen that tests/run.sh
# made. Extra arguments go to pytest. With none (the README command, CI), the frozen-build
# tests (PyInstaller and the .deb: minutes of mostly one busy process) run beside the
# others rather than after them, in a pytest of their own with its own temporary folder;
# its report follows the main one, and either failing fails the run.
set -u
dbus-update-activation-environment DISPLAY XAUTHORITY >/dev/null 2>&1 || true
status=0
if [ "$#" -eq 0 ]; then
  frozen_log=$(mktemp)
  frozen_tmp=$(mktemp -d)
  .venv/bin/python -m pytest -m frozen --basetemp="$frozen_tmp" >"$frozen_log" 2>&1 &
  frozen_pid=$!
  .venv/bin/python -m pytest -m "not frozen" || status=$?
  frozen_status=0
  wait "$frozen_pid" || frozen_status=$?
  echo
  echo "---- the frozen-build tests (run beside the others) ----"
  cat "$frozen_log"
  rm -rf "$frozen_log" "$frozen_tmp"
  [ "$status" -eq 0 ] && status=$frozen_status
else
  .venv/bin/python -m pytest "$@" || status=$?
fi
# The notification daemon (dunst) the bus started for the tests would print "X connection
# ... broken" after the summary when the screen goes: stop it while the screen is there.
notifier=$(dbus-send --session --print-reply --dest=org.freedesktop.DBus \
  /org/freedesktop/DBus org.freedesktop.DBus.GetConnectionUnixProcessID \
  string:org.freedesktop.Notifications 2>/dev/null | sed -n "s/.*uint32 //p")
if [ -n "$notifier" ] && kill "$notifier" 2>/dev/null; then
  for _ in $(seq 100); do kill -0 "$notifier" 2>/dev/null || break; sleep 0.05; done
fi
exit "$status"
