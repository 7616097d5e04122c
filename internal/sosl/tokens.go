package sosl

import (
	"strings"
	"unicode"
)

// Tokenising (salesforce-rest-more.md §1.4; SOQL and SOSL Reference, "FIND {SearchQuery}"):
// text splits into tokens at whitespace and punctuation — every character that is not a
// letter, digit or combining mark — and compares case-insensitively. So
// "Bulk Account 1731234567890 #7" has the tokens bulk, account, 1731234567890 and 7, and
// an e-mail address jdoe@acme.com the tokens jdoe, acme and com.
//
// A token is also indexed by its sub-tokens: the parts between a lower-case letter and an
// upper-case one (camelCase), at the end of an upper-case run followed by a lower-case
// letter (HTTPServer → http, server), and between letters and digits. The older doc says
// tokens break at "changes from letters to digits (and vice-versa)"; sf's own test finds
// SampleAccount2 with FIND {Sample}. So {Sample} matches SampleAccount2 (sub-tokens sample,
// account, 2) while {Jones} does not match Jonesy, which has no sub-token boundary: there is
// no implicit prefix match. Whether Salesforce does this by sub-tokens or by prefixing is
// [UNCONFIRMED]; sub-tokens reproduce both observations.

// isWordRune reports whether r belongs to a token.
func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r)
}

// Tokenize returns the tokens of text, as written (not lower-cased).
func Tokenize(text string) []string {
	return strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) })
}

// SubTokens splits a token at its camelCase and letter↔digit boundaries; a token without
// any boundary gives nil.
func SubTokens(tok string) []string {
	rs := []rune(tok)
	var out []string
	start := 0
	for i := 1; i < len(rs); i++ {
		prev, cur := rs[i-1], rs[i]
		boundary := false
		switch {
		case unicode.IsDigit(prev) != unicode.IsDigit(cur) && !unicode.IsMark(cur):
			boundary = true
		case unicode.IsLower(prev) && unicode.IsUpper(cur):
			boundary = true
		case unicode.IsUpper(prev) && unicode.IsUpper(cur) && i+1 < len(rs) && unicode.IsLower(rs[i+1]):
			boundary = true
		}
		if boundary {
			out = append(out, string(rs[start:i]))
			start = i
		}
	}
	if len(out) == 0 {
		return nil
	}
	return append(out, string(rs[start:]))
}

// Fold is the case-insensitive form tokens are compared in.
func Fold(s string) string { return strings.ToLower(s) }

// SubSeparator separates the sub-token groups of different tokens in IndexText's sub
// text: a token that Tokenize never produces (and so no search word matches), which keeps
// a phrase from matching across two tokens' sub-tokens.
const SubSeparator = "_"

// IndexText returns what a store indexes for one field's text: full, the folded tokens
// joined by spaces, and sub, the folded sub-tokens of the tokens that have any, each
// token's group separated by SubSeparator.
func IndexText(text string) (full, sub string) {
	toks := Tokenize(text)
	var f, s strings.Builder
	for i, t := range toks {
		if i > 0 {
			f.WriteByte(' ')
		}
		f.WriteString(Fold(t))
		parts := SubTokens(t)
		if len(parts) == 0 {
			continue
		}
		if s.Len() > 0 {
			s.WriteString(" " + SubSeparator + " ")
		}
		for j, p := range parts {
			if j > 0 {
				s.WriteByte(' ')
			}
			s.WriteString(Fold(p))
		}
	}
	return f.String(), s.String()
}

// Words splits a search term (its escapes already decoded, literal wildcards already
// replaced by spaces) into folded words: like Tokenize, but * and ? stay in the words
// as wildcards.
func Words(term string) []string {
	ws := strings.FieldsFunc(term, func(r rune) bool { return !isWordRune(r) && r != '*' && r != '?' })
	out := ws[:0]
	for _, w := range ws {
		if strings.Trim(w, "*?") == "" {
			continue // a bare wildcard matches nothing on its own
		}
		out = append(out, Fold(w))
	}
	return out
}

// HasWildcard reports whether w has * or ?.
func HasWildcard(w string) bool { return strings.ContainsAny(w, "*?") }

// PrefixOnly reports whether w's only wildcard is one trailing *: w is a prefix search,
// which an index answers from its term order.
func PrefixOnly(w string) bool {
	i := strings.IndexAny(w, "*?")
	return i == len(w)-1 && w[i] == '*'
}

// PhoneSub adds to sub, the sub-token text of a phone number, the number's digits run
// together as one more token, so that {3362227000} finds "(336) 222-7000" as well as
// {336} or {"222 7000"} do: phone searches match on digits [INF from the IN SearchGroup
// examples].
func PhoneSub(phone, sub string) string {
	digits := strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, phone)
	if len(digits) < 2 {
		return sub
	}
	if sub != "" {
		sub += " " + SubSeparator + " "
	}
	return sub + digits
}
