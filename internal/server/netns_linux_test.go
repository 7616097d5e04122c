//go:build linux

package server

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"
	"unsafe"
)

// Tests of Salesforce's login hosts (issue 10 §4) need clients that dial the hard-coded
// https://login.salesforce.com to reach a Forcefield on 127.0.0.1:443 — without touching
// the machine's /etc/hosts, its port 443 or its trust store. They run in namespaces of
// their own (user_namespaces(7), network_namespaces(7), mount_namespaces(7)):
//
//   - the test binary re-executes itself for the one test in a new user namespace (the
//     caller's uid mapped to root inside), a new network namespace and a new mount
//     namespace — what `unshare --user --map-root-user --net --mount` does, done through
//     exec.Cmd's SysProcAttr so no unshare binary is needed;
//   - inside, mounts are made private (nothing propagates back), a temporary hosts file
//     mapping login.salesforce.com, test.salesforce.com and the org's My Domain to 127.0.0.1
//     and ::1 is bind-mounted over /etc/hosts, and the namespace's own loopback is brought up;
//   - the server listens on 127.0.0.1:443 of that loopback (root in the namespace may bind
//     it; the machine's port 443 is untouched) with the certificate of `tls-cert
//     --salesforce`, and the clients trust its CA through NODE_EXTRA_CA_CERTS and
//     REQUESTS_CA_BUNDLE only.
//
// When the namespace ends, every one of those changes is gone with it. Alternatives were
// worse: editing the CI machine's /etc/hosts (forbidden by the issue, and racy with other
// jobs), a container (a daemon and an image CI does not have), or an HTTP proxy (changes
// how clients connect; simple-salesforce and sf would need proxy settings, which is not
// "unmodified").
//
// Without user namespaces (a kernel or seccomp policy refusing CLONE_NEWUSER) the test
// skips with the reason, and fails when CI is set: CI runs on this same kind of machine,
// where they work.

// netnsChildEnv marks the re-executed test process inside the namespaces; its value is
// the hosts file the parent asks for.
const netnsChildEnv = "FORCEFIELD_TEST_NETNS_HOSTS"

// inLoginHostNamespace runs the calling test inside fresh namespaces whose /etc/hosts maps
// names to 127.0.0.1. In the parent it re-executes the test there, reports its outcome
// (output, skip or failure) and returns false: the caller returns. In the child it sets
// the namespace up and returns true: the caller goes on with the test body.
func inLoginHostNamespace(t *testing.T, names ...string) bool {
	t.Helper()
	if line := os.Getenv(netnsChildEnv); line != "" {
		setUpNamespace(t, line)
		return true
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.v", "-test.count=1", "-test.timeout=5m")
	// Both addresses, as `forcefield login-hosts` prints them: the server listens on
	// 127.0.0.1 only, so this also checks that the clients fall back from ::1.
	cmd.Env = append(os.Environ(), netnsChildEnv+"=127.0.0.1 localhost "+strings.Join(names, " ")+"\n::1 localhost "+strings.Join(names, " "))
	cmd.SysProcAttr = &syscall.SysProcAttr{
		Cloneflags:                 syscall.CLONE_NEWUSER | syscall.CLONE_NEWNS | syscall.CLONE_NEWNET,
		UidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getuid(), Size: 1}},
		GidMappings:                []syscall.SysProcIDMap{{ContainerID: 0, HostID: os.Getgid(), Size: 1}},
		GidMappingsEnableSetgroups: false,
		Pdeathsig:                  syscall.SIGKILL,
	}
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	began := time.Now()
	if err := cmd.Start(); err != nil {
		skipUnlessCI(t, "cannot create a user+network+mount namespace (%v): the login-host test needs one to map login.salesforce.com without editing /etc/hosts", err)
	}
	err = cmd.Wait()
	text := out.String()
	if err == nil && regexp.MustCompile(`(?m)^\s*--- SKIP: `+regexp.QuoteMeta(t.Name())+` `).MatchString(text) {
		// -v prints the skip reason before the --- SKIP line.
		var reason []string
		for _, line := range strings.Split(text, "\n") {
			if l := strings.TrimSpace(line); l != "" && !strings.HasPrefix(l, "=== ") && !strings.HasPrefix(l, "--- ") && l != "PASS" {
				reason = append(reason, l)
			}
		}
		// The child inherits CI and fails instead of skipping there, so this never runs
		// under CI; skipUnlessCI keeps that true should the child's rule change.
		skipUnlessCI(t, "in the namespace: %s", strings.Join(reason, " "))
	}
	if err != nil {
		t.Fatalf("in the namespace (%v, after %v):\n%s", err, time.Since(began).Round(time.Millisecond), text)
	}
	t.Logf("in the namespace (%v):\n%s", time.Since(began).Round(time.Millisecond), text)
	return false
}

// setUpNamespace, in the child: private mounts, the hosts file, loopback up. A policy that
// lets the namespaces be created but not used (an LSM refusing mounts in them, say) skips
// the test like a refused namespace, and fails it under CI.
func setUpNamespace(t *testing.T, hostsFile string) {
	t.Helper()
	refused := func(format string, args ...any) {
		t.Helper()
		skipUnlessCI(t, "%s: the login-host test needs it to map login.salesforce.com without editing /etc/hosts", fmt.Sprintf(format, args...))
	}
	if err := syscall.Mount("", "/", "", syscall.MS_REC|syscall.MS_PRIVATE, ""); err != nil {
		refused("making mounts private in the namespace: %v", err)
	}
	hosts := filepath.Join(t.TempDir(), "hosts")
	if err := os.WriteFile(hosts, []byte(hostsFile+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mount(hosts, "/etc/hosts", "", syscall.MS_BIND, ""); err != nil {
		refused("bind-mounting a hosts file over /etc/hosts in the namespace: %v", err)
	}
	t.Cleanup(func() { syscall.Unmount("/etc/hosts", syscall.MNT_DETACH) })
	if err := loopbackUp(); err != nil {
		refused("bringing the namespace's lo up: %v", err)
	}
}

// loopbackUp sets IFF_UP on lo (SIOCGIFFLAGS / SIOCSIFFLAGS, netdevice(7)): a new network
// namespace's loopback starts down.
func loopbackUp() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	var ifr [40]byte // struct ifreq: char ifr_name[IFNAMSIZ]; short ifr_flags; …
	copy(ifr[:], "lo")
	flags := (*uint16)(unsafe.Pointer(&ifr[syscall.IFNAMSIZ]))
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCGIFFLAGS, uintptr(unsafe.Pointer(&ifr[0]))); e != 0 {
		return fmt.Errorf("SIOCGIFFLAGS: %w", e)
	}
	*flags |= syscall.IFF_UP
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCSIFFLAGS, uintptr(unsafe.Pointer(&ifr[0]))); e != 0 {
		return fmt.Errorf("SIOCSIFFLAGS: %w", e)
	}
	return nil
}
