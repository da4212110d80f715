//! `netprove shell` end to end: through standard input, and through a real
//! pseudo-terminal (util-linux `script`) to exercise Tab completion.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic, reason = "test code fails loudly")]

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn demo() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../snapshots/demo")
}

#[test]
fn shell_over_stdin_answers_why_trace_and_rejects_bad_commands() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_netprove"))
        .arg("shell")
        .arg(demo())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(
            b"help\n\
              why pod:prod-west/tenant-c/api-sgg9tdqctz-fx6jv 10.30.1.10 --proto tcp --dport 5432\n\
              why 'pods(namespace: tenant-b)' 10.30.1.10 --proto tcp\n\
              frobnicate\n\
              tracee 1.2.3.4 5.6.7.8\n\
              exit\n",
        )
        .expect("write");
    let out = child.wait_with_output().expect("wait");
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("commands:"), "{text}");
    assert!(text.contains("No: none of the 1 source/destination pairs connect"), "{text}");
    assert!(
        text.contains("network-policy tenant-c/default-deny") || text.contains("network-policy tenant-c/"),
        "{text}"
    );
    assert!(text.contains("Yes: 7 of 7 source/destination pairs connect"), "{text}");
    assert!(text.contains("unknown command `frobnicate`"), "{text}");
    assert!(text.contains("did you mean `trace`"), "{text}");
}

#[test]
fn shell_completes_names_in_a_terminal() {
    // `script` runs the shell on a pseudo-terminal; the Tab completes the ENI id.
    let exe = env!("CARGO_BIN_EXE_netprove");
    let cmd = format!("{exe} shell {}", demo().display());
    let mut child = Command::new("script")
        .args(["-qfec", &cmd, "/dev/null"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("script (util-linux) runs the shell on a pty");
    let mut stdin = child.stdin.take().expect("stdin");
    stdin.write_all(b"trace 10.50.16.30 eni-0f940\t --dport 5432\r").expect("write");
    std::thread::sleep(std::time::Duration::from_millis(1500));
    stdin.write_all(b"exit\r").expect("write");
    drop(stdin);
    let out = child.wait_with_output().expect("wait");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("eni-0f940bf13101bdf96"), "completion did not expand the ENI id:\n{text}");
    assert!(text.contains("verdict: ALLOWED"), "{text}");
}
