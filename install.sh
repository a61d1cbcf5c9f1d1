#!/usr/bin/env bash
# Install forecourt on a store box: build the release binary, install it, create the data
# directory and a config file, and optionally a systemd unit. Safe to run again (it upgrades
# the binary and leaves your config and data alone).
#
#   ./install.sh                      # into /usr/local/bin, data in /var/lib/forecourt
#   ./install.sh --systemd            # also install, enable and start forecourt.service
#   PREFIX=$HOME/.local DATA_DIR=$HOME/forecourt-data CONFIG_DIR=$HOME/.config/forecourt ./install.sh
#
# Options: --systemd  write and enable a systemd unit
#          --binary PATH  install this already-built binary instead of building
#          --bind ADDR    listen address written to a new config (default 127.0.0.1:8080)
set -euo pipefail

PREFIX="${PREFIX:-/usr/local}"
DATA_DIR="${DATA_DIR:-/var/lib/forecourt}"
CONFIG_DIR="${CONFIG_DIR:-/etc/forecourt}"
SERVICE_USER="${SERVICE_USER:-forecourt}"
SYSTEMD=0
BINARY=""
BIND="127.0.0.1:8080"

while [ $# -gt 0 ]; do
  case "$1" in
    --systemd) SYSTEMD=1 ;;
    --binary) BINARY="$2"; shift ;;
    --bind) BIND="$2"; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "install.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done

say() { printf '==> %s\n' "$*"; }
cd "$(dirname "$0")"

if [ -z "$BINARY" ]; then
  command -v cargo >/dev/null 2>&1 || { echo "install.sh: cargo not found; install Rust (rustup.rs) or pass --binary" >&2; exit 1; }
  say "building the release binary"
  cargo build --release --locked
  BINARY=target/release/forecourt
fi
[ -x "$BINARY" ] || { echo "install.sh: $BINARY is not an executable" >&2; exit 1; }

say "installing $PREFIX/bin/forecourt"
mkdir -p "$PREFIX/bin"
install -m 0755 "$BINARY" "$PREFIX/bin/forecourt.new"
mv -f "$PREFIX/bin/forecourt.new" "$PREFIX/bin/forecourt"

say "data directory $DATA_DIR"
mkdir -p "$DATA_DIR"
chmod 0750 "$DATA_DIR"

CONFIG="$CONFIG_DIR/forecourt.toml"
mkdir -p "$CONFIG_DIR"
if [ -f "$CONFIG" ]; then
  say "keeping existing $CONFIG"
else
  say "writing $CONFIG"
  cat > "$CONFIG" <<TOML
# forecourt configuration. Every key can also be set by an environment variable:
# FORECOURT_ + the key in upper case with . as _ (e.g. FORECOURT_JOBS_ENABLED).
bind = "$BIND"
data_dir = "$DATA_DIR"
# The URL Twilio and customers reach this box at (a tunnel, usually). Required for Twilio.
# public_url = "https://texts.example-dealer.com"

[log]
format = "pretty"
level = "info,refinery_core=warn"
TOML
  chmod 0640 "$CONFIG"
fi

"$PREFIX/bin/forecourt" --config "$CONFIG" migrate

if [ "$SYSTEMD" = 1 ]; then
  command -v systemctl >/dev/null 2>&1 || { echo "install.sh: systemctl not found; drop --systemd" >&2; exit 1; }
  if ! id "$SERVICE_USER" >/dev/null 2>&1; then
    say "creating system user $SERVICE_USER"
    useradd --system --home-dir "$DATA_DIR" --shell /usr/sbin/nologin "$SERVICE_USER"
  fi
  chown -R "$SERVICE_USER:$SERVICE_USER" "$DATA_DIR"
  chgrp "$SERVICE_USER" "$CONFIG"
  UNIT=/etc/systemd/system/forecourt.service
  say "writing $UNIT"
  cat > "$UNIT" <<UNIT
[Unit]
Description=forecourt dealership texting appliance
After=network-online.target
Wants=network-online.target

[Service]
User=$SERVICE_USER
Group=$SERVICE_USER
ExecStart=$PREFIX/bin/forecourt --config $CONFIG serve
Restart=on-failure
RestartSec=5
KillSignal=SIGTERM
TimeoutStopSec=30
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
ReadWritePaths=$DATA_DIR

[Install]
WantedBy=multi-user.target
UNIT
  systemctl daemon-reload
  systemctl enable --now forecourt.service
  systemctl restart forecourt.service
fi

# the admin key is generated on first start; make sure it exists now so we can point at it
if [ ! -f "$DATA_DIR/admin.key" ]; then
  "$PREFIX/bin/forecourt" --config "$CONFIG" account list >/dev/null
  [ "$SYSTEMD" = 1 ] && chown "$SERVICE_USER:$SERVICE_USER" "$DATA_DIR/admin.key" "$DATA_DIR"/forecourt.db* 2>/dev/null || true
fi

cat <<DONE

forecourt is installed.
  Dashboard:  http://$BIND/   (set public_url in $CONFIG for Twilio and links)
  Admin key:  $DATA_DIR/admin.key   (for /api/internal/*)
  Config:     $CONFIG
  Data:       $DATA_DIR   (back it up with: forecourt --config $CONFIG backup /path/to/copy.db)

First login:
  forecourt --config $CONFIG account create --name "Your Store" --timezone America/Chicago --vertical automotive
  forecourt --config $CONFIG user add --account 1 --email you@your-store.com
$( [ "$SYSTEMD" = 1 ] && echo "Service:    systemctl status forecourt" || echo "Run it:     forecourt --config $CONFIG serve   (or re-run with --systemd)" )
DONE
