package neon

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// DefaultObjdump is the disassembler Objdump runs unless $OBJDUMP names
// another (Debian package binutils-aarch64-linux-gnu).
const DefaultObjdump = "aarch64-linux-gnu-objdump"

// ObjdumpPath returns $OBJDUMP, or DefaultObjdump.
func ObjdumpPath() string {
	if p := os.Getenv("OBJDUMP"); p != "" {
		return p
	}
	return DefaultObjdump
}

// Objdump disassembles an arm64 ELF binary with `tool -d` and returns its
// output. An empty tool means ObjdumpPath().
func Objdump(tool, binary string) (string, error) {
	if tool == "" {
		tool = ObjdumpPath()
	}
	if _, err := exec.LookPath(tool); err != nil {
		return "", fmt.Errorf("%s not found (apt-get install binutils-aarch64-linux-gnu, or set $OBJDUMP): %w", tool, err)
	}
	out, err := exec.Command(tool, "-d", binary).Output()
	if err != nil {
		if ee, ok := err.(*exec.ExitError); ok {
			return "", fmt.Errorf("%s -d %s: %v: %s", tool, binary, err, ee.Stderr)
		}
		return "", fmt.Errorf("%s -d %s: %v", tool, binary, err)
	}
	return string(out), nil
}

// DisasmInst is one disassembled instruction.
type DisasmInst struct {
	Addr uint64
	Word uint32
	Text string // as objdump printed it, white space normalised
}

// ParseObjdump splits `objdump -d` output of an AArch64 binary into its
// symbols (as objdump names them, e.g. "main.f.abi0") and their
// instructions, in address order.
func ParseObjdump(out string) map[string][]DisasmInst {
	syms := map[string][]DisasmInst{}
	cur := ""
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		// "0000000000084680 <main.f.abi0>:"
		if i := strings.Index(line, " <"); i > 0 && strings.HasSuffix(line, ">:") && !strings.HasPrefix(line, " ") {
			cur = line[i+2 : len(line)-2]
			syms[cur] = syms[cur][:0:0]
			continue
		}
		// "   84680:\t4e22cc20 \tfmla\tv0.4s, v1.4s, v2.4s"
		addrStr, rest, ok := strings.Cut(line, ":\t")
		if !ok || cur == "" {
			continue
		}
		addr, err := strconv.ParseUint(strings.TrimSpace(addrStr), 16, 64)
		if err != nil {
			continue
		}
		fields := strings.Fields(rest)
		if len(fields) < 2 || len(fields[0]) != 8 {
			continue
		}
		w, err := strconv.ParseUint(fields[0], 16, 32)
		if err != nil {
			continue
		}
		syms[cur] = append(syms[cur], DisasmInst{Addr: addr, Word: uint32(w), Text: normalize(strings.Join(fields[1:], " "))})
	}
	return syms
}

// Report is the result of CheckAsm.
type Report struct {
	Words    int      // WORD lines whose comment matched the disassembly
	GoLines  int      // Go-mnemonic lines of this package's instructions whose encoding was found and matched
	Problems []string // one line per disagreement; empty when all agree
}

// asmStatement is one statement of a Go assembly file.
type asmStatement struct {
	line    int
	text    string // statement without comment
	comment string // text after "//", trimmed
	symbol  string // the TEXT symbol it is in ("" before the first)
}

// textSymbol returns the name of a TEXT directive's symbol without package
// qualifier or ABI selector: "TEXT ·sigmoidF32(SB), ..." gives "sigmoidF32".
func textSymbol(args []string) string {
	if len(args) == 0 {
		return ""
	}
	s := args[0]
	if i := strings.LastIndex(s, "·"); i >= 0 {
		s = s[i+len("·"):]
	}
	if i := strings.IndexAny(s, "<("); i >= 0 {
		s = s[:i]
	}
	return s
}

// asmStatements reads the statements of a Go assembly file. It skips
// preprocessor lines (#include, #define with its continuation lines) and
// labels.
func asmStatements(src string) []asmStatement {
	var sts []asmStatement
	sym := ""
	inDefine := false
	for i, raw := range strings.Split(src, "\n") {
		line := strings.TrimSpace(raw)
		if inDefine {
			inDefine = strings.HasSuffix(line, "\\")
			continue
		}
		if strings.HasPrefix(line, "#") {
			inDefine = strings.HasSuffix(line, "\\")
			continue
		}
		comment := ""
		if j := strings.Index(line, "//"); j >= 0 {
			line, comment = strings.TrimSpace(line[:j]), strings.TrimSpace(line[j+2:])
		}
		for _, st := range strings.Split(line, ";") {
			st = strings.TrimSpace(st)
			// A label, possibly followed by a statement: "loop: VADD ...".
			if j := strings.Index(st, ":"); j > 0 && isIdent(st[:j]) {
				st = strings.TrimSpace(st[j+1:])
			}
			if st == "" {
				continue
			}
			mnem, args := splitStatement(st)
			if mnem == "TEXT" {
				sym = textSymbol(args)
			}
			sts = append(sts, asmStatement{line: i + 1, text: st, comment: comment, symbol: sym})
		}
	}
	return sts
}

func isIdent(s string) bool {
	for i, c := range s {
		if !(c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || i > 0 && c >= '0' && c <= '9') {
			return false
		}
	}
	return s != ""
}

// symbolInsts returns the instructions of every disassembled symbol that is
// the TEXT symbol name: "<pkgpath>.name" or "<pkgpath>.name.abi0".
func symbolInsts(syms map[string][]DisasmInst, name string) ([]DisasmInst, bool) {
	var keys []string
	for k := range syms {
		if strings.HasSuffix(k, "."+name) || strings.HasSuffix(k, "."+name+".abi0") {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var insts []DisasmInst
	for _, k := range keys {
		insts = append(insts, syms[k]...)
	}
	return insts, len(keys) > 0
}

// CheckAsm checks the Go arm64 assembly file asm (named name in messages)
// against disasm, the `objdump -d` output of a binary that contains its
// functions:
//
//   - every WORD line must have a comment, its word must occur in the
//     disassembly of the TEXT symbol the line is in, and objdump's text for
//     it must equal the comment (white space normalised);
//   - every line in the Go-mnemonic form this package emits (e.g.
//     "VFMLA V2.S4, V1.S4, V0.S4") must have its Arm ARM encoding in that
//     symbol's disassembly, with the expected objdump text.
//
// Every TEXT symbol holding such a line must be present in the binary.
func CheckAsm(name string, asm []byte, disasm string) Report {
	var rep Report
	syms := ParseObjdump(disasm)
	type symInfo struct {
		found bool
		words map[uint32]string
	}
	cache := map[string]*symInfo{}
	get := func(sym string) *symInfo {
		if si, ok := cache[sym]; ok {
			return si
		}
		insts, found := symbolInsts(syms, sym)
		si := &symInfo{found: found, words: map[uint32]string{}}
		for _, in := range insts {
			si.words[in.Word] = in.Text
		}
		cache[sym] = si
		if !found {
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: TEXT symbol %q not found in the binary (not linked?)", name, sym))
		}
		return si
	}
	for _, st := range asmStatements(string(asm)) {
		pos := fmt.Sprintf("%s:%d", name, st.line)
		mnem, args := splitStatement(st.text)
		if mnem == "WORD" {
			if len(args) != 1 || !strings.HasPrefix(args[0], "$") {
				rep.Problems = append(rep.Problems, pos+": cannot parse "+st.text)
				continue
			}
			w, err := strconv.ParseUint(args[0][1:], 0, 32)
			if err != nil {
				rep.Problems = append(rep.Problems, pos+": cannot parse "+st.text)
				continue
			}
			if st.comment == "" {
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: WORD $0x%08x has no comment naming the instruction", pos, w))
				continue
			}
			if st.symbol == "" {
				rep.Problems = append(rep.Problems, pos+": WORD outside a TEXT symbol")
				continue
			}
			si := get(st.symbol)
			if !si.found {
				continue
			}
			got, ok := si.words[uint32(w)]
			switch {
			case !ok:
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: WORD $0x%08x not found in the disassembly of %s", pos, w, st.symbol))
			case got != normalize(st.comment):
				rep.Problems = append(rep.Problems, fmt.Sprintf("%s: WORD $0x%08x: comment says %q, objdump says %q", pos, w, st.comment, got))
			default:
				rep.Words++
			}
			continue
		}
		in, ok := parseGoLine(st.text)
		if !ok || st.symbol == "" {
			continue
		}
		si := get(st.symbol)
		if !si.found {
			continue
		}
		got, ok := si.words[in.word]
		switch {
		case !ok:
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %s: expected encoding 0x%08x (%s) not found in the disassembly of %s", pos, st.text, in.word, in.arm, st.symbol))
		case got != normalize(in.arm):
			rep.Problems = append(rep.Problems, fmt.Sprintf("%s: %s: 0x%08x disassembles as %q, want %q", pos, st.text, in.word, got, in.arm))
		default:
			rep.GoLines++
		}
	}
	return rep
}

// BuildARM64 builds a linux/arm64 program from files (name → contents, a
// go.mod among them) in dir and returns the binary's path: the tests'
// way to put emitted lines through the real assembler.
func BuildARM64(dir string, files map[string]string) (string, error) {
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			return "", err
		}
	}
	bin := filepath.Join(dir, "bin")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "GOWORK=off", "GOFLAGS=", "GOTOOLCHAIN=local")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("GOARCH=arm64 go build: %v\n%s", err, out)
	}
	return bin, nil
}
