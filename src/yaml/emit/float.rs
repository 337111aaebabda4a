//! Floats as Go writes them (`strconv.FormatFloat(f, 'g', -1, 64)`).

/// Go's `strconv.FormatFloat(f, 'g', -1, 64)` with yaml.v3's `.inf`/`.nan` spellings.
pub(super) fn format_float(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf" } else { "-.inf" }.into();
    }
    if f == 0.0 {
        return if f.is_sign_negative() { "-0" } else { "0" }.into();
    }
    // Shortest round-trip digits and decimal exponent, from Rust's `{:e}`.
    let sci = format!("{f:e}");
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let sign = if neg { "-" } else { "" };
    // Go switches to an exponent when exp < -4 or exp >= 6 for shortest 'g' output.
    if !(-4..6).contains(&exp) {
        return go_exp(sign, &digits, exp);
    }
    if exp < 0 {
        let zeros = "0".repeat((-exp - 1) as usize);
        return format!("{sign}0.{zeros}{digits}");
    }
    let exp = exp as usize;
    if digits.len() > exp + 1 {
        format!("{sign}{}.{}", &digits[..=exp], &digits[exp + 1..])
    } else {
        format!("{sign}{digits}{}", "0".repeat(exp + 1 - digits.len()))
    }
}

fn go_exp(sign: &str, digits: &str, exp: i32) -> String {
    let (first, rest) = digits.split_at(1);
    let frac = if rest.is_empty() {
        String::new()
    } else {
        format!(".{rest}")
    };
    let esign = if exp < 0 { '-' } else { '+' };
    format!("{sign}{first}{frac}e{esign}{:02}", exp.abs())
}
