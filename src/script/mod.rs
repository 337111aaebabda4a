//! Evaluates cluster scripts with Rhai into a typed model.
