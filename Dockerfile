# Builds frr-reload-agent. The runtime image (FRR sidecar layout, user,
# volumes) comes with the daemon; for now this image carries the binary.
FROM rust:1-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --release --locked -p agent

FROM debian:bookworm-slim
COPY --from=build /src/target/release/frr-reload-agent /usr/local/bin/frr-reload-agent
ENTRYPOINT ["/usr/local/bin/frr-reload-agent"]
