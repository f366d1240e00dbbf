"""Developer and operator tools, run as ``python -m api.tools.<name>``: benchmarks
(:mod:`api.tools.bench`, the batch's in :mod:`api.tools.bench_batch`) and the load test
(:mod:`api.tools.load`)."""
