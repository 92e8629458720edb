package stytchtotp

/*
#include <stdlib.h>
#include <string.h>
#include <stytch_totp.h>

// The version of the header this package is built with, for the library's
// own compatibility rule.
static const char *stg_header_version(void) { return STYTCH_TOTP_VERSION; }

// The calls below answer through one returned struct rather than pointers
// to Go variables, which would make cgo move those variables to the heap.

// The length of each string argument of stg_authenticate_json, at most.
#define STG_TYPED_MAX 4096

typedef struct {
    char *json; // owned, len bytes; NULL for an error
    size_t len;
    stytch_error *error;
} stg_json;

// stytch_totp_authenticate, its response as JSON and the response freed: one
// call from Go instead of three. The arguments are Go strings (bytes and
// length, up to STG_TYPED_MAX, no NUL), made C strings here, on the stack.
static stg_json stg_authenticate_json(const stytch_client *client, const char *user_id, size_t user_id_len,
                                      const char *totp_code, size_t totp_code_len) {
    stg_json out = {NULL, 0, NULL};
    char user[STG_TYPED_MAX + 1], code[STG_TYPED_MAX + 1];
    if (user_id_len > STG_TYPED_MAX || totp_code_len > STG_TYPED_MAX) return out;
    memcpy(user, user_id, user_id_len);
    user[user_id_len] = 0;
    memcpy(code, totp_code, totp_code_len);
    code[totp_code_len] = 0;
    stytch_totp_authenticate_response *response = stytch_totp_authenticate(client, user, code, &out.error);
    if (!response) return out;
    out.json = stytch_totp_authenticate_response_to_json(response);
    stytch_totp_authenticate_response_free(response);
    if (out.json) out.len = strlen(out.json);
    return out;
}

// stytch_client_set_time: whether it succeeded, and its error.
typedef struct {
    bool ok;
    stytch_error *error;
} stg_status;

static stg_status stg_set_time(const stytch_client *client, int64_t unix_time) {
    stg_status out = {false, NULL};
    out.ok = stytch_client_set_time(client, unix_time, &out.error);
    return out;
}
*/
import "C"

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"unicode/utf8"
	"unsafe"
)

// Environments: they pick the infix of generated IDs (user-test-..., user-live-...).
const (
	EnvironmentTest = "test"
	EnvironmentLive = "live"
)

// ErrClosed is returned by every call on a client after its Close.
var ErrClosed = errors.New("stytchtotp: client is closed")

// ErrInvalidSecret is returned by Code for an empty or non-base32 secret.
var ErrInvalidSecret = errors.New("stytchtotp: secret is not valid base32")

// Config configures a client. The zero value is valid: every field has a default.
type Config struct {
	// Database is the store: a SQLite file path (default "stytch_totp.db" in
	// the working directory), ":memory:" for a private in-memory store, or a
	// PostgreSQL URL ("postgres://user:password@host/db?sslmode=verify-full&sslrootcert=ca.pem")
	// for a store shared by many hosts. Clients (and processes) sharing one
	// database share its users and TOTPs.
	Database string `json:"database,omitempty"`
	// Environment is EnvironmentTest (the default) or EnvironmentLive.
	Environment string `json:"environment,omitempty"`
	// Issuer is the issuer in the otpauth URI that authenticator apps show
	// (default "Stytch TOTP").
	Issuer string `json:"issuer,omitempty"`
	// Lockout sets when failed attempts lock a user out; nil means the defaults.
	Lockout *Lockout `json:"lockout,omitempty"`
	// ProjectID is the Stytch project ID ("project-test-<uuid>"), which
	// sessions need: it is the audience and issuer of session JWTs.
	ProjectID string `json:"project_id,omitempty"`
}

// Lockout: MaxFailures consecutive failed attempts (TOTP and recovery codes
// together) lock a user for DurationMinutes. A zero field keeps its default.
type Lockout struct {
	// MaxFailures is 1 to 100 (default 10).
	MaxFailures int32 `json:"max_failures,omitempty"`
	// DurationMinutes is 5 to 10080 (default 60).
	DurationMinutes int32 `json:"duration_minutes,omitempty"`
}

// Client is a Stytch TOTP project, used like stytch-go's API client:
//
//	client.Users.Create(ctx, &users.CreateParams{Email: "ada@example.com"})
//	client.TOTPs.Create(ctx, &totps.CreateParams{UserID: userID})
//
// A Client is safe for concurrent use by many goroutines. Release it with
// Close; calls after Close return ErrClosed.
type Client struct {
	// Users creates, reads and deletes users.
	Users *UsersClient
	// TOTPs enrols, authenticates and recovers TOTPs.
	TOTPs *TOTPsClient
	// Sessions authenticates, lists and revokes sessions and serves the JWKS.
	Sessions *SessionsClient

	h *handle
}

// UsersClient holds the users calls; get it as Client.Users.
type UsersClient struct{ h *handle }

// TOTPsClient holds the TOTP calls; get it as Client.TOTPs.
type TOTPsClient struct{ h *handle }

// SessionsClient holds the session calls; get it as Client.Sessions.
type SessionsClient struct{ h *handle }

// handle owns the C client. Calls hold the read lock while they use the
// pointer, so Close (the write lock) never frees it under a running call.
// Nothing points back from the handle to the Client, so the finalizer runs
// once the Client and its Users and TOTPs are all unreachable.
type handle struct {
	mu  sync.RWMutex
	ptr *C.stytch_client
}

// NewClient opens a client on cfg.Database, creating the database if needed.
// A bad configuration is a stytcherror.Error with ErrorType
// "invalid_config"; an unusable database file is "internal_server_error".
func NewClient(cfg Config) (*Client, error) {
	if err := checkVersion(); err != nil {
		return nil, err
	}
	config, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	b := cbytes(config)
	var cerr *C.stytch_error
	ptr := C.stytch_client_new(cptr(b), &cerr)
	runtime.KeepAlive(b)
	if ptr == nil {
		return nil, takeError(cerr)
	}
	h := &handle{ptr: ptr}
	runtime.SetFinalizer(h, (*handle).close)
	return &Client{Users: &UsersClient{h}, TOTPs: &TOTPsClient{h}, Sessions: &SessionsClient{h}, h: h}, nil
}

// Close releases the client and its store. It waits for running calls to
// return; later calls return ErrClosed. Closing twice is harmless. A client
// dropped without Close is released by the garbage collector, eventually.
func (c *Client) Close() error {
	c.h.close()
	runtime.SetFinalizer(c.h, nil)
	return nil
}

func (h *handle) close() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.ptr != nil {
		C.stytch_client_free(h.ptr)
		h.ptr = nil
	}
}

// begin returns the live C client and holds the read lock until end.
func (h *handle) begin() (*C.stytch_client, error) {
	h.mu.RLock()
	if h.ptr == nil {
		h.mu.RUnlock()
		return nil, ErrClosed
	}
	return h.ptr, nil
}

func (h *handle) end() { h.mu.RUnlock() }

// SetTime stops the client's clock at unix (seconds since 1970, up to year
// 9999), for tests and simulations; UseSystemClock undoes it.
func (c *Client) SetTime(unix int64) error {
	ptr, err := c.h.begin()
	if err != nil {
		return err
	}
	status := C.stg_set_time(ptr, C.int64_t(unix))
	c.h.end()
	runtime.KeepAlive(c.h)
	if !status.ok {
		return takeError(status.error)
	}
	return nil
}

// UseSystemClock makes the client follow the system clock again (the default).
func (c *Client) UseSystemClock() error {
	ptr, err := c.h.begin()
	if err != nil {
		return err
	}
	C.stytch_client_set_clock(ptr, nil, nil)
	c.h.end()
	runtime.KeepAlive(c.h)
	return nil
}

// Call sends one request to the HTTP-shaped API, e.g.
// Call(ctx, "POST", "/v1/totps", []byte(`{"user_id":"..."}`)), and returns the
// response body exactly as Stytch would. For an error status the body comes
// back together with a stytcherror.Error made from it.
func (c *Client) Call(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.h.call(method, path, body)
}

// call is every call's one way into the library: its JSON door.
func (h *handle) call(method, path string, body []byte) ([]byte, error) {
	for _, arg := range [][]byte{[]byte(method), []byte(path), body} {
		// A C string ends at a NUL: it would carry another value.
		if bytes.IndexByte(arg, 0) >= 0 {
			return nil, fmt.Errorf("stytchtotp: %q contains a NUL byte", arg)
		}
	}
	m, p := cbytes([]byte(method)), cbytes([]byte(path))
	var b []byte
	var bp *C.char
	if body != nil {
		b = cbytes(body)
		bp = cptr(b)
	}
	ptr, err := h.begin()
	if err != nil {
		return nil, err
	}
	out := C.stytch_call(ptr, cptr(m), cptr(p), bp)
	h.end()
	runtime.KeepAlive(m)
	runtime.KeepAlive(p)
	runtime.KeepAlive(b)
	runtime.KeepAlive(h)
	if out == nil {
		return nil, errors.New("stytchtotp: the library could not allocate the response")
	}
	resp := takeBytes(out)
	if !bytes.HasPrefix(resp, success) {
		return resp, errorOf(resp)
	}
	return resp, nil
}

// authenticate is POST /v1/totps/authenticate without session arguments,
// through the typed C function (the caller vouches that userID and code are
// C strings, see cString): its response body, or its error.
func (h *handle) authenticate(userID, code string) (string, error) {
	ptr, err := h.begin()
	if err != nil {
		return "", err
	}
	// The C side copies the strings' bytes before the call returns.
	out := C.stg_authenticate_json(ptr, gostr(userID), C.size_t(len(userID)), gostr(code), C.size_t(len(code)))
	h.end()
	runtime.KeepAlive(userID)
	runtime.KeepAlive(code)
	runtime.KeepAlive(h)
	if out.json == nil {
		if out.error == nil {
			return "", errors.New("stytchtotp: the library could not allocate the response")
		}
		return "", takeError(out.error)
	}
	resp := C.GoStringN(out.json, C.int(out.len))
	C.stytch_string_free(out.json)
	return resp, nil
}

// cString reports whether s reaches C as the same text that JSON would carry:
// not empty (JSON leaves an empty field out), no NUL, valid UTF-8, and short
// enough that the JSON door's body cap (64 KiB) would not answer first: two
// such strings, each byte escaped in 6, stay under it.
func cString(s string) bool {
	return s != "" && len(s) <= typedMax && strings.IndexByte(s, 0) < 0 && utf8.ValidString(s)
}

const typedMax = C.STG_TYPED_MAX

// Every body the library writes starts with its status (checked when the
// structs are generated): a success is told apart without decoding it.
var success = []byte(`{"status_code":200,`)

// do sends params as the JSON body of method path (nil: no body) and decodes
// the response into a new R with read, its generated decoder.
func do[R any](ctx context.Context, h *handle, method, path string, params any, read func(*decoder, *R)) (*R, error) {
	resp, err := send(ctx, h, method, path, params)
	if err != nil {
		return nil, err
	}
	return decode(resp, read)
}

// send marshals params (nil: no body) and calls the library's JSON door.
func send(ctx context.Context, h *handle, method, path string, params any) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var body []byte
	if params != nil {
		var err error
		if body, err = json.Marshal(params); err != nil {
			return nil, err
		}
	}
	return h.call(method, path, body)
}

// orZero stands a zero request in for a nil one.
func orZero[P any](p *P) *P {
	if p == nil {
		return new(P)
	}
	return p
}

// Code returns the 6-digit code an authenticator app shows for secret
// (base32, either case, padding optional) at unix time unix: SHA1, 30-second
// steps from T0 = 0. It returns ErrInvalidSecret for an empty or invalid secret.
func Code(secret string, unix int64) (string, error) {
	if bytes.IndexByte([]byte(secret), 0) >= 0 {
		return "", ErrInvalidSecret
	}
	s := cbytes([]byte(secret))
	out := C.stytch_totp_code(cptr(s), C.int64_t(unix))
	runtime.KeepAlive(s)
	if out == nil {
		return "", ErrInvalidSecret
	}
	return string(takeBytes(out)), nil
}

// Version is the version of the loaded library, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.stytch_version())
}

// HeaderVersion is the version of the header this package was built with.
func HeaderVersion() string {
	return C.GoString(C.stg_header_version())
}

var versionOnce struct {
	sync.Once
	err error
}

// checkVersion asks the loaded library whether it can serve this package,
// by its own rule (stytch_version_is_compatible).
func checkVersion() error {
	versionOnce.Do(func() {
		if !C.stytch_version_is_compatible(C.stg_header_version()) {
			versionOnce.err = fmt.Errorf("stytchtotp: this package was built for libstytch_totp %s, but the library loaded is %s",
				HeaderVersion(), Version())
		}
	})
	return versionOnce.err
}

// cbytes copies b into a NUL-terminated Go buffer to pass to C for the
// duration of one call (the library copies what it keeps).
func cbytes(b []byte) []byte {
	out := make([]byte, len(b)+1)
	copy(out, b)
	return out
}

func cptr(b []byte) *C.char { return (*C.char)(unsafe.Pointer(&b[0])) }

// gostr is the bytes of s (not NUL-terminated), for C to read during a call.
func gostr(s string) *C.char { return (*C.char)(unsafe.Pointer(unsafe.StringData(s))) }

// takeBytes copies an owned library string and frees (wipes) it.
func takeBytes(s *C.char) []byte {
	out := C.GoBytes(unsafe.Pointer(s), C.int(C.strlen(s)))
	C.stytch_string_free(s)
	return out
}

// takeError makes a stytcherror.Error of a library error's body, and frees it.
func takeError(e *C.stytch_error) error {
	if e == nil {
		return errors.New("stytchtotp: the library reported a failure without an error")
	}
	defer C.stytch_error_free(e)
	return errorOf(takeBytes(C.stytch_error_to_json(e)))
}

// errorOf decodes the library's error body into a stytcherror.Error, a
// value as stytch-go returns it.
func errorOf(body []byte) error {
	serr, err := decode(body, readStytcherrorError)
	if err != nil {
		return fmt.Errorf("stytchtotp: unreadable error body %q: %w", body, err)
	}
	return *serr
}
