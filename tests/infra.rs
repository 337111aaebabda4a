//! The seed cluster: the committed clusters/infra.rhai and its generated files.
