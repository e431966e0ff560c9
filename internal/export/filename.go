package export

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// maxNameRunes bounds a file name; with the extension it stays well under
// the 255 bytes file systems allow for Cyrillic names (2 bytes a letter).
const maxNameRunes = 120

// FileName joins the non-empty parts with spaces into a file name such as
// "Сводная ведомость 5А 2 четверть.xlsx"; a last part that starts with a
// dot is the extension and is joined without a space. Characters file
// systems or browsers reject (/ \ : * ? " < > | and control characters)
// become "_", runs of spaces one space, and the name is cut to 120
// characters before the extension.
func FileName(parts ...string) string {
	ext := ""
	if n := len(parts); n > 0 && strings.HasPrefix(parts[n-1], ".") {
		ext, parts = cleanName(parts[n-1]), parts[:n-1]
	}
	var words []string
	for _, p := range parts {
		words = append(words, strings.Fields(cleanName(p))...)
	}
	name := strings.Join(words, " ")
	if r := []rune(name); len(r) > maxNameRunes {
		name = strings.TrimSpace(string(r[:maxNameRunes]))
	}
	name = strings.Trim(name, ". ")
	if name == "" {
		name = "report"
	}
	return name + ext
}

// cleanName replaces the characters a file name must not hold.
func cleanName(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case unicode.IsSpace(r):
			return ' '
		case r == utf8.RuneError, unicode.IsControl(r), strings.ContainsRune(`/\:*?"<>|`, r):
			return '_'
		}
		return r
	}, s)
}

// ContentDisposition returns the value of a Content-Disposition header that
// downloads a file named name: an ASCII filename (the name transliterated)
// for old clients and the exact UTF-8 name in filename* (RFC 6266, RFC 5987).
func ContentDisposition(name string) string {
	name = FileName(name)
	return `attachment; filename="` + asciiName(name) + `"; filename*=UTF-8''` + encodeRFC5987(name)
}

// asciiName transliterates Russian letters (as in passports) and replaces
// every other character outside printable ASCII, and the characters that
// quoting or percent-decoding would change, with "_".
func asciiName(s string) string {
	var b strings.Builder
	for _, r := range s {
		lower := unicode.ToLower(r)
		if t, ok := translit[lower]; ok {
			if r != lower && t != "" {
				t = strings.ToUpper(t[:1]) + t[1:]
			}
			b.WriteString(t)
			continue
		}
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			b.WriteByte('_')
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

var translit = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i",
	'й': "y", 'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t",
	'у': "u", 'ф': "f", 'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "",
	'э': "e", 'ю': "yu", 'я': "ya", '№': "No",
}

// encodeRFC5987 percent-encodes every byte of s that is not an attr-char.
func encodeRFC5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x80 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0) {
			b.WriteByte(c)
			continue
		}
		b.WriteString("%" + string(hex[c>>4]) + string(hex[c&15]))
	}
	return b.String()
}
