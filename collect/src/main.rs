//! `netprove-collect`: collect a live snapshot. Being built.

fn main() -> std::process::ExitCode {
    eprintln!("error: netprove-collect is not built yet");
    std::process::ExitCode::from(2)
}
