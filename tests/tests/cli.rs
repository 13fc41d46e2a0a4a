//! The command line as a shell uses it: output into a pipe whose reader
//! goes away (`frr-reload-agent diff … | head`) ends the program quietly,
//! with the status a shell shows for SIGPIPE, instead of a panic.

#[allow(dead_code)]
#[path = "../../reloader/benches/k8s_gen/mod.rs"]
mod k8s_gen;

use std::io::Read;
use std::process::{Command, Stdio};

use tests::agent::binary;

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let dir = std::env::temp_dir().join(format!("frr-reload-agent-cli.{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let running = dir.join("running.conf");
    let desired = dir.join("desired.conf");
    std::fs::write(&running, "").unwrap();
    // A script of about 300 kB: more than a pipe holds.
    let text = k8s_gen::Spec::new(2, 2000).render();
    std::fs::write(&desired, &text).unwrap();
    let mut child = Command::new(binary())
        .arg("diff")
        .arg("--input")
        .arg(&running)
        .arg(&desired)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    std::fs::remove_dir_all(&dir).unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(141), "{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
}
