#!/usr/bin/env python
"""Django's manage.py, for developers; people use the `internationale` command."""

from internationale.cli import main

if __name__ == "__main__":
    main()
