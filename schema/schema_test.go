package schema

import (
	"encoding/json"
	"math/rand"
	"reflect"
	"strings"
	"testing"
)

// objects is a small schema, in no particular order.
func objects() []Object {
	return []Object{
		{Kind: KindIndex, Table: "public.loans", Name: "loans_patron_idx", Def: "USING btree (patron_id)"},
		{Kind: KindColumn, Table: "public.loans", Name: "patron_id", Def: "integer NOT NULL", Position: 2},
		{Kind: KindView, Name: "public.overdue", Def: "SELECT id\n   FROM public.loans"},
		{Kind: KindTable, Name: "public.loans"},
		{Kind: KindColumn, Table: "public.loans", Name: "id", Def: "integer NOT NULL", Position: 1},
		{Kind: KindSchema, Name: "public"},
		{Kind: KindPrimaryKey, Table: "public.loans", Name: "loans_pkey", Def: "(id)"},
		{Kind: KindSequence, Table: "public.loans", Name: "public.loans_id_seq", Def: "AS integer OWNED BY id"},
		{Kind: KindEnum, Name: "public.state", Def: "('new', 'done')"},
		{Kind: KindCheck, Table: "public.loans", Def: "(id > 0)"},
	}
}

// TestTextIsStableAndGrouped: whatever order the catalog gives the objects
// in, the text is the same: groups by kind of top-level object, a table's
// columns in their order, then its keys, indexes and owned sequences; a
// definition of several lines indented below its object.
func TestTextIsStableAndGrouped(t *testing.T) {
	want := `schema public

enum public.state ('new', 'done')

table public.loans
  column id integer NOT NULL
  column patron_id integer NOT NULL
  primary key loans_pkey (id)
  check (id > 0)
  index loans_patron_idx USING btree (patron_id)
  sequence public.loans_id_seq AS integer OWNED BY id

view public.overdue
    SELECT id
       FROM public.loans
`
	rng := rand.New(rand.NewSource(1))
	for i := 0; i < 20; i++ {
		objs := objects()
		rng.Shuffle(len(objs), func(a, b int) { objs[a], objs[b] = objs[b], objs[a] })
		s := &Snapshot{Dialect: "postgresql", Objects: objs}
		s.Sort()
		if got := s.Text(); got != want {
			t.Fatalf("shuffle %d: text\n%s\nwant\n%s", i, got, want)
		}
	}
}

// TestKeys: an object is known by its kind, its table and its name, or by
// its definition when it has no name.
func TestKeys(t *testing.T) {
	for _, c := range []struct {
		o    Object
		want string
	}{
		{Object{Kind: KindTable, Name: "public.loans"}, "table public.loans"},
		{Object{Kind: KindColumn, Table: "public.loans", Name: "id", Def: "integer"}, "column public.loans id"},
		{Object{Kind: KindCheck, Table: "loans", Def: "(id > 0)"}, "check loans = (id > 0)"},
	} {
		if got := c.o.Key(); got != c.want {
			t.Errorf("Key(%+v) = %q, want %q", c.o, got, c.want)
		}
	}
}

// TestCompare: what is only in b is added, only in a removed, in both with
// another definition changed; a column's position does not count; groups
// follow the snapshot's order, each under its table.
func TestCompare(t *testing.T) {
	a := &Snapshot{Objects: objects()}
	b := &Snapshot{Objects: objects()}
	// b: patron_id changed and moved, the index gone, a new table, the
	// view's query changed.
	for i := range b.Objects {
		o := &b.Objects[i]
		switch {
		case o.Name == "patron_id":
			o.Def, o.Position = "bigint NOT NULL", 7
		case o.Name == "id" && o.Kind == KindColumn:
			o.Position = 3
		case o.Kind == KindView:
			o.Def = "SELECT id\n   FROM public.loans\n  WHERE id > 1"
		}
	}
	b.Objects = append(b.Objects[1:], Object{Kind: KindTable, Name: "public.fees"},
		Object{Kind: KindColumn, Table: "public.fees", Name: "amount", Def: "numeric", Position: 1})
	a.Sort()
	b.Sort()
	groups := Compare(a, b)
	var got []string
	for _, g := range groups {
		for _, c := range g.Changes {
			got = append(got, g.Owner+": "+string(c.Op)+" "+c.Object.Key())
		}
	}
	want := []string{
		"public.fees: added table public.fees",
		"public.fees: added column public.fees amount",
		"public.loans: changed column public.loans patron_id",
		"public.loans: removed index public.loans loans_patron_idx",
		"public.overdue: changed view public.overdue",
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if groups[1].Changes[0].Was.Def != "integer NOT NULL" {
		t.Errorf("Was of the changed column = %+v, want the old definition", groups[1].Changes[0].Was)
	}
	if Compare(a, a) != nil {
		t.Errorf("a snapshot differs from itself: %+v", Compare(a, a))
	}

	wantText := `+ table public.fees
  + column amount numeric

table public.loans
  ~ column patron_id
      - integer NOT NULL
      + bigint NOT NULL
  - index loans_patron_idx USING btree (patron_id)

~ view public.overdue
      SELECT id
         FROM public.loans
    +   WHERE id > 1
`
	if got := DiffText(groups); got != wantText {
		t.Errorf("DiffText:\n%s\nwant:\n%s", got, wantText)
	}
}

// TestSnapshotJSON: a snapshot survives JSON (the cache's form) whole.
func TestSnapshotJSON(t *testing.T) {
	s := &Snapshot{Dialect: "sqlite", Objects: objects()}
	s.Sort()
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Snapshot
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(s, &back) {
		t.Errorf("JSON round trip changed the snapshot:\n%+v\n%+v", s, back)
	}
	if !strings.Contains(string(data), `"kind":"primary key","name":"loans_pkey","table":"public.loans","definition":"(id)"`) {
		t.Errorf("JSON does not name kind, name, table and definition: %s", data)
	}
}

// TestFilter: dropping a table drops what belongs to it.
func TestFilter(t *testing.T) {
	s := &Snapshot{Objects: objects()}
	f := s.Filter(func(o Object) bool { return o.Kind == KindTable && o.Name == "public.loans" })
	for _, o := range f.Objects {
		if o.Owner() == "public.loans" {
			t.Errorf("%s survived its table", o.Key())
		}
	}
	if len(f.Objects) != 3 {
		t.Errorf("%d objects left, want the schema, the enum and the view", len(f.Objects))
	}
}
