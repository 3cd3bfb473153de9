"""SIKAP benchmarks (``make bench`` → ``bench/run.py``). Not part of the product."""
