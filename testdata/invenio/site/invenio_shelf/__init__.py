"""The items on a library's shelves."""
