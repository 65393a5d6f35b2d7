#!/usr/bin/env bash
# pytest inside the private D-Bus session, keychain and virtual screen that tests/run.sh
# made. Extra arguments go to pytest. With none (the README command, CI), the suite runs
# as two pytests side by side, each with its own temporary folder: the frozen-build tests
# (PyInstaller and the .deb: minutes of mostly one busy process) and the tests that
# mostly wait on servers and child processes (marked `beside`, tests/conftest.py) in one,
# all the others in the main one. The second's report follows the main one's, and either
# failing fails the run.
set -u
dbus-update-activation-environment DISPLAY XAUTHORITY >/dev/null 2>&1 || true
status=0
if [ "$#" -eq 0 ]; then
  beside_log=$(mktemp)
  beside_tmp=$(mktemp -d)
  .venv/bin/python -m pytest -m "frozen or beside" --basetemp="$beside_tmp" >"$beside_log" 2>&1 &
  beside_pid=$!
  .venv/bin/python -m pytest -m "not frozen and not beside" || status=$?
  beside_status=0
  wait "$beside_pid" || beside_status=$?
  echo
  echo "---- the frozen builds and the tests that wait on servers (run beside the others) ----"
  cat "$beside_log"
  rm -rf "$beside_log" "$beside_tmp"
  [ "$status" -eq 0 ] && status=$beside_status
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
