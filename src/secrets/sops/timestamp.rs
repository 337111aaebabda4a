//! YAML timestamps as sops sees them: yaml.v3 turns plain `2024-01-01` into a `time.Time`,
//! which sops encrypts as `type:time` and hashes as RFC 3339 text.

use regex::Regex;
use std::sync::LazyLock;

/// yaml.v3's `allowedTimestampFormats`: date only, `T`/`t` with a zone, or one space without.
static TS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:([Tt ])(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?)?$",
    )
    .expect("valid regex")
});

/// The RFC 3339 text Go's `time.MarshalText` gives for a plain scalar yaml.v3 resolves as a
/// timestamp, or `None` when it stays a string.
pub fn canonical(s: &str) -> Option<String> {
    let c = TS.captures(s)?;
    let num = |i: usize| c.get(i).map_or(Some(0), |m| m.as_str().parse::<u32>().ok());
    let (year, month, day) = (num(1)?, num(2)?, num(3)?);
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    time::Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?)
        .ok()?;
    let sep = c.get(4).map(|m| m.as_str());
    let zone = c.get(9).map(|m| m.as_str());
    // `T`/`t` need a zone; the space form must not have one.
    match (sep, zone) {
        (Some("T" | "t"), None) | (Some(" "), Some(_)) => return None,
        _ => {}
    }
    let (h, mi, sec) = (num(5)?, num(6)?, num(7)?);
    if h > 23 || mi > 59 || sec > 59 {
        return None;
    }
    let frac = c
        .get(8)
        .map(|m| m.as_str().trim_end_matches('0'))
        .filter(|f| !f.is_empty())
        .map(|f| format!(".{f}"))
        .unwrap_or_default();
    let zone = match zone {
        None | Some("Z") => "Z".to_string(),
        Some(z) if &z[1..] == "00:00" => "Z".to_string(),
        Some(z) => z.to_string(),
    };
    Some(format!(
        "{year:04}-{:02}-{day:02}T{h:02}:{mi:02}:{sec:02}{frac}{zone}",
        u8::from(month)
    ))
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn resolves_like_yaml_v3() {
        assert_eq!(
            canonical("2024-01-01").as_deref(),
            Some("2024-01-01T00:00:00Z")
        );
        assert_eq!(
            canonical("2024-1-2").as_deref(),
            Some("2024-01-02T00:00:00Z")
        );
        assert_eq!(
            canonical("2001-12-14t21:59:43.10-05:00").as_deref(),
            Some("2001-12-14T21:59:43.1-05:00")
        );
        assert_eq!(
            canonical("2001-12-14 21:59:43.000").as_deref(),
            Some("2001-12-14T21:59:43Z")
        );
        assert_eq!(
            canonical("2026-11-24T12:45:13Z").as_deref(),
            Some("2026-11-24T12:45:13Z")
        );
        for s in [
            "2001-12-14T21:59:43",
            "2024-13-01",
            "2024-02-30",
            "v2024-01-01",
            "2001-12-14 21:59:43 -5",
            "20240101",
        ] {
            assert_eq!(canonical(s), None, "{s}");
        }
    }
}
