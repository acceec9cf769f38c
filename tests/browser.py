"""A real headless Chromium, driven over the DevTools protocol (no driver binary needed)."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

import websocket

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--hide-scrollbars", "--remote-debugging-port=0"]


def chromium() -> str:
    """The Chromium binary the project's setup installs."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("Chromium is not installed: run scripts/setup.sh")


class Browser:
    """One headless Chromium tab."""

    def __init__(self, width: int = 390, height: int = 844) -> None:
        self.profile = Path(tempfile.mkdtemp(prefix="jishi-chromium-"))
        self.proc = subprocess.Popen(
            [chromium(), *FLAGS, f"--user-data-dir={self.profile}",
             f"--window-size={width},{height}", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.ws = websocket.create_connection(self._page_socket(), timeout=30)
        self.next_id = 0
        self.events: list[dict[str, Any]] = []  # DevTools events, kept once a domain is enabled

    def _page_socket(self) -> str:
        port_file = self.profile / "DevToolsActivePort"
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if port_file.exists() and port_file.read_text().strip():
                port = port_file.read_text().split()[0]
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list") as resp:
                    targets = json.load(resp)
                pages = [t for t in targets if t.get("type") == "page"]
                if pages:
                    return pages[0]["webSocketDebuggerUrl"]
            time.sleep(0.05)
        raise RuntimeError("Chromium did not start")

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Call a DevTools method and return its result (events arriving meanwhile are kept)."""
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if "method" in message:
                self.events.append(message)
            elif message.get("id") == self.next_id:
                if "error" in message:
                    raise RuntimeError(message["error"])
                return message["result"]

    def eval(self, expression: str) -> Any:
        """Evaluate JavaScript in the page and return its value."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        return result["result"].get("value")

    def wait_for(self, expression: str, timeout: float = 15) -> Any:
        """Poll an expression until it is truthy."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                value = self.eval(expression)
            except RuntimeError as exc:
                # A navigation under way replaces the page the expression ran in: ask again.
                if "navigated or closed" not in str(exc) and "context" not in str(exc):
                    raise
                value = None
            if value:
                return value
            time.sleep(0.05)
        raise TimeoutError(expression)

    def goto(self, url: str) -> None:
        """Open a URL and wait until it has loaded."""
        self.send("Page.navigate", url=url)
        self.wait_for(f"location.href.split('#')[0] === {json.dumps(url.split('#')[0])} "
                      "&& document.readyState === 'complete'")

    def click(self, selector: str) -> None:
        """Click an element as a reader does: a real mouse press at its centre."""
        box = self.eval(f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
                        "el.scrollIntoView({block: 'nearest'});"
                        "const r = el.getBoundingClientRect();"
                        "return [r.left + r.width / 2, r.top + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.send("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1],
                      button="left", clickCount=1)

    def press(self, key: str) -> None:
        """Press and release a key as a reader does: "Enter", " " (Space), "Escape"."""
        codes = {"Enter": ("Enter", 13, "\r"), " ": ("Space", 32, " "),
                 "Escape": ("Escape", 27, "")}
        code, number, text = codes[key]
        for kind in ("keyDown", "keyUp"):
            self.send("Input.dispatchKeyEvent", type=kind, key=key, code=code,
                      windowsVirtualKeyCode=number, nativeVirtualKeyCode=number,
                      **({"text": text} if text and kind == "keyDown" else {}))

    def resize(self, width: int, height: int = 900) -> None:
        """Give the page a viewport of that size, as a window of that width would."""
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def screenshot(self, path: Path, selector: str | None = None) -> None:
        """Save a PNG of the viewport, or of one element when a selector is given."""
        params: dict[str, Any] = {"format": "png"}
        if selector:
            box = self.eval(f"(() => {{ const el = document.querySelector({json.dumps(selector)});"
                            "el.scrollIntoView({block: 'center'});"
                            "const r = el.getBoundingClientRect();"
                            "return [r.left + scrollX, r.top + scrollY, r.width, r.height]; })()")
            params["clip"] = {"x": box[0], "y": box[1], "width": box[2], "height": box[3],
                              "scale": 1}
        data = self.send("Page.captureScreenshot", **params)["data"]
        path.write_bytes(base64.b64decode(data))

    def disable_javascript(self) -> None:
        """Read pages as a reader with JavaScript off does."""
        self.send("Emulation.setScriptExecutionDisabled", value=True)

    def close(self) -> None:
        """Stop Chromium and remove its profile."""
        try:
            self.ws.close()
        finally:
            self.proc.kill()
            self.proc.wait(timeout=10)
            shutil.rmtree(self.profile, ignore_errors=True)
