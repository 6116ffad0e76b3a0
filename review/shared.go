package review

// Shared is an object more than one branch touches, with each side's
// statements.
type Shared struct {
	Object
	Sides []Side `json:"sides"`
}

// Side is what one branch does to an object.
type Side struct {
	// Branch is the branch's position in Review.Branches; Head its head.
	Branch int    `json:"branch"`
	Head   string `json:"head"`
	// Touches are the statements, oldest revision first.
	Touches []Place `json:"touches"`
}

// Place is a statement that touches an object, where it is.
type Place struct {
	Revision string `json:"revision"`
	Path     string `json:"path"`
	// Line is the statement's line in Path; 0 for a change read from the
	// schema difference.
	Line      int    `json:"line,omitempty"`
	Change    string `json:"change"`
	Statement string `json:"statement"`
}

// Sides are what each branch does to o: one Side per branch that touches
// it, through revisions the other branches do not all have (KnownTo).
func (r *Review) Sides(o Object) []Side { return r.sides(o, false) }

// Statements are every statement of each branch that touches o, those of
// revisions the other branches have too included.
func (r *Review) Statements(o Object) []Side { return r.sides(o, true) }

func (r *Review) sides(o Object, all bool) []Side {
	var out []Side
	for k, b := range r.Branches {
		var places []Place
		for _, rv := range b.Revisions {
			if !all && r.KnownToAll(&rv) {
				continue
			}
			for _, t := range rv.Touches {
				if t.Object.key() == o.key() {
					places = append(places, Place{Revision: rv.ID, Path: rv.Path, Line: t.Line, Change: t.Change, Statement: t.Statement})
				}
			}
		}
		if len(places) > 0 {
			out = append(out, Side{Branch: k, Head: b.Head, Touches: places})
		}
	}
	return out
}

// findShared finds the objects two branches touch, where at least one of
// them changes it (create, alter, drop, rename, write: two branches that
// only read a table share nothing), each through a revision the other
// branch's head does not have (a revision both have, or one the other
// depends on, was known to both when they were written).
func findShared(r *Review, lay layout) []Shared {
	revs := lay.revs
	type seen struct {
		obj Object
		// by[k] are branch k's touches of the object, with their
		// revisions' positions.
		by [][]posTouch
	}
	var order []string
	objs := map[string]*seen{}
	for k := range revs {
		for n, i := range revs[k] {
			for _, t := range r.Branches[k].Revisions[n].Touches {
				key := t.Object.key()
				s := objs[key]
				if s == nil {
					s = &seen{obj: t.Object, by: make([][]posTouch, len(revs))}
					objs[key] = s
					order = append(order, key)
				}
				s.by[k] = append(s.by[k], posTouch{rev: i, change: t.Change})
			}
		}
	}
	out := []Shared{}
	for _, key := range order {
		s := objs[key]
		if conflicts(s.by, lay.needed) {
			out = append(out, Shared{Object: s.obj, Sides: r.Sides(s.obj)})
		}
	}
	return out
}

// posTouch is a touch by the revision at position rev.
type posTouch struct {
	rev    int
	change string
}

// conflicts reports whether two branches touch the object, each through a
// revision the other does not have, and one of the two touches changes it.
func conflicts(by [][]posTouch, needed [][]bool) bool {
	for k := range by {
		for l := k + 1; l < len(by); l++ {
			for _, a := range by[k] {
				if needed[l][a.rev] {
					continue
				}
				for _, b := range by[l] {
					if !needed[k][b.rev] && (a.change != ChangeUse || b.change != ChangeUse) {
						return true
					}
				}
			}
		}
	}
	return false
}

// KnownToAll reports whether every other branch has rv: what it does is
// shared with none of them.
func (r *Review) KnownToAll(rv *Revision) bool { return len(rv.KnownTo) == len(r.Branches)-1 }

// Flagged reports whether rv's touch of o is part of what is shared: o is
// shared, and not every other branch has rv.
func (r *Review) Flagged(rv *Revision, o Object) bool {
	return !r.KnownToAll(rv) && r.IsShared(o)
}

// Find is the branch's revision with the given id, nil if none.
func (b *Branch) Find(id string) *Revision {
	for k := range b.Revisions {
		if b.Revisions[k].ID == id {
			return &b.Revisions[k]
		}
	}
	return nil
}
