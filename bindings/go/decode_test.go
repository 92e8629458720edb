package stytchtotp

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
)

// sameAsEncodingJSON checks that a generated decoder reads body into the
// value encoding/json makes of it.
func sameAsEncodingJSON[T any](t *testing.T, body []byte, read func(*decoder, *T)) *T {
	t.Helper()
	want := new(T)
	if err := json.Unmarshal(body, want); err != nil {
		t.Fatal(err)
	}
	got, err := decode(body, read)
	if err != nil {
		t.Fatalf("%T: %v\n%s", got, err, body)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("%T:\n generated    %+v\n encoding/json %+v", got, got, want)
	}
	// The library writes each struct's keys in one order, which the decoders
	// try first; any other form of the JSON reads as encoding/json reads it,
	// and a form of the same content reads as the body did.
	tree := parseTree(t, body)
	for name, form := range otherForms {
		text := tree.write(form)
		want := new(T)
		if err := json.Unmarshal([]byte(text), want); err != nil {
			t.Fatalf("%s: %v\n%s", name, err, text)
		}
		if form.sameContent && !reflect.DeepEqual(want, got) {
			t.Fatalf("%T, %s: encoding/json reads another value\n%s", got, name, text)
		}
		other, err := decode([]byte(text), read)
		if err != nil || !reflect.DeepEqual(other, want) {
			t.Fatalf("%T, %s: %v\n%s\n generated     %+v\n encoding/json %+v", got, name, err, text, other, want)
		}
	}
	return got
}

// jsonTree is a JSON value with its objects' members in their order.
type jsonTree struct {
	scalar  string // the JSON text of a string, number, boolean or null
	items   []jsonTree
	members []jsonMember
	kind    json.Delim // 0, '[' or '{'
}

type jsonMember struct {
	key   string
	value jsonTree
}

func parseTree(t *testing.T, body []byte) jsonTree {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var read func() jsonTree
	read = func() jsonTree {
		tok, err := dec.Token()
		if err != nil {
			t.Fatalf("%v\n%s", err, body)
		}
		switch tok {
		case json.Delim('['):
			n := jsonTree{kind: '['}
			for dec.More() {
				n.items = append(n.items, read())
			}
			dec.Token()
			return n
		case json.Delim('{'):
			n := jsonTree{kind: '{'}
			for dec.More() {
				k, _ := dec.Token()
				n.members = append(n.members, jsonMember{k.(string), read()})
			}
			dec.Token()
			return n
		}
		text, _ := json.Marshal(tok)
		return jsonTree{scalar: string(text)}
	}
	return read()
}

// jsonForm is how a tree is written: its objects' members (in the order
// written) and each key's JSON text.
type jsonForm struct {
	members func([]jsonMember) []jsonMember
	key     func(string) string
	space   string // around every token
	// sameContent: the form has every member of the tree and no other.
	sameContent bool
}

func (n jsonTree) write(f jsonForm) string {
	var b strings.Builder
	var write func(jsonTree)
	write = func(n jsonTree) {
		b.WriteString(f.space)
		switch n.kind {
		case '[':
			b.WriteString("[")
			for i, item := range n.items {
				if i > 0 {
					b.WriteString(f.space + ",")
				}
				write(item)
			}
			b.WriteString(f.space + "]")
		case '{':
			b.WriteString("{")
			for i, m := range f.members(n.members) {
				if i > 0 {
					b.WriteString(f.space + ",")
				}
				b.WriteString(f.space + f.key(m.key) + f.space + ":")
				write(m.value)
			}
			b.WriteString(f.space + "}")
		default:
			b.WriteString(n.scalar)
		}
		b.WriteString(f.space)
	}
	write(n)
	return b.String()
}

func inOrder(m []jsonMember) []jsonMember { return m }

func quoted(k string) string {
	text, _ := json.Marshal(k)
	return string(text)
}

// unknown is a member no struct has, with a value that looks like JSON's own
// punctuation inside its strings.
var unknown = jsonMember{"not_a_field", jsonTree{scalar: `{"a": ["\"},", 1.5e3, null, {}]}`}}

// otherForms are forms of a body that the decoders cannot read by position.
var otherForms = map[string]jsonForm{
	"members reversed": {key: quoted, sameContent: true, members: func(m []jsonMember) []jsonMember {
		out := slices.Clone(m)
		slices.Reverse(out)
		return out
	}},
	"an unknown key before each member": {key: quoted, members: func(m []jsonMember) []jsonMember {
		var out []jsonMember
		for _, x := range m {
			out = append(out, unknown, x)
		}
		return out
	}},
	"white space around every token": {key: quoted, members: inOrder, space: " \n\t\r", sameContent: true},
	// Each key's first letter as \u00XX.
	"escaped keys": {members: inOrder, sameContent: true, key: func(k string) string {
		return fmt.Sprintf(`"\u%04x%s`, k[0], quoted(k)[2:])
	}},
	// The decoders guess each key from the one before: every guess is off.
	"each object's first member left out": {key: quoted, members: func(m []jsonMember) []jsonMember {
		return m[min(1, len(m)):]
	}},
}

// Every route's body, with escapes, non-ASCII text and nested metadata.
func TestGeneratedDecodersMatchEncodingJSON(t *testing.T) {
	c := testClient(t, Config{Lockout: &Lockout{MaxFailures: 1, DurationMinutes: 5}})
	raw := func(method, path string, body any) []byte {
		t.Helper()
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		out, _ := c.Call(ctx, method, path, b)
		return out
	}
	created := sameAsEncodingJSON(t, raw("POST", "/v1/users", map[string]any{
		"email": "ada@example.com", "phone_number": "+15555550100", "external_id": "ada.1815_x-1",
		"name":             map[string]string{"first_name": "Ad\"a\\ \u00e9 \U0001F600", "last_name": "L\u2028"},
		"trusted_metadata": map[string]any{"a": []any{1, map[string]any{"b": nil}}, "c": "x\ty"},
	}), readUsersCreateResponse)
	uid := created.UserID
	sameAsEncodingJSON(t, raw("GET", "/v1/users/"+uid, nil), readUsersGetResponse)
	totp := sameAsEncodingJSON(t, raw("POST", "/v1/totps", map[string]string{"user_id": uid}), readTotpsCreateResponse)
	sameAsEncodingJSON(t, raw("POST", "/v1/totps/recovery_codes", map[string]string{"user_id": uid}), readTotpsRecoveryCodesResponse)
	code := mustCode(t, totp.Secret, t0)
	sameAsEncodingJSON(t, raw("POST", "/v1/totps/authenticate", map[string]string{"user_id": uid, "totp_code": code}),
		readTotpsAuthenticateResponse)
	sameAsEncodingJSON(t, raw("POST", "/v1/totps/recover", map[string]string{"user_id": uid, "recovery_code": totp.RecoveryCodes[0]}),
		readTotpsRecoverResponse)
	// A locked user: the lock timestamps are set.
	raw("POST", "/v1/totps/recover", map[string]string{"user_id": uid, "recovery_code": "aaaa-bbbb-cccc"})
	locked := sameAsEncodingJSON(t, raw("GET", "/v1/users/"+uid, nil), readUsersGetResponse)
	if !locked.IsLocked || locked.LockExpiresAt == nil || locked.Name.FirstName != "Ad\"a\\ \u00e9 \U0001F600" {
		t.Fatalf("locked user: %+v", locked)
	}
	sameAsEncodingJSON(t, raw("DELETE", "/v1/users/totps/"+totp.TOTPID, nil), readUsersDeleteTOTPResponse)
	sameAsEncodingJSON(t, raw("DELETE", "/v1/users/"+uid, nil), readUsersDeleteResponse)
	sameAsEncodingJSON(t, raw("GET", "/v1/users/"+uid, nil), readStytcherrorError)
}

func TestDecoderRefusesWhatIsNotJSON(t *testing.T) {
	for _, body := range []string{``, `{`, `{"user_id":}`, `{"user_id":"a"`, `{"user_id":"\q"}`, `[1]`, `{"is_locked":tru}`, `{} x`,
		`{,"user_id":"a"}`, `{"user_id":"a",}`, `{"user_id":"a" "status":"b"}`, `{"roles":["r",]}`, `{"roles":[,"r"]}`,
		`{"emails":[{}{}]}`, `{"name":{"first_name":"a"]}`, `{"user_id":"a"]`} {
		if _, err := decode([]byte(body), readUsersUser); err == nil {
			t.Errorf("%q decoded without an error", body)
		}
	}
	u, err := decode([]byte(` {"user_id" : "a\u00e9\n" , "unknown": [{"x": [1, 2.5e3, null, true]}], "roles": ["r"]} `), readUsersUser)
	if err != nil || u.UserID != "a\u00e9\n" || len(u.Roles) != 1 {
		t.Fatalf("%+v %v", u, err)
	}
}

// utcSeconds reads what time.Parse reads, and leaves to it what it does not.
func TestUTCSecondsAsTimeParse(t *testing.T) {
	var texts []string
	for _, year := range []string{"0000", "1900", "1999", "2000", "2024", "2100", "9999"} {
		for month := 0; month <= 13; month++ {
			for day := 0; day <= 32; day++ {
				texts = append(texts, fmt.Sprintf("%s-%02d-%02dT23:59:59Z", year, month, day))
			}
		}
	}
	texts = append(texts, "2024-05-01T00:00:00Z", "2024-05-01T24:00:00Z", "2024-05-01T00:60:00Z",
		"2024-05-01T00:00:60Z", "2024-05-01T00:00:00z", "2024-05-01 00:00:00Z", "2024-05-01T00:00:00+00:00",
		"2024-5-01T00:00:00Z", "20a4-05-01T00:00:00Z", "2024-05-01T00:00:0aZ", "2024/05/01T00:00:00Z",
		"2024-05-01T00:00:00.5Z", "2024-05-01T00:00:00")
	for _, text := range texts {
		want, err := time.Parse(time.RFC3339, text)
		got, ok := utcSeconds(text)
		if ok && (err != nil || !reflect.DeepEqual(got, want)) {
			t.Errorf("%s: utcSeconds %v, time.Parse %v %v", text, got, want, err)
		}
		if !ok && err == nil && len(text) == 20 && text[19] == 'Z' && !strings.ContainsAny(text, ".+") {
			t.Errorf("%s: utcSeconds refused what time.Parse reads (%v)", text, want)
		}
	}
}
