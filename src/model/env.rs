//! Variables a cluster's description read from the environment or a talenv file: what
//! `env("NAME")` returned in a script, what `${NAME}` stood for in a talconfig.

/// One variable and the value it had. Writers of tracked files (talconfig.yaml, patches,
/// scripts) write the reference back instead of the value; a secret one (from an encrypted
/// env file) must never appear there at all.
#[derive(Clone, PartialEq, Eq)]
pub struct EnvVar {
    /// The variable's name.
    pub name: String,
    /// Its value.
    pub value: String,
    /// It came from an encrypted env file (`talenv.sops.yaml`).
    pub secret: bool,
}

impl std::fmt::Debug for EnvVar {
    // A secret value is never printed (a failed test or `{:?}` would show it).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = if self.secret { "******" } else { &self.value };
        f.debug_struct("EnvVar")
            .field("name", &self.name)
            .field("value", &value)
            .field("secret", &self.secret)
            .finish()
    }
}

/// Adds `var` to `vars` unless a variable of that name is there already.
pub fn record_env_var(vars: &mut Vec<EnvVar>, var: EnvVar) {
    if !vars.iter().any(|v| v.name == var.name) {
        vars.push(var);
    }
}

/// A piece of a string written to a tracked file: text as it is, or a variable's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvPiece {
    /// Literal text.
    Text(String),
    /// The value of the variable of that name.
    Var(String),
}

/// `s` split where it holds the value of one of `vars`, longest value first. A secret's
/// value is found anywhere; another's only on its own (the whole string) or between
/// non-alphanumeric neighbours, and only when it is at least three characters long, so
/// `10.0.0.1` is not found in `10.0.0.10` nor `1` in every number. Replacing a value by its
/// reference is always exact: substituting the reference gives the string back.
pub fn env_pieces(s: &str, vars: &[EnvVar]) -> Vec<EnvPiece> {
    let mut sorted: Vec<&EnvVar> = vars.iter().filter(|v| !v.value.is_empty()).collect();
    sorted.sort_by_key(|v| std::cmp::Reverse(v.value.len()));
    if let Some(v) = sorted.iter().find(|v| v.value == s) {
        return vec![EnvPiece::Var(v.name.clone())];
    }
    let mut out = Vec::new();
    let mut text = String::new();
    let mut i = 0;
    'scan: while i < s.len() {
        for v in &sorted {
            if s[i..].starts_with(&v.value) && (v.secret || standalone(s, i, v.value.len())) {
                if !text.is_empty() {
                    out.push(EnvPiece::Text(std::mem::take(&mut text)));
                }
                out.push(EnvPiece::Var(v.name.clone()));
                i += v.value.len();
                continue 'scan;
            }
        }
        let c = s[i..].chars().next().unwrap_or_default();
        text.push(c);
        i += c.len_utf8().max(1);
    }
    if !text.is_empty() {
        out.push(EnvPiece::Text(text));
    }
    out
}

fn standalone(s: &str, at: usize, len: usize) -> bool {
    let alnum = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
    len >= 3 && !alnum(s[..at].chars().next_back()) && !alnum(s[at + len..].chars().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn var(name: &str, value: &str, secret: bool) -> EnvVar {
        EnvVar {
            name: name.into(),
            value: value.into(),
            secret,
        }
    }

    #[test]
    fn pieces_find_values_where_they_stand_alone() {
        let vars = [
            var("VIP", "10.0.0.1", false),
            var("ONE", "1", false),
            var("KEY", "s3cr3t", true),
        ];
        let t = |s: &str| EnvPiece::Text(s.into());
        let v = |s: &str| EnvPiece::Var(s.into());
        assert_eq!(
            env_pieces("https://10.0.0.1:6443", &vars),
            [t("https://"), v("VIP"), t(":6443")]
        );
        assert_eq!(env_pieces("10.0.0.10", &vars), [t("10.0.0.10")]);
        assert_eq!(env_pieces("1", &vars), [v("ONE")]);
        assert_eq!(env_pieces("x1s3cr3ty", &vars), [t("x1"), v("KEY"), t("y")]);
        assert_eq!(env_pieces("", &vars), []);
    }
}
