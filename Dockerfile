# syntax=docker/dockerfile:1.10
# frr-reload-agent's image. Its only job is to carry the binary: the agent
# runs in the FRR image's container, beside the daemons, so that vtysh comes
# from the same FRR as the daemons (as frr-k8s runs its reloader). An init
# container copies the binary into an emptyDir volume (deploy/):
#   cp /usr/local/bin/frr-reload-agent /opt/frr-reload-agent/
#
#   docker build -t frr-reload-agent:0.1.0 .        (linux/amd64)
#
# The binary is static (glibc linked in, no NSS lookups at run time), so it
# runs in Alpine-based and Debian-based FRR images alike. It is built by
# scripts/build-static.sh, which tests/tests/deploy.rs also runs and checks.
#
# Base images are pinned by tag (never `latest`); deploy/README.md ("The
# image") tells how to pin them by digest as well, and how to build for
# the other architectures frr-k8s runs on.
#
#   docker build --build-arg VERSION=0.1.0 \
#       --build-arg SOURCE=https://<where this repository is> -t ... .

FROM rust:1.95.0-bookworm AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/usr/local/cargo/registry \
    --mount=type=cache,target=/src/target \
    scripts/build-static.sh target/static \
    && install -D -m 0755 target/static/x86_64-unknown-linux-gnu/release/frr-reload-agent \
        /out/frr-reload-agent

# busybox: a `cp` for the init container, nothing else.
FROM busybox:1.37.0-musl
# The workspace's version (Cargo.toml), checked by tests/tests/deploy.rs.
ARG VERSION=0.1.0
ARG SOURCE=https://example.invalid/frr-reload-agent
LABEL org.opencontainers.image.title="frr-reload-agent" \
      org.opencontainers.image.description="Applies FRR configurations as a whole, in place of frr-reload.py: a sidecar for frr-k8s and MetalLB (the binary, copied into the FRR container by an init container)" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="${SOURCE}"
COPY --from=build /out/frr-reload-agent /usr/local/bin/frr-reload-agent
USER 65534:65534
ENTRYPOINT ["/usr/local/bin/frr-reload-agent"]
CMD ["--help"]
