"""Quarterly batches: plan to run, content keys, lock, executors, manifest."""
