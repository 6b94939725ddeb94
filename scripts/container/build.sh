#!/usr/bin/env bash
# build.sh: builds and tries the realty image with podman, here, where no
# registry is reachable: the binary is built locally (CGO_ENABLED=0, as the
# Containerfile's build stage does) and copied into the Containerfile's
# final stage (FROM scratch). Prints the image's size and the time from
# 'podman run' to a ready /readyz, runs the image's HEALTHCHECK, and
# removes the container and the image. Loopback only; as root.
set -euo pipefail
cd "$(dirname "$0")/../.."
command -v podman >/dev/null || { echo "build.sh: needs podman (apt-get install podman)" >&2; exit 1; }
work=$(mktemp -d)
name=realty-build-$$
# Where containers run under restrictions (this machine: no setrlimit, and
# cgroups v1 with a v2 hierarchy that crun refuses), run them without
# default ulimits and with runc (apt-get install runc) when it is there.
printf '[containers]\ndefault_ulimits = []\n' > "$work/containers.conf"
export CONTAINERS_CONF=$work/containers.conf
podman=(podman)
command -v runc >/dev/null && podman+=(--runtime runc)
cleanup() {
  "${podman[@]}" rm -f "$name" >/dev/null 2>&1 || true
  podman rmi -f realty:build-test >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o "$work/realty" ./cmd/realty
cp /etc/ssl/certs/ca-certificates.crt "$work/"
mkdir "$work/data"
# The Containerfile's final stage, reading from this context instead of the
# build stage.
sed -n '/^FROM scratch/,$p' Containerfile |
  sed -e 's#^COPY --from=build /etc/ssl/certs/ca-certificates.crt #COPY ca-certificates.crt #' \
      -e 's#^COPY --from=build /out/realty #COPY realty #' \
      -e 's#^COPY --from=build --chown=65532:65532 /out/data #COPY --chown=65532:65532 data #' > "$work/Containerfile"
grep -q -- '--from=build' "$work/Containerfile" && { echo "build.sh: the Containerfile's final stage changed" >&2; exit 1; }
podman build --quiet --format docker -t realty:build-test -f "$work/Containerfile" "$work" >/dev/null
size=$(podman image inspect realty:build-test --format '{{.Size}}')
echo "image: realty:build-test, $((size / 1024)) KiB ($(du -k "$work/realty" | cut -f1) KiB of it the binary)"
echo "user: $(podman image inspect realty:build-test --format '{{.Config.User}}'), healthcheck: $(podman image inspect realty:build-test --format '{{.Config.Healthcheck.Test}}')"

port=$(shuf -i 20000-30000 -n 1)
start=$(date +%s%N)
"${podman[@]}" run -d --no-healthcheck --name "$name" -p "127.0.0.1:$port:8080" realty:build-test >/dev/null
for _ in $(seq 1 300); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/readyz" 2>/dev/null && break
  sleep 0.02
done
ready=$(date +%s%N)
curl -fsS "http://127.0.0.1:$port/readyz" >/dev/null || { podman logs "$name" >&2; echo "build.sh: never ready" >&2; exit 1; }
echo "start to ready: $(( (ready - start) / 1000000 )) ms (podman run to /readyz 200)"
"${podman[@]}" exec "$name" /realty healthcheck && echo "healthcheck (realty healthcheck inside the container): healthy"
curl -fsS -X POST "http://127.0.0.1:$port/v1/users" -H 'Content-Type: application/json' \
  -d '{"email":"c@example.com","password":"container-pass","first_name":"C","last_name":"D"}' >/dev/null
"${podman[@]}" exec "$name" /realty version
echo "a write to the /data volume as user 65532: ok"
