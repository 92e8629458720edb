package stytchtotp

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stytch-totp/stytch-totp/bindings/go/stytcherror"
	"github.com/stytch-totp/stytch-totp/bindings/go/totps"
	"github.com/stytch-totp/stytch-totp/bindings/go/users"
)

func TestUseAfterClose(t *testing.T) {
	c := testClient(t, Config{})
	user, err := c.Users.Create(ctx, someone())
	if err != nil {
		t.Fatal(err)
	}
	uid := user.UserID
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	if err := c.Close(); err != nil {
		t.Fatalf("second Close: %v", err)
	}
	calls := map[string]func() error{
		"Users.Create":     func() error { _, err := c.Users.Create(ctx, someone()); return err },
		"Users.Get":        func() error { _, err := c.Users.Get(ctx, &users.GetParams{UserID: uid}); return err },
		"Users.Delete":     func() error { _, err := c.Users.Delete(ctx, &users.DeleteParams{UserID: uid}); return err },
		"Users.DeleteTOTP": func() error { _, err := c.Users.DeleteTOTP(ctx, &users.DeleteTOTPParams{TOTPID: "x"}); return err },
		"TOTPs.Create":     func() error { _, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: uid}); return err },
		"TOTPs.Authenticate": func() error {
			_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: "123456"})
			return err
		},
		"TOTPs.Authenticate+session": func() error {
			_, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: uid, TOTPCode: "123456", SessionJWT: "x"})
			return err
		},
		"TOTPs.RecoveryCodes": func() error {
			_, err := c.TOTPs.RecoveryCodes(ctx, &totps.RecoveryCodesParams{UserID: uid})
			return err
		},
		"TOTPs.Recover": func() error {
			_, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: uid, RecoveryCode: "aaaa-bbbb-cccc"})
			return err
		},
		"SetTime":        func() error { return c.SetTime(t0) },
		"UseSystemClock": func() error { return c.UseSystemClock() },
		"Call":           func() error { _, err := c.Call(ctx, "GET", "/v1/users/"+uid, nil); return err },
	}
	for name, call := range calls {
		if err := call(); !errors.Is(err, ErrClosed) {
			t.Errorf("%s after Close: %v", name, err)
		}
	}
}

// Close while other goroutines are calling: each call either completes or
// gets ErrClosed, and nothing crashes. The client is closed once every
// goroutine has made a call; each then calls until it gets ErrClosed.
func TestCloseDuringCalls(t *testing.T) {
	c := testClient(t, Config{})
	user, err := c.Users.Create(ctx, someone())
	if err != nil {
		t.Fatal(err)
	}
	var done, calling sync.WaitGroup
	var ok, closed atomic.Int64
	for g := 0; g < 8; g++ {
		done.Add(1)
		calling.Add(1)
		go func() {
			defer done.Done()
			for i := 0; i < 1_000_000; i++ {
				_, err := c.Users.Get(ctx, &users.GetParams{UserID: user.UserID})
				if i == 0 {
					calling.Done()
				}
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, ErrClosed):
					closed.Add(1)
					return
				default:
					t.Errorf("unexpected error: %v", err)
					return
				}
			}
			t.Error("no ErrClosed after a million calls")
		}()
	}
	calling.Wait()
	c.Close()
	done.Wait()
	if ok.Load() == 0 || closed.Load() != 8 {
		t.Fatalf("ok %d, closed %d", ok.Load(), closed.Load())
	}
}

func TestConcurrentAuthenticateOneWinner(t *testing.T) {
	for round := 0; round < 20; round++ {
		c := testClient(t, Config{})
		user, _ := c.Users.Create(ctx, someone())
		created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
		if err != nil {
			t.Fatal(err)
		}
		code := mustCode(t, created.Secret, t0)
		start := make(chan struct{})
		errs := make([]error, 8)
		var wg sync.WaitGroup
		for g := range errs {
			wg.Add(1)
			go func(g int) {
				defer wg.Done()
				<-start
				_, errs[g] = c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: code})
			}(g)
		}
		close(start)
		wg.Wait()
		wins := 0
		for _, err := range errs {
			var serr *stytcherror.Error
			switch {
			case err == nil:
				wins++
			case errors.As(err, &serr) && serr.ErrorType == "totp_code_already_authenticated":
			default:
				t.Fatalf("unexpected error: %v", err)
			}
		}
		if wins != 1 {
			t.Fatalf("round %d: %d winners", round, wins)
		}
		c.Close()
	}
}

// Many goroutines share one client for every kind of call.
func TestConcurrentMixedCalls(t *testing.T) {
	c := testClient(t, Config{})
	var wg sync.WaitGroup
	for g := 0; g < 16; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 20; i++ {
				user, err := c.Users.Create(ctx, someone())
				if err != nil {
					t.Error(err)
					return
				}
				created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := c.TOTPs.Authenticate(ctx, &totps.AuthenticateParams{UserID: user.UserID, TOTPCode: mustCode(t, created.Secret, t0)}); err != nil {
					t.Error(err)
				}
				if _, err := c.TOTPs.Recover(ctx, &totps.RecoverParams{UserID: user.UserID, RecoveryCode: created.RecoveryCodes[i%10]}); err != nil {
					t.Error(err)
				}
				if _, err := c.Users.Delete(ctx, &users.DeleteParams{UserID: user.UserID}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
}

// Clients dropped without Close are released by the garbage collector (SQLite
// removes a file's write-ahead log when its last connection closes), and
// their responses, plain Go values, stay readable.
func TestGCStress(t *testing.T) {
	dir := t.TempDir()
	var kept []*totps.CreateResponse
	var wals []string
	for i := 0; i < 40; i++ {
		db := filepath.Join(dir, fmt.Sprintf("gc-%d.db", i))
		c, err := NewClient(Config{Database: db})
		if err != nil {
			t.Fatal(err)
		}
		c.SetTime(t0)
		user, err := c.Users.Create(ctx, &users.CreateParams{Email: "gc@example.com"})
		if err != nil {
			t.Fatal(err)
		}
		created, err := c.TOTPs.Create(ctx, &totps.CreateParams{UserID: user.UserID})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(db + "-wal"); err != nil {
			t.Fatalf("no write-ahead log while open: %v", err)
		}
		wals = append(wals, db+"-wal")
		if i%5 == 0 {
			kept = append(kept, created)
		}
	}
	left := func() (n int) {
		for _, wal := range wals {
			if _, err := os.Stat(wal); err == nil {
				n++
			}
		}
		return n
	}
	deadline := time.Now().Add(10 * time.Second)
	for left() > 0 && time.Now().Before(deadline) {
		runtime.GC()
		time.Sleep(10 * time.Millisecond)
	}
	if n := left(); n > 0 {
		t.Fatalf("%d clients not released by the garbage collector", n)
	}
	for _, created := range kept {
		if code, err := Code(created.Secret, t0); err != nil || len(code) != 6 || created.User.Emails[0].Email != "gc@example.com" {
			t.Fatalf("response after its client was collected: %v %+v", err, created.User)
		}
	}
}
