"""Benchmark harness of Rota Round: ``uv run python -m bench [--quick]`` (see README.md)."""
