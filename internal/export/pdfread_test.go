package export

import (
	"bytes"
	"encoding/hex"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
)

// A small reader of the PDF files this package writes uncompressed
// (PDFDocument.Uncompressed): it finds the pages in order and, on each,
// the text runs, decoded through the ToUnicode CMap of their font as a
// PDF viewer's text extraction does. It reads only what fpdf writes:
// "BT x y Td (…)Tj ET" runs and "BT /F size Tf ET" font changes.

// textRun is one shown string with its position (points from the page's
// bottom left) and font.
type textRun struct {
	x, y, size float64
	bold       bool
	text       string
}

// pdfPage is one page: its size in points and its text.
type pdfPage struct {
	width, height float64
	runs          []textRun
}

// text joins the page's runs, one per line.
func (p pdfPage) text() string {
	var b strings.Builder
	for _, r := range p.runs {
		b.WriteString(r.text + "\n")
	}
	return b.String()
}

var (
	pdfRef      = regexp.MustCompile(`(\d+) 0 R`)
	pdfKids     = regexp.MustCompile(`/Kids \[([^\]]*)\]`)
	pdfBox      = regexp.MustCompile(`/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]`)
	pdfContents = regexp.MustCompile(`/Contents (\d+) 0 R`)
	pdfFontDict = regexp.MustCompile(`(?s)/Font <<(.*?)>>`)
	pdfFontRef  = regexp.MustCompile(`/(\S+) (\d+) 0 R`)
	pdfToUni    = regexp.MustCompile(`/ToUnicode (\d+) 0 R`)
	pdfBaseFont = regexp.MustCompile(`/BaseFont /(\S+)`)
	// pdfOp matches a font change or a text run.
	pdfOp      = regexp.MustCompile(`(?s)BT /(\S+) ([\d.]+) Tf ET|BT (-?[\d.]+) (-?[\d.]+) Td \(((?:\\.|[^\\)])*)\)Tj ET`)
	pdfBfRange = regexp.MustCompile(`<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>`)
	pdfBfChar  = regexp.MustCompile(`<([0-9A-Fa-f]+)> <([0-9A-Fa-f]+)>`)
)

// pdfFont is a font of the document: its CMap from codes to text.
type pdfFont struct {
	bold bool
	cmap map[uint16][]uint16
}

// readPDF reads the pages of an uncompressed PDF written by this package.
func readPDF(t *testing.T, data []byte) []pdfPage {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("%PDF-")) || !bytes.HasSuffix(bytes.TrimSpace(data), []byte("%%EOF")) {
		t.Fatalf("not a complete PDF file: %.20q … %.20q", data, data[max(0, len(data)-20):])
	}
	objects := map[string]string{}
	for _, chunk := range strings.Split(string(data), "\nendobj") {
		i := strings.Index(chunk, " 0 obj\n")
		if i < 0 {
			continue
		}
		start := strings.LastIndexByte(chunk[:i], '\n') + 1
		objects[chunk[start:i]] = chunk[i+len(" 0 obj\n"):]
	}
	stream := func(id string) string {
		o := objects[id]
		i, j := strings.Index(o, "stream\n"), strings.LastIndex(o, "\nendstream")
		if i < 0 || j < i {
			t.Fatalf("object %s has no stream", id)
		}
		if strings.Contains(o[:i], "/Filter") {
			t.Fatalf("object %s is compressed: write the PDF with Uncompressed", id)
		}
		return o[i+len("stream\n") : j]
	}
	fonts := map[string]*pdfFont{}
	for _, o := range objects {
		if strings.Contains(o, "stream\n") || strings.Contains(o, "/Type /Font") {
			continue
		}
		dict := pdfFontDict.FindStringSubmatch(o)
		if dict == nil {
			continue
		}
		for _, f := range pdfFontRef.FindAllStringSubmatch(dict[1], -1) {
			font := objects[f[2]]
			uni := pdfToUni.FindStringSubmatch(font)
			if uni == nil {
				t.Fatalf("font %s has no ToUnicode CMap", f[1])
			}
			base := pdfBaseFont.FindStringSubmatch(font)
			fonts[f[1]] = &pdfFont{bold: base != nil && strings.HasSuffix(base[1], "B"), cmap: parseCMap(t, stream(uni[1]))}
		}
	}
	var root string
	for id, o := range objects {
		if strings.Contains(o, "/Type /Pages") {
			root = id
		}
	}
	kids := pdfKids.FindStringSubmatch(objects[root])
	if kids == nil {
		t.Fatal("no page tree")
	}
	var pages []pdfPage
	for _, ref := range pdfRef.FindAllStringSubmatch(kids[1], -1) {
		o := objects[ref[1]]
		var p pdfPage
		box := pdfBox.FindStringSubmatch(o)
		if box == nil {
			box = pdfBox.FindStringSubmatch(objects[root])
		}
		p.width, _ = strconv.ParseFloat(box[1], 64)
		p.height, _ = strconv.ParseFloat(box[2], 64)
		var font *pdfFont
		var size float64
		for _, op := range pdfOp.FindAllStringSubmatch(stream(pdfContents.FindStringSubmatch(o)[1]), -1) {
			if op[1] != "" {
				font = fonts[op[1]]
				size, _ = strconv.ParseFloat(op[2], 64)
				continue
			}
			if font == nil {
				t.Fatalf("text %q shown without a font", op[5])
			}
			x, _ := strconv.ParseFloat(op[3], 64)
			y, _ := strconv.ParseFloat(op[4], 64)
			p.runs = append(p.runs, textRun{x: x, y: y, size: size, bold: font.bold, text: font.decode(t, unescapePDF(op[5]))})
		}
		pages = append(pages, p)
	}
	return pages
}

// parseCMap reads the bfrange and bfchar mappings of a ToUnicode CMap with
// two-byte codes.
func parseCMap(t *testing.T, s string) map[uint16][]uint16 {
	t.Helper()
	out := map[uint16][]uint16{}
	units := func(h string) []uint16 {
		b, err := hex.DecodeString(h)
		if err != nil || len(b)%2 != 0 {
			t.Fatalf("bad CMap value <%s>", h)
		}
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		}
		return u
	}
	for _, block := range strings.Split(s, "beginbfrange")[1:] {
		block = block[:strings.Index(block, "endbfrange")]
		for _, m := range pdfBfRange.FindAllStringSubmatch(block, -1) {
			lo, hi, dst := units(m[1])[0], units(m[2])[0], units(m[3])
			for c := uint32(lo); c <= uint32(hi); c++ {
				d := append([]uint16(nil), dst...)
				d[len(d)-1] += uint16(c - uint32(lo))
				out[uint16(c)] = d
			}
		}
	}
	for _, block := range strings.Split(s, "beginbfchar")[1:] {
		block = block[:strings.Index(block, "endbfchar")]
		for _, m := range pdfBfChar.FindAllStringSubmatch(block, -1) {
			out[units(m[1])[0]] = units(m[2])
		}
	}
	if len(out) == 0 {
		t.Fatal("empty ToUnicode CMap")
	}
	return out
}

// decode maps a string of two-byte codes to text through the CMap.
func (f *pdfFont) decode(t *testing.T, b []byte) string {
	t.Helper()
	if len(b)%2 != 0 {
		t.Fatalf("odd length of a two-byte string: % x", b)
	}
	var u []uint16
	for i := 0; i < len(b); i += 2 {
		code := uint16(b[i])<<8 | uint16(b[i+1])
		m, ok := f.cmap[code]
		if !ok {
			t.Fatalf("code %04x is not in the font's ToUnicode CMap", code)
		}
		u = append(u, m...)
	}
	return string(utf16.Decode(u))
}

// unescapePDF undoes the escapes of a PDF literal string.
func unescapePDF(s string) []byte {
	var out []byte
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' || i+1 == len(s) {
			out = append(out, s[i])
			continue
		}
		i++
		switch c := s[i]; c {
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		default:
			if c >= '0' && c <= '7' {
				n, j := 0, i
				for ; j < len(s) && j < i+3 && s[j] >= '0' && s[j] <= '7'; j++ {
					n = n*8 + int(s[j]-'0')
				}
				out = append(out, byte(n))
				i = j - 1
				continue
			}
			out = append(out, c)
		}
	}
	return out
}

// TestReadPDF checks the reader on a document with the characters fpdf
// escapes and two fonts.
func TestReadPDF(t *testing.T) {
	tb := &Table{Title: `Скобки (и) \ ё`, Columns: columns("№", "Ученик"), Rows: [][]Cell{{Int(1), Text("Ёлкина Зоя").Strong()}}}
	var buf bytes.Buffer
	if err := (PDFDocument{Uncompressed: true}).Write(&buf, tb); err != nil {
		t.Fatal(err)
	}
	pages := readPDF(t, buf.Bytes())
	if len(pages) != 1 {
		t.Fatalf("pages = %d, want 1", len(pages))
	}
	want := []struct {
		text string
		bold bool
	}{{`Скобки (и) \ ё`, true}, {"№", true}, {"Ученик", true}, {"1", false}, {"Ёлкина Зоя", true}, {"стр. 1 из 1", false}}
	if len(pages[0].runs) != len(want) {
		t.Fatalf("runs = %q, want %v", pages[0].text(), want)
	}
	for i, w := range want {
		if r := pages[0].runs[i]; r.text != w.text || r.bold != w.bold {
			t.Errorf("run %d = %q bold %v, want %q bold %v", i, r.text, r.bold, w.text, w.bold)
		}
	}
	if got := unescapePDF(`a\(b\)\\\101\r`); string(got) != "a(b)\\A\r" {
		t.Errorf("unescape = %q", got)
	}
}
