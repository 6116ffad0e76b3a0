"""Loans of the items on the shelf."""
