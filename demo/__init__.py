"""Demo data: a believable organisation for trying the product and for benchmarks.

`demo_build` (in `demo.build`) is the entry point; `manage.py demo_data` calls it.
"""
