// C++ tests of stytch_totp.hpp's sessions: a TOTP sign-in that starts a
// session, client.sessions() (authenticate, get, get_jwks, revoke) and local
// JWT verification with its refusals. Run under ASan+UBSan and valgrind.
#include <stytch_totp.hpp>

#include <cstdio>
#include <stdexcept>
#include <string>
#include <thread>

#include "check.hpp"

static const std::int64_t T = 1700000010;
static const char *PROJECT = "project-test-6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";

// Runs f, which must throw stytch_totp::error of this type.
template <typename F>
static void expect_error(F f, const char *type, int line) {
    try {
        f();
        std::fprintf(stderr, "line %d: no error\n", line);
        ++failures;
    } catch (const stytch_totp::error &e) {
        if (e.error_type() != type) {
            std::fprintf(stderr, "line %d: %s, not %s\n", line, std::string(e.error_type()).c_str(), type);
            ++failures;
        }
    }
}

static stytch_totp::client project_client(const char *project) {
    stytch_totp::client c(std::string("{\"database\":\":memory:\",\"project_id\":\"") + project + "\"}");
    c.set_time(T - 30);
    return c;
}

// A session started at T by a TOTP sign-in: the response.
static stytch_totp::totp_authenticate_response sign_in(const stytch_totp::client &c) {
    std::string user_id(c.users().create("{\"email\":\"ada@example.com\"}").user_id());
    auto totp = c.totps().create(user_id);
    std::string secret(totp.secret());
    auto plain = c.totps().authenticate(user_id, stytch_totp::totp_code(secret, T - 30));
    CHECK(!plain.session().has_value());
    c.set_time(T);
    stytch_totp::session_args args;
    args.session_duration_minutes = 60;
    args.session_custom_claims_json = "{\"plan\":\"pro\"}";
    return c.totps().authenticate(user_id, stytch_totp::totp_code(secret, T), args);
}

static void run() {
    auto c = project_client(PROJECT);
    auto started = sign_in(c);
    CHECK(started.session().has_value());
    std::string user_id(started.user_id());
    std::string session_id(started.session()->session_id());
    std::string jwt(started.session_jwt());
    std::string token(started.session_token());
    CHECK(started.session()->custom_claims() == "{\"plan\":\"pro\"}");
    CHECK(started.session()->role(0) == "stytch_user");

    // Local verification: the session from the claims.
    auto local = c.sessions().authenticate_jwt_local(jwt);
    CHECK(local.session().session_id() == session_id);
    CHECK(local.session().user_id() == user_id);
    CHECK(local.session().expires_at() == started.session()->expires_at());
    // Tampered, too old, expired (unless within the leeway), another project's.
    std::string tampered = jwt;
    tampered[tampered.size() - 2] = tampered[tampered.size() - 2] == 'A' ? 'B' : 'A';
    expect_error([&] { c.sessions().authenticate_jwt_local(tampered); }, "unable_to_parse_session_jwt", __LINE__);
    expect_error([&] { c.sessions().authenticate_jwt_local(jwt, 0); }, "unable_to_parse_session_jwt", __LINE__);
    c.set_time(T + 300);
    expect_error([&] { c.sessions().authenticate_jwt_local(jwt); }, "unable_to_parse_session_jwt", __LINE__);
    CHECK(c.sessions().authenticate_jwt_local(jwt, std::nullopt, 5).session().session_id() == session_id);
    c.set_time(T);
    auto other = project_client("project-test-0a1b2c3d-4e5f-4a6b-8c7d-9e8f7a6b5c4d");
    std::string their_jwt(sign_in(other).session_jwt());
    expect_error([&] { c.sessions().authenticate_jwt_local(their_jwt); }, "unable_to_parse_session_jwt", __LINE__);

    // The routes.
    stytch_totp::session_args by_token;
    by_token.session_token = token;
    auto auth = c.sessions().authenticate(by_token);
    CHECK(auth.status_code() == 200);
    CHECK(auth.session().session_id() == session_id);
    CHECK(auth.user().user_id() == user_id);
    auto listed = c.sessions().get(user_id);
    CHECK(listed.sessions_len() == 1);
    CHECK(listed.session(0).session_id() == session_id);
    bool out_of_range = false;
    try {
        listed.session(1);
    } catch (const std::out_of_range &) {
        out_of_range = true;
    }
    CHECK(out_of_range);
    CHECK(c.sessions().get_jwks(PROJECT).keys().find("RS256") != std::string_view::npos);
    stytch_totp::revoke_params revoke;
    revoke.session_id = session_id;
    CHECK(c.sessions().revoke(revoke).status_code() == 200);
    expect_error([&] { c.sessions().authenticate(by_token); }, "session_not_found", __LINE__);
    stytch_totp::revoke_params none;
    expect_error([&] { c.sessions().revoke(none); }, "bad_request", __LINE__);
}

int main() {
    // On a thread of its own, so that the crypto library's per-thread state
    // is freed before valgrind looks for leaks.
    std::thread t(run);
    t.join();
    std::printf("%s\n", failures ? "FAILED" : "ok");
    return failures ? 1 : 0;
}
