// The C header and the C++ wrapper on their own, in a C++17 translation unit.
#include <stytch_totp.h>
#include <stytch_totp.hpp>

#include <type_traits>

static_assert(!std::is_copy_constructible_v<stytch_totp::client>, "handles are move-only");
static_assert(!std::is_copy_assignable_v<stytch_totp::totp_create_response>, "handles are move-only");
static_assert(std::is_nothrow_move_constructible_v<stytch_totp::totp_create_response>, "moves never throw");
static_assert(std::is_nothrow_copy_constructible_v<stytch_totp::error>, "exceptions copy without throwing");

int main() {
    return stytch_version() == nullptr;
}
