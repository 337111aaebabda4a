//! Go's `time.Duration`: parsing a YAML duration text and printing it as `Duration.String`.

/// Nanoseconds of a `time.ParseDuration` text (`None` when it does not parse).
pub(super) fn parse(s: &str) -> Option<i128> {
    let (neg, mut rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    if rest == "0" {
        return Some(0);
    }
    if rest.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !rest.is_empty() {
        let num_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let value: f64 = rest[..num_len].parse().ok()?;
        rest = &rest[num_len..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let scale = match &rest[..unit_len] {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => return None,
        };
        total += value * scale;
        rest = &rest[unit_len..];
    }
    let n = total.round() as i128;
    Some(if neg { -n } else { n })
}

/// `time.Duration.String` (`-5s`, `1m30s`, `1.5s`, `500ms`, `0s`).
pub(super) fn format(n: i128) -> String {
    if n == 0 {
        return "0s".into();
    }
    let sign = if n < 0 { "-" } else { "" };
    let u = n.unsigned_abs();
    if u < 1_000_000_000 {
        let (unit, div) = match u {
            x if x < 1_000 => ("ns", 1u128),
            x if x < 1_000_000 => ("µs", 1_000),
            _ => ("ms", 1_000_000),
        };
        return format!("{sign}{}{unit}", frac(u, div));
    }
    let (h, rem) = (u / 3_600_000_000_000, u % 3_600_000_000_000);
    let (m, ns) = (rem / 60_000_000_000, rem % 60_000_000_000);
    let secs = frac(ns, 1_000_000_000);
    match (h, m) {
        (0, 0) => format!("{sign}{secs}s"),
        (0, m) => format!("{sign}{m}m{secs}s"),
        (h, m) => format!("{sign}{h}h{m}m{secs}s"),
    }
}

/// `v / div` with the fraction Go prints (trailing zeros dropped).
fn frac(v: u128, div: u128) -> String {
    let (whole, rem) = (v / div, v % div);
    if rem == 0 {
        return whole.to_string();
    }
    let width = div.to_string().len() - 1;
    let digits = format!("{rem:0width$}");
    format!("{whole}.{}", digits.trim_end_matches('0'))
}

#[cfg(test)]
mod tests {
    #[test]
    fn durations_print_as_go_prints_them() {
        for (text, shown) in [
            ("-5s", "-5s"),
            ("-1s", "-1s"),
            ("90s", "1m30s"),
            ("1.5s", "1.5s"),
            ("500ms", "500ms"),
            ("2h", "2h0m0s"),
            ("0", "0s"),
        ] {
            assert_eq!(super::format(super::parse(text).unwrap()), shown, "{text}");
        }
        assert_eq!(super::parse("5 s"), None);
    }
}
