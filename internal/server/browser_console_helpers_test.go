package server

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"

	"github.com/chromedp/chromedp"
)

// Console clicks by Salesforce's labels (issue 11): a person following a Salesforce guide
// looks for "API Enabled", not for an id, so the tests find every input through its
// <label> — which also proves the label is bound to it (HTMLLabelElement.control).

// labelled returns the id of the control bound to the label whose text is label.
func (b *chromium) labelled(label string) string {
	b.t.Helper()
	q, _ := json.Marshal(label)
	js := `(() => { const want = ` + string(q) + `;
		for (const l of document.querySelectorAll("label")) {
			if (l.textContent.replace(/\s+/g, " ").trim() === want && l.control) {
				if (!l.control.id) return "!no id";
				return l.control.id;
			}
		}
		return ""; })()`
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string](js))
	if err != nil || id == "" || strings.HasPrefix(id, "!") {
		b.fatalf("no input labelled %q (%v %s)", label, err, id)
	}
	return id
}

// fill types value into the input or textarea labelled label, replacing what it held
// (cleared by script: chromedp.Clear fails on an empty textarea, which has no text node).
func (b *chromium) fill(label, value string) {
	b.t.Helper()
	id := b.labelled(label)
	q, _ := json.Marshal(id)
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { document.getElementById(`+string(q)+`).value = ""; return true; })()`)); err != nil {
		b.fatalf("clear %s: %v", label, err)
	}
	b.do("fill "+label, chromedp.SendKeys(chromedp.ID(id), value))
}

// choose selects the option with visible text option in the select labelled label.
func (b *chromium) choose(label, option string) {
	b.t.Helper()
	id := b.labelled(label)
	q, _ := json.Marshal(option)
	idq, _ := json.Marshal(id)
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => { const s = document.getElementById(`+string(idq)+`);
		for (const o of s.options) { if (o.text.trim() === `+string(q)+`) { s.value = o.value; s.dispatchEvent(new Event("change")); return true; } }
		return false; })()`))
	if err != nil || !ok {
		b.fatalf("select %q in %q: %v", option, label, err)
	}
}

// setChecked ticks (or clears) the checkbox labelled label by clicking it, as a person does.
func (b *chromium) setChecked(label string, want bool) {
	b.t.Helper()
	id := b.labelled(label)
	idq, _ := json.Marshal(id)
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	checked, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.getElementById(`+string(idq)+`).checked`))
	if err != nil {
		b.fatalf("checkbox %q: %v", label, err)
	}
	if checked != want {
		b.do("click "+label, chromedp.Click(chromedp.ID(id)))
	}
}

// press clicks the button (or link styled as one) whose visible text is text and waits for
// the page it loads.
func (b *chromium) press(text string) {
	b.t.Helper()
	q, _ := json.Marshal(text)
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const want = `+string(q)+`;
		for (const e of document.querySelectorAll("button, input[type=submit], a")) {
			const t = (e.value && e.tagName === "INPUT") ? e.value : e.textContent;
			if (t.replace(/\s+/g, " ").trim() === want) {
				if (!e.id) e.id = "pressed-" + Math.random().toString(36).slice(2);
				return e.id;
			}
		}
		return ""; })()`))
	if err != nil || id == "" {
		b.fatalf("no button %q (%v)", text, err)
	}
	b.click(id)
}

// screenshot saves the page as $FORCEFIELD_SCREENSHOTS/name.png when that directory is
// set (docs/console.md's pictures come from there); otherwise it does nothing.
func (b *chromium) screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("FORCEFIELD_SCREENSHOTS")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Errorf("screenshot %s: %v", name, err)
	}
}

// wideWindow is a desktop-sized window, for console pages and their screenshots.
func wideWindow(alloc *[]chromedp.ExecAllocatorOption) {
	*alloc = append(*alloc, chromedp.WindowSize(1280, 900))
}

// consoleChromium returns a Chromium logged in to the console as username.
func consoleChromium(s *testServer, b *chromium, username string) {
	b.t.Helper()
	b.open(s.URL + "/lightning/setup/SetupOneHome/home")
	b.login(username, consolePassword)
	b.waitText("Setup Home")
}

// textOf is the visible text of the first element the CSS selector finds.
func (b *chromium) textOf(sel string) string {
	b.t.Helper()
	q, _ := json.Marshal(sel)
	ctx, cancel := context.WithTimeout(b.ctx, browserStep)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => { const e = document.querySelector(`+string(q)+`); return e ? e.innerText.trim() : "!none"; })()`))
	if err != nil || s == "!none" {
		b.fatalf("no element %s (%v)", sel, err)
	}
	return s
}
