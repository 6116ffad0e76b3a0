// Package examples holds the revision histories bundled with retort, as
// directories of `.sql` revision files, and the tests that run them against
// real databases. It has no code of its own.
//
// library/ is an Invenio/RERO-like library catalogue: organisations and
// libraries, then a generic records_metadata table whose rows later
// revisions move into documents, items, holdings, collections, patrons and
// loans. It forks into two long-lived branches, "catalog" and
// "circulation", joined by a merge; loans depend on the catalog branch's
// items across the fork. Its SQL runs unchanged on SQLite and PostgreSQL,
// and every revision's downgrade restores the schema and the data as they
// were before it.
//
//	retort --dir examples/library history
//	retort --dir examples/library --db sqlite:/tmp/library.db upgrade heads
package examples
