"""Policy Archive test suite."""
