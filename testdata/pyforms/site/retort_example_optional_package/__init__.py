"""Stands for an optional package of an application: importable when
site/ is on PYTHONPATH, as where the application is installed."""
