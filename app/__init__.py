"""Policy Archive: a searchable archive of policy articles."""

__version__ = "0.1.0"
