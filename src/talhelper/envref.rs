//! What talhelper substitutes, written back: in talconfig.yaml and patch files a literal `$`
//! is `$$`, a value the description read from the environment is `${NAME}` again, and no
//! secret value reaches a tracked file.

use crate::diag::Diagnostic;
use crate::fs::OutFile;
use crate::model::{EnvPiece, EnvVar, env_pieces};
use crate::yaml::{Map, Yaml};

/// Marks a reference the writer itself makes for a secret (a WireGuard key's
/// `${WG_PRIVATE_KEY_...}`), so [`restore`] writes it as a reference instead of escaping it.
const MARK: char = '\u{1}';
/// Separates the default name from the value inside a [`MARK`]ed reference.
const SEP: char = '\u{2}';

/// A secret the writer never spells out: [`restore`] writes `${NAME}` for the variable that
/// gave `value` (`env("NAME")`), else `${default}` (which talhelper users set in
/// talenv.sops.yaml).
pub fn secret_reference(default: &str, value: &str) -> String {
    format!("{MARK}{default}{SEP}{value}{MARK}")
}

/// One string as talhelper must read it back.
fn restore_str(s: &str, vars: &[EnvVar]) -> String {
    // Nothing to restore (the common case, every string of a config without `env()`): what
    // `env_pieces` would give, a single text piece, without scanning it character by character.
    if !s.contains(MARK) && vars.iter().all(|v| v.value.is_empty()) {
        return s.replace('$', "$$");
    }
    let mut out = String::with_capacity(s.len());
    for (i, part) in s.split(MARK).enumerate() {
        if i % 2 == 1 {
            let (default, value) = part.split_once(SEP).unwrap_or((part, ""));
            let name = vars
                .iter()
                .find(|v| !value.is_empty() && v.value == value)
                .map_or(default, |v| v.name.as_str());
            out.push_str(&format!("${{{name}}}"));
            continue;
        }
        for piece in env_pieces(part, vars) {
            match piece {
                EnvPiece::Text(t) => out.push_str(&t.replace('$', "$$")),
                EnvPiece::Var(n) => out.push_str(&format!("${{{n}}}")),
            }
        }
    }
    out
}

/// A document written to a file talhelper substitutes: every string and key restored.
pub fn restore(y: &Yaml, vars: &[EnvVar]) -> Yaml {
    match y {
        Yaml::Str(s) => Yaml::Str(restore_str(s, vars)),
        Yaml::Seq(items) => Yaml::Seq(items.iter().map(|i| restore(i, vars)).collect()),
        Yaml::Map(m) => {
            let mut out = Map::new();
            for (k, v) in m {
                out.insert(restore_str(k, vars), restore(v, vars));
            }
            Yaml::Map(out)
        }
        other => other.clone(),
    }
}

/// The first tracked file that holds a secret value, as an error naming the file and the
/// variable (never the value). A secret may only reach the encrypted machine configs.
pub fn leak(files: &[OutFile], vars: &[EnvVar]) -> Option<Diagnostic> {
    files
        .iter()
        .find_map(|f| leak_in(&f.path, &f.content, vars))
}

/// [`leak`] for one file's content.
pub fn leak_in(path: &std::path::Path, content: &str, vars: &[EnvVar]) -> Option<Diagnostic> {
    for v in vars.iter().filter(|v| v.secret && !v.value.is_empty()) {
        if content.contains(&v.value) {
            return Some(
                Diagnostic::error(format!(
                    "`{}` would hold the value of the secret `{}` (from talenv.sops.yaml)",
                    path.display(),
                    v.name
                ))
                .with_note("tracked files get `${NAME}` where a value came from `env()` as it is; a value the script changed (cut, joined into a number, encoded) cannot be written back")
                .with_hint(format!("use `env(\"{}\")` unchanged in a string, or keep the value out of the script", v.name)),
            );
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn literal_dollars_are_escaped_and_values_referenced() {
        let vars = [EnvVar {
            name: "VIP".into(),
            value: "10.0.0.1".into(),
            secret: false,
        }];
        let y = Yaml::from_pairs([
            ("$patch", Yaml::str("delete")),
            ("endpoint", Yaml::str("https://10.0.0.1:6443")),
            (
                "key",
                Yaml::str(secret_reference("WG_PRIVATE_KEY_CP_1_WG0", "k1")),
            ),
            (
                "token",
                Yaml::str(secret_reference("HCLOUD_API_TOKEN_CP_1_ETH0", "10.0.0.1")),
            ),
            ("cost", Yaml::str("5$ or $HOME")),
        ]);
        let got = crate::yaml::emit_document(
            &restore(&y, &vars),
            &crate::yaml::EmitOptions { indent: 2 },
        );
        assert_eq!(
            got,
            "$$patch: delete\nendpoint: https://${VIP}:6443\nkey: ${WG_PRIVATE_KEY_CP_1_WG0}\ntoken: ${VIP}\ncost: 5$$ or $$HOME\n"
        );
        // talhelper's substitution gives the strings back.
        let env = crate::talhelper::Env::from_pairs([
            ("VIP".into(), "10.0.0.1".into()),
            ("WG_PRIVATE_KEY_CP_1_WG0".into(), "k1".into()),
        ]);
        assert_eq!(
            env.substitute(&got).unwrap(),
            "$patch: delete\nendpoint: https://10.0.0.1:6443\nkey: k1\ntoken: 10.0.0.1\ncost: 5$ or $HOME\n"
        );
    }

    #[test]
    fn a_secret_in_a_file_is_found_and_not_quoted() {
        let vars = [EnvVar {
            name: "TOKEN".into(),
            value: "hunter2-hunter2".into(),
            secret: true,
        }];
        let files = [OutFile::new(
            "talconfig.yaml".into(),
            "a: hunter2-hunter2x\n".to_string(),
            0o644,
        )];
        let d = leak(&files, &vars).unwrap();
        assert!(d.message.contains("TOKEN") && !format!("{d:?}").contains("hunter2"));
        let clean = [OutFile::new(
            "talconfig.yaml".into(),
            "a: ${TOKEN}\n".to_string(),
            0o644,
        )];
        assert!(leak(&clean, &vars).is_none());
    }
}
