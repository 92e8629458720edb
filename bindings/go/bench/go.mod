module github.com/stytch-totp/stytch-totp/bindings/go/bench

go 1.22

require (
	github.com/pquerna/otp v1.5.0
	github.com/stytch-totp/stytch-totp/bindings/go v0.0.0-00010101000000-000000000000
)

require github.com/boombuler/barcode v1.0.1-0.20190219062509-6c824513bacc // indirect

replace github.com/stytch-totp/stytch-totp/bindings/go => ../
