package bench

// The C row: stytch_totp_authenticate (+ free) called from C, in a loop that
// one cgo call runs, so that the Go binding's authentication is timed beside
// the call it wraps in the same `go test -bench` run. (cgo cannot be used in
// _test.go files.) It links the static library as the binding does
// (../cgo_local.go).

// #cgo CFLAGS: -I${SRCDIR}/../../../include
// #cgo !windows LDFLAGS: ${SRCDIR}/../../../target/release/libstytch_totp.a
// #cgo linux LDFLAGS: -lgcc_s -lutil -lrt -lpthread -lm -ldl -lc
// #cgo darwin LDFLAGS: -liconv -lSystem -lc -lm
// #include <stdlib.h>
// #include <stytch_totp.h>
//
// // n authentications, as the Go benchmark's loop does them: the clock set
// // to times[i], then codes[i] (7 bytes each, NUL-terminated) checked and
// // the response freed. Returns how many failed.
// static int authenticate_n(const stytch_client *client, const char *user_id, const int64_t *times,
//                           const char *codes, int n) {
//     int failed = 0;
//     for (int i = 0; i < n; i++) {
//         stytch_error *err = NULL;
//         stytch_client_set_time(client, times[i], NULL);
//         stytch_totp_authenticate_response *r = stytch_totp_authenticate(client, user_id, codes + 7 * i, &err);
//         if (!r) {
//             failed++;
//             stytch_error_free(err);
//         }
//         stytch_totp_authenticate_response_free(r);
//     }
//     return failed;
// }
import "C"

import (
	"encoding/json"
	"fmt"
	"unsafe"
)

// cClient is a C client of its own, on ":memory:", with one user whose TOTP
// has the secret returned; set up through the JSON door.
type cClient struct {
	ptr    *C.stytch_client
	userID *C.char
}

func newCClient(t0 int64) (*cClient, string, error) {
	config := C.CString(`{"database":":memory:"}`)
	defer C.free(unsafe.Pointer(config))
	ptr := C.stytch_client_new(config, nil)
	if ptr == nil {
		return nil, "", fmt.Errorf("stytch_client_new failed")
	}
	c := &cClient{ptr: ptr}
	C.stytch_client_set_time(ptr, C.int64_t(t0), nil)
	var user struct {
		UserID string `json:"user_id"`
	}
	if err := c.call("/v1/users", `{"email":"bench@example.com"}`, &user); err != nil {
		c.close()
		return nil, "", err
	}
	c.userID = C.CString(user.UserID)
	var totp struct {
		Secret string `json:"secret"`
	}
	if err := c.call("/v1/totps", fmt.Sprintf(`{"user_id":%q}`, user.UserID), &totp); err != nil {
		c.close()
		return nil, "", err
	}
	return c, totp.Secret, nil
}

// call POSTs body to path and decodes the answer into out.
func (c *cClient) call(path, body string, out any) error {
	m, p, b := C.CString("POST"), C.CString(path), C.CString(body)
	defer C.free(unsafe.Pointer(m))
	defer C.free(unsafe.Pointer(p))
	defer C.free(unsafe.Pointer(b))
	resp := C.stytch_call(c.ptr, m, p, b)
	if resp == nil {
		return fmt.Errorf("stytch_call %s: no response", path)
	}
	defer C.stytch_string_free(resp)
	return json.Unmarshal([]byte(C.GoString(resp)), out)
}

// authenticate runs len(times) authentications in C; it returns how many failed.
func (c *cClient) authenticate(times []int64, codes []string) int {
	if len(times) == 0 {
		return 0
	}
	flat := C.malloc(C.size_t(7 * len(codes)))
	defer C.free(flat)
	buf := unsafe.Slice((*byte)(flat), 7*len(codes))
	for i, code := range codes {
		copy(buf[7*i:7*i+6], code)
		buf[7*i+6] = 0
	}
	ts := C.malloc(C.size_t(8 * len(times)))
	defer C.free(ts)
	copy(unsafe.Slice((*int64)(ts), len(times)), times)
	return int(C.authenticate_n(c.ptr, c.userID, (*C.int64_t)(ts), (*C.char)(flat), C.int(len(times))))
}

func (c *cClient) close() {
	C.stytch_client_free(c.ptr)
	C.free(unsafe.Pointer(c.userID))
}
