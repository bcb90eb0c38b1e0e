"""Classifiers: topic (text -> label) and stance ((target, text) -> label), by backend."""
