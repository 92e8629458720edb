"""The site in a child process on a free port, and headless Chromium to drive it."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

APP = Path(__file__).resolve().parents[1] / "app.py"

# Debian's chromium as root, on a machine whose only network is loopback:
# no sandbox (root), and nothing that phones home (refused connections stall it).
CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1000,800",
]


@dataclass
class Site:
    url: str  # http://127.0.0.1:PORT, without the final slash
    log: Path  # everything the server wrote to stdout and stderr

    def log_text(self) -> str:
        return self.log.read_text()


def wait_for(condition, what: str, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.1)
    raise TimeoutError(f"waited {seconds:.0f} s for {what}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """The site on a port it picks itself, so that no other program can hold it."""
    data = tmp_path_factory.mktemp("site")
    log = data / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [sys.executable, str(APP), "--port", "0", "--data-dir", str(data / "data")],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:

        def announced() -> str:
            if server.poll() is not None:
                raise RuntimeError(f"the site exited with {server.returncode}:\n{log.read_text()}")
            for line in log.read_text().splitlines():
                if line.startswith("Serving on "):
                    return line.split()[2].rstrip("/")
            return ""

        url = wait_for(announced, "the site to print its address")
        wait_for(lambda: answers(url + "/"), f"{url} to answer")
        yield Site(url, log)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def downloads(tmp_path: Path) -> Path:
    path = tmp_path / "downloads"
    path.mkdir()
    return path


@pytest.fixture
def browser(tmp_path: Path, downloads: Path) -> Iterator[webdriver.Chrome]:
    """A fresh Chromium profile per test: no cookies from another test."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in CHROMIUM_FLAGS + [f"--user-data-dir={tmp_path / 'profile'}"]:
        options.add_argument(flag)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(downloads), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(options=options, service=Service("/usr/bin/chromedriver"))
    try:
        driver.set_page_load_timeout(30)
        yield driver
    finally:
        driver.quit()
