package stytchtotp

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"
)

// decoder reads the JSON the library writes, for the decoders generated from
// its schema (decoders_generated.go): about ten times faster than
// encoding/json's reflection on these bodies. It reads any JSON; a value a
// decoder does not expect is an error, an unknown key is skipped.
type decoder struct {
	data []byte
	// text is data as one string: the strings read are slices of it, one
	// copy of the body rather than one allocation per field.
	text string
	pos  int
	// backslash is the position of a backslash at or after the last string
	// read, or len(data) if there is none: found once for a body without
	// escapes, rather than once per string.
	backslash int
	err       error
}

var errSyntax = errors.New("stytchtotp: unexpected JSON from the library")

func (d *decoder) fail() { d.failWith(errSyntax) }

// failWith stops the decoder at the end of its data with err (unless it has
// failed already): a decoder with an error is always at the end.
func (d *decoder) failWith(err error) {
	if d.err == nil {
		d.err = err
	}
	d.pos = len(d.data)
}

// peek is the next byte after white space, or 0 at the end. The library's
// JSON is compact: a byte above the space is told by one comparison.
func (d *decoder) peek() byte {
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; {
		case c > ' ':
			return c
		case c == ' ', c == '\t', c == '\n', c == '\r':
			d.pos++
		default:
			return c
		}
	}
	return 0
}

func (d *decoder) expect(b byte) bool {
	if d.peek() == b {
		d.pos++
		return true
	}
	d.fail()
	return false
}

// null consumes a null and reports whether there was one.
func (d *decoder) null() bool {
	if d.peek() == 'n' && len(d.data)-d.pos >= 4 && string(d.data[d.pos:d.pos+4]) == "null" {
		d.pos += 4
		return true
	}
	return false
}

// open consumes the start of an object or array ('{' or '[') and reports
// whether a member follows; null reads as having none.
func (d *decoder) open(c byte) bool {
	if d.peek() == c {
		d.pos++
		// The closing byte is two past the opening one: '}' or ']'.
		if d.peek() == c+2 {
			d.pos++
			return false
		}
		return true
	}
	if !d.null() {
		d.fail()
	}
	return false
}

// next moves past the comma after a member of an opened object or array and
// reports whether another member follows; false once it has read close ('}'
// or ']'). A comma right after the value is the usual case, told without
// peek's loop (a decoder that failed is at the end of its data).
func (d *decoder) next(close byte) bool {
	if d.pos < len(d.data) && d.data[d.pos] == ',' {
		d.pos++
		return true
	}
	return d.nextAfterSpace(close)
}

// nextAfterSpace is next in every other case.
func (d *decoder) nextAfterSpace(close byte) bool {
	switch d.peek() {
	case ',':
		d.pos++
		return true
	case close:
		d.pos++
		return false
	}
	d.fail()
	return false
}

// key reads an object's key and its colon. The bytes are the decoder's own
// (no copy) unless the key has escapes.
func (d *decoder) key() []byte {
	if !d.expect('"') {
		return nil
	}
	start := d.pos
	end := bytes.IndexByte(d.data[start:], '"')
	var k []byte
	if end >= 0 && d.backslashFrom(start) > start+end {
		k = d.data[start : start+end]
		d.pos = start + end + 1
	} else {
		k = []byte(d.escaped(start))
	}
	d.expect(':')
	return k
}

// endOfObject is what first and member return after an object's last member.
const endOfObject = -2

// first opens an object and reads its first key, as member does; null reads
// as an object with no member.
func (d *decoder) first(keys []string) int {
	if !d.open('{') {
		return endOfObject
	}
	return d.field(keys, 0)
}

// member moves to the next member of an object and reads its key: its index
// in keys (each written `,"name":`), -1 for a key not among them, or
// endOfObject after the last member. The library writes every field of a
// struct, in the order of keys: the field after prev is tried first, by one
// comparison of the bytes at the cursor with its comma, key and colon. Only
// when they differ (white space, an escape, another order, an unknown key)
// is the key read and looked up.
func (d *decoder) member(keys []string, prev int) int {
	if i := prev + 1; i < len(keys) && strings.HasPrefix(d.text[d.pos:], keys[i]) {
		d.pos += len(keys[i])
		return i
	}
	if !d.next('}') {
		return endOfObject
	}
	return d.field(keys, prev+1)
}

// field reads a key and its colon, and returns the key's index in keys (see
// member), trying keys[guess] first.
func (d *decoder) field(keys []string, guess int) int {
	if guess < len(keys) && strings.HasPrefix(d.text[d.pos:], keys[guess][1:]) {
		d.pos += len(keys[guess]) - 1
		return guess
	}
	k := d.key()
	for i, key := range keys {
		if len(key) == len(k)+4 && key[2:len(key)-2] == string(k) {
			return i
		}
	}
	return -1
}

func (d *decoder) str() string {
	if d.peek() != '"' {
		if !d.null() {
			d.fail()
		}
		return ""
	}
	d.pos++
	start := d.pos
	// The library escapes quotes, backslashes and control characters, so a
	// string ends at the first quote unless it holds a backslash before it.
	end := bytes.IndexByte(d.data[start:], '"')
	if end < 0 {
		d.fail()
		return ""
	}
	if d.backslashFrom(start) < start+end {
		return d.escaped(start)
	}
	d.pos = start + end + 1
	return d.text[start : start+end]
}

// backslashFrom is the position of the first backslash at or after start,
// or len(d.data) if there is none. start never goes back.
func (d *decoder) backslashFrom(start int) int {
	if d.backslash < start {
		d.backslash = len(d.data)
		if i := bytes.IndexByte(d.data[start:], '\\'); i >= 0 {
			d.backslash = start + i
		}
	}
	return d.backslash
}

// escaped finishes a string that has escapes, from its start.
func (d *decoder) escaped(start int) string {
	out := append([]byte(nil), d.data[start:d.pos]...)
	for d.pos < len(d.data) {
		c := d.data[d.pos]
		d.pos++
		switch {
		case c == '"':
			return string(out)
		case c != '\\':
			out = append(out, c)
		case d.pos >= len(d.data):
			d.fail()
		default:
			e := d.data[d.pos]
			d.pos++
			switch e {
			case '"', '\\', '/':
				out = append(out, e)
			case 'b':
				out = append(out, '\b')
			case 'f':
				out = append(out, '\f')
			case 'n':
				out = append(out, '\n')
			case 'r':
				out = append(out, '\r')
			case 't':
				out = append(out, '\t')
			case 'u':
				r := d.hex4()
				if utf16.IsSurrogate(r) && d.pos+1 < len(d.data) && d.data[d.pos] == '\\' && d.data[d.pos+1] == 'u' {
					d.pos += 2
					r = utf16.DecodeRune(r, d.hex4())
				}
				out = utf8.AppendRune(out, r)
			default:
				d.fail()
			}
		}
	}
	d.fail()
	return ""
}

func (d *decoder) hex4() rune {
	if len(d.data)-d.pos < 4 {
		d.fail()
		return utf8.RuneError
	}
	n, err := strconv.ParseUint(string(d.data[d.pos:d.pos+4]), 16, 32)
	if err != nil {
		d.fail()
	}
	d.pos += 4
	return rune(n)
}

// number is the text of a number.
func (d *decoder) number() []byte {
	d.peek()
	start := d.pos
	for d.pos < len(d.data) {
		switch c := d.data[d.pos]; {
		case c >= '0' && c <= '9', c == '-', c == '+', c == '.', c == 'e', c == 'E':
			d.pos++
			continue
		}
		break
	}
	return d.data[start:d.pos]
}

func (d *decoder) int32() int32 {
	if d.null() {
		return 0
	}
	n, err := strconv.ParseInt(string(d.number()), 10, 32)
	if err != nil {
		d.fail()
	}
	return int32(n)
}

func (d *decoder) bool() bool {
	switch {
	case len(d.data)-d.pos >= 4 && d.peek() == 't' && string(d.data[d.pos:d.pos+4]) == "true":
		d.pos += 4
		return true
	case len(d.data)-d.pos >= 5 && d.peek() == 'f' && string(d.data[d.pos:d.pos+5]) == "false":
		d.pos += 5
	case !d.null():
		d.fail()
	}
	return false
}

// time reads an RFC 3339 timestamp; null is nil. The library writes UTC in
// whole seconds (2006-01-02T15:04:05Z), read here without time.Parse.
func (d *decoder) time() *time.Time {
	if d.null() {
		return nil
	}
	s := d.str()
	if t, ok := utcSeconds(s); ok {
		return &t
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		d.fail()
		return nil
	}
	return &t
}

// utcSeconds reads YYYY-MM-DDTHH:MM:SSZ.
func utcSeconds(s string) (time.Time, bool) {
	if len(s) != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z' {
		return time.Time{}, false
	}
	digits := true
	// The two digits at i (a byte below '0' wraps around above 9).
	n := func(i int) int {
		high, low := s[i]-'0', s[i+1]-'0'
		digits = digits && high <= 9 && low <= 9
		return int(high)*10 + int(low)
	}
	year, month, day, hour, minute, second := n(0)*100+n(2), n(5), n(8), n(11), n(14), n(17)
	if !digits || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59 {
		return time.Time{}, false
	}
	t := time.Date(year, time.Month(month), day, hour, minute, second, 0, time.UTC)
	// A day past the month's end would roll over: leave such a date to time.Parse.
	return t, t.Day() == day
}

// skip passes over any value and returns its text.
func (d *decoder) skip() []byte {
	start := d.pos
	switch d.peek() {
	case '{':
		for more := d.open('{'); more; more = d.next('}') {
			d.key()
			d.skip()
		}
	case '[':
		for more := d.open('['); more; more = d.next(']') {
			d.skip()
		}
	case '"':
		d.str()
	case 't', 'f':
		d.bool()
	case 'n':
		if !d.null() {
			d.fail()
		}
	default:
		if len(d.number()) == 0 {
			d.fail()
		}
	}
	return d.data[start:d.pos]
}

// any decodes a value of a type the library rarely fills (metadata, and
// what stytch-go declares but this library never sends) with encoding/json;
// an empty object or list and null cost nothing.
func anyValue[T any](d *decoder, out *T) {
	text := d.skip()
	if d.err != nil || string(text) == "null" {
		return
	}
	if err := json.Unmarshal(text, out); err != nil {
		d.failWith(err)
	}
}

// list decodes a list of a type the library never fills: always empty.
func list[T any](d *decoder, out *[]T) {
	if text := d.skip(); string(text) == "[]" {
		*out = []T{}
	} else if d.err == nil {
		if err := json.Unmarshal(text, out); err != nil {
			d.failWith(err)
		}
	}
}

// decode runs a generated decoder over a body.
func decode[T any](body []byte, read func(*decoder, *T)) (*T, error) {
	return decodeText(string(body), read)
}

// decodeText is decode of a body already copied into a string, which the
// strings read are slices of.
func decodeText[T any](text string, read func(*decoder, *T)) (*T, error) {
	// The value and its decoder in one allocation: a decoder passed to a
	// function value is moved to the heap anyway. The decoder only reads
	// data: a view of the immutable text.
	v := &struct {
		out T
		d   decoder
	}{d: decoder{data: unsafe.Slice(unsafe.StringData(text), len(text)), text: text, backslash: -1}}
	read(&v.d, &v.out)
	if v.d.peek() != 0 && v.d.err == nil {
		v.d.fail()
	}
	return &v.out, v.d.err
}
