"""Still images: raster, PNG/JPEG/PDF encoders, QR read-back, the stills render of a layout."""
