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
