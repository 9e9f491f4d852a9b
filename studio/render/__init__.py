"""The code that touches pixels and files: rasterising layouts, encoding, writing, checking."""
