"""Taza Studio: the content studio of the Tash-Kömür anti-corruption campaign."""

__version__ = "0.1.0"
