"""Audio deliverables: radio spots, podcast episodes and messenger voice notes.

`programme` lays out the spoken parts, the ident and the music bed on a timeline (pure);
`loudness` measures EBU R128 loudness and true peak with ffmpeg's meter and brings a mix to its
target under a true-peak ceiling; `encode` writes WAV, MP3 (with chapters) and Ogg Opus with their
metadata; `label` signs them with C2PA where the format allows. Importing this package loads nothing heavy.
"""
