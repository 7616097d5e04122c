package server

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A request body that stops arriving is cut after Config.BodyIdleTimeout without a byte
// (issue 13 §2); one that keeps arriving, however slowly, is not.

const testBodyIdle = 200 * time.Millisecond

func startBodyIdle(t *testing.T) *testServer {
	t.Helper()
	orgFile, dir := writeOrgFile(t, testOrgFile)
	return startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile, BodyIdleTimeout: testBodyIdle})
}

// tokenRequestHead is the head of a client-credentials token request whose body is n bytes.
func tokenRequestHead(n int) string {
	return fmt.Sprintf("POST %s HTTP/1.1\r\nHost: ff.test\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", tokenPath, n)
}

// ccBody is a right client-credentials form, padded with empty pairs to n bytes.
func ccBody(n int) string {
	b := "grant_type=client_credentials&client_id=AcmeKey0001&client_secret=AcmeSecret0001"
	return b + strings.Repeat("&", n-len(b))
}

func TestStalledBodyIsCut(t *testing.T) {
	s := startBodyIdle(t)
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	body := ccBody(1000)
	if _, err := io.WriteString(c, tokenRequestHead(len(body))+body[:500]); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	// Whatever the server answers, it must then close the connection: reading to EOF
	// ends. Without the timeout this read waits for the test's own 10 s guard.
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	got, err := io.ReadAll(c)
	elapsed := time.Since(start)
	if err != nil {
		t.Fatalf("connection not closed by the server after %v: %v (read %q)", elapsed, err, got)
	}
	if elapsed < testBodyIdle {
		t.Errorf("cut after %v, before the idle timeout %v", elapsed, testBodyIdle)
	}
	if elapsed > testBodyIdle+2*time.Second {
		t.Errorf("cut only after %v (idle timeout %v)", elapsed, testBodyIdle)
	}
	// The connection can no longer send the rest of its body into a request.
	if strings.Contains(string(got), "access_token") {
		t.Errorf("a token was issued for a half body: %q", got)
	}
}

func TestSlowSteadyBodySurvives(t *testing.T) {
	s := startBodyIdle(t)
	c, err := net.Dial("tcp", s.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	// 20 pieces, one every 50 ms: the upload takes 1 s, five idle timeouts, but no gap
	// between two bytes comes near one.
	const pieces, gap = 20, testBodyIdle / 4
	body := ccBody(2000)
	if _, err := io.WriteString(c, tokenRequestHead(len(body))); err != nil {
		t.Fatal(err)
	}
	size := len(body) / pieces
	start := time.Now()
	for i := 0; i < pieces; i++ {
		time.Sleep(gap)
		end := (i + 1) * size
		if i == pieces-1 {
			end = len(body)
		}
		if _, err := io.WriteString(c, body[i*size:end]); err != nil {
			t.Fatalf("write %d after %v: %v", i, time.Since(start), err)
		}
	}
	if elapsed := time.Since(start); elapsed < 4*testBodyIdle {
		t.Fatalf("the upload took %v: not longer than the idle timeout, the test proves nothing", elapsed)
	}
	c.SetReadDeadline(time.Now().Add(10 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(c), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), `"access_token"`) {
		t.Errorf("slow upload: %d %s", resp.StatusCode, b)
	}
}
