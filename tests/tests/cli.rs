//! The command line as a shell uses it: output into a pipe whose reader
//! goes away (`frr-reload-agent diff … | head`) ends the program quietly,
//! with the status a shell shows for SIGPIPE, instead of a panic; and
//! `diff --input`, which reads its files a piece at a time, answers what
//! the library answers for the whole texts: the impact summary as `!`
//! comment lines, then the script.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use reloader::diff::impact::{impact, render_summary};
use reloader::{diff_text, Config, FrrVersion, Options};
use tests::agent::binary;
use tests::gen;

/// A directory of its own for one test.
fn scratch(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("frr-reload-agent-{name}.{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// `frr-reload-agent diff --input RUNNING DESIRED` on these bytes.
fn diff_files(dir: &Path, running: &[u8], desired: &[u8]) -> Output {
    let (r, d) = (dir.join("running.conf"), dir.join("desired.conf"));
    std::fs::write(&r, running).unwrap();
    std::fs::write(&d, desired).unwrap();
    Command::new(binary())
        .arg("diff")
        .arg("--input")
        .arg(&r)
        .arg(&d)
        .output()
        .unwrap()
}

#[test]
#[ignore = "needs ../shared/corpus"]
fn diff_of_files_read_in_pieces_is_the_diff_of_the_texts() {
    let dir = scratch("pieces");
    let base = gen::Spec::new(4, 1500);
    // About 330 kB: three pieces of 128 kB, lines across their borders.
    let large = base.render();
    assert!(large.len() > 2 * 128 * 1024, "{}", large.len());
    let mut cases: Vec<(String, String, String)> = Vec::new();
    for t in gen::Transition::ALL {
        cases.push((t.name().into(), large.clone(), t.apply(&base).render()));
    }
    let permit = gen::Transition::DenyPermit.apply(&base).render();
    let crlf = |text: &str| text.replace('\n', "\r\n");
    cases.push(("crlf".into(), crlf(&large), crlf(&permit)));
    let unterminated = permit.trim_end().to_owned();
    cases.push(("no final newline".into(), large.clone(), unterminated));
    // The running profile is kept by a desired text without its own.
    let datacenter = large.replacen('\n', "\nfrr defaults datacenter\n", 1);
    cases.push(("running profile".into(), datacenter.clone(), permit.clone()));
    cases.push((
        "running profile, unterminated".into(),
        datacenter,
        "router bgp 64512".into(),
    ));
    cases.push(("empty running".into(), String::new(), permit.clone()));
    cases.push(("empty desired".into(), permit, String::new()));
    let corpus = tests::corpus::k8s().unwrap();
    for pair in corpus.windows(2) {
        cases.push((
            pair[1].name.clone(),
            pair[0].text.clone(),
            pair[1].text.clone(),
        ));
    }
    let mut refused = 0;
    for (name, running, desired) in &cases {
        let output = diff_files(&dir, running.as_bytes(), desired.as_bytes());
        let stderr = String::from_utf8_lossy(&output.stderr);
        let version = FrrVersion::detect(running).unwrap_or_default();
        match diff_text(running, desired, &Options { version }) {
            Ok(want) => {
                assert!(output.status.success(), "{name}: {stderr}");
                let summary = match want.is_empty() {
                    true => String::new(),
                    false => {
                        let running = Config::parse_for(running, version).unwrap();
                        render_summary(&impact(&running, &want, version))
                    }
                };
                assert_eq!(
                    String::from_utf8_lossy(&output.stdout),
                    summary + &want.script,
                    "{name}"
                );
            }
            // Some of the corpus is refused (a prefix range FRR refuses).
            Err(e) => {
                assert!(!output.status.success(), "{name}");
                assert!(
                    stderr.contains(&e.to_string()),
                    "{name}: {e} not in {stderr}"
                );
                refused += 1;
            }
        }
    }
    assert!(
        refused < cases.len() / 4,
        "{refused} of {} refused",
        cases.len()
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn diff_of_files_names_the_line_of_bad_input_past_the_first_piece() {
    let dir = scratch("bad-piece");
    let large = gen::Spec::new(4, 1500).render();
    let lines = large.lines().count();
    let mut bad = large.clone().into_bytes();
    bad.extend_from_slice(b"ip prefix-list X seq 5 permit \xff\n");
    let output = diff_files(&dir, &bad, large.as_bytes());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    let want = format!("running.conf: line {}: invalid UTF-8", lines + 1);
    assert!(stderr.contains(&want), "{want:?} not in {stderr}");
    // A refused line in the desired file, named by its line number.
    let mut refused = large.clone();
    refused.push_str("ip prefix-list X seq 5 permit 198.51.100.0/24 ge 8\n");
    let output = diff_files(&dir, large.as_bytes(), refused.as_bytes());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    let want = format!("desired.conf: line {}:", lines + 1);
    assert!(stderr.contains(&want), "{want:?} not in {stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A refused line that holds a secret is named with the secret redacted,
/// the reason kept: stderr ends up in the pod's logs (before: the
/// one-shot printed the line as typed).
#[test]
fn a_refused_line_is_quoted_without_its_secret() {
    let dir = scratch("refused-secret");
    for (desired, reason) in [
        (
            "router bgp 64512\n neighbor 192.0.2.1 password Pl4nted\n",
            "before the peer is defined",
        ),
        (
            "interface lo\n isis password clear Pl4nted\n",
            "missing area tag",
        ),
    ] {
        let output = diff_files(&dir, b"", desired.as_bytes());
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{stderr}");
        assert!(
            stderr.contains("desired.conf: line 2: ") && stderr.contains(reason),
            "{stderr}"
        );
        assert!(
            stderr.contains("<redacted>") && !stderr.contains("Pl4nted"),
            "{stderr}"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn output_into_a_closed_pipe_ends_quietly() {
    let dir = std::env::temp_dir().join(format!("frr-reload-agent-cli.{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let running = dir.join("running.conf");
    let desired = dir.join("desired.conf");
    std::fs::write(&running, "").unwrap();
    // A script of about 300 kB: more than a pipe holds.
    let text = gen::Spec::new(2, 2000).render();
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
