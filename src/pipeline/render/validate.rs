//! `talosctl validate` of a rendered config, as diagnostics at the node's `node()` call.

use crate::diag::Diagnostic;
use crate::model::{Cluster, Node, TalosMode};
use crate::talos::validate::{self as talos_validate, Mode};
use crate::yaml::Yaml;

/// What validation found in one config.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Findings {
    /// `talosctl validate` rejects the config.
    pub errors: Vec<Diagnostic>,
    /// It accepts it with warnings.
    pub warnings: Vec<Diagnostic>,
}

/// Validates a config's text like `talosctl validate --mode <the cluster's talos_mode>`,
/// with `--strict` when `strict`: warnings are printed and never abort unless strict. The
/// run does so when it makes a config (a kept one was validated when it was made).
pub fn validate(cluster: &Cluster, node: &Node, text: &str, strict: bool) -> Findings {
    let mode = mode_of(cluster);
    findings(
        node,
        &talos_validate::validate_text(text, mode, strict),
        mode,
        strict,
    )
}

/// [`validate`] of rendered documents `docs` whose text is `text` (the tree is read directly
/// when it can be; the findings are the same).
pub fn validate_rendered(
    cluster: &Cluster,
    node: &Node,
    docs: &[Yaml],
    text: &str,
    strict: bool,
) -> Findings {
    let mode = mode_of(cluster);
    let outcome = talos_validate::validate_rendered(docs, text, mode, strict);
    findings(node, &outcome, mode, strict)
}

fn mode_of(cluster: &Cluster) -> Mode {
    match cluster.talos_mode {
        TalosMode::Metal => Mode::Metal,
        TalosMode::Cloud => Mode::Cloud,
        TalosMode::Container => Mode::Container,
    }
}

/// The diagnostics of a validation outcome, at the node's `node()` call.
fn findings(node: &Node, outcome: &talos_validate::Outcome, mode: Mode, strict: bool) -> Findings {
    let file = format!("machine config of `{}`", node.hostname);
    let mut found = Findings::default();
    if let Some(e) = &outcome.decode_error {
        found.errors.push(
            Diagnostic::error(format!("the {file} does not decode: {e}")).at_opt(node.span.clone()),
        );
    }
    for e in &outcome.details {
        found.errors.push(
            Diagnostic::error(format!("the {file} is invalid: {e}"))
                .at_opt(node.span.clone())
                .with_note(format!("`talosctl validate --mode {}{}` rejects it; a patch or an option of this node causes it", mode.as_str(), if strict { " --strict" } else { "" })),
        );
    }
    for w in &outcome.warnings {
        found
            .warnings
            .push(Diagnostic::warning(format!("{file}: {w}")).at_opt(node.span.clone()));
    }
    found
}
