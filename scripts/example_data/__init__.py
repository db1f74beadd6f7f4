"""The fictional example data generator, in parts; run scripts/make_example_data.py."""
