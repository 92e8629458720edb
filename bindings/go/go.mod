module github.com/stytch-totp/stytch-totp/bindings/go

go 1.22
