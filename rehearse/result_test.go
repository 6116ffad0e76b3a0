package rehearse

import (
	"encoding/json"
	"testing"

	"retort/models"
)

// TestOutcomeJSON: an outcome's failure is written with lower-case names.
func TestOutcomeJSON(t *testing.T) {
	o := Outcome{Revision: "a2", Status: Failed, Phase: PhaseDown, Error: "no such table: nope",
		Failure: &models.Failure{Message: "no such table: nope", Statement: "DROP TABLE nope", Path: "a2.sql", Line: 10}}
	b, err := json.Marshal(o)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"revision":"a2","message":"","path":"","status":"failed","phase":"downgrade","error":"no such table: nope","duration_ns":0,` +
		`"failure":{"message":"no such table: nope","statement":"DROP TABLE nope","path":"a2.sql","line":10}}`
	if string(b) != want {
		t.Errorf("JSON\n%s\nwant\n%s", b, want)
	}
}
