package anomaly_test

import (
	"fmt"

	"github.com/aegis-defi/aegis/internal/anomaly"
)

func Example() {
	schema, err := anomaly.NewSchema(
		anomaly.Feature{Name: "value_usd", Transform: anomaly.Log1p},
		anomaly.Feature{Name: "call_depth", Transform: anomaly.Identity},
		anomaly.Feature{Name: "flash_loan", Transform: anomaly.Bool},
	)
	if err != nil {
		panic(err)
	}
	model, err := anomaly.NewModel(schema, anomaly.Config{Trees: 10, Depth: 8, Window: 100, Seed: 1})
	if err != nil {
		panic(err)
	}
	// Normal traffic: modest swaps, shallow calls, no flash loans.
	for i := 0; i < 300; i++ {
		v, _ := schema.Vector(map[string]float64{
			"value_usd":  float64(500 + 37*(i%50)),
			"call_depth": float64(2 + i%2),
			"flash_loan": 0,
		})
		if _, err := model.ScoreAndLearn(v); err != nil {
			panic(err)
		}
	}
	attack, _ := schema.Vector(map[string]float64{"value_usd": 5e7, "call_depth": 9, "flash_loan": 1})
	res, err := model.Score(attack)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Severity, res.Top[0].Feature, res.Top[0].Direction)
	// Output: medium flash_loan high
}
