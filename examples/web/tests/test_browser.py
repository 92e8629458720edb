"""The site in a real browser: what a person sees, and what an attacker can see."""

from __future__ import annotations

import base64
import datetime
import io
import os
import re
import time
import urllib.request
from pathlib import Path
from typing import List
from urllib.parse import parse_qs, urlsplit

import pyotp
import zxingcpp
from conftest import Site, wait_for
from PIL import Image
from selenium.webdriver import Chrome
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.ui import WebDriverWait

SCREENSHOTS = Path(
    os.environ.get("WEB_SCREENSHOTS", Path(__file__).parents[3] / "build" / "web-screenshots")
)
EMAIL = "ada@example.com"


class Visit:
    """Drives one browser through the site, keeping the URL of every page it lands on."""

    def __init__(self, driver: Chrome, site: Site) -> None:
        self.driver = driver
        self.site = site
        self.urls: List[str] = []

    def open(self, path: str) -> None:
        self.driver.get(self.site.url + path)
        self.urls.append(self.driver.current_url)

    def click(self, element: WebElement) -> None:
        """Clicks a link or button and waits for the next page."""
        page = self.driver.find_element(By.TAG_NAME, "html")
        # Clicked from script: chromedriver's own click can fail when the page
        # it clicked on is already gone ("Node ... does not belong to the document").
        self.driver.execute_script("arguments[0].click()", element)
        WebDriverWait(self.driver, 30).until(expected_conditions.staleness_of(page))
        self.urls.append(self.driver.current_url)

    def click_text(self, text: str) -> None:
        self.click(
            self.driver.find_element(
                By.XPATH, f"//*[self::a or self::button][normalize-space()='{text}']"
            )
        )

    def fill(self, field_id: str, value: str) -> None:
        """Types into a field and submits its form."""
        field = self.driver.find_element(By.ID, field_id)
        field.clear()
        field.send_keys(value)
        self.click(field.find_element(By.XPATH, "ancestor::form//button"))

    def text(self, css: str) -> str:
        return self.driver.find_element(By.CSS_SELECTOR, css).text

    def heading(self) -> str:
        return self.text("h1")

    def alert(self) -> str:
        return self.text(".error")

    def screenshot(self, name: str) -> None:
        """The whole page, beyond the window's height (Chrome DevTools)."""
        size = self.driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        clip = {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}
        shot = self.driver.execute_cdp_cmd(
            "Page.captureScreenshot", {"format": "png", "captureBeyondViewport": True, "clip": clip}
        )
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        (SCREENSHOTS / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))


def decode_qr(png: bytes) -> str:
    """The text of the one QR code in an image, as a phone's camera reads it."""
    codes = zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))
    assert [c.format for c in codes] == [zxingcpp.BarcodeFormat.QRCode], codes
    return codes[0].text


def otpauth_secret(uri: str, email: str) -> str:
    parts = urlsplit(uri)
    assert (parts.scheme, parts.netloc) == ("otpauth", "totp"), uri
    assert parts.path.endswith(":" + email), uri
    return parse_qs(parts.query)["secret"][0]


def wrong_code(totp: pyotp.TOTP) -> str:
    """A six-digit code that no step near now has."""
    near = {totp.at(time.time() + 30 * k) for k in range(-3, 4)}
    return next(c for c in (f"{n:06d}" for n in range(1000)) if c not in near)


def test_enrol_sign_in_recover_and_lock(browser: Chrome, site: Site, downloads: Path) -> None:
    visit = Visit(browser, site)
    used: List[str] = []  # every code typed, to look for in URLs and the log

    visit.open("/")
    assert visit.heading() == "Welcome"
    visit.screenshot("01-home")
    visit.click_text("Create an account")
    visit.screenshot("02-sign-up")
    visit.fill("email", EMAIL)

    # Enrollment: the secret is shown grouped; the QR code, as rendered, holds the same secret.
    assert visit.heading() == "Set up your authenticator app"
    shown = visit.text("#secret")
    assert re.fullmatch(r"[A-Z2-7]{4}( [A-Z2-7]{4})+", shown), shown
    secret = shown.replace(" ", "")
    qr = browser.find_element(By.CSS_SELECTOR, "img.qr").screenshot_as_png
    assert otpauth_secret(decode_qr(qr), EMAIL) == secret
    visit.screenshot("03-enroll")

    totp = pyotp.TOTP(secret)
    bad = wrong_code(totp)
    used.append(bad)
    visit.fill("totp_code", bad)
    assert "not right" in visit.alert()
    assert visit.text("#secret") == shown  # the same enrollment, not a new secret
    visit.screenshot("04-enroll-wrong-code")
    enroll_code = totp.now()
    used.append(enroll_code)
    visit.fill("totp_code", enroll_code)

    # The recovery codes: shown once, downloadable as text.
    assert visit.heading() == "Save your recovery codes"
    codes = visit.text("#recovery-codes").split()
    assert len(codes) == 10 and all(re.fullmatch(r"\w{4}-\w{4}-\w{4}", c) for c in codes), codes
    used += codes
    visit.screenshot("05-recovery-codes")
    browser.find_element(By.ID, "download").click()
    download = downloads / "recovery-codes.txt"
    wait_for(lambda: download.exists() and not list(downloads.glob("*.crdownload")), "the download")
    assert [line for line in download.read_text().splitlines() if "-" in line] == codes
    visit.click_text("I have saved them")
    assert visit.heading() == "You are signed in"
    assert visit.text("#codes-left") == "10"
    visit.screenshot("06-account")
    visit.open("/recovery-codes")
    assert visit.heading() == "You are signed in"  # shown once: not again

    # Sign out, sign in with the code of the next step (this step's is spent).
    visit.click_text("Sign out")
    assert visit.heading() == "Sign in"
    assert visit.text(".notice") == "You are signed out."
    visit.screenshot("07-sign-in")
    visit.fill("email", EMAIL)
    assert visit.heading() == "Enter your code"
    visit.screenshot("08-sign-in-code")
    next_code = totp.at(time.time() + 30)
    used.append(next_code)
    visit.fill("totp_code", next_code)
    assert visit.heading() == "You are signed in"

    # The same code again is a replay.
    visit.click_text("Sign out")
    visit.fill("email", EMAIL)
    visit.fill("totp_code", next_code)
    assert "already used" in visit.alert()
    visit.screenshot("09-replayed-code")

    # A recovery code signs in once.
    visit.fill("recovery_code", codes[0])
    assert visit.heading() == "You are signed in"
    assert visit.text("#codes-left") == "9"
    visit.click_text("Sign out")
    visit.fill("email", EMAIL)
    visit.fill("recovery_code", codes[0])
    assert "not right, or it was used before" in visit.alert()
    visit.screenshot("10-used-recovery-code")

    # Wrong codes until the account locks; the page says until when.
    for _ in range(10):
        visit.fill("totp_code", bad)
        if browser.find_elements(By.TAG_NAME, "time"):
            break
        assert "not right" in visit.alert()
    locked_at = time.time()
    assert "locked until" in visit.alert()
    until = datetime.datetime.fromisoformat(
        browser.find_element(By.TAG_NAME, "time").get_attribute("datetime")
    )
    assert abs(until.timestamp() - (locked_at + 3600)) < 120, until  # the default lock: 60 minutes
    assert until.strftime("%H:%M UTC") in visit.alert()
    visit.screenshot("11-locked")
    visit.fill("totp_code", bad)  # refused as locked now, not as wrong
    assert "locked until" in visit.alert()

    # No secret in any URL the browser visited or in anything the server wrote.
    secrets = [secret, shown] + used + [c.replace("-", "") for c in codes]
    log = site.log_text()
    assert "POST /enroll" in log and "POST /signin/code" in log  # the request lines are there
    for value in secrets:
        for url in visit.urls:
            assert value.lower() not in url.lower(), url
        assert not re.search(rf"\b{re.escape(value)}\b", log, re.IGNORECASE), value


def test_session_cookie_is_private(browser: Chrome, site: Site) -> None:
    # What the server asks for (a browser fills in SameSite=Lax when it is missing) ...
    with urllib.request.urlopen(site.url + "/signin") as response:
        set_cookie = response.headers["Set-Cookie"]
    for attribute in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/"):
        assert f"; {attribute}" in set_cookie, set_cookie
    # ... and what the browser keeps, over plain HTTP to 127.0.0.1.
    Visit(browser, site).open("/signin")
    cookies = {c["name"]: c for c in browser.get_cookies()}
    assert set(cookies) == {"__Host-session"}, cookies
    cookie = cookies["__Host-session"]
    assert (cookie["httpOnly"], cookie["secure"], cookie["sameSite"]) == (True, True, "Lax"), cookie
    assert browser.execute_script("return document.cookie") == ""  # no script reads it


def test_posts_need_the_csrf_token(browser: Chrome, site: Site) -> None:
    visit = Visit(browser, site)
    status = "return performance.getEntriesByType('navigation')[0].responseStatus"
    tamper = {
        "missing": "document.querySelector('[name=csrf_token]').remove()",
        "invalid": "document.querySelector('[name=csrf_token]').value = 'x'",
    }
    for problem, script in tamper.items():
        visit.open("/signin")
        browser.execute_script(script)
        visit.fill("email", EMAIL)
        assert browser.execute_script(status) == 400
        assert visit.heading() == "That form was refused"
        assert f"CSRF token is {problem}" in visit.alert()
        visit.screenshot(f"12-csrf-{problem}")
    visit.open("/signin")  # the same form, untouched, is accepted
    visit.fill("email", EMAIL)
    assert visit.heading() == "Enter your code"
