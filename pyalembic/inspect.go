package pyalembic

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
)

// What a project's Python says about the project, for retort's
// configuration: Invenio's version locations, and what a Flask application
// knows of its migrations.

// DefaultInvenioApp is the application factory of an Invenio instance
// (`invenio alembic` creates the same application, with invenio_db).
const DefaultInvenioApp = "invenio_app.factory:create_api"

// InspectRequest says what to look for.
type InspectRequest struct {
	// App is a Flask application factory to create ("package.module:
	// factory", or any form FLASK_APP takes), "" for none.
	App string `json:"app,omitempty"`
	// Invenio asks for Invenio's layout, when invenio_db is installed.
	Invenio bool `json:"invenio,omitempty"`
	// InvenioApp is the factory to create when App is "" and invenio_db
	// is installed; "" creates none.
	InvenioApp string `json:"invenio_app,omitempty"`
}

// Inspection is what the driver found.
type Inspection struct {
	// Invenio is nil when Invenio was not asked for or invenio_db is not
	// installed; InvenioError says why an installed invenio_db could not
	// be read (it cannot be imported).
	Invenio      *Invenio `json:"invenio"`
	InvenioError *PyError `json:"invenio_error"`
	// App is the application created, nil for none; AppError says why
	// the one asked for could not be created.
	App      *App     `json:"app"`
	AppError *PyError `json:"app_error"`
}

// Invenio is an Invenio instance's migration layout, as invenio-db's
// InvenioDB.init_app builds it.
type Invenio struct {
	// ScriptLocation is invenio_db's own alembic directory.
	ScriptLocation string `json:"script_location"`
	// Locations are the invenio_db.alembic entry points, in the order
	// Python lists them.
	Locations []Location `json:"locations"`
}

// Location is one invenio_db.alembic entry point.
type Location struct {
	Name  string `json:"name"`
	Value string `json:"value"` // "invenio_foo:alembic"
	Path  string `json:"path"`
	// Exists: Path is a directory (Alembic skips those that are not).
	Exists bool `json:"exists"`
	// Warning: resolved where invenio-db itself would fail.
	Warning string `json:"warning"`
	// Error: the entry point's package cannot be imported.
	Error *PyError `json:"error"`
}

// App is what a Flask application knows of its migrations.
type App struct {
	// Import is the factory it was created from; Name its import name.
	Import string `json:"import"`
	Name   string `json:"name"`
	// Migrate is Flask-Migrate's configuration, nil without it.
	Migrate *Migrate `json:"migrate"`
	// URL is the URL of Flask-SQLAlchemy's engine, password included, in
	// SQLAlchemy's spelling; "" without Flask-SQLAlchemy, or when the
	// engine could not be built (URLError).
	URL      string   `json:"url"`
	URLError *PyError `json:"url_error"`
}

// Migrate is Flask-Migrate's configuration of an application.
type Migrate struct {
	// Directory is absolute: the migrations directory holding env.py and
	// alembic.ini, whose versions/ holds the revisions.
	Directory string `json:"directory"`
}

// Inspect asks the driver's Python what the project is. An application
// that cannot be created is reported in Inspection.AppError; the error is
// for a driver that could not answer. It needs no Alembic.
func (d *Driver) Inspect(ctx context.Context, r InspectRequest) (Inspection, error) {
	req := map[string]any{"op": "inspect", "app": r.App, "invenio": r.Invenio, "invenio_app": r.InvenioApp}
	rep, err := d.request(ctx, req, nil, false)
	if err != nil {
		return Inspection{}, err
	}
	if rep.Error != nil {
		return Inspection{}, rep.Error
	}
	if rep.Inspect == nil {
		return Inspection{}, fmt.Errorf("the Python driver answered no inspection")
	}
	return *rep.Inspect, nil
}

// VersionLocations are the directories Alembic reads an Invenio instance's
// revisions from, as Flask-Alembic configures it: the script location
// first, then each entry point's directory; those that do not exist are
// left out (Alembic skips them), and a directory listed twice is read
// once (Alembic warns and ignores the second).
func (i *Invenio) VersionLocations() []string {
	var out []string
	seen := map[string]bool{}
	for _, p := range append([]string{i.ScriptLocation}, i.paths()...) {
		st, err := os.Stat(p)
		if err != nil || !st.IsDir() {
			continue
		}
		real, err := filepath.EvalSymlinks(p)
		if err != nil {
			real = p
		}
		if seen[real] {
			continue
		}
		seen[real] = true
		out = append(out, p)
	}
	return out
}

func (i *Invenio) paths() []string {
	var out []string
	for _, l := range i.Locations {
		if l.Error == nil && l.Path != "" {
			out = append(out, l.Path)
		}
	}
	return out
}
