#!/usr/bin/env bash
# Build the platform's image without Docker and without a container registry: a Debian base
# made here by debootstrap and imported into podman, then deploy/Dockerfile built on it.
#   deploy/build-image.sh            # as root, on Debian with podman, buildah and debootstrap
# BASE_IMAGE and IMAGE name the two images (defaults below). See deploy/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
BASE_IMAGE=${BASE_IMAGE:-localhost/debian-python:3.11}
IMAGE=${IMAGE:-localhost/schools-company-platform:dev}

if ! podman image exists "$BASE_IMAGE"; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  debootstrap --variant=minbase --include=python3,python3-venv,python3-pip,ca-certificates \
    bookworm "$work/rootfs"
  # The image's Python is its own, as python:3.11-slim's is: pip may install into it.
  rm -f "$work"/rootfs/usr/lib/python3.*/EXTERNALLY-MANAGED
  ln -sf python3 "$work/rootfs/usr/bin/python"
  # pip in the build reaches PyPI from this machine: trust the certificate authorities it
  # trusts (a network that inspects TLS has its own among them).
  cp /etc/ssl/certs/ca-certificates.crt "$work/rootfs/etc/ssl/certs/ca-certificates.crt"
  rm -rf "$work"/rootfs/var/cache/apt/archives/*.deb "$work"/rootfs/var/lib/apt/lists/*
  tar -C "$work/rootfs" -c . | podman import --change 'CMD ["python3"]' - "$BASE_IMAGE"
fi

# chroot isolation: the build's RUN steps need no OCI runtime (crun cannot set up a container
# on a host with hybrid cgroups v1/v2, as these machines have).
podman build --isolation=chroot -f deploy/Dockerfile --build-arg PYTHON_IMAGE="$BASE_IMAGE" \
  -t "$IMAGE" .
