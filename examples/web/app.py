"""An enrollment and sign-in site on stytch-totp.

Sign up with an email, enrol an authenticator app (QR code or typed secret),
keep the recovery codes, then sign in with a code or a recovery code.

    python app.py [--port 8000] [--data-dir data]

Port 0 picks a free port; the address is printed. The store is the library's
embedded default, a SQLite file in the data directory. Sessions are Flask's
signed cookies, keyed by STYTCH_WEB_SECRET_KEY or by a key made at start.
"""

from __future__ import annotations

import argparse
import datetime
import logging
import os
import secrets
from functools import wraps
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit

import stytch_totp
from flask import (
    Blueprint,
    Flask,
    Response,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.serving import WSGIRequestHandler, make_server

log = logging.getLogger("web")
site = Blueprint("site", __name__)

# What a person reads for each error the library can answer a form with.
MESSAGES = {
    "invalid_email": "That is not a valid email address.",
    "duplicate_email": "An account with this email exists already: sign in instead.",
    "invalid_totp_code": "A code is the six digits your authenticator app shows.",
    "unable_to_authenticate_totp": "That code is not right. Enter the code your app shows now.",
    "totp_code_already_authenticated": (
        "That code was already used. Wait for the next one: codes change every 30 seconds."
    ),
    "invalid_recovery_code": "A recovery code looks like xxxx-xxxx-xxxx.",
    "unable_to_authenticate_recovery_code": "That recovery code is not right, or it was used before.",
    "totp_code_used_as_recovery_code": "That is a code from your app: enter it in the code field.",
    "expired_totp": "That enrollment expired: scan this new QR code.",
}
WRONG = {
    "totp_code": "unable_to_authenticate_totp",
    "recovery_code": "unable_to_authenticate_recovery_code",
}
MAX_PENDING = 10_000
MAX_EMAIL = 254  # the longest email address the library accepts


def stytch() -> stytch_totp.Client:
    return current_app.extensions["stytch_totp"]


def user_id_of(email: str) -> str:
    """The user with this email (the store keeps emails unique, without
    regard to case), or "" when there is none."""
    query = {"operator": "AND", "operands": [{"filter_name": "email_address", "filter_value": [email]}]}
    found = stytch().users.search(limit=1, query=query).results
    return found[0].user_id if found else ""


def grouped(secret: str) -> str:
    """The secret in groups of four, as people type it into an app."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def message(error: stytch_totp.StytchError) -> str:
    """What a person reads for an error: ours, else the library's (never a secret)."""
    return MESSAGES.get(error.details.error_type or "", error.details.error_message)


def signed_in(view: Callable[..., Any]) -> Callable[..., Any]:
    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if "user_id" not in session:
            return redirect(url_for("site.sign_in"))
        return view(*args, **kwargs)

    return wrapper


def sign_in_as(user_id: str) -> None:
    """A fresh session (and CSRF token) for a signed-in user."""
    session.clear()
    session["user_id"] = user_id


def failure(user_id: str, error: stytch_totp.StytchError, field: str) -> tuple[int, dict[str, Any]]:
    """The status and template values that explain a refused code: when the
    lock ends if the user is locked (also right after the try that locked
    it), else a message."""
    kind = error.details.error_type or ""
    log.warning("%s: %s refused (%s)", user_id, field, kind)
    try:
        user = stytch().users.get(user_id)
        if user.is_locked:
            return 429, {"locked_until": user.lock_expires_at}
    except stytch_totp.StytchError:
        pass  # no such user: never locked
    if kind in ("user_not_found", "totp_not_found"):
        # No account, or none that can sign in: the answer a wrong code gets,
        # so that the site does not tell who has an account.
        return 401, {"error": MESSAGES[WRONG[field]]}
    return error.details.status_code, {"error": message(error)}


def code_field(name: str) -> str:
    """A code as typed: people add spaces (and dashes to recovery codes) freely."""
    return request.form.get(name, "").replace(" ", "")


@site.after_app_request
def security_headers(response: Response) -> Response:
    # Pages carry secrets and codes: no caching, no framing, no third parties.
    response.headers["Cache-Control"] = "no-store"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self' data:; style-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    )
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@site.app_errorhandler(CSRFError)
def csrf_refused(error: CSRFError) -> Any:
    log.warning("CSRF check failed on %s %s: %s", request.method, request.path, error.description)
    return render_template("error.html", message=error.description), 400


@site.get("/")
def home() -> Any:
    if "user_id" in session:
        return redirect(url_for("site.account"))
    return render_template("home.html")


@site.route("/signup", methods=["GET", "POST"])
def sign_up() -> Any:
    if request.method == "GET":
        return render_template("signup.html")
    email = request.form.get("email", "").strip()
    if len(email) > MAX_EMAIL:
        return render_template("signup.html", email=email, error=MESSAGES["invalid_email"]), 400
    try:
        user = stytch().users.create(email=email)
    except stytch_totp.StytchError as e:
        return render_template("signup.html", email=email, error=message(e)), e.details.status_code
    log.info("%s: signed up", user.user_id)
    session.clear()
    session["enrolling"] = user.user_id
    return redirect(url_for("site.enroll"))


@site.route("/enroll", methods=["GET", "POST"])
def enroll() -> Any:
    user_id = session.get("enrolling")
    if user_id is None:
        return redirect(url_for("site.sign_up"))
    # The secret and QR code of enrollments in progress, kept in this process
    # only (a signed cookie is readable by its holder) until the first code;
    # the oldest go first when there are too many.
    pending = current_app.extensions["pending_totps"]
    if user_id not in pending:
        if len(pending) >= MAX_PENDING:
            del pending[next(iter(pending))]
        try:
            totp = stytch().totps.create(user_id=user_id)
        except stytch_totp.StytchError as e:
            flash(message(e))
            return redirect(url_for("site.sign_in"))
        pending[user_id] = {"secret": grouped(totp.secret), "qr_code": totp.qr_code}
    status, values = 200, {}
    if request.method == "POST":
        try:
            stytch().totps.authenticate(user_id=user_id, totp_code=code_field("totp_code"))
        except stytch_totp.StytchError as e:
            if e.details.error_type == "expired_totp":
                del pending[user_id]  # the next page shows a new one
                flash(MESSAGES["expired_totp"])
                return redirect(url_for("site.enroll"))
            status, values = failure(user_id, e, "totp_code")
        else:
            log.info("%s: enrolled", user_id)
            del pending[user_id]
            sign_in_as(user_id)
            session["show_recovery_codes"] = True
            return redirect(url_for("site.recovery_codes"))
    return render_template("enroll.html", **pending[user_id], **values), status


def fresh_recovery_codes() -> list[str] | None:
    """The recovery codes, once: only between enrollment and "I have saved them"."""
    if not session.get("show_recovery_codes"):
        return None
    totps = stytch().totps.recovery_codes(user_id=session["user_id"]).totps
    return [code for totp in totps for code in totp.recovery_codes]


@site.route("/recovery-codes", methods=["GET", "POST"])
@signed_in
def recovery_codes() -> Any:
    if request.method == "POST":  # "I have saved them"
        session.pop("show_recovery_codes", None)
    codes = fresh_recovery_codes()
    if codes is None:
        return redirect(url_for("site.account"))
    return render_template("recovery_codes.html", codes=codes)


@site.get("/recovery-codes.txt")
@signed_in
def recovery_codes_file() -> Any:
    codes = fresh_recovery_codes()
    if codes is None:
        return redirect(url_for("site.account"))
    text = "Recovery codes: each one signs you in once.\n\n" + "\n".join(codes) + "\n"
    return Response(
        text,
        mimetype="text/plain",
        headers={"Content-Disposition": 'attachment; filename="recovery-codes.txt"'},
    )


@site.route("/signin", methods=["GET", "POST"])
def sign_in() -> Any:
    if request.method == "GET":
        return render_template("signin.html")
    email = request.form.get("email", "").strip()
    if not email:
        return render_template("signin.html", error="Enter your email."), 400
    session.clear()
    session["signing_in"] = user_id_of(email)
    session["email"] = email
    return redirect(url_for("site.sign_in_code"))


@site.route("/signin/code", methods=["GET", "POST"])
def sign_in_code() -> Any:
    user_id = session.get("signing_in")
    if user_id is None:
        return redirect(url_for("site.sign_in"))
    status, values = 200, {}
    if request.method == "POST":
        field = "recovery_code" if "recovery_code" in request.form else "totp_code"
        if not user_id:
            # No account: the answer a wrong code gets, so that the site
            # does not tell who has an account.
            return render_template(
                "signin_code.html", email=session["email"], error=MESSAGES[WRONG[field]]
            ), 401
        try:
            if field == "recovery_code":
                done = stytch().totps.recover(user_id=user_id, recovery_code=code_field(field))
            else:
                done = stytch().totps.authenticate(user_id=user_id, totp_code=code_field(field))
        except stytch_totp.StytchError as e:
            status, values = failure(user_id, e, field)
        else:
            log.info("%s: signed in with a %s", done.user_id, field.replace("_", " "))
            sign_in_as(done.user_id)
            return redirect(url_for("site.account"))
    return render_template("signin_code.html", email=session["email"], **values), status


@site.get("/account")
@signed_in
def account() -> Any:
    user_id = session["user_id"]
    user = stytch().users.get(user_id)
    totps = stytch().totps.recovery_codes(user_id=user_id).totps
    left = sum(len(totp.recovery_codes) for totp in totps)
    return render_template("account.html", email=user.emails[0].email, codes_left=left)


@site.post("/signout")
def sign_out() -> Any:
    session.clear()
    flash("You are signed out.")
    return redirect(url_for("site.sign_in"))


class AccessLog(WSGIRequestHandler):
    """One line per request: method, path and status. Never a body, and not
    the query string either, where a careless link could put a code."""

    def log_request(self, code: Any = "-", size: Any = "-") -> None:
        log.info("%s %s %s", self.command, urlsplit(self.path).path, getattr(code, "value", code))


def create_app(client: stytch_totp.Client, secret_key: bytes) -> Flask:
    app = Flask(__name__)
    app.config.update(
        SECRET_KEY=secret_key,
        # The cookie goes only over HTTPS (browsers count http://127.0.0.1 as
        # secure), never to scripts, never on cross-site requests; "__Host-"
        # also forbids a Domain attribute and requires Path=/.
        SESSION_COOKIE_NAME="__Host-session",
        SESSION_COOKIE_SECURE=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # A signed cookie older than this (since sign-in) is refused.
        PERMANENT_SESSION_LIFETIME=datetime.timedelta(hours=12),
        WTF_CSRF_TIME_LIMIT=None,  # a token lives as long as its session
        MAX_CONTENT_LENGTH=16 * 1024,
    )
    app.extensions["stytch_totp"] = client
    app.extensions["pending_totps"] = {}
    CSRFProtect(app)
    app.register_blueprint(site)
    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--data-dir", type=Path, default=Path("data"))
    args = parser.parse_args()
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )

    args.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    key = os.environ.get("STYTCH_WEB_SECRET_KEY")
    secret_key = key.encode() if key else secrets.token_bytes(32)
    database = args.data_dir / "stytch_totp.db"
    with stytch_totp.Client(database=database, issuer="stytch-totp example") as client:
        server = make_server(
            "127.0.0.1",
            args.port,
            create_app(client, secret_key),
            threaded=True,
            request_handler=AccessLog,
        )
        print(f"Serving on http://127.0.0.1:{server.server_port}/ (store: {database})", flush=True)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
