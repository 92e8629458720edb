// The Go table of docs/PORTING.md, made by comparing stytch-go's types with
// this binding's through reflect: the clients' methods, every field of their
// params and response structs (and of the structs inside them that both
// have), and stytcherror.Error. The table in the file must be the one made
// here, so it cannot go stale; `go test -run TestPortingTable -update`
// rewrites it.
package stytchgo

import (
	"flag"
	"fmt"
	"os"
	"path"
	"reflect"
	"sort"
	"strings"
	"testing"

	stytchtotp "github.com/stytch-totp/stytch-totp/bindings/go"
	ourerror "github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytchauth/stytch-go/v16/stytch/consumer"
	"github.com/stytchauth/stytch-go/v16/stytch/stytcherror"
)

var update = flag.Bool("update", false, "rewrite the Go table of docs/PORTING.md")

const (
	portingDoc = "../../../docs/PORTING.md"
	tableBegin = "<!-- go-porting-table: begin (made by tests/go/stytchgo/porting_test.go) -->"
	tableEnd   = "<!-- go-porting-table: end -->"
)

// Statuses of a row.
const (
	same    = "same"
	leftOut = "left out"
	added   = "added"
	differs = "differs"
)

type row struct{ item, theirs, ours, status string }

// clients pairs each stytch-go client with this binding's.
var clients = []struct {
	name         string
	theirs, ours reflect.Type
}{
	{"TOTPs", reflect.TypeOf(&consumer.TOTPsClient{}), reflect.TypeOf(&stytchtotp.TOTPsClient{})},
	{"Users", reflect.TypeOf(&consumer.UsersClient{}), reflect.TypeOf(&stytchtotp.UsersClient{})},
	{"Sessions", reflect.TypeOf(&consumer.SessionsClient{}), reflect.TypeOf(&stytchtotp.SessionsClient{})},
}

// signature is a method's parameters and results without its receiver.
func signature(m reflect.Method) string {
	var in, out []string
	for i := 1; i < m.Type.NumIn(); i++ {
		in = append(in, m.Type.In(i).String())
	}
	for i := 0; i < m.Type.NumOut(); i++ {
		out = append(out, m.Type.Out(i).String())
	}
	return fmt.Sprintf("(%s) (%s)", strings.Join(in, ", "), strings.Join(out, ", "))
}

func compare(theirs, ours string) string {
	switch {
	case theirs == ours:
		return same
	case ours == "":
		return leftOut
	case theirs == "":
		return added
	}
	return differs
}

// methodRows compares the methods of each client and returns, for the
// methods both have, the pairs of types their params and responses are.
func methodRows() (rows []row, pairs [][2]reflect.Type) {
	for _, c := range clients {
		names := map[string]bool{}
		for _, t := range []reflect.Type{c.theirs, c.ours} {
			for i := 0; i < t.NumMethod(); i++ {
				names[t.Method(i).Name] = true
			}
		}
		for _, name := range sorted(names) {
			var sigs [2]string
			mt, okT := c.theirs.MethodByName(name)
			mo, okO := c.ours.MethodByName(name)
			if okT {
				sigs[0] = signature(mt)
			}
			if okO {
				sigs[1] = signature(mo)
			}
			rows = append(rows, row{c.name + "." + name, sigs[0], sigs[1], compare(sigs[0], sigs[1])})
			if okT && okO {
				for _, io := range [][2]reflect.Type{{mt.Type.In(2), mo.Type.In(2)}, {mt.Type.Out(0), mo.Type.Out(0)}} {
					// Only (ctx, *Params) (*Response, error) methods pair structs.
					if io[0].Kind() == reflect.Pointer && io[1].Kind() == reflect.Pointer {
						pairs = append(pairs, [2]reflect.Type{io[0].Elem(), io[1].Elem()})
					}
				}
			}
		}
	}
	return rows, pairs
}

// compared are the packages whose structs the table compares field by
// field; a field of a struct of another package (sessions.Session,
// devicehistory.DeviceInfo, time.Time) is compared by its type alone.
var compared = map[string]bool{"totps": true, "users": true, "attribute": true, "stytcherror": true}

// structName unwraps pointers, slices and maps down to a named struct of a
// compared package.
func structName(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Map {
		t = t.Elem()
	}
	if t.Kind() == reflect.Struct && compared[path.Base(t.PkgPath())] {
		return t
	}
	return nil
}

func describe(f reflect.StructField) string {
	return fmt.Sprintf("`%s` %s", f.Tag.Get("json"), f.Type)
}

// fieldRows compares the fields of each pair of structs, and of the named
// structs that a field both sides have holds, each struct once.
func fieldRows(pairs [][2]reflect.Type) []row {
	var rows []row
	seen := map[string]bool{}
	for len(pairs) > 0 {
		theirs, ours := pairs[0][0], pairs[0][1]
		pairs = pairs[1:]
		if seen[theirs.String()] {
			continue
		}
		seen[theirs.String()] = true
		fields := map[string][2]string{}
		for i := 0; i < theirs.NumField(); i++ {
			f := theirs.Field(i)
			d := fields[f.Name]
			d[0] = describe(f)
			fields[f.Name] = d
		}
		for i := 0; i < ours.NumField(); i++ {
			f := ours.Field(i)
			d := fields[f.Name]
			d[1] = describe(f)
			fields[f.Name] = d
			if g, ok := theirs.FieldByName(f.Name); ok {
				if st, so := structName(g.Type), structName(f.Type); st != nil && so != nil {
					pairs = append(pairs, [2]reflect.Type{st, so})
				}
			}
		}
		names := map[string]bool{}
		for name := range fields {
			names[name] = true
		}
		for _, name := range sorted(names) {
			d := fields[name]
			rows = append(rows, row{theirs.String() + "." + name, d[0], d[1], compare(d[0], d[1])})
		}
	}
	return rows
}

// errorRows compares stytcherror.Error: its fields and its methods.
func errorRows() []row {
	theirs, ours := reflect.TypeOf(stytcherror.Error{}), reflect.TypeOf(ourerror.Error{})
	rows := fieldRows([][2]reflect.Type{{theirs, ours}})
	names := map[string]bool{}
	for _, t := range []reflect.Type{theirs, ours} {
		for i := 0; i < t.NumMethod(); i++ {
			names[t.Method(i).Name] = true
		}
	}
	for _, name := range sorted(names) {
		var sigs [2]string
		if m, ok := theirs.MethodByName(name); ok {
			sigs[0] = signature(m)
		}
		if m, ok := ours.MethodByName(name); ok {
			sigs[1] = signature(m)
		}
		rows = append(rows, row{"stytcherror.Error." + name + "()", sigs[0], sigs[1], compare(sigs[0], sigs[1])})
	}
	return rows
}

func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func cell(s string) string {
	if s == "" {
		return "—"
	}
	if strings.HasPrefix(s, "`") {
		return strings.ReplaceAll(s, "|", `\|`)
	}
	return "`" + strings.ReplaceAll(s, "|", `\|`) + "`"
}

func table(rows []row) string {
	var b strings.Builder
	b.WriteString("| stytch-go | stytch-go's | this binding's | status |\n| --- | --- | --- | --- |\n")
	for _, r := range rows {
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s |\n", r.item, cell(r.theirs), cell(r.ours), r.status)
	}
	return b.String()
}

func allRows() (methods, fields, errs []row) {
	methods, pairs := methodRows()
	return methods, fieldRows(pairs), errorRows()
}

// What parity means here: every TOTPs method of stytch-go, with its exact
// signature; every field of their params with stytch-go's name, JSON tag and
// type; every field of their responses and of stytcherror.Error likewise;
// and the users and sessions methods this binding has, likewise (the
// role-based authorization fields aside: no RBAC here).
func TestParity(t *testing.T) {
	methods, fields, errs := allRows()
	for _, r := range methods {
		if r.status == leftOut && (strings.HasPrefix(r.item, "Users.") || strings.HasPrefix(r.item, "Sessions.")) {
			continue // the users and sessions calls this library does not have
		}
		if r.item == "Sessions.AuthenticateJWTLocal" {
			// Its options are an unexported stytch-go type (authorization
			// checks: no RBAC here); a call without them ports unchanged.
			continue
		}
		if r.status != same && r.status != added {
			t.Errorf("%s: stytch-go %s, here %s (%s)", r.item, r.theirs, r.ours, r.status)
		}
	}
	rbac := map[string]bool{"sessions.AuthenticateParams.AuthorizationCheck": true, "sessions.AuthenticateResponse.Verdict": true}
	for _, r := range append(fields, errs...) {
		if r.status == leftOut && rbac[r.item] {
			continue
		}
		if r.status != same && r.status != added {
			t.Errorf("%s: stytch-go %s, here %s (%s)", r.item, r.theirs, r.ours, r.status)
		}
	}
	for _, want := range []string{"TOTPs.Create", "TOTPs.Authenticate", "TOTPs.AuthenticateWithClaims",
		"TOTPs.RecoveryCodes", "TOTPs.Recover", "Users.Create", "Users.Get", "Users.Delete", "Users.DeleteTOTP",
		"Sessions.Authenticate", "Sessions.Revoke", "Sessions.Get", "Sessions.GetJWKS"} {
		found := false
		for _, r := range methods {
			found = found || (r.item == want && r.status == same)
		}
		if !found {
			t.Errorf("%s is not the same as stytch-go's", want)
		}
	}
}

func TestPortingTable(t *testing.T) {
	methods, fields, errs := allRows()
	want := tableBegin + "\n\n### Methods\n\n" + table(methods) +
		"\n### Params and responses\n\n" + table(fields) +
		"\n### Errors\n\n" + table(errs) + "\n" + tableEnd
	text, err := os.ReadFile(portingDoc)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(text)
	begin, end := strings.Index(doc, tableBegin), strings.Index(doc, tableEnd)
	if begin < 0 || end < begin {
		t.Fatalf("%s has no Go table between %q and %q", portingDoc, tableBegin, tableEnd)
	}
	got := doc[begin : end+len(tableEnd)]
	if got == want {
		return
	}
	if *update {
		if err := os.WriteFile(portingDoc, []byte(doc[:begin]+want+doc[end+len(tableEnd):]), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	gotLines, wantLines := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(gotLines) || i < len(wantLines); i++ {
		var g, w string
		if i < len(gotLines) {
			g = gotLines[i]
		}
		if i < len(wantLines) {
			w = wantLines[i]
		}
		if g != w {
			t.Fatalf("the Go table of %s is stale (run `go test -run TestPortingTable -update` in tests/go/stytchgo); first difference, line %d:\n in the file: %s\n  from types: %s", portingDoc, i+1, g, w)
		}
	}
}
