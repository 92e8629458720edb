module github.com/stytch-totp/stytch-totp/examples/go

go 1.22

require github.com/stytch-totp/stytch-totp/bindings/go v0.0.0-00010101000000-000000000000

replace github.com/stytch-totp/stytch-totp/bindings/go => ../../bindings/go
