#!/usr/bin/env bash
# As root, once per machine: what the sandbox registry needs for docker to verify its TLS certificate.
# dockerd treats every registry on 127.0.0.0/8 as insecure (no certificate check, /etc/docker/certs.d
# ignored), so the registry's TLS front listens on 192.0.2.2 (TEST-NET-1, never routed) on lo, and the
# sandbox trusts its CA through /etc/docker/certs.d/192.0.2.2:PORT/ca.crt, as a private registry's users do.
# The directory is opened to the docker group (setgid, so what members add stays theirs to remove): a test
# user who may use the daemon may then add and remove a registry's CA without root. sandbox/docker-trust.ts
# runs this itself when the sandbox runs as root; .ci/run runs it before the tests run as a plain user.
set -euo pipefail
address=192.0.2.2
certs=/etc/docker/certs.d
ip -4 addr show dev lo | grep -qw "inet $address/32" || ip addr add "$address/32" dev lo
mkdir -p "$certs"
if getent group docker >/dev/null; then
  chgrp docker "$certs"
  chmod 2775 "$certs"
fi
