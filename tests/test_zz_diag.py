import time, collections
from tests.test_ui_sync import *  # noqa
from tests.ui_sync_support import *  # noqa

def test_diag(qtbot, ui_paths, app_store, keychain, mastodon_server):
    connect_account(app_store, keychain, mastodon_server)
    add_mentions(mastodon_server, 1000, replies=0.85, people=40)
    window = open_window(qtbot, ui_paths, app_store, keychain)
    times = collections.defaultdict(list)
    def wrap(obj, name):
        real = getattr(obj, name)
        def w(*a, **k):
            t = time.perf_counter(); r = real(*a, **k); times[name].append(time.perf_counter() - t); return r
        setattr(obj, name, w)
    for n in ("apply_ingest", "_on_ingested_rows", "_on_side_loaded", "refresh_side"):
        wrap(window, n)
    wrap(window.runner, "_on_finished")
    wrap(window.status, "set_account_progress")
    probe = StallProbe(10)
    with probe.running():
        window.sync_action.trigger()
        qtbot.waitUntil(lambda: window.scheduler.is_busy(), timeout=5000)
        wait_sync_done(qtbot, window)
    for k, v in times.items():
        print(k, len(v), "max %.1f ms" % (1000*max(v)), "sum %.0f" % (1000*sum(v)))
    print("longest", probe.longest_ms)
