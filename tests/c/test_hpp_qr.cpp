// C++ tests of stytch_totp.hpp's QR helpers: the otpauth URI, PNG bytes, PNG
// file and SVG of a TOTP's QR code, and their errors. Run under ASan+UBSan.
#include <stytch_totp.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

#include "check.hpp"

// Runs f, which must throw stytch_totp::error of type bad_request.
template <typename F>
static void expect_bad_request(F f, const char *what) {
    try {
        f();
        std::fprintf(stderr, "%s: no error\n", what);
        ++failures;
    } catch (const stytch_totp::error &e) {
        if (e.error_type() != "bad_request" || e.code() != stytch_totp::error_code::bad_request) {
            std::fprintf(stderr, "%s: %s\n", what, e.what());
            ++failures;
        }
    }
}

static std::vector<std::uint8_t> read_file(const std::string &path) {
    std::ifstream in(path, std::ios::binary);
    return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

int main() {
    stytch_totp::client client(R"({"database": ":memory:", "issuer": "Example Co"})");
    auto user = client.users().create(R"({"email": "ada@example.com"})");
    auto totp = client.totps().create(user.user_id());

    std::string uri = stytch_totp::otpauth_uri("Example Co", "ada@example.com", totp.secret());
    CHECK(uri.rfind("otpauth://totp/Example%20Co:ada@example.com?", 0) == 0);
    CHECK(uri.find("secret=" + std::string(totp.secret())) != std::string::npos);

    std::vector<std::uint8_t> png = stytch_totp::qr_png(uri);
    static const std::uint8_t signature[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    CHECK(png.size() > sizeof signature && std::equal(std::begin(signature), std::end(signature), png.begin()));
    CHECK(stytch_totp::qr_png(uri) == png);  // the same URI, the same image

    char dir[] = "/tmp/stytch_hpp_qr_XXXXXX";
    CHECK(mkdtemp(dir) != nullptr);
    std::string path = std::string(dir) + "/qr.png";
    stytch_totp::write_qr_png(uri, path);
    CHECK(read_file(path) == png);
    struct stat st;
    CHECK(stat(path.c_str(), &st) == 0 && (st.st_mode & 0777) == 0600);

    std::string svg = stytch_totp::qr_svg(uri);
    CHECK(svg.find("<svg") != std::string::npos && svg.find("</svg>") != std::string::npos);

    expect_bad_request([&] { stytch_totp::otpauth_uri("Example Co", "ada", "not base32!"); }, "otpauth_uri bad secret");
    expect_bad_request([&] { stytch_totp::qr_png(std::string(3000, 'x')); }, "qr_png too long");
    expect_bad_request([&] { stytch_totp::qr_svg(std::string(3000, 'x')); }, "qr_svg too long");
    std::string missing = std::string(dir) + "/no/such/qr.png";
    expect_bad_request([&] { stytch_totp::write_qr_png(uri, missing); }, "write_qr_png missing directory");
    CHECK(stat(missing.c_str(), &st) != 0);
    try {
        stytch_totp::qr_png(std::string("a\0b", 3));
        CHECK(!"a NUL byte was accepted");
    } catch (const std::invalid_argument &) {
    }

    unlink(path.c_str());
    rmdir(dir);
    if (failures) {
        std::fprintf(stderr, "%d failed\n", failures);
        return 1;
    }
    std::printf("C++ QR helpers: all checks passed\n");
    return 0;
}
