//! `${VAR}` substitution from the environment and talhelper's talenv files.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Variables for substitution: process environment overlaid by env files (files win, as in
/// talhelper, which `setenv`s each file's values).
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// The process environment.
    pub fn from_process() -> Env {
        Env {
            vars: std::env::vars().collect(),
        }
    }

    /// An environment from explicit pairs (tests).
    pub fn from_pairs<I: IntoIterator<Item = (String, String)>>(pairs: I) -> Env {
        Env {
            vars: pairs.into_iter().collect(),
        }
    }

    /// Sets a variable.
    pub fn set(&mut self, k: impl Into<String>, v: impl Into<String>) {
        self.vars.insert(k.into(), v.into());
    }

    /// Looks a variable up.
    pub fn get(&self, k: &str) -> Option<&str> {
        self.vars.get(k).map(String::as_str)
    }

    /// Replaces `${NAME}` and `$NAME` in `s`. `$$` is a literal `$`. A variable that is unset
    /// or empty is an error naming it (talhelper's `noUnset`/`noEmpty`), with its byte
    /// offset in `s`.
    pub fn substitute(&self, s: &str) -> Result<String, (String, usize)> {
        if !s.contains('$') {
            return Ok(s.to_string());
        }
        let b = s.as_bytes();
        let mut out = String::with_capacity(s.len());
        let mut i = 0;
        while i < b.len() {
            if b[i] != b'$' {
                let ch = s[i..].chars().next().unwrap_or('\u{fffd}');
                out.push(ch);
                i += ch.len_utf8();
                continue;
            }
            if b.get(i + 1) == Some(&b'$') {
                out.push('$');
                i += 2;
                continue;
            }
            let (name, end) = if b.get(i + 1) == Some(&b'{') {
                match s[i + 2..].find('}') {
                    Some(j) => (&s[i + 2..i + 2 + j], i + 3 + j),
                    None => return Err(("unterminated `${`".to_string(), i)),
                }
            } else {
                let len = s[i + 1..]
                    .bytes()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == b'_')
                    .count();
                if len == 0 {
                    out.push('$');
                    i += 1;
                    continue;
                }
                (&s[i + 1..i + 1 + len], i + 1 + len)
            };
            match self.get(name) {
                Some(v) if !v.is_empty() => out.push_str(v),
                _ => return Err((format!("variable ${{{name}}} not set"), i)),
            }
            i = end;
        }
        Ok(out)
    }
}

/// talhelper's default env files, looked up next to talconfig.yaml.
pub const DEFAULT_ENV_FILES: &[&str] = &[
    "talenv.yaml",
    "talenv.sops.yaml",
    "talenv.yml",
    "talenv.sops.yml",
];

/// Reads `KEY: value` / `KEY=value` lines of plaintext env files into `env`. Unlike talhelper,
/// a line that does not parse is an error (talhelper swallows it, issue #1459).
pub fn load_env_files(env: &mut Env, files: &[PathBuf]) -> Result<(), String> {
    for f in files {
        let text = match std::fs::read_to_string(f) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot read env file `{}`: {e}", f.display())),
        };
        parse_env(env, &text, f)?;
    }
    Ok(())
}

/// Reads `KEY: value` lines of an env file's text (e.g. a decrypted `talenv.sops.yaml`).
pub fn parse_env(env: &mut Env, text: &str, file: &Path) -> Result<(), String> {
    for (n, line) in text.lines().enumerate() {
        let t = line.trim();
        if t.is_empty() || t.starts_with('#') || t == "---" {
            continue;
        }
        let Some((k, v)) = t
            .split_once(": ")
            .or_else(|| t.split_once('='))
            .or_else(|| t.strip_suffix(':').map(|k| (k, "")))
        else {
            return Err(format!(
                "{}:{}: cannot parse `{t}`; write `KEY: value`",
                file.display(),
                n + 1
            ));
        };
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
            .unwrap_or(v);
        env.set(k.trim(), v);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn substitutes_and_reports_unset() {
        let env = Env::from_pairs([("A".into(), "x".into()), ("E".into(), String::new())]);
        assert_eq!(env.substitute("${A}-$A-$$-y").unwrap(), "x-x-$-y");
        assert_eq!(
            env.substitute("a $B").unwrap_err(),
            ("variable ${B} not set".into(), 2)
        );
        assert_eq!(
            env.substitute("${E}").unwrap_err().0,
            "variable ${E} not set"
        );
        assert_eq!(env.substitute("cost: 5$").unwrap(), "cost: 5$");
    }

    #[test]
    fn parses_env_files() {
        let mut env = Env::default();
        parse_env(
            &mut env,
            "# c\nCLUSTER: infra\nVIP=\"10.0.0.1\"\n",
            Path::new("t"),
        )
        .unwrap();
        assert_eq!(env.get("CLUSTER"), Some("infra"));
        assert_eq!(env.get("VIP"), Some("10.0.0.1"));
        assert!(parse_env(&mut env, "garbage line\n", Path::new("t")).is_err());
    }
}
