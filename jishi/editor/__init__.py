"""The editor's loop: the live preview, partial rebuilds, the watcher, `new`."""
