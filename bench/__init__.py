"""The benchmark behind `make bench`: bare renderers against the real pipeline.

Every number is measured in one run on one machine and reported as a ratio, because
absolute times on a shared 2-core machine move with whatever else runs there.
"""
