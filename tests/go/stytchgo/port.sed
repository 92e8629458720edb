# Ports a stytch-go program to this library: the import paths, and the
# client's constructor (a store instead of project credentials).
s|"github.com/stytchauth/stytch-go/v16/stytch/consumer/stytchapi"|stytchtotp "github.com/stytch-totp/stytch-totp/bindings/go"|
s|"github.com/stytchauth/stytch-go/v16/stytch/consumer/|"github.com/stytch-totp/stytch-totp/bindings/go/|
s|"github.com/stytchauth/stytch-go/v16/stytch/stytcherror"|"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"|
s|stytchapi\.NewClient(os\.Getenv("STYTCH_PROJECT_ID"), os\.Getenv("STYTCH_SECRET"))|stytchtotp.NewClient(stytchtotp.Config{Database: os.Getenv("STYTCH_TOTP_DATABASE")})|
