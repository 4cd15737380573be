"""Allows `python -m app` as an alias of the `policy-archive` command."""

from app.cli import main

main()
