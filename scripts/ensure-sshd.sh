#!/usr/bin/env bash
# Installs, once per machine, OpenSSH's sshd (Debian's openssh-server) for the SFTP store's tests.
# The tests (SshdServer) start their own sshd on a free loopback port with a private config; the
# package's system service is not needed and is not started by this script.
set -euo pipefail
if [ -x /usr/sbin/sshd ] && command -v ssh-keygen >/dev/null 2>&1; then exit 0; fi
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
echo "ensure-sshd: installing openssh-server from Debian ..." >&2
$SUDO apt-get update -qq
# policy-rc.d 101: the package must not start the system sshd on port 22.
if [ ! -e /usr/sbin/policy-rc.d ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee /usr/sbin/policy-rc.d >/dev/null
  $SUDO chmod +x /usr/sbin/policy-rc.d
  trap '$SUDO rm -f /usr/sbin/policy-rc.d' EXIT
fi
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq openssh-server openssh-client >/dev/null
[ -x /usr/sbin/sshd ] || { echo "ensure-sshd: /usr/sbin/sshd is still missing after the install" >&2; exit 1; }
