//! `netprove-collect`: collect a live snapshot into a directory that
//! `netprove` reads (`netprove check DIR specs/`).
//!
//! ```text
//! netprove-collect kube --out DIR --cluster NAME [--context CTX] [...]
//! ```

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "netprove-collect",
    version,
    about = "Collect a live netprove snapshot (Kubernetes; the AWS collector is pending, see collect/pending)"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Collect namespaces, pods, nodes, services, endpoints and policies from one cluster.
    Kube(netprove_collect::kube::KubeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Kube(k) => netprove_collect::kube::run(&k).map_err(|e| e.to_string()),
    };
    match result {
        Ok(summary) => {
            eprintln!("{summary}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}
