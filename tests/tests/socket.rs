//! The socket API's file: created 0660 in a directory created 0750, never
//! world-writable (a world-writable `--socket-mode` is refused), and an
//! existing file at its path that is not a socket is left alone (the agent
//! refuses to start). Against real FRR 8.4: needs root, ignored unless
//! asked for (see scripts/test.sh).

use std::fs;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::process::{Command, Stdio};

use tests::agent::{binary, Agent, AgentDirs, AgentOptions};
use tests::fixtures::frr;
use tests::frr::{require, Release};

fn mode(path: &std::path::Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
#[ignore = "needs root and FRR"]
fn socket_and_directory_modes() {
    require(Release::Frr84, "socket_and_directory_modes");
    let frr = frr();
    let dirs = AgentDirs::new();
    let agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    let socket = &agent.socket;
    assert!(fs::metadata(socket).unwrap().file_type().is_socket());
    assert_eq!(mode(socket), 0o660, "socket mode");
    assert_eq!(
        mode(socket.parent().unwrap()),
        0o750,
        "socket directory mode"
    );
}

/// Runs `serve` on `dirs` and returns its exit status and standard error
/// (it is expected to refuse to start).
fn serve_refuses(
    frr: &tests::frr::FrrInstance,
    dirs: &AgentDirs,
    extra: &[&str],
) -> (bool, String) {
    let output = Command::new(binary())
        .arg("serve")
        .arg("--socket")
        .arg(dirs.socket())
        .arg("--state-dir")
        .arg(dirs.state())
        .args(["--health-addr", "127.0.0.1:0", "-N", frr.name()])
        .args(extra)
        .stdin(Stdio::null())
        .output()
        .expect("run the agent");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
#[ignore = "needs root and FRR"]
fn a_file_at_the_socket_path_is_left_alone() {
    require(Release::Frr84, "a_file_at_the_socket_path_is_left_alone");
    let frr = frr();
    let dirs = AgentDirs::new();
    let path = dirs.socket();
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(&path, "precious").unwrap();
    let (ok, stderr) = serve_refuses(&frr, &dirs, &[]);
    assert!(!ok, "the agent started over a regular file: {stderr}");
    assert!(stderr.contains("not a socket"), "{stderr}");
    assert_eq!(
        fs::read_to_string(&path).unwrap(),
        "precious",
        "the file was touched"
    );
}

#[test]
#[ignore = "needs root and FRR"]
fn a_world_writable_socket_mode_is_refused() {
    require(Release::Frr84, "a_world_writable_socket_mode_is_refused");
    let frr = frr();
    let dirs = AgentDirs::new();
    let (ok, stderr) = serve_refuses(&frr, &dirs, &["--socket-mode", "666"]);
    assert!(
        !ok,
        "the agent started with a world-writable socket: {stderr}"
    );
    assert!(stderr.contains("world-writable"), "{stderr}");
    assert!(!dirs.socket().exists(), "a socket was created");
}
