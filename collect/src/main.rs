//! `netprove-collect`: collect a live snapshot into a directory that
//! `netprove` reads (`netprove check DIR specs/`).
//!
//! ```text
//! netprove-collect aws  --out DIR [--region R]... [...]
//! netprove-collect kube --out DIR --cluster NAME [--context CTX] [...]
//! ```

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "netprove-collect", version, about = "Collect a live netprove snapshot (AWS and Kubernetes)")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Collect VPC networking and AWS Network Firewall from one account, in one or more regions.
    Aws(netprove_collect::aws::AwsArgs),
    /// Collect namespaces, pods, nodes, services, endpoints and policies from one cluster.
    Kube(netprove_collect::kube::KubeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Aws(a) => netprove_collect::aws::run(&a).map_err(|e| e.to_string()),
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
