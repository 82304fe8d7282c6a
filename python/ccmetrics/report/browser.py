"""Open a report in headless Chromium over the DevTools protocol (no extra dependency).

Chromium's `--remote-debugging-pipe` speaks the DevTools protocol over file descriptors 3 (in)
and 4 (out) as NUL-terminated JSON, so the standard library is enough to load the page, watch
the console, network requests and uncaught exceptions, wait until every chart has rendered and
take a full-page screenshot.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

CHROMIUM_CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "chrome")
_LOCAL_SCHEMES = ("file:", "data:", "about:", "blob:")


def find_chromium() -> str | None:
    """Path of a Chromium/Chrome executable, from $CHROMIUM or the PATH."""
    configured = os.environ.get("CHROMIUM")
    if configured:
        return shutil.which(configured)
    for name in CHROMIUM_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass
class PageCheck:
    """What the browser saw while loading the page."""

    charts_expected: int
    charts_rendered: int
    render_state: str
    console_errors: list[str] = field(default_factory=list)
    console_warnings: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    remote_requests: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (
            self.charts_rendered == self.charts_expected
            and self.render_state == str(self.charts_expected)
            and not self.console_errors
            and not self.exceptions
            and not self.remote_requests
        )


class DevToolsPipe:
    """A minimal DevTools protocol client over Chromium's debugging pipe."""

    def __init__(self, to_browser: int, from_browser: int) -> None:
        self._to_browser = to_browser
        self._from_browser = from_browser
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []

    def _read_message(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            if time.monotonic() > deadline:
                raise TimeoutError("Chromium did not answer in time")
            remaining = deadline - time.monotonic()
            readable, _, _ = select.select([self._from_browser], [], [], max(remaining, 0))
            if not readable:
                continue
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(
        self,
        method: str,
        params: dict[str, Any] | None = None,
        session: str | None = None,
        timeout: float = 30.0,
    ) -> dict[str, Any]:
        self._next_id += 1
        request: dict[str, Any] = {"id": self._next_id, "method": method, "params": params or {}}
        if session:
            request["sessionId"] = session
        os.write(self._to_browser, json.dumps(request).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            message = self._read_message(deadline)
            if message.get("id") == self._next_id:
                if "error" in message:
                    raise RuntimeError(f"{method} failed: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression: str, session: str) -> Any:
        result = self.send(
            "Runtime.evaluate", {"expression": expression, "returnByValue": True}, session
        )
        return result.get("result", {}).get("value")


def _launch(executable: str, profile_dir: str) -> tuple[subprocess.Popen[bytes], int, int]:
    to_browser_read, to_browser_write = os.pipe()
    from_browser_read, from_browser_write = os.pipe()

    def wire_pipes() -> None:
        # Move both ends out of the way first: either may already sit on fd 3 or 4, and dup2
        # onto itself would keep the close-on-exec flag.
        command_end = fcntl.fcntl(to_browser_read, fcntl.F_DUPFD, 10)
        reply_end = fcntl.fcntl(from_browser_write, fcntl.F_DUPFD, 10)
        os.dup2(command_end, 3)
        os.dup2(reply_end, 4)

    process = subprocess.Popen(
        [
            executable,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-default-apps",
            "--no-first-run",
            "--hide-scrollbars",
            "--mute-audio",
            f"--user-data-dir={profile_dir}",
            "--remote-debugging-pipe",
            "about:blank",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        preexec_fn=wire_pipes,  # only dup2 runs in the child
        close_fds=False,
    )
    os.close(to_browser_read)
    os.close(from_browser_write)
    return process, to_browser_write, from_browser_read


@contextlib.contextmanager
def page_session(executable: str) -> Iterator[tuple[DevToolsPipe, str]]:
    """A headless Chromium with a fresh profile and one blank page: (pipe, session id).

    The browser is closed and reaped on the way out, whatever happened inside."""
    with tempfile.TemporaryDirectory(prefix="ccmetrics-chromium-") as profile_dir:
        process, to_browser, from_browser = _launch(executable, profile_dir)
        pipe = DevToolsPipe(to_browser, from_browser)
        try:
            target = pipe.send("Target.createTarget", {"url": "about:blank"})
            session = pipe.send(
                "Target.attachToTarget", {"targetId": target["targetId"], "flatten": True}
            )["sessionId"]
            yield pipe, session
        finally:
            # The browser may already be gone; closing it is best effort.
            with contextlib.suppress(Exception):
                pipe.send("Browser.close", timeout=5)
            os.close(to_browser)
            os.close(from_browser)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def _describe_console(params: dict[str, Any]) -> str:
    values = [str(arg.get("value", arg.get("description", ""))) for arg in params.get("args", [])]
    return " ".join(values)


def check_page(
    html_path: Path,
    screenshot: Path | None = None,
    width: int = 1280,
    timeout: float = 60.0,
    executable: str | None = None,
) -> PageCheck:
    """Load `html_path`, wait for every `.chart` to render and collect errors.

    With `screenshot`, also write a full-page PNG there.
    """
    browser = executable or find_chromium()
    if browser is None:
        raise FileNotFoundError("no Chromium executable found (set $CHROMIUM)")
    with page_session(browser) as (pipe, session):
        for domain in ("Runtime", "Log", "Network", "Page"):
            pipe.send(f"{domain}.enable", session=session)
        pipe.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            session,
        )
        pipe.send("Page.navigate", {"url": html_path.resolve().as_uri()}, session)
        deadline = time.monotonic() + timeout
        state = ""
        while time.monotonic() < deadline:
            state = pipe.evaluate(
                "document.body ? (document.body.dataset.chartsRendered || '') : ''", session
            )
            if state:
                break
            time.sleep(0.2)
        expected = pipe.evaluate("document.querySelectorAll('.chart').length", session)
        rendered = pipe.evaluate(
            "Array.from(document.querySelectorAll('.chart')).filter(function (el) {"
            " return el.dataset.rendered === 'ok' && el.querySelector('svg .mark-group,"
            " svg path, svg rect') !== null; }).length",
            session,
        )
        if screenshot is not None:
            height = pipe.evaluate("document.documentElement.scrollHeight", session)
            pipe.send(
                "Emulation.setDeviceMetricsOverride",
                {
                    "width": width,
                    "height": int(height),
                    "deviceScaleFactor": 1,
                    "mobile": False,
                },
                session,
            )
            shot = pipe.send(
                "Page.captureScreenshot",
                {"format": "png", "captureBeyondViewport": True},
                session,
            )
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            screenshot.write_bytes(base64.b64decode(shot["data"]))
        # One more round trip so that late console events are collected.
        pipe.evaluate("1", session)
        check = PageCheck(
            charts_expected=int(expected or 0),
            charts_rendered=int(rendered or 0),
            render_state=str(state),
        )
        for event in pipe.events:
            method, params = event["method"], event.get("params", {})
            if method == "Runtime.consoleAPICalled" and params.get("type") in (
                "error",
                "assert",
            ):
                check.console_errors.append(_describe_console(params))
            elif method == "Runtime.consoleAPICalled" and params.get("type") == "warning":
                check.console_warnings.append(_describe_console(params))
            elif method == "Log.entryAdded" and params["entry"].get("level") == "error":
                check.console_errors.append(params["entry"].get("text", ""))
            elif method == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                check.exceptions.append(
                    details.get("exception", {}).get("description", details.get("text", ""))
                )
            elif method == "Network.requestWillBeSent":
                url = params.get("request", {}).get("url", "")
                if not url.startswith(_LOCAL_SCHEMES):
                    check.remote_requests.append(url)
        return check
