//! Harness of the integration tests against real FRR: private FRR
//! instances in network namespaces ([`frr`]), the real agent process and
//! an HTTP client for its socket ([`agent`]), the clean-boot oracle
//! ([`oracle`]), its strict form with reviewed exceptions ([`allowed`])
//! and the runner of clean-boot cases ([`cleanboot`]), the
//! corpus ([`corpus`]) and copies of its configs with lines taken out
//! ([`mutate`]), a generator of frr-k8s-shaped configurations
//! ([`gen`]), a model of FRR's configuration tree that deltas are applied
//! to ([`model`]) and what `/proc` says about a process ([`process`]).

pub mod agent;
pub mod allowed;
pub mod cleanboot;
pub mod corpus;
pub mod fixtures;
pub mod frr;
#[path = "../../reloader/benches/k8s_gen/mod.rs"]
pub mod gen;
pub mod model;
pub mod mutate;
pub mod oracle;
pub mod process;
pub use gen::rng;
