package fallback_test

import (
	"math"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/simdsigmoid/sigmoid/fallback"
)

func bigExp(x *big.Float) *big.Float {
	// e^x = (e^(x/2^20))^(2^20)
	y := new(big.Float).SetPrec(300).Set(x)
	y.SetMantExp(y, -20)
	sum := new(big.Float).SetPrec(300).SetInt64(1)
	term := new(big.Float).SetPrec(300).SetInt64(1)
	for i := 1; i < 30; i++ {
		term.Mul(term, y)
		term.Quo(term, new(big.Float).SetPrec(300).SetInt64(int64(i)))
		sum.Add(sum, term)
	}
	for range 20 {
		sum.Mul(sum, sum)
	}
	return sum
}

func bigTanh(x float64) *big.Float {
	bx := new(big.Float).SetPrec(300).SetFloat64(2 * x)
	e := bigExp(bx)
	one := new(big.Float).SetPrec(300).SetInt64(1)
	num := new(big.Float).SetPrec(300).Sub(e, one)
	den := new(big.Float).SetPrec(300).Add(e, one)
	return num.Quo(num, den)
}

func TestZZTanh64Quick(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	worst, wx := 0.0, 0.0
	for i := 0; i < 30000; i++ {
		var x float64
		switch i % 3 {
		case 0:
			x = (r.Float64()*2 - 1) * 20
		case 1:
			x = (r.Float64()*2 - 1) * 0.6
		default:
			x = math.Ldexp(r.Float64(), -r.IntN(60))
		}
		if math.Abs(x) < 1e-25 {
			continue
		}
		got := fallback.TanhScalar64(x)
		exact := bigTanh(x)
		w, _ := exact.Float64()
		ulp := math.Abs(math.Nextafter(w, math.Inf(1)) - w)
		d := new(big.Float).SetPrec(300).SetFloat64(got)
		d.Sub(d, exact)
		df, _ := d.Float64()
		e := math.Abs(df) / ulp
		if e > worst {
			worst, wx = e, x
		}
	}
	t.Logf("worst %.4f ULP at x=%g", worst, wx)
}
