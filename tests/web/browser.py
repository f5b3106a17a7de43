"""The real thing for the browser tests and the bench: `surveybot web` in a process of its own, and
Debian's headless Chromium driven by Selenium in a phone-sized window."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PHONE_WINDOW = (360, 740)
SURVEYBOT = str(Path(sys.executable).with_name("surveybot"))


def browser_missing() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not CHROMIUM.exists() or not CHROMEDRIVER.exists():
        return "Debian's chromium and chromium-driver are not installed (bash scripts/setup --test installs them)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class WebServer:
    """`surveybot web` on a free port of 127.0.0.1 over `database_url`; stopped by `stop()`."""

    def __init__(self, database_url: str, work_dir: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = work_dir / f"web-{self.port}.log"
        self._env = {**os.environ, "DATABASE_URL": database_url, "WEB_LISTEN": f"127.0.0.1:{self.port}",
                     "WEB_BASE_URL": self.url, "WEB_RATE_PER_MINUTE": "0", "DEFAULT_LANGUAGE": "zh", **env}
        self._work_dir = work_dir
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 60) -> WebServer:
        log = self.log_path.open("wb")
        self._process = subprocess.Popen([SURVEYBOT, "web"], cwd=self._work_dir, env=self._env, stdout=log,
                                         stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"surveybot web exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.1)
        raise TimeoutError(f"surveybot web did not answer in {timeout} s")

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def make_driver(profile: Path, language: str = "zh-CN,zh", javascript: bool = True):  # noqa: ANN201
    """Headless Chromium in a 360 × 740 window with its own profile directory: a browser closed and
    started again on the same profile keeps its cookies."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     f"--window-size={PHONE_WINDOW[0]},{PHONE_WINDOW[1]}", f"--user-data-dir={profile}",
                     "--no-first-run", "--disable-background-networking", "--disable-sync",
                     "--disable-component-update"):
        options.add_argument(argument)
    prefs: dict[str, object] = {"intl.accept_languages": language}
    if not javascript:
        prefs["profile.managed_default_content_settings.javascript"] = 2
        prefs["webkit.webprefs.javascript_enabled"] = False
    options.add_experimental_option("prefs", prefs)
    # headless windows are at least 500 px wide: a phone's 360 CSS pixels come from device emulation
    options.add_experimental_option("mobileEmulation", {"deviceMetrics": {
        "width": PHONE_WINDOW[0], "height": PHONE_WINDOW[1], "pixelRatio": 2.0, "touch": True}})
    return webdriver.Chrome(options=options, service=Service(str(CHROMEDRIVER), log_output=os.devnull))



class Tab:
    """A browser tab read and tapped through the DevTools protocol only, so that it works the same with
    JavaScript off (ChromeDriver's own click and text helpers run scripts in the page, which hang then)."""

    def __init__(self, driver) -> None:  # noqa: ANN001
        self.driver = driver

    def open(self, url: str) -> None:
        self.driver.get(url)
        self._wait_loaded()

    def press(self, action: str, timeout: float = 15) -> None:
        """Tap the button of `action` and wait for the page the tap leads to (POST, 303, GET)."""
        before = self._history_length()
        node = self._node(f"button[value='{action}']")
        self._cdp("DOM.scrollIntoViewIfNeeded", nodeId=node)
        quad = self._cdp("DOM.getBoxModel", nodeId=node)["model"]["border"]
        x, y = sum(quad[0::2]) / 4, sum(quad[1::2]) / 4
        for kind in ("mousePressed", "mouseReleased"):
            self._cdp("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)
        deadline = time.monotonic() + timeout
        while self._history_length() == before:
            if time.monotonic() > deadline:
                raise TimeoutError(f"no new page after pressing {action}")
            time.sleep(0.02)
        self._wait_loaded()

    def type(self, selector: str, text: str) -> None:
        self._cdp("DOM.focus", nodeId=self._node(selector))
        self._cdp("Input.insertText", text=text)

    def html(self) -> str:
        root = self._cdp("DOM.getDocument", depth=0)["root"]["nodeId"]
        return str(self._cdp("DOM.getOuterHTML", nodeId=root)["outerHTML"])

    def _wait_loaded(self, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while "</footer>" not in self.html():
            if time.monotonic() > deadline:
                raise TimeoutError("the page did not load")
            time.sleep(0.02)

    def _history_length(self) -> int:
        history = self._cdp("Page.getNavigationHistory")
        return int(history["entries"][history["currentIndex"]]["id"])

    def _node(self, selector: str) -> int:
        root = self._cdp("DOM.getDocument", depth=0)["root"]["nodeId"]
        node = int(self._cdp("DOM.querySelector", nodeId=root, selector=selector)["nodeId"])
        if not node:
            raise LookupError(f"no {selector} on the page")
        return node

    def _cdp(self, command: str, **params: object) -> dict:  # type: ignore[type-arg]
        return self.driver.execute_cdp_cmd(command, params)  # type: ignore[no-any-return]
