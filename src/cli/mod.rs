//! Subcommands of the talforge binary, one file each; `run()` maps results to exit codes.

mod args;
mod check;
mod completions;
mod crypt;
mod doc;
mod gencommand;
mod genconfig;
mod genurl;
mod import;
mod kubeconfig;
mod output;
mod patch;
mod repl;
mod run;
mod schematic;
mod secrets;
mod target;
mod validate;

pub use args::{Cli, ColorChoice, DiagFormat};
use clap::{Parser, Subcommand};

pub use output::Reporter;

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Evaluate a cluster script and write its files under `<script dir>/<cluster>/talos/`.
    #[command(after_help = "Example:\n  talforge run clusters/infra.rhai --check")]
    Run(run::RunArgs),
    /// Evaluate and validate a cluster script; write nothing.
    #[command(after_help = "Example:\n  talforge check clusters/infra.rhai")]
    Check(check::CheckArgs),
    /// Print every host and stdlib function with its signature and example (markdown).
    #[command(after_help = "Example:\n  talforge doc bond")]
    Doc(doc::DocArgs),
    /// Render machine configs from a talhelper talconfig.yaml (drop-in for `talhelper genconfig`).
    #[command(
        after_help = "Example:\n  talforge genconfig -c clusters/infra/talos/talconfig.yaml --out-dir /tmp/infra"
    )]
    Genconfig(genconfig::GenconfigArgs),
    /// Turn a talhelper talconfig.yaml (and its patch files) into a cluster script.
    #[command(
        after_help = "Example:\n  talforge import clusters/infra/talos/talconfig.yaml -o clusters/infra.rhai"
    )]
    Import(import::ImportArgs),
    /// Encrypt a YAML file with SOPS + age (recipients from `.sops.yaml` or `--age`).
    #[command(after_help = "Example:\n  talforge encrypt secrets.yaml -i")]
    Encrypt(crypt::EncryptArgs),
    /// Decrypt a SOPS-encrypted YAML file (key from SOPS_AGE_KEY_FILE, SOPS_AGE_KEY or ~/.config/sops/age/keys.txt).
    #[command(after_help = "Example:\n  talforge decrypt talsecret.sops.yaml")]
    Decrypt(crypt::DecryptArgs),
    /// Generate a Talos secrets bundle (`talforge secrets gen`).
    Secrets(secrets::SecretsArgs),
    /// Validate a Talos machine config like `talosctl validate` (same checks and output).
    #[command(
        after_help = "Example:\n  talforge validate -c controlplane.yaml --mode metal --strict"
    )]
    Validate(validate::ValidateArgs),
    /// Explore a cluster script interactively (`:help` lists the commands).
    #[command(
        after_help = "Examples:\n  talforge repl clusters/infra.rhai\n  talforge repl clusters/infra.rhai --eval ':show infra-cp-1 machine.install'\n  echo ':nodes' | talforge repl clusters/infra.rhai"
    )]
    Repl(repl::ReplArgs),
    /// The talosctl commands for a cluster (as talhelper's `gencommand`); `apply` streams the
    /// decrypted configs, so nothing plaintext is written.
    #[command(
        after_help = "Examples:\n  talforge gencommand apply clusters/infra.rhai --insecure | bash\n  talforge gencommand upgrade clusters/infra.rhai -n infra-cp-1\n  talforge gencommand bootstrap -c talconfig.yaml"
    )]
    Gencommand(gencommand::GencommandArgs),
    /// An admin kubeconfig made offline from the cluster's secrets bundle (break-glass access).
    #[command(
        after_help = "Examples:\n  talforge kubeconfig clusters/infra.rhai -o ~/.kube/infra\n  talforge kubeconfig -c talconfig.yaml | kubectl --kubeconfig /dev/stdin get nodes"
    )]
    Kubeconfig(kubeconfig::KubeconfigArgs),
    /// Image Factory URLs for each node's schematic (as talhelper's `genurl`).
    #[command(
        after_help = "Examples:\n  talforge genurl iso clusters/infra.rhai -n infra-cp-1\n  talforge genurl installer -c talconfig.yaml\n  talforge genurl image clusters/edge.rhai --arch arm64"
    )]
    Genurl(genurl::GenurlArgs),
    /// A node's schematic exactly as the Image Factory hashes it, ready to create on the factory.
    #[command(
        after_help = "Examples:\n  talforge schematic clusters/infra.rhai -n infra-cp-1 | curl -X POST --data-binary @- https://factory.talos.dev/schematics\n  talforge schematic -c talconfig.yaml --id\n  talforge schematic clusters/infra.rhai --extensions"
    )]
    Schematic(schematic::SchematicArgs),
    /// Apply patches to a machine config, like `talosctl machineconfig patch` (Talos'
    /// configpatcher: strategic merge, `$patch: delete`, JSON6902).
    #[command(
        after_help = "Examples:\n  talforge patch controlplane.yaml --patch @patches/common.yaml -o /tmp/cp.yaml\n  talforge patch clusterconfig/infra-infra-cp-1.sops.yaml -p '[{\"op\": \"add\", \"path\": \"/machine/sysctls\", \"value\": {\"vm.max_map_count\": 262144}}]'"
    )]
    Patch(patch::PatchArgs),
    /// Print a shell completion script.
    #[command(after_help = "Example:\n  talforge completions zsh > ~/.zfunc/_talforge")]
    Completions(completions::CompletionsArgs),
}

/// Runs the command line; returns the process exit code (0 ok, 1 user error, 2 usage error).
/// Every subcommand returns its exit code or a [`Failure`](crate::diag::Failure), which the reporter prints.
pub fn run() -> u8 {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let code = e.exit_code();
            let _ = e.print();
            return u8::try_from(code).unwrap_or(2);
        }
    };
    let reporter = Reporter::new(cli.color, cli.diagnostic_format);
    let result = match cli.command {
        Command::Run(a) => run::run(&a, &reporter),
        Command::Check(a) => check::run(&a, &reporter),
        Command::Validate(a) => validate::run(&a, &reporter),
        Command::Completions(a) => Ok(completions::run(&a)),
        Command::Doc(a) => Ok(doc::run(&a)),
        Command::Import(a) => import::run(&a),
        Command::Genconfig(a) => genconfig::run(&a, &reporter),
        Command::Encrypt(a) => crypt::encrypt(&a),
        Command::Decrypt(a) => crypt::decrypt(&a, &reporter),
        Command::Secrets(a) => secrets::run(&a),
        Command::Repl(a) => Ok(repl::run(&a, &reporter)),
        Command::Kubeconfig(a) => kubeconfig::run(&a),
        Command::Gencommand(a) => gencommand::run(&a, &reporter),
        Command::Genurl(a) => genurl::run(&a),
        Command::Schematic(a) => schematic::run(&a),
        Command::Patch(a) => patch::run(&a),
    };
    reporter.finish(result)
}
