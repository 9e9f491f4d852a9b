#!/bin/sh
# Installs the natural offline voices (RHVoice: Kyrgyz Azamat and Nazgul, Russian Aleksandr, Anna,
# Elena, Irina, …) from Debian's "non-free" component, without editing the machine's package sources.
#
# What it changes on this machine, and nothing else:
#   - installs the packages rhvoice, rhvoice-kyrgyz, rhvoice-russian and librhvoice5 (and what they
#     depend on) into the system, like any `apt-get install`;
#   - writes a private package list under ${TAZA_APT_DIR:-/tmp/taza-voices-apt} (a sources file
#     naming Debian's non-free component, and the index apt downloads for it); /etc/apt is not touched.
# Where it cannot (not root, not Debian/Ubuntu, no network), or with TAZA_SKIP_VOICES=1, it changes
# nothing, says so and exits 0:
# everything then speaks with espeak-ng, which ships with Taza Studio.
set -u

PACKAGES="rhvoice rhvoice-kyrgyz rhvoice-russian librhvoice5"
say() { printf 'voices: %s\n' "$*"; }
fallback() { say "$*"; say "Taza Studio will speak with espeak-ng (robotic but offline). For natural voices run this script as root on Debian or Ubuntu: sudo sh tools/install-voices.sh"; exit 0; }

[ "${TAZA_SKIP_VOICES:-}" = 1 ] && fallback "TAZA_SKIP_VOICES=1: not installing RHVoice."
if command -v RHVoice-test >/dev/null 2>&1 && ls /usr/share/RHVoice/voices/azamat >/dev/null 2>&1 \
   && ls /usr/share/RHVoice/voices/anna >/dev/null 2>&1 \
   && ls /usr/lib/*/libRHVoice.so.* >/dev/null 2>&1; then
  say "RHVoice and its Kyrgyz and Russian voices are already installed; nothing to do."
  exit 0
fi
command -v apt-get >/dev/null 2>&1 || fallback "this is not a Debian or Ubuntu system (no apt-get); RHVoice not installed."
[ -r /etc/os-release ] || fallback "cannot tell which system this is (/etc/os-release missing); RHVoice not installed."
. /etc/os-release
if [ "$(id -u)" != 0 ]; then
  fallback "not running as root, so RHVoice cannot be installed."
fi

# Debian: the non-free component of this release. Ubuntu: multiverse, where Debian's non-free lands.
case "${ID:-}:${ID_LIKE:-}" in
  debian:*)
    suite="${VERSION_CODENAME:-bookworm}"
    line="deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite non-free"
    ;;
  ubuntu:*|*:*ubuntu*)
    suite="${UBUNTU_CODENAME:-${VERSION_CODENAME:-}}"
    line="deb [signed-by=/usr/share/keyrings/ubuntu-archive-keyring.gpg] http://archive.ubuntu.com/ubuntu $suite multiverse"
    ;;
  *) fallback "${PRETTY_NAME:-this system} is neither Debian nor Ubuntu; RHVoice not installed." ;;
esac

dir="${TAZA_APT_DIR:-/tmp/taza-voices-apt}"
mkdir -p "$dir/lists/partial" || fallback "cannot create $dir."
printf '%s\n' "$line" > "$dir/sources.list"
# The private list names non-free; the system's own sources (read, not changed) supply the
# dependencies. apt keeps the package indexes it downloads in the private folder too.
opts="-o Dir::Etc::sourcelist=$dir/sources.list -o Dir::State::Lists=$dir/lists -o APT::Get::List-Cleanup=0"
say "installing $PACKAGES from: $line"
say "(with a private package list in $dir; the system's sources in /etc/apt are left as they are)"
# shellcheck disable=SC2086
if ! apt-get $opts update >"$dir/update.log" 2>&1; then
  fallback "could not read the package lists (offline?); see $dir/update.log. RHVoice not installed."
fi
# The C library's package is named after its soname (librhvoice5 in Debian 12): take the one this release has.
# shellcheck disable=SC2086
lib=$(apt-cache $opts pkgnames librhvoice 2>/dev/null | grep -E '^librhvoice[0-9]+$' | sort | tail -n 1)
PACKAGES="rhvoice rhvoice-kyrgyz rhvoice-russian ${lib:-librhvoice5}"
# shellcheck disable=SC2086
if ! DEBIAN_FRONTEND=noninteractive apt-get $opts install -y --no-install-recommends $PACKAGES >"$dir/install.log" 2>&1; then
  fallback "apt-get could not install $PACKAGES; see $dir/install.log."
fi
say "installed: $(dpkg-query -W -f='${Package} ${Version}  ' $PACKAGES 2>/dev/null)"
