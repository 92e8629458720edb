module github.com/stytch-totp/stytch-totp/tests/go/stytchgo

go 1.22

require (
	github.com/pquerna/otp v1.5.0
	github.com/stytch-totp/stytch-totp/bindings/go v0.0.0-00010101000000-000000000000
	github.com/stytchauth/stytch-go/v16 v16.41.0
)

require (
	github.com/MicahParks/keyfunc/v2 v2.0.1 // indirect
	github.com/boombuler/barcode v1.0.1-0.20190219062509-6c824513bacc // indirect
	github.com/golang-jwt/jwt/v5 v5.2.2 // indirect
	github.com/mitchellh/mapstructure v1.5.0 // indirect
)

replace github.com/stytch-totp/stytch-totp/bindings/go => ../../../bindings/go
