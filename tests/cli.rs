//! CLI behaviour of run, check, completions, version and help.
