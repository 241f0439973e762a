"""Demo data: a believable organisation for trying the product and for benchmarks.

`demo_build` (in `roadmap.demo.build`) is the entry point; `manage.py demo_data` calls it.
"""
