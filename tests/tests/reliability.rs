//! Reliability of `frr-reload-agent serve` (issue 7) under bad input,
//! against a real FRR 8.4 and the real agent process. Every bad input gets
//! a clear answer naming what and where, leaves FRR's running
//! configuration unchanged byte for byte, and leaves the agent serving:
//! configurations FRR refuses (unknown commands, wrong nodes, unbalanced
//! `exit`, truncated lines, NUL bytes, invalid UTF-8, a 1 MB line, 10,000
//! nested openers, topotest files FRR 8.4 rejects), a 50 MB body, and
//! abuse of the HTTP API (malformed requests, huge heads, slow clients,
//! clients that vanish). Faults are in `faults.rs`.
//!
//! They need root (network namespaces, FRR daemons) and FRR 8.4 (one also
//! the corpus). `--nocapture` shows the figures.
//! Ignored unless asked for (`#[ignore = "needs root and FRR"]`, see
//! scripts/test.sh), and failing, not skipping, when run without them.

use std::fs;
use std::io::{Read, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::thread;
use std::time::{Duration, Instant};

use protocol::{ApplyResult, ErrorReply, Outcome};
use tests::agent::{wait_for, Agent, AgentDirs, AgentOptions, Response};
use tests::corpus;
use tests::fixtures::{
    assert_serving, big_entries, frr, large, running, sha256_hex, ALL_LINE, RECEIVE_ALL,
    RECEIVE_DENY,
};
use tests::frr::{dry_run_accepts, require, Release};
use tests::process::status_field;
use tests::rng::Rng;

/// A raw request on a fresh connection, written as given: the reply, or
/// what the agent did instead (closed, timed out).
fn raw(socket: &Path, bytes: &[u8], timeout: Duration) -> Result<String, String> {
    let mut stream = UnixStream::connect(socket).map_err(|e| e.to_string())?;
    stream.set_read_timeout(Some(timeout)).unwrap();
    let _ = stream.write_all(bytes);
    let mut reply = Vec::new();
    match stream.read_to_end(&mut reply) {
        Ok(_) => Ok(String::from_utf8_lossy(&reply).into_owned()),
        Err(e) if !reply.is_empty() => {
            Ok(format!("{}\n(then {e})", String::from_utf8_lossy(&reply)))
        }
        Err(e) => Err(e.to_string()),
    }
}

/// A refused request: `code` and an `ErrorReply` containing `words`.
#[track_caller]
fn assert_error(reply: &Response, code: u16, words: &str) {
    assert_eq!(reply.status, code, "{}", reply.text());
    let error: ErrorReply = reply.json();
    assert!(
        error.error.contains(words),
        "{words:?} not in {:?}",
        error.error
    );
}

// ---------------------------------------------------------------------------
// 1. Bad configurations
// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs root and FRR"]
fn bad_configs_are_refused_and_change_nothing() {
    require(Release::Frr84, "bad_configs_are_refused_and_change_nothing");
    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    let good = running(&frr);
    let good_sha = sha256_hex(RECEIVE_DENY);
    let last_line = RECEIVE_DENY.lines().count() + 1;

    let unbalanced = RECEIVE_DENY.replace(
        "  no bgp default ipv4-unicast\n",
        "  no bgp default ipv4-unicast\nexit\nexit\n",
    );
    let unbalanced_line = unbalanced
        .lines()
        .position(|l| l.trim() == "neighbor 192.0.2.2 remote-as 64600")
        .unwrap()
        + 1;
    let mut invalid_utf8 = RECEIVE_DENY.as_bytes().to_vec();
    let at = RECEIVE_DENY.find("deny any").unwrap();
    invalid_utf8.splice(at..at, [0xff, 0xfe]);
    // (name, body, status, line named, words in the error)
    let cases: Vec<(&str, Vec<u8>, u16, usize, &str)> = vec![
        (
            "unknown command",
            format!("{RECEIVE_DENY}  neighbor 192.0.2.2 frobnicate 7\n").into(),
            422,
            last_line,
            "frobnicate",
        ),
        (
            "command in the wrong node",
            RECEIVE_DENY
                .replacen("ip nht", "  neighbor 192.0.2.2 remote-as 64600\nip nht", 1)
                .into(),
            422,
            3,
            "Unknown command",
        ),
        (
            "bgp command under an interface",
            format!("interface lo\n  bgp router-id 192.0.2.1\n{RECEIVE_DENY}").into(),
            422,
            2,
            "bgp router-id",
        ),
        (
            "unbalanced exit",
            unbalanced.into(),
            422,
            unbalanced_line,
            "neighbor 192.0.2.2 remote-as",
        ),
        (
            "stray exit-address-family",
            format!("exit-address-family\n{RECEIVE_ALL}").into(),
            422,
            1,
            "exit-address-family",
        ),
        (
            "truncated last line",
            format!("{RECEIVE_DENY}  neighbor 192.0.2.2 remote-").into(),
            422,
            last_line,
            "incomplete",
        ),
        (
            "NUL bytes",
            RECEIVE_DENY.replace("deny any", "deny\0\0any").into(),
            422,
            8,
            "control character",
        ),
        ("invalid UTF-8", invalid_utf8, 400, 8, "invalid UTF-8"),
        (
            "1 MB single line",
            format!(
                "{RECEIVE_DENY}  neighbor 192.0.2.2 description {}\n",
                "x".repeat(1 << 20)
            )
            .into(),
            422,
            last_line,
            "longer than",
        ),
    ];
    for (name, body, code, line, words) in cases {
        let generation = agent.status().generation;
        let started = Instant::now();
        let reply = agent
            .request("PUT", "/v1/config", Some("text/plain"), &body)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let took = started.elapsed();
        assert_eq!(reply.status, code, "{name}: {}", reply.text());
        let shown = if code == 422 {
            let result: ApplyResult = reply.json();
            assert_eq!(result.outcome, Outcome::ConversionFailed, "{name}");
            assert!(!result.conversion.ok);
            let error = result
                .conversion
                .errors
                .iter()
                .find(|e| e.line == line)
                .unwrap_or_else(|| {
                    panic!("{name}: line {line} not named: {:#?}", result.conversion)
                });
            let said = format!("{} {}", error.message, error.text);
            assert!(said.contains(words), "{name}: {words:?} not in {said:?}");
            assert!(
                result.last_reload_result.contains(&format!("line {line}")),
                "{name}: {}",
                result.last_reload_result
            );
            assert!(
                result.last_reload_result.len() < 1000,
                "{name}: the error repeats the whole input ({} bytes)",
                result.last_reload_result.len()
            );
            assert!(result.delta.is_empty(), "{name}: {:#?}", result.delta);
            result.last_reload_result
        } else {
            let error: ErrorReply = reply.json();
            assert!(
                error.error.contains(&format!("line {line}")) && error.error.contains(words),
                "{name}: {}",
                error.error
            );
            // Refused before the actor: no generation counted.
            assert_eq!(agent.status().generation, generation, "{name}");
            error.error
        };
        eprintln!("{name}: {code} in {took:.0?}: {shown}");
        assert_eq!(running(&frr), good, "{name} changed FRR");
        assert_serving(&mut agent);
        // The status tells: the desired configuration (the refused one, for
        // a 422) did not run; a 400 never reached the actor.
        let status = agent.status();
        if code == 422 {
            let text = String::from_utf8(body).unwrap();
            assert_eq!(status.desired_sha256, sha256_hex(&text), "{name}");
            assert!(!status.converged, "{name}");
            assert_eq!(status.last_reload_result, shown, "{name}");
        } else {
            assert_eq!(status.generation, generation, "{name}");
        }
    }
    let reply = agent.put_config(RECEIVE_DENY);
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(agent.status().converged);
    assert_eq!(agent.status().desired_sha256, good_sha);

    // A top-level `exit` leaves configuration mode: `vtysh -f` applies
    // nothing after it (FRR 8.4's check still passes). Configuration after
    // one is refused, naming its line; `end` and `exit` after the last
    // line are what FRR accepts too: the same configuration, nothing sent.
    let reply = agent.put_config(&format!("exit\nexit\n{RECEIVE_DENY}"));
    assert_eq!(reply.status, 422, "{}", reply.text());
    assert!(
        reply
            .text()
            .contains("line 3: configuration after a top-level"),
        "{}",
        reply.text()
    );
    assert_eq!(running(&frr), good);
    let reply = agent.put_config(&format!("{RECEIVE_DENY}end\nexit\n"));
    assert_eq!(reply.status, 200, "{}", reply.text());
    let result: ApplyResult = reply.json();
    assert!(result.delta.is_empty(), "{:#?}", result.delta);
    assert_eq!(running(&frr), good);

    // 10,000 nested openers: whatever the grammar makes of them, an
    // answer within seconds that agrees with FRR, and no crash.
    let nested = [
        ("10,000 `router bgp`", "router bgp 64512\n".repeat(10_000)),
        (
            "10,000 nested address-family/vni",
            format!(
                "router bgp 64512\n{}",
                " address-family l2vpn evpn\n  vni 10\n".repeat(10_000)
            ),
        ),
        (
            "10,000 route-maps",
            "route-map X permit 10\n".repeat(10_000),
        ),
        (
            "2,000 indentation levels",
            (0..2_000)
                .map(|i| format!("{}route-map Y permit {}\n", " ".repeat(i), i % 100 + 1))
                .collect(),
        ),
    ];
    for (name, config) in nested {
        let started = Instant::now();
        let reply = agent.put_config(&config);
        let took = started.elapsed();
        let result: ApplyResult = reply.json();
        eprintln!(
            "{name}: {} {:?} in {took:.0?}: {}",
            reply.status, result.outcome, result.last_reload_result
        );
        assert!(took < Duration::from_secs(30), "{name}: {took:?}");
        assert_eq!(reply.status, 200, "{name}: {}", reply.text());
        assert_eq!(result.outcome, Outcome::Converged, "{name}");
        assert_eq!(result.running_config, running(&frr), "{name}");
        assert_serving(&mut agent);
    }
    assert!(running(&frr).contains("route-map Y permit 100"));
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    assert_eq!(running(&frr), good);
}

/// Sends `PUT /v1/config` with `total` bytes of body from a writer thread
/// (declared with Content-Length, or chunked without a length) and returns
/// the reply's status line and how many bytes the writer got through.
fn put_huge(socket: &Path, total: usize, chunked: bool) -> (String, usize) {
    let mut stream = UnixStream::connect(socket).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let length = if chunked {
        "Transfer-Encoding: chunked".to_owned()
    } else {
        format!("Content-Length: {total}")
    };
    let head = format!(
        "PUT /v1/config HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n{length}\r\n\r\n"
    );
    stream.write_all(head.as_bytes()).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let sender = thread::spawn(move || {
        let block = "ip prefix-list huge seq 5 permit 198.51.100.0/24\n".repeat(1300);
        let mut sent = 0;
        while sent < total {
            let n = block.len().min(total - sent);
            let ok = if chunked {
                writer
                    .write_all(format!("{n:x}\r\n").as_bytes())
                    .and_then(|()| writer.write_all(&block.as_bytes()[..n]))
                    .and_then(|()| writer.write_all(b"\r\n"))
            } else {
                writer.write_all(&block.as_bytes()[..n])
            };
            if ok.is_err() {
                break;
            }
            sent += n;
        }
        if chunked && sent == total {
            let _ = writer.write_all(b"0\r\n\r\n");
        }
        sent
    });
    let mut reply = Vec::new();
    let _ = stream.read_to_end(&mut reply);
    let _ = stream.shutdown(std::net::Shutdown::Both);
    let sent = sender.join().unwrap();
    let reply = String::from_utf8_lossy(&reply);
    (reply.lines().next().unwrap_or("(closed)").to_owned(), sent)
}

#[test]
#[ignore = "needs root and FRR"]
fn body_of_50_mb_is_refused_without_buffering_it() {
    require(
        Release::Frr84,
        "body_of_50_mb_is_refused_without_buffering_it",
    );
    const BODY: usize = 50 << 20;
    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    let good = running(&frr);
    let pid = agent.pid();
    let before = status_field(pid, "VmHWM");

    let started = Instant::now();
    let (line, sent) = put_huge(&agent.socket, BODY, false);
    eprintln!(
        "50 MB with Content-Length: {line:?} in {:.0?}, {} MB written; VmHWM {before} -> {} kB",
        started.elapsed(),
        sent >> 20,
        status_field(pid, "VmHWM")
    );
    assert!(line.contains(" 413 "), "{line}");
    assert!(
        status_field(pid, "VmHWM") < before + 8 * 1024,
        "a declared 50 MB body was buffered"
    );

    let started = Instant::now();
    let (line, sent) = put_huge(&agent.socket, BODY, true);
    let after = status_field(pid, "VmHWM");
    eprintln!(
        "50 MB chunked: {line:?} in {:.0?}, {} MB written; VmHWM {before} -> {after} kB",
        started.elapsed(),
        sent >> 20
    );
    assert!(line.contains(" 413 "), "{line}");
    // Reading stops at the limit (32 MiB): never the whole 50 MB.
    assert!(
        after < before + (BODY as u64 >> 10),
        "VmHWM grew by {} kB for a 50 MB body",
        after - before
    );
    assert_eq!(running(&frr), good);
    assert_serving(&mut agent);
    assert_eq!(agent.put_config(RECEIVE_ALL).status, 200);
    eprintln!("VmRSS at the end: {} kB", status_field(pid, "VmRSS"));
}

/// Opens a chunked `PUT /v1/config` and sends `n` bytes of body without
/// ending it. Returns the stream, and whether all of it went out: an agent
/// that refuses the request may answer and close before it has all.
fn start_chunked_put(socket: &Path, n: usize) -> (UnixStream, std::io::Result<()>) {
    let mut stream = UnixStream::connect(socket).unwrap();
    let body = "ip prefix-list held seq 5 permit 198.51.100.0/24\n".repeat(n / 40 + 1);
    let head = "PUT /v1/config HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n";
    let mut send = || -> std::io::Result<()> {
        stream.write_all(head.as_bytes())?;
        for piece in body.as_bytes()[..n].chunks(16 << 10) {
            let chunk = [format!("{:x}\r\n", piece.len()).as_bytes(), piece, b"\r\n"].concat();
            stream.write_all(&chunk)?;
        }
        Ok(())
    };
    let sent = send();
    (stream, sent)
}

#[test]
#[ignore = "needs root and FRR"]
fn bodies_arriving_at_once_share_a_budget() {
    require(Release::Frr84, "bodies_arriving_at_once_share_a_budget");
    // Two of the largest configurations may be arriving at once.
    const MAX: usize = 256 << 10;
    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(
        &frr,
        &dirs,
        &AgentOptions {
            max_config_bytes: Some(MAX),
            ..AgentOptions::default()
        },
    );
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    let good = running(&frr);
    let (first, sent) = start_chunked_put(&agent.socket, 200 << 10);
    sent.expect("the first body is read");
    let (second, sent) = start_chunked_put(&agent.socket, 200 << 10);
    sent.expect("the second body is read");
    thread::sleep(Duration::from_millis(500));
    // Over the budget: the agent may answer before the body is all out.
    let (mut third, _) = start_chunked_put(&agent.socket, 200 << 10);
    third
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let mut reply = Vec::new();
    let _ = third.read_to_end(&mut reply);
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 503 "), "{reply}");
    assert!(reply.contains("retry"), "{reply}");
    // The budget comes back with the connections that held it.
    drop((first, second));
    thread::sleep(Duration::from_millis(500));
    assert_eq!(running(&frr), good);
    assert_serving(&mut agent);
    assert_eq!(agent.put_config(RECEIVE_ALL).status, 200);
}

#[test]
#[ignore = "needs root, FRR and ../shared/corpus"]
fn topotest_files_frr_rejects_are_refused() {
    require(Release::Frr84, "topotest_files_frr_rejects_are_refused");
    const SAMPLE: usize = 20;
    let mut files = corpus::topotest_files().unwrap_or_else(|e| panic!("{e}"));
    Rng::new(7).shuffle(&mut files);
    let mut checked = 0;
    let rejected: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| {
            checked += 1;
            !dry_run_accepts(f)
        })
        .take(SAMPLE)
        .collect();
    assert_eq!(
        rejected.len(),
        SAMPLE,
        "the corpus has too few rejected files"
    );
    eprintln!("{SAMPLE} files FRR 8.4 rejects, found among {checked}");

    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    let good = running(&frr);
    let mut with_line = 0;
    for file in &rejected {
        let name = file.file_name().unwrap().to_string_lossy();
        let body = fs::read(file).unwrap();
        let reply = agent
            .request("PUT", "/v1/config", Some("text/plain"), &body)
            .unwrap();
        assert_eq!(reply.status, 422, "{name}: {}", reply.text());
        let result: ApplyResult = reply.json();
        assert_eq!(result.outcome, Outcome::ConversionFailed, "{name}");
        assert!(!result.conversion.errors.is_empty(), "{name}");
        assert_ne!(result.last_reload_result, "success");
        if let Some(e) = result.conversion.errors.iter().find(|e| e.line > 0) {
            with_line += 1;
            let text = String::from_utf8_lossy(&body);
            let named = text.lines().nth(e.line - 1).map(str::trim);
            let first_word = |l: &str| l.split_whitespace().next().map(str::to_owned);
            assert_eq!(
                named.and_then(first_word),
                first_word(&e.text),
                "{name}: line {} is not {:?}",
                e.line,
                e.text
            );
        }
        assert_eq!(running(&frr), good, "{name} changed FRR");
    }
    eprintln!("{with_line} of {SAMPLE} refusals name a line");
    assert!(with_line > SAMPLE / 2);
    assert_serving(&mut agent);
    assert!(
        !agent.status().converged,
        "the last desired one was refused"
    );
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    assert!(agent.status().converged);
    assert_eq!(running(&frr), good);
}

// ---------------------------------------------------------------------------
// 2. API abuse
// ---------------------------------------------------------------------------

#[test]
#[ignore = "needs root and FRR"]
fn api_abuse_is_answered_and_changes_nothing() {
    require(Release::Frr84, "api_abuse_is_answered_and_changes_nothing");
    let frr = frr();
    let dirs = AgentDirs::new();
    let mut agent = Agent::start(&frr, &dirs, &AgentOptions::default());
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    let good = running(&frr);
    let socket = agent.socket.clone();
    let put = |ct: Option<&str>, body: &[u8]| agent.request("PUT", "/v1/config", ct, body).unwrap();

    assert_error(
        &put(Some("application/json"), b"{\"config\": 42"),
        400,
        "JSON",
    );
    assert_error(&put(Some("application/json"), b"[1,2]"), 400, "JSON");
    assert_error(
        &put(Some("text/html"), RECEIVE_ALL.as_bytes()),
        415,
        "text/html",
    );
    assert_error(&put(Some("text/plain"), b""), 400, "missing body");
    let reply = raw(
        &socket,
        b"PUT /v1/config HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
        Duration::from_secs(10),
    )
    .unwrap();
    assert!(reply.starts_with("HTTP/1.1 400"), "no length: {reply}");
    assert_error(&agent.get("/"), 404, "no such path");
    assert_error(&agent.get("/v1/config/../status"), 404, "no such path");
    assert_error(
        &agent.request("BREW", "/v1/config", None, b"").unwrap(),
        405,
        "PUT",
    );
    assert_error(
        &agent.request("PUT", "/v1/status", None, b"x").unwrap(),
        405,
        "GET",
    );
    let reply = raw(&socket, b"HELLO\r\n\r\n", Duration::from_secs(10)).unwrap_or_default();
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 400"),
        "{reply}"
    );

    // A head over 64 KiB: 431, or the connection closed.
    // A head over 64 KiB: 431, or the connection closed. (hyper checks
    // its buffer only between reads: a single header of up to ~100 KiB
    // still passes, larger ones and many headers do not.)
    let big_head = |header: String| {
        let head = format!("GET /v1/status HTTP/1.1\r\nHost: x\r\n{header}\r\n");
        let reply = raw(&socket, head.as_bytes(), Duration::from_secs(10)).unwrap_or_default();
        reply.lines().next().unwrap_or("(closed)").to_owned()
    };
    for (name, header) in [
        (
            "one 70 KiB header",
            format!("X-Big: {}\r\n", "a".repeat(70 << 10)),
        ),
        (
            "one 256 KiB header",
            format!("X-Big: {}\r\n", "a".repeat(256 << 10)),
        ),
        (
            "one 8 MiB header",
            format!("X-Big: {}\r\n", "a".repeat(8 << 20)),
        ),
        (
            "1,800 headers (70 KiB)",
            (0..1800)
                .map(|i| format!("X-H{i}: {}\r\n", "b".repeat(30)))
                .collect(),
        ),
    ] {
        let line = big_head(header);
        eprintln!("{name}: {line}");
        if name != "one 70 KiB header" {
            assert!(
                line == "(closed)" || line.starts_with("HTTP/1.1 431"),
                "{name}: {line}"
            );
        }
    }
    eprintln!(
        "VmHWM after the heads: {} kB",
        status_field(agent.pid(), "VmHWM")
    );
    assert_eq!(running(&frr), good);
    assert_serving(&mut agent);

    // Slow clients: one dribbles its head, one its body, one byte a second.
    let vanished = format!("ip prefix-list vanished seq 5 permit 198.51.100.7/32\n{RECEIVE_DENY}");
    let dribble = |bytes: Vec<u8>, seconds: usize| {
        let socket = socket.clone();
        thread::spawn(move || {
            let started = Instant::now();
            let mut stream = UnixStream::connect(socket).unwrap();
            for b in bytes.iter().take(seconds) {
                if stream.write_all(&[*b]).is_err() {
                    break;
                }
                thread::sleep(Duration::from_secs(1));
            }
            stream
                .set_read_timeout(Some(Duration::from_millis(100)))
                .unwrap();
            let mut reply = Vec::new();
            let _ = stream.read_to_end(&mut reply);
            (
                started.elapsed(),
                String::from_utf8_lossy(&reply).into_owned(),
            )
        })
    };
    let head = b"PUT /v1/config HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\n".to_vec();
    let slow_head = dribble(head, 13);
    let mut body_first = format!(
        "PUT /v1/config HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        vanished.len()
    );
    body_first.push_str(&vanished);
    let mut slow_body = UnixStream::connect(&socket).unwrap();
    let head_len = body_first.len() - vanished.len();
    slow_body
        .write_all(&body_first.as_bytes()[..head_len])
        .unwrap();
    let body_dribbler = {
        let mut stream = slow_body.try_clone().unwrap();
        let bytes = vanished.as_bytes()[..5].to_vec();
        thread::spawn(move || {
            for b in bytes {
                stream.write_all(&[b]).unwrap();
                thread::sleep(Duration::from_secs(1));
            }
        })
    };
    thread::sleep(Duration::from_millis(1500));
    let started = Instant::now();
    let reply = agent.put_config(RECEIVE_ALL);
    let took = started.elapsed();
    eprintln!(
        "PUT while two clients dribble: {} in {took:.0?}",
        reply.status
    );
    assert_eq!(reply.status, 200, "{}", reply.text());
    assert!(
        took < Duration::from_secs(3),
        "blocked by slow clients: {took:?}"
    );
    assert!(running(&frr).contains(ALL_LINE));
    let started = Instant::now();
    assert_eq!(agent.get("/v1/status").status, 200);
    assert!(started.elapsed() < Duration::from_secs(1));
    // The body's client vanishes mid-body: its configuration never runs.
    body_dribbler.join().unwrap();
    drop(slow_body);
    let (held, reply) = slow_head.join().unwrap();
    eprintln!(
        "a head sent one byte a second: cut after {held:.0?} with {:?}",
        reply.lines().next().unwrap_or("(closed)")
    );
    assert!(
        held < Duration::from_secs(13),
        "the slow head was not cut off"
    );
    assert!(
        reply.is_empty() || reply.starts_with("HTTP/1.1 408"),
        "{reply}"
    );
    let status = agent.status();
    assert_ne!(status.desired_sha256, sha256_hex(&vanished));
    assert_eq!(status.desired_sha256, sha256_hex(RECEIVE_ALL));
    assert!(!running(&frr).contains("vanished"));

    // Clients that leave before the reply: the agent keeps serving; a
    // configuration received whole was accepted, and runs.
    let config = large(150);
    let mut head = format!(
        "PUT /v1/config HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n",
        config.len()
    )
    .into_bytes();
    head.extend(config.as_bytes());
    let mut stream = UnixStream::connect(&socket).unwrap();
    stream.write_all(&head).unwrap();
    thread::sleep(Duration::from_millis(200));
    drop(stream);
    for path in ["/v1/running-config", "/v1/status", "/v1/events"] {
        let mut stream = UnixStream::connect(&socket).unwrap();
        stream
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
            .unwrap();
        let mut some = [0; 10];
        let _ = stream.read(&mut some);
    }
    let last = wait_for(Duration::from_secs(30), "the large config's result", || {
        let last = agent.status().last_result?;
        (last.sha256 == sha256_hex(&config)).then_some(last)
    });
    let status = agent.status();
    assert_eq!(last.outcome, Outcome::Converged, "{last:#?}");
    assert_eq!(status.last_reload_result, "success");
    let live = running(&frr);
    assert_eq!(
        big_entries(&live),
        150,
        "{live}\n{:#?}\n{}",
        status.last_result,
        agent.log_text()
    );
    assert_serving(&mut agent);
    assert_eq!(agent.put_config(RECEIVE_DENY).status, 200);
    assert_eq!(running(&frr), good);
}
