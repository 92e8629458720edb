// The stytch-totp walk-through in C++: enrol a user in TOTP, authenticate,
// recover. Uses the embedded default store (stytch_totp.db in the working
// directory), like examples/c/demo.c.
#include <cstdint>
#include <ctime>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>

#include "stytch_totp.hpp"

namespace {

// Writes the PNG inside a `data:image/png;base64, ...` URI to `path`;
// returns its size, or -1.
long write_qr_png(std::string_view data_uri, const char *path) {
    static constexpr std::string_view alphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::size_t comma = data_uri.find(',');
    if (comma == std::string_view::npos) return -1;
    std::string_view b64 = data_uri.substr(comma + 1);
    while (!b64.empty() && b64.front() == ' ') b64.remove_prefix(1);
    std::string png;
    unsigned bits = 0, acc = 0;
    for (char c : b64) {
        if (c == '=') break;
        std::size_t v = alphabet.find(c);
        if (v == std::string_view::npos) return -1;
        acc = (acc << 6) | static_cast<unsigned>(v);
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            png.push_back(static_cast<char>((acc >> bits) & 0xff));
        }
    }
    std::ofstream out(path, std::ios::binary);
    out.write(png.data(), static_cast<std::streamsize>(png.size()));
    return out ? static_cast<long>(png.size()) : -1;
}

void print_json(std::string_view title, const std::string &json) {
    std::cout << "\n== " << title << "\n" << json << "\n";
}

}  // namespace

int main() try {
    std::cout << "stytch-totp " << stytch_totp::version() << "\n";

    // No configuration: all defaults, the durable store stytch_totp.db.
    stytch_totp::client client;

    // 1. A user, with the same JSON as Stytch's POST /v1/users.
    auto user = client.users().create(R"({"email": "ada@example.com", "name": {"first_name": "Ada"}})");
    std::string_view user_id = user.user_id();
    std::cout << "created user " << user_id << "\n";

    // 2. Enrolment: secret, QR code, recovery codes.
    auto totp = client.totps().create(user_id);
    print_json("POST /v1/totps", totp.to_json());
    long png_bytes = write_qr_png(totp.qr_code(), "qr.png");
    std::cout << "\nwrote qr.png (" << png_bytes << " bytes): scan it with an authenticator app\n";

    // 3. What the authenticator app shows now.
    std::string code = stytch_totp::totp_code(totp.secret(), static_cast<std::int64_t>(std::time(nullptr)));
    std::cout << "current code: " << code << "\n";

    // 4. Authenticate with it: the TOTP becomes verified.
    {
        auto auth = client.totps().authenticate(user_id, code);
        print_json("POST /v1/totps/authenticate", auth.to_json());
        std::cout << "verified: " << (auth.user().totp_verified(0) ? "yes" : "no") << "\n";
    }

    // 5. The same code again is a replay, and is refused.
    try {
        client.totps().authenticate(user_id, code);
        std::cerr << "a replayed code was accepted\n";
        return 1;
    } catch (const stytch_totp::error &e) {
        print_json("replayed code", std::string(e.json()));
    }

    // 6. Lost the phone: sign in with a recovery code, which is then used up.
    auto recovered = client.totps().recover(user_id, totp.recovery_code(0));
    print_json("POST /v1/totps/recover", recovered.to_json());

    auto codes = client.totps().recovery_codes(user_id);
    std::cout << "\nrecovery codes left: " << codes.totp_recovery_codes_len(0) << " of 10\n";

    std::cout << "done: the state is in stytch_totp.db\n";
    return 0;
} catch (const stytch_totp::error &e) {
    std::cerr << "failed: " << e.status_code() << " " << e.error_type() << ": " << e.error_message() << "\n";
    return 1;
}
