//! `talforge gencommand`: the talosctl commands for a cluster, as talhelper's `gencommand`
//! prints them; for a script, `apply` streams each decrypted config so nothing plaintext is
//! written (`talforge gencommand apply clusters/infra.rhai | bash`).

use super::Reporter;
use super::target::TargetArgs;
use crate::diag::Failure;
use crate::fs;
use crate::render::commands::{ConfigSource, Request, Sub, commands};

/// Arguments of `gencommand`.
#[derive(Debug, clap::Args)]
pub struct GencommandArgs {
    /// The talosctl command.
    #[arg(value_enum)]
    pub sub: Sub,
    /// Which cluster.
    #[command(flatten)]
    pub target: TargetArgs,
    /// Only these nodes (hostname or IP; repeatable). Without it: every node, or the first
    /// control plane for bootstrap, kubeconfig, upgrade-k8s and health.
    #[arg(short = 'n', long = "node", value_name = "NODE")]
    pub nodes: Vec<String>,
    /// Flags appended to each command (comma-separated like talhelper's, repeatable).
    #[arg(long = "extra-flags", value_name = "FLAGS", value_delimiter = ',')]
    pub extra_flags: Vec<String>,
    /// Add `--insecure` (a node in maintenance mode, before its first config).
    #[arg(long)]
    pub insecure: bool,
    /// With `-c`: where talhelper's plaintext configs and talosconfig are (as talhelper's
    /// `--out-dir`).
    #[arg(
        short = 'o',
        long = "out-dir",
        value_name = "DIR",
        default_value = "./clusterconfig"
    )]
    pub out_dir: String,
}

pub(super) fn run(a: &GencommandArgs, r: &Reporter) -> Result<u8, Failure> {
    let t = a.target.load()?;
    let (dir, configs) = if a.target.config.is_some() {
        // A talhelper layout: its plaintext configs, printed exactly as talhelper does.
        (
            a.out_dir.clone(),
            ConfigSource::Plaintext(a.out_dir.clone()),
        )
    } else {
        let dir = fs::shown(&t.dir.join("clusterconfig"));
        (dir.clone(), ConfigSource::Encrypted(dir))
    };
    let mut extra = a.extra_flags.clone();
    if a.insecure {
        extra.push("--insecure".into());
    }
    let talosconfig = format!("{dir}/talosconfig");
    let req = Request {
        sub: a.sub,
        nodes: &a.nodes,
        extra: &extra,
        talosconfig: &talosconfig,
        configs: &configs,
    };
    match commands(&t.cluster, &req) {
        Ok(lines) => {
            for l in lines {
                println!("{l}");
            }
            Ok(0)
        }
        Err(d) => {
            r.emit(&[d], &t.sources);
            Ok(1)
        }
    }
}
