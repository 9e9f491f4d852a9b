#!/usr/bin/env bash
# Rebuilds the print profiles from the free characterisation data in Debian's icc-profiles-free
# (FOGRA39L, FOGRA29L and CGATS TR 002 measurements) with ArgyllCMS's colprof. Not needed to use
# Taza Studio: the built profiles ship beside this script. Needs: apt-get install argyll icc-profiles-free
set -euo pipefail
cd "$(dirname "$0")"
data=/usr/share/color/icc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$data"/FOGRA39L.ti3 "$data"/FOGRA29L.ti3 "$data"/TR002.ti3 "$data"/sRGB.icc "$work"/
cd "$work"
# -qm medium quality, -kr black generation ramp, -l total ink limit, -L black ink limit,
# -S sRGB source gamut for the perceptual tables.
colprof -qm -kr -l300 -L98 -S sRGB.icc -cmt -dpp -D "Taza coated (FOGRA39, 300% TAC)" \
  -C "Built from FOGRA39L characterisation data (Fogra); Zlib licence, see assets/icc/LICENCE" \
  -O taza-coated-fogra39.icc FOGRA39L
colprof -qm -kr -l280 -L96 -S sRGB.icc -cmt -dpp -D "Taza uncoated (FOGRA29, 280% TAC)" \
  -C "Built from FOGRA29L characterisation data (Fogra); Zlib licence, see assets/icc/LICENCE" \
  -O taza-uncoated-fogra29.icc FOGRA29L
colprof -qm -kr -l240 -L95 -S sRGB.icc -cmt -dpp -D "Taza newsprint (CGATS TR 002 SNAP, 240% TAC)" \
  -C "Built from ANSI CGATS/SNAP TR 002-2007 characterisation data; see assets/icc/LICENCE" \
  -O taza-newsprint-snap.icc TR002
cp taza-*.icc "$OLDPWD"/
