package accuracy

import (
	"fmt"
	"math"
	"time"
)

// statsOf has the fields of Stats (F float32) and Stats64 (F float64), so
// that each converts to and from it: what they share is written once here.
type statsOf[F float32 | float64] struct {
	Kernel              string
	Inputs              uint64
	MaxULP              float64
	Worst               F
	NotCorrectlyRounded uint64
	Violations          uint64
	FirstViolation      string
	SubnormalResults    uint64
	Duration            time.Duration
	SameAs              string
}

func (s statsOf[F]) String() string {
	if s.SameAs != "" {
		msg := fmt.Sprintf("%s: %d inputs in %v: bit for bit against %s, %d differ",
			s.Kernel, s.Inputs, s.Duration.Round(time.Millisecond), s.SameAs, s.Violations)
		if s.Violations > 0 {
			msg += "; first: " + s.FirstViolation
		}
		return msg
	}
	var worstBits string
	switch w := any(s.Worst).(type) {
	case float32:
		worstBits = fmt.Sprintf("%#08x", math.Float32bits(w))
	case float64:
		worstBits = fmt.Sprintf("%#016x", math.Float64bits(w))
	}
	msg := fmt.Sprintf("%s: %d inputs in %v: max %.4f ULP at x=%v (%s), %d not correctly rounded, %d subnormal results, %d violations",
		s.Kernel, s.Inputs, s.Duration.Round(time.Millisecond), s.MaxULP, s.Worst, worstBits,
		s.NotCorrectlyRounded, s.SubnormalResults, s.Violations)
	if s.Violations > 0 {
		msg += "; first: " + s.FirstViolation
	}
	return msg
}

// tally accumulates one worker's results for one kernel, for Stats (F
// float32) or Stats64 (F float64); order is the position of an input (its
// bit pattern in Sweep, its index in CheckInputs and CheckAll64) for
// tie-breaking.
type tally[F float32 | float64] struct {
	inputs, notCR, violations, subnormal uint64
	maxULP                               float64
	worst                                F
	worstOrder                           uint64
	haveWorst                            bool
	firstViolation                       string
	firstOrder                           uint64
}

// count counts input x, and for a non-NaN x its error u in ULPs and
// whether its result is not correctly rounded or its exact result
// subnormal.
func (t *tally[F]) count(order uint64, x F, u float64, notCR, subnormal bool) {
	t.inputs++
	if x != x {
		return
	}
	if notCR {
		t.notCR++
	}
	if subnormal {
		t.subnormal++
	}
	if !t.haveWorst || u > t.maxULP || (u == t.maxULP && order < t.worstOrder) {
		t.maxULP, t.worst, t.worstOrder, t.haveWorst = u, x, order, true
	}
}

// reports reports whether a violation at order would be the one
// FirstViolation describes. Describing every violation would make a broken
// kernel's sweep crawl: only that one is.
func (t *tally[F]) reports(order uint64) bool {
	return t.violations == 0 || order < t.firstOrder
}

// violate counts a violation at order, described by why.
func (t *tally[F]) violate(order uint64, why string) {
	if t.reports(order) {
		t.firstViolation, t.firstOrder = why, order
	}
	t.violations++
}

func (t *tally[F]) merge(o *tally[F]) {
	t.inputs += o.inputs
	t.notCR += o.notCR
	t.subnormal += o.subnormal
	if o.haveWorst && (!t.haveWorst || o.maxULP > t.maxULP || (o.maxULP == t.maxULP && o.worstOrder < t.worstOrder)) {
		t.maxULP, t.worst, t.worstOrder, t.haveWorst = o.maxULP, o.worst, o.worstOrder, true
	}
	if o.violations > 0 {
		if t.reports(o.firstOrder) {
			t.firstViolation, t.firstOrder = o.firstViolation, o.firstOrder
		}
		t.violations += o.violations
	}
}

func (t *tally[F]) stats(name string, d time.Duration) statsOf[F] {
	return statsOf[F]{
		Kernel:              name,
		Inputs:              t.inputs,
		MaxULP:              t.maxULP,
		Worst:               t.worst,
		NotCorrectlyRounded: t.notCR,
		Violations:          t.violations,
		FirstViolation:      t.firstViolation,
		SubnormalResults:    t.subnormal,
		Duration:            d,
	}
}
