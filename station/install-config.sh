#!/bin/sh
# meson install: the sample configuration becomes SYSCONFDIR/station/station.conf when the
# machine has none; a bench's own configuration is never replaced (the sample stays beside
# the program for comparing). Paths are under $DESTDIR when it is set.
set -eu
sample="${DESTDIR:-}$1"
conf="${DESTDIR:-}$2"
if [ -e "$conf" ]; then
	echo "station: keeping $2 (the sample is $1)"
	exit 0
fi
mkdir -p "$(dirname "$conf")"
cp "$sample" "$conf"
chmod 0644 "$conf"
echo "station: installed $2 from the sample (every key commented out)"
