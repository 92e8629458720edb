package stytchtotp

// #include <stdlib.h>
// #include <stytch_totp.h>
import "C"

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
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

	h *handle
}

// UsersClient holds the users calls; get it as Client.Users.
type UsersClient struct{ h *handle }

// TOTPsClient holds the TOTP calls; get it as Client.TOTPs.
type TOTPsClient struct{ h *handle }

// handle owns the C client. Calls hold the read lock while they use the
// pointer, so Close (the write lock) never frees it under a running call.
// Nothing points back from the handle to the Client, so the finalizer runs
// once the Client and its Users and TOTPs are all unreachable.
type handle struct {
	mu  sync.RWMutex
	ptr *C.stytch_client

	// For tests: hook receives each response's JSON (from its _to_json);
	// viaJSON builds responses by decoding that JSON instead of the accessors.
	hook    func(kind, json string)
	viaJSON bool
}

// openClients counts the C clients not yet freed (for the tests).
var openClients atomic.Int64

type options struct {
	hook    func(kind, json string)
	viaJSON bool
}

// NewClient opens a client on cfg.Database, creating the database if needed.
// A bad configuration is a *stytcherror.Error with ErrorType
// "invalid_config"; an unusable database file is "internal_server_error".
func NewClient(cfg Config) (*Client, error) {
	return newClient(cfg, options{})
}

func newClient(cfg Config, opts options) (*Client, error) {
	if err := checkVersion(); err != nil {
		return nil, err
	}
	config, err := json.Marshal(cfg)
	if err != nil {
		return nil, err
	}
	b, err := cbytes("config", string(config))
	if err != nil {
		return nil, err
	}
	var cerr *C.stytch_error
	ptr := C.stytch_client_new(cptr(b), &cerr)
	runtime.KeepAlive(b)
	if ptr == nil {
		return nil, takeError(cerr, opts.hook)
	}
	h := &handle{ptr: ptr, hook: opts.hook, viaJSON: opts.viaJSON}
	openClients.Add(1)
	runtime.SetFinalizer(h, (*handle).close)
	return &Client{Users: &UsersClient{h}, TOTPs: &TOTPsClient{h}, h: h}, nil
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
		openClients.Add(-1)
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

// params checks ctx and stands a zero request in for a nil one: the start of
// every typed call.
func params[P any](ctx context.Context, p *P) (*P, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p == nil {
		p = new(P)
	}
	return p, nil
}

// cargs are the string arguments of one library call as C strings, in the
// order given to invoke; no call takes more than two.
type cargs [2]*C.char

// invoke makes one library call that returns an owned response or NULL with
// an error. fieldValues are the call's string arguments as field name, value
// pairs; they are copied into one NUL-separated Go buffer (a NUL byte inside
// a value is a 400 bad_request naming its field) that C borrows only for the
// call: the library copies what it keeps. call runs under the client's read
// lock with the live client, the arguments and the error out-parameter.
// invoke returns the response (a C pointer), which the caller frees once it
// has copied it out, or the library's error, taken and freed.
func invoke[R comparable](h *handle, call func(*C.stytch_client, cargs, **C.stytch_error) R, fieldValues ...string) (R, error) {
	var null R
	var args cargs
	size := 0
	for i := 1; i < len(fieldValues); i += 2 {
		size += len(fieldValues[i]) + 1
	}
	buf := make([]byte, size)
	for i, off := 0, 0; i < len(fieldValues); i += 2 {
		field, value := fieldValues[i], fieldValues[i+1]
		if strings.IndexByte(value, 0) >= 0 {
			return null, nulError(field)
		}
		args[i/2] = cptr(buf[off:])
		off += copy(buf[off:], value) + 1
	}
	ptr, err := h.begin()
	if err != nil {
		return null, err
	}
	var cerr *C.stytch_error
	r := call(ptr, args, &cerr)
	h.end()
	runtime.KeepAlive(buf)
	runtime.KeepAlive(h)
	if r == null {
		return null, h.takeError(cerr)
	}
	return r, nil
}

// SetTime stops the client's clock at unix (seconds since 1970, up to year
// 9999), for tests and simulations; UseSystemClock undoes it.
func (c *Client) SetTime(unix int64) error {
	ptr, err := c.h.begin()
	if err != nil {
		return err
	}
	var cerr *C.stytch_error
	ok := C.stytch_client_set_time(ptr, C.int64_t(unix), &cerr)
	c.h.end()
	runtime.KeepAlive(c.h)
	if !ok {
		return c.h.takeError(cerr)
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
// back together with a *stytcherror.Error.
func (c *Client) Call(ctx context.Context, method, path string, body []byte) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return c.h.call(method, path, body)
}

func (h *handle) call(method, path string, body []byte) ([]byte, error) {
	m, err := cbytes("method", method)
	if err != nil {
		return nil, err
	}
	p, err := cbytes("path", path)
	if err != nil {
		return nil, err
	}
	var b []byte
	if body != nil {
		if b, err = cbytes("body", string(body)); err != nil {
			return nil, err
		}
	}
	ptr, err := h.begin()
	if err != nil {
		return nil, err
	}
	var bp *C.char
	if b != nil {
		bp = cptr(b)
	}
	out := C.stytch_call(ptr, cptr(m), cptr(p), bp)
	h.end()
	runtime.KeepAlive(m)
	runtime.KeepAlive(p)
	runtime.KeepAlive(b)
	runtime.KeepAlive(h)
	if out == nil {
		return nil, errors.New("stytchtotp: out of memory")
	}
	resp := []byte(takeString(out))
	var status struct {
		StatusCode int `json:"status_code"`
	}
	if err := json.Unmarshal(resp, &status); err != nil {
		return resp, err
	}
	if status.StatusCode >= 300 {
		if h.hook != nil {
			h.hook("error", string(resp))
		}
		serr := &stytcherror.Error{}
		if err := json.Unmarshal(resp, serr); err != nil {
			return resp, err
		}
		return resp, serr
	}
	return resp, nil
}

// callJSON sends params as the JSON body of method path and decodes the
// response into out.
func (h *handle) callJSON(method, path string, params, out any) error {
	body, err := json.Marshal(params)
	if err != nil {
		return err
	}
	resp, err := h.call(method, path, body)
	if err != nil {
		return err
	}
	return json.Unmarshal(resp, out)
}

// Code returns the 6-digit code an authenticator app shows for secret
// (base32, either case, padding optional) at unix time unix: SHA1, 30-second
// steps from T0 = 0. It returns ErrInvalidSecret for an empty or invalid secret.
func Code(secret string, unix int64) (string, error) {
	s, err := cbytes("secret", secret)
	if err != nil {
		return "", ErrInvalidSecret
	}
	out := C.stytch_totp_code(cptr(s), C.int64_t(unix))
	runtime.KeepAlive(s)
	if out == nil {
		return "", ErrInvalidSecret
	}
	return takeString(out), nil
}

// Version is the version of the loaded library, e.g. "0.1.0".
func Version() string {
	return C.GoString(C.stytch_version())
}

var versionOnce struct {
	sync.Once
	err error
}

// checkVersion refuses a loaded library incompatible with the header this
// package was built with: another major version, or another 0.x minor.
func checkVersion() error {
	versionOnce.Do(func() {
		got := Version()
		parts := strings.SplitN(got, ".", 3)
		var major, minor int = -1, -1
		if len(parts) == 3 {
			major, _ = strconv.Atoi(parts[0])
			minor, _ = strconv.Atoi(parts[1])
		}
		wantMajor, wantMinor := int(C.STYTCH_TOTP_VERSION_MAJOR), int(C.STYTCH_TOTP_VERSION_MINOR)
		ok := major == wantMajor && (minor == wantMinor || (major > 0 && minor > wantMinor))
		if !ok {
			versionOnce.err = fmt.Errorf("stytchtotp: loaded library %q is incompatible with header %d.%d", got, wantMajor, wantMinor)
		}
	})
	return versionOnce.err
}

// cbytes copies s into a NUL-terminated Go buffer to pass to C for the
// duration of one call (the library copies what it keeps). A NUL byte inside
// s cannot cross the boundary: that is a 400 bad_request naming field.
func cbytes(field, s string) ([]byte, error) {
	if strings.IndexByte(s, 0) >= 0 {
		return nil, nulError(field)
	}
	b := make([]byte, len(s)+1)
	copy(b, s)
	return b, nil
}

// nulError is the 400 bad_request for a string argument holding a NUL byte.
func nulError(field string) error {
	return &stytcherror.Error{
		StatusCode:   400,
		ErrorType:    "bad_request",
		ErrorMessage: stytcherror.Message("The submitted request is invalid: " + field + " contains a NUL byte"),
		ErrorURL:     "https://stytch.com/docs/api-reference/consumer/api/errors/400#bad_request",
	}
}

func cptr(b []byte) *C.char { return (*C.char)(unsafe.Pointer(&b[0])) }

// takeString copies an owned library string and frees (wipes) it.
func takeString(s *C.char) string {
	if s == nil {
		return ""
	}
	out := C.GoString(s)
	C.stytch_string_free(s)
	return out
}

func (h *handle) takeError(e *C.stytch_error) error { return takeError(e, h.hook) }

// takeError copies a library error into a *stytcherror.Error and frees it.
func takeError(e *C.stytch_error, hook func(kind, json string)) error {
	if e == nil {
		return &stytcherror.Error{StatusCode: 500, ErrorType: "internal_server_error",
			ErrorMessage: "the library reported a failure without an error"}
	}
	defer C.stytch_error_free(e)
	if hook != nil {
		hook("error", takeString(C.stytch_error_to_json(e)))
	}
	return &stytcherror.Error{
		StatusCode:   int(C.stytch_error_status_code(e)),
		RequestID:    C.GoString(C.stytch_error_request_id(e)),
		ErrorType:    stytcherror.Type(C.GoString(C.stytch_error_type(e))),
		ErrorMessage: stytcherror.Message(C.GoString(C.stytch_error_message(e))),
		ErrorURL:     stytcherror.URL(C.GoString(C.stytch_error_url(e))),
	}
}

func (h *handle) wantJSON() bool { return h.hook != nil || h.viaJSON }

// gotJSON takes a response's owned JSON, shows it to the test hook and, when
// the client decodes JSON instead of reading accessors, decodes it into out
// and reports done.
func (h *handle) gotJSON(kind string, s *C.char, out any) (done bool, err error) {
	text := takeString(s)
	if h.hook != nil {
		h.hook(kind, text)
	}
	if !h.viaJSON {
		return false, nil
	}
	return true, json.Unmarshal([]byte(text), out)
}
