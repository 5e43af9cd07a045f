"""cxkit.core — see cxkit/__init__.py and CONTRIBUTING.md for the layout."""
