"""Print production: CMYK print profiles (ICC via littleCMS), separations, PDF/X, the simulated press
that QR codes must survive, and the preflight report of a print PDF."""
