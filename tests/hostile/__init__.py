"""The hostile suite: what an attacker or a broken input does to the archive.

Fast parts run in `make test`; long parts (marked `soak`) run with `make soak`.
"""
