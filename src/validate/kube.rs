//! Kubernetes' rules for what a node option turns into: label and annotation keys and
//! values, taints, and Talos' disk size selector. In talforge's words, checked at the option
//! before Talos would reject the rendered config with its own text.

/// The effects a taint can have.
pub const TAINT_EFFECTS: [&str; 3] = ["NoSchedule", "PreferNoSchedule", "NoExecute"];

/// `[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?`, at most `max` characters.
fn is_name(s: &str, max: usize) -> bool {
    let b = s.as_bytes();
    !s.is_empty()
        && s.len() <= max
        && b[0].is_ascii_alphanumeric()
        && b[b.len() - 1].is_ascii_alphanumeric()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
}

/// Why `key` cannot be a label, annotation or taint key: `[prefix/]name`, the prefix a DNS
/// subdomain, the name 1–63 letters, digits, `-`, `_` or `.` starting and ending
/// alphanumeric.
pub fn key_error(key: &str) -> Option<String> {
    let (prefix, name) = match key.rsplit_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, key),
    };
    if let Some(p) = prefix
        && !super::model::is_dns_subdomain(p)
    {
        return Some(format!(
            "the prefix `{p}` of `{key}` must be a lowercase DNS subdomain (like `example.com`)"
        ));
    }
    if !is_name(name, 63) {
        return Some(format!(
            "`{name}` must be 1 to 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit"
        ));
    }
    None
}

/// Why `value` cannot be a label or taint value: empty, or a name of at most 63 characters.
pub fn value_error(value: &str) -> Option<String> {
    (!value.is_empty() && !is_name(value, 63)).then(|| {
        format!(
            "the value `{value}` must be empty or 1 to 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit"
        )
    })
}

/// Why a taint `value:effect` (written as `#{ key: "value:Effect" }`) is not one.
pub fn taint_error(key: &str, value: &str, effect: &str) -> Option<String> {
    if let Some(e) = key_error(key) {
        return Some(e);
    }
    if let Some(e) = value_error(value) {
        return Some(e);
    }
    (!TAINT_EFFECTS.contains(&effect)).then(|| {
        format!(
            "the effect `{effect}` must be one of {}",
            TAINT_EFFECTS.map(|e| format!("`{e}`")).join(", ")
        )
    })
}

/// Why `size` is not a disk size condition: an optional `>=`, `<=`, `>`, `<` or `==`, then a
/// number with an optional unit (`B`, `kB`/`KiB`, `MB`/`MiB`, `GB`/`GiB`, `TB`/`TiB`, …).
pub fn disk_size_error(size: &str) -> Option<String> {
    let s = size.trim();
    let rest = [">=", "<=", "==", ">", "<"]
        .iter()
        .find_map(|op| s.strip_prefix(op))
        .unwrap_or(s)
        .trim();
    let digits = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let (num, unit) = rest.split_at(digits);
    let unit = unit.trim();
    let unit_ok = matches!(
        unit.to_lowercase().as_str(),
        "" | "b"
            | "k"
            | "kb"
            | "ki"
            | "kib"
            | "m"
            | "mb"
            | "mi"
            | "mib"
            | "g"
            | "gb"
            | "gi"
            | "gib"
            | "t"
            | "tb"
            | "ti"
            | "tib"
            | "p"
            | "pb"
            | "pi"
            | "pib"
            | "e"
            | "eb"
            | "ei"
            | "eib"
    );
    if num.parse::<f64>().is_err() {
        return Some(format!(
            "`{size}` is not a disk size: write a number with a unit, optionally after a comparison, like `>= 256GB`"
        ));
    }
    (!unit_ok).then(|| format!("`{unit}` in `{size}` is not a size unit (use B, GB, GiB, TB, …)"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_names() {
        for ok in [
            "a",
            "node.kubernetes.io/exclude",
            "topology.kubernetes.io/zone",
            "A_b.c-9",
        ] {
            assert_eq!(key_error(ok), None, "{ok}");
        }
        assert!(
            key_error("bad key!")
                .unwrap()
                .contains("`bad key!` must be 1 to 63")
        );
        assert!(
            key_error("Example.com/x")
                .unwrap()
                .contains("prefix `Example.com`")
        );
        assert!(key_error(&"x".repeat(64)).is_some());
        assert_eq!(value_error(""), None);
        assert!(value_error("-x").is_some());
        assert_eq!(taint_error("dedicated", "gpu", "NoSchedule"), None);
        assert!(
            taint_error("dedicated", "gpu", "NoFly")
                .unwrap()
                .contains("`NoSchedule`, `PreferNoSchedule`, `NoExecute`")
        );
    }

    #[test]
    fn disk_sizes() {
        for ok in ["256GB", ">= 256GB", "<=1TiB", "== 500 GB", "100"] {
            assert_eq!(disk_size_error(ok), None, "{ok}");
        }
        assert!(
            disk_size_error(">= lots")
                .unwrap()
                .contains("is not a disk size")
        );
        assert!(
            disk_size_error("100 XB")
                .unwrap()
                .contains("`XB` in `100 XB` is not a size unit")
        );
    }
}
