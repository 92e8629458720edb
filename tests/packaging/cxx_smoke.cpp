// The C++ wrapper against an installed stytch_totp: handles, accessors,
// exceptions with Stytch's fields, moves.
#include <cstdint>
#include <cstdlib>
#include <iostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>

#include <stytch_totp.hpp>

#define CHECK(cond)                                                                         \
    do {                                                                                    \
        if (!(cond)) {                                                                      \
            std::cerr << __FILE__ << ":" << __LINE__ << ": check failed: " #cond "\n";      \
            std::exit(1);                                                                   \
        }                                                                                   \
    } while (0)

template <typename F>
stytch_totp::error expect_error(F &&f) {
    try {
        f();
    } catch (const stytch_totp::error &e) {
        return e;
    }
    std::cerr << "expected a stytch_totp::error\n";
    std::exit(1);
}

int main() try {
    using namespace std::string_view_literals;
    const std::int64_t now = 1767225600;  // 2026-01-01T00:00:00Z

    CHECK(stytch_totp::version() == STYTCH_TOTP_VERSION);
    CHECK(stytch_totp::version_compatible());

    stytch_totp::client client(R"({"database": ":memory:", "issuer": "Packaging"})");
    client.set_time(now);

    auto created = client.users().create(R"({"email": "grace@example.com", "external_id": "grace"})");
    CHECK(created.status_code() == 200);
    std::string user_id(created.user_id());
    CHECK(created.user().email_address(0) == "grace@example.com"sv);
    CHECK(created.user().external_id() == "grace"sv);
    CHECK(!created.user().lock_expires_at().has_value());

    auto totp = client.totps().create(user_id, 30);
    CHECK(totp.secret().size() == 32);
    CHECK(totp.recovery_codes_len() == 10);
    CHECK(totp.qr_code().substr(0, 22) == "data:image/png;base64,"sv);

    // Moves transfer the handle; the moved-from one is empty, not dangling.
    stytch_totp::totp_create_response moved = std::move(totp);
    CHECK(!totp && moved);
    CHECK(totp.secret().empty() && totp.status_code() == 0);
    CHECK(moved.secret().size() == 32);

    // Errors carry Stytch's fields.
    auto wrong = expect_error([&] { client.totps().authenticate(user_id, "000000"); });
    if (stytch_totp::totp_code(moved.secret(), now) == "000000") {
        std::cerr << "(the current code happens to be 000000)\n";
    } else {
        CHECK(wrong.status_code() == 401);
        CHECK(wrong.error_type() == "unable_to_authenticate_totp"sv);
        CHECK(wrong.code() == stytch_totp::error_code::unable_to_authenticate_totp);
        CHECK(!wrong.error_message().empty());
        CHECK(wrong.error_url().find("unable_to_authenticate_totp") != std::string_view::npos);
        CHECK(wrong.request_id().substr(0, 16) == "request-id-test-"sv);
        CHECK(wrong.json().find("\"status_code\":401") != std::string_view::npos);
        CHECK(std::string(wrong.what()).find("unable_to_authenticate_totp") != std::string::npos);
    }

    std::string code = stytch_totp::totp_code(moved.secret(), now);
    auto auth = client.totps().authenticate(user_id, code);
    CHECK(auth.user().totp_verified(0));
    CHECK(auth.session_token().empty());
    auto replay = expect_error([&] { client.totps().authenticate(user_id, code); });
    CHECK(replay.error_type() == "totp_code_already_authenticated"sv);

    auto recovered = client.totps().recover(user_id, moved.recovery_code(1));
    CHECK(recovered.totp_id() == moved.totp_id());
    auto codes = client.totps().recovery_codes(user_id);
    CHECK(codes.totps_len() == 1 && codes.totp_recovery_codes_len(0) == 9);

    // Bounds and NUL bytes are C++ exceptions, before the library is called.
    bool threw = false;
    try {
        (void)moved.recovery_code(10);
    } catch (const std::out_of_range &) {
        threw = true;
    }
    CHECK(threw);
    threw = false;
    try {
        (void)client.users().get(std::string("grace\0evil", 10));
    } catch (const std::invalid_argument &) {
        threw = true;
    }
    CHECK(threw);

    auto fetched = client.users().get("grace");
    CHECK(fetched.user().user_id() == user_id);
    CHECK(client.call("GET", "/v1/users/grace").find("\"status_code\":200") != std::string::npos);

    auto without_totp = client.users().delete_totp(moved.totp_id());
    CHECK(without_totp.user().totps_len() == 0);
    auto deleted = client.users().delete_user(user_id);
    CHECK(deleted.user_id() == user_id);
    auto gone = expect_error([&] { client.users().get(user_id); });
    CHECK(gone.status_code() == 404 && gone.error_type() == "user_not_found"sv);

    auto bad_config = expect_error([] { stytch_totp::client c(R"({"colour": "blue"})"); });
    CHECK(bad_config.error_type() == "invalid_config"sv);
    CHECK(bad_config.code() == stytch_totp::error_code::invalid_config);
    CHECK(bad_config.error_url().find("docs/ERRORS.md#invalid_config") != std::string_view::npos);

    std::cout << "ok: C++ wrapper, stytch_totp " << stytch_totp::version() << "\n";
    return 0;
} catch (const std::exception &e) {
    std::cerr << "unexpected exception: " << e.what() << "\n";
    return 1;
}
