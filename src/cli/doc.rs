//! `talforge doc`: every host and stdlib function with its signature and example (markdown).

/// Arguments of `doc`.
#[derive(Debug, clap::Args)]
pub struct DocArgs {
    /// Only functions whose signature contains this text.
    pub filter: Option<String>,
}

pub(super) fn run(a: &DocArgs) -> u8 {
    let md = crate::script::docs::markdown();
    match &a.filter {
        None => print!("{md}"),
        Some(f) => {
            // Sections start at `### `; keep the ones whose heading matches.
            for section in md.split("\n### ").skip(1) {
                let heading = section.lines().next().unwrap_or("");
                if heading.contains(f.as_str()) {
                    let body = section.split("\n## ").next().unwrap_or(section);
                    println!("### {}", body.trim_end());
                    println!();
                }
            }
        }
    }
    0
}
