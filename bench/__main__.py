"""``python -m bench [--quick] [--only NAME ...]``: run the benchmarks, print the table, write
bench/results.json. Exits 0 whatever the ratios (they are reported, not enforced) and 1 when a
benchmark could not be measured (an error)."""

from .harness import main

raise SystemExit(main())
