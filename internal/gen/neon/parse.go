package neon

import (
	"fmt"
	"strconv"
	"strings"
)

// gasOps maps the Go mnemonics of the ops table back to instruction names.
var gasOps = func() map[string]string {
	m := map[string]string{}
	for name, o := range ops {
		if o.gas != "" {
			if prev, dup := m[o.gas]; dup {
				panic("neon: Go mnemonic " + o.gas + " used by " + prev + " and " + name)
			}
			m[o.gas] = name
		}
	}
	return m
}()

// splitStatement splits one assembler statement (no comment) into its
// mnemonic and its operands, splitting on commas outside brackets.
func splitStatement(s string) (mnem string, args []string) {
	s = strings.TrimSpace(s)
	i := strings.IndexAny(s, " \t")
	if i < 0 {
		return s, nil
	}
	mnem, rest := s[:i], strings.TrimSpace(s[i:])
	depth, start := 0, 0
	for j, c := range rest {
		switch c {
		case '[', '{', '(':
			depth++
		case ']', '}', ')':
			depth--
		case ',':
			if depth == 0 {
				args = append(args, strings.TrimSpace(rest[start:j]))
				start = j + 1
			}
		}
	}
	return mnem, append(args, strings.TrimSpace(rest[start:]))
}

// parseVec parses a Go vector operand such as "V31.S4".
func parseVec(s string) (VReg, Arrangement, error) {
	r, a, ok := strings.Cut(s, ".")
	if !ok || len(r) < 2 || r[0] != 'V' {
		return 0, 0, fmt.Errorf("not a vector operand: %q", s)
	}
	n, err := strconv.ParseUint(r[1:], 10, 8)
	if err != nil || n > 31 {
		return 0, 0, fmt.Errorf("bad vector register %q", s)
	}
	switch a {
	case "S4":
		return VReg(n), S4, nil
	case "D2":
		return VReg(n), D2, nil
	case "B16":
		return VReg(n), B16, nil
	}
	return 0, 0, fmt.Errorf("unsupported arrangement in %q", s)
}

// parseGoLine parses one line of Go assembler text (comment allowed) in the
// form this package emits for the instructions that take the Go-mnemonic
// path, and returns the instruction, so that its encoding can be checked.
// ok is false for any other line, including other forms of the same Go
// mnemonics (VMOV R1, V0.S[0], VSUB on bytes, ...).
func parseGoLine(line string) (in inst, ok bool) {
	if i := strings.Index(line, "//"); i >= 0 {
		line = line[:i]
	}
	mnem, args := splitStatement(line)
	name, known := gasOps[mnem]
	if !known {
		return inst{}, false
	}
	defer func() {
		// The encoders panic on operands the instruction does not take.
		if recover() != nil {
			in, ok = inst{}, false
		}
	}()
	vecs := func(ss ...string) ([]VReg, Arrangement, bool) {
		var rs []VReg
		var arr Arrangement
		for i, s := range ss {
			r, a, err := parseVec(s)
			if err != nil || (i > 0 && a != arr) {
				return nil, 0, false
			}
			rs, arr = append(rs, r), a
		}
		return rs, arr, true
	}
	o := ops[name]
	switch o.class {
	case fp3, int3, logic:
		if len(args) != 3 {
			return inst{}, false
		}
		rs, a, good := vecs(args...)
		if !good {
			return inst{}, false
		}
		return enc3(name, a, rs[2], rs[1], rs[0]), true
	case fp2, fp2z, int2z:
		if len(args) != 2 {
			return inst{}, false
		}
		rs, a, good := vecs(args...)
		if !good {
			return inst{}, false
		}
		return enc2(name, a, rs[1], rs[0]), true
	case shl, shr:
		if len(args) != 3 || !strings.HasPrefix(args[0], "$") {
			return inst{}, false
		}
		sh, err := strconv.ParseInt(args[0][1:], 0, 32)
		if err != nil {
			return inst{}, false
		}
		rs, a, good := vecs(args[1:]...)
		if !good {
			return inst{}, false
		}
		return encShift(name, a, rs[1], rs[0], int(sh)), true
	case tbl:
		if len(args) != 3 || !strings.HasPrefix(args[1], "[") || !strings.HasSuffix(args[1], "]") {
			return inst{}, false
		}
		var tab []string
		for _, s := range strings.Split(args[1][1:len(args[1])-1], ",") {
			tab = append(tab, strings.TrimSpace(s))
		}
		rs, a, good := vecs(append([]string{args[0], args[2]}, tab...)...)
		if !good || a != B16 || len(tab) > 2 || (len(tab) == 2 && rs[3] != (rs[2]+1)%32) {
			return inst{}, false
		}
		return encTBL(rs[1], rs[2], len(tab), rs[0]), true
	case mov:
		if len(args) != 2 {
			return inst{}, false
		}
		rs, a, good := vecs(args...)
		if !good || a != B16 {
			return inst{}, false
		}
		return encMOV(rs[1], rs[0]), true
	}
	return inst{}, false
}
